"""Side-by-side exports of two clips of different frame rates, synchronised with any offset.

Two clips whose frame changes fall a few microseconds apart once synchronised
(30 fps against 25 fps, or a VFR clip) used to reach the encoder with two
pictures on one timestamp, and the MP4 muxer refused the file. Every offset,
before or after, and larger than the shorter clip, must export a file that
decodes, shows the right frame of each side at each instant, and has strictly
increasing timestamps.
"""

from __future__ import annotations

import errno
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from analysis.compare.sync import CommonTimeline, SideTiming
from analysis.export import ExportError
from analysis.export.compose import pair_layout
from analysis.export.side_by_side import MIN_FRAME_GAP, Side, SyncedPair, export_side_by_side
from analysis.export.writer import H264Writer, WriterSpec
from analysis.synth.barcode import BarcodeSpec, draw_number, read_number
from analysis.video import build_index
from tests.analysis.export_clips import numbered

#: Side A: 2 s at 30 fps, 320x240. Side B: 1.2 s at 25 fps, recorded on its side (rotation 90).
SPEC_A = BarcodeSpec(frames=60, fps=30.0)
SPEC_B = BarcodeSpec(frames=30, fps=25.0, gop=25, rotation=90)
SPEC_B_VFR = BarcodeSpec(frames=30, fps=25.0, gop=25, vfr=True)


def _decode(path: Path, lay_sizes: tuple[tuple[int, int], tuple[int, int]], rotation_b: int
            ) -> tuple[list[tuple[int, int]], np.ndarray, float, np.ndarray | None]:
    lay = pair_layout(*lay_sizes, "horizontal", None, 8)
    pairs, pts = [], []
    first = None
    with av.open(str(path)) as c:
        stream = c.streams.video[0]
        for f in c.decode(stream):
            img = f.to_ndarray(format="bgr24")
            assert (img.shape[1], img.shape[0]) == (lay.width, lay.height)
            sa, sb = lay.slots
            pairs.append((read_number(img[sa.y:sa.y + sa.h, sa.x:sa.x + sa.w]),
                          read_number(img[sb.y:sb.y + sb.h, sb.x:sb.x + sb.w], rotation_b)))
            pts.append(int(f.pts))
            if first is None:
                first = img
        tb = float(stream.time_base)
        end = float(stream.duration * stream.time_base)  # the file's stream length
    return pairs, np.asarray(pts) * tb, end, first


@pytest.mark.parametrize("b_spec, event_b", [
    (SPEC_B, 0.200005),     # B starts 0.2 s before A; changes 5 µs apart every 0.2 s
    (SPEC_B, -0.200005),    # B starts 0.2 s after A
    (SPEC_B, -1.600005),    # B starts after 1.6 s of A and runs 0.8 s past its end
    (SPEC_B, 1.400005),     # B ends 0.2 s before A starts: longer than B itself
    (SPEC_B_VFR, -0.300002),
])
def test_any_sync_offset_exports_with_increasing_timestamps(
        clip_cache: Path, tmp_path: Path, b_spec: BarcodeSpec, event_b: float) -> None:
    a, _ = numbered(clip_cache, "offs-a", SPEC_A)
    b, _ = numbered(clip_cache, f"offs-b{'-vfr' if b_spec.vfr else ''}", b_spec)
    ia, ib = build_index(str(a)), build_index(str(b))
    timeline = CommonTimeline(SideTiming.from_index(ia), SideTiming.from_index(ib, event=event_b))
    pair = SyncedPair.from_timeline(timeline)
    out = tmp_path / "offset.mp4"
    result = export_side_by_side(Side(a), Side(b), pair, out, size="source")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["offset.mp4"]  # no .part left

    # Expected output instants: every change of either side, a change less than
    # MIN_FRAME_GAP after the previous shown one being folded into it.
    changes = np.sort(np.concatenate([ia.times - 0.0, ib.times - event_b]))
    changes = changes[(changes >= timeline.start - 1e-9) & (changes < timeline.end - 1e-9)]
    kept: list[float] = []
    for t in changes - timeline.start:
        if not kept or t - kept[-1] >= MIN_FRAME_GAP:
            kept.append(float(t))
    pairs, times, end, _ = _decode(out, ((ia.width, ia.height), (ib.width, ib.height)),
                                   ib.rotation)
    assert len(pairs) == len(kept) == result.frames
    assert np.all(np.diff(times) > 0)
    np.testing.assert_allclose(times, kept, atol=2e-5)
    # the MP4's length is counted in decode order: where the frame spacing changes
    # along the file (30 fps pairs, then B alone at 25 fps) B-frame reordering can
    # shift it by a fraction of a frame (13 ms here)
    assert end == pytest.approx(timeline.duration, abs=1 / 25)
    assert result.duration_s == pytest.approx(timeline.duration, abs=1e-6)
    # each picture shows what the comparison shows just before the next picture
    want = [timeline.frames_at(timeline.start + t + MIN_FRAME_GAP - 1e-6) for t in kept]
    assert pairs == [tuple(int(n) for n in w) for w in want]
    assert {p[1] for p in pairs} == set(range(b_spec.frames))  # every frame of B is seen


def test_fast_output_of_dense_changes_still_increases(clip_cache: Path, tmp_path: Path) -> None:
    """At double speed the 30 and 25 fps changes are closer still; none may share a timestamp."""
    a, _ = numbered(clip_cache, "offs-a", SPEC_A)
    b, _ = numbered(clip_cache, "offs-b", SPEC_B)
    ia, ib = build_index(str(a)), build_index(str(b))
    timeline = CommonTimeline(SideTiming.from_index(ia), SideTiming.from_index(ib, event=-0.20001))
    out = tmp_path / "fast.mp4"
    result = export_side_by_side(Side(a), Side(b), SyncedPair.from_timeline(timeline), out,
                                 size="source", speed=2.0)
    pairs, times, end, _ = _decode(out, ((ia.width, ia.height), (ib.width, ib.height)), 90)
    assert len(pairs) == result.frames > 0
    assert np.all(np.diff(times) >= MIN_FRAME_GAP - 2e-5)
    assert end == pytest.approx(timeline.duration / 2, abs=1 / 50)


def test_writer_never_puts_two_pictures_on_one_timestamp(tmp_path: Path) -> None:
    """Times that round onto (or before) the previous 1/90000 s tick still make a valid file."""
    out = tmp_path / "ticks.mp4"
    writer = H264Writer(WriterSpec(str(out), 64, 48, Fraction(30)))
    times = [0.0, 1 / 30, 1 / 30 + 4e-6, 2 / 30, 2 / 30 - 1e-6, 3 / 30]
    for k, t in enumerate(times):
        writer.write_video(draw_number(k, 64, 48), False, t, 1 / 30)
    writer.close()
    with av.open(str(out)) as c:
        frames = list(c.decode(video=0))
    pts = [f.pts for f in frames]
    assert len(pts) == len(times) and np.all(np.diff(pts) > 0)
    assert [read_number(f.to_ndarray(format="bgr24")) for f in frames] == list(range(6))


class _BrokenEncoder(H264Writer):
    """A real writer whose encoder fails after a few pictures."""

    def __init__(self, spec: WriterSpec) -> None:
        super().__init__(spec)
        self.written = 0

    def write_video(self, image: np.ndarray, planar: bool, t: float, duration: float) -> None:
        if self.written == 5:
            raise av.error.ArgumentError(errno.EINVAL, "Invalid argument")
        super().write_video(image, planar, t, duration)
        self.written += 1


def test_encoder_failure_says_what_to_do_and_leaves_nothing(clip_cache: Path,
                                                            tmp_path: Path) -> None:
    a, _ = numbered(clip_cache, "offs-a", SPEC_A)
    b, _ = numbered(clip_cache, "offs-b", SPEC_B)
    ia, ib = build_index(str(a)), build_index(str(b))
    timeline = CommonTimeline(SideTiming.from_index(ia), SideTiming.from_index(ib, event=0.5))
    out = tmp_path / "broken.mp4"
    with pytest.raises(ExportError, match="Export again") as info:
        export_side_by_side(Side(a), Side(b), SyncedPair.from_timeline(timeline), out,
                            size="source", writer_factory=_BrokenEncoder)
    assert "broken.mp4" in str(info.value) and "Invalid argument" in info.value.detail
    assert list(tmp_path.iterdir()) == []
