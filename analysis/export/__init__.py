"""Export encoding: clips, side-by-side comparisons and contact sheets (no Qt).

Public API
----------
export_clip, plan_clip, frame_range_for_times, ClipPlan, ExportResult
    A range of one video to H.264 MP4 (:mod:`analysis.export.clip`).
export_side_by_side, SyncedPair, Side
    Two synchronised clips in one MP4 (:mod:`analysis.export.side_by_side`).
compose_pair, pair_layout, PairLayout, contact_sheet, letterbox
    Pure numpy/cv2 composition (:mod:`analysis.export.compose`).
ExportFrame, RenderFn, chain_renders, fit_size, SIZE_PRESETS
    The render-callback contract and output sizing (:mod:`analysis.export.render`).
EncodeSettings, WriterSpec, H264Writer, AtomicOutput
    Encoding and atomic output (:mod:`analysis.export.writer`).
ExportError, Cancelled
    Failures (plain language) and cancellation.
"""

from analysis.export.clip import ClipPlan, ExportResult, export_clip, frame_range_for_times, plan_clip
from analysis.export.errors import ExportError
from analysis.export.render import (
    SIZE_PRESETS,
    ExportFrame,
    RenderFn,
    chain_renders,
    fit_size,
    identity_render,
)
from analysis.export.writer import AtomicOutput, EncodeSettings, H264Writer, WriterSpec
from analysis.video.source import Cancelled

__all__ = [
    "SIZE_PRESETS", "AtomicOutput", "Cancelled", "ClipPlan", "EncodeSettings", "ExportError",
    "ExportFrame", "ExportResult", "H264Writer", "RenderFn", "WriterSpec", "chain_renders",
    "export_clip", "fit_size", "frame_range_for_times", "identity_render", "plan_clip",
]
