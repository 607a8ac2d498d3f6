"""The named family of sets with failed and partial reps, rest-pause and cluster sets
(:mod:`tests.truth.failed_truth`), and their export as track CSVs plus JSON truth (see
``README.md`` here). Written without reading the program's analysis code."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Sequence

from tests.truth.family_files import write_family
from tests.truth.failed_truth import Attempt, FailSet, FailTruth, build_fail_set


def _reps(mcvs: Sequence[float], **kw) -> list[Attempt]:
    return [Attempt("valid", con_mean_mps=v, **kw) for v in mcvs]


def fail_family() -> dict[str, FailSet]:
    """Ten named sets (squat ROM 0.50-0.56 m, bench 0.40 m, deadlift 0.54 m; 30/60 fps;
    0-0.5 px noise; 2.5 mm/px)."""
    A = Attempt
    sets = [
        FailSet("squat", tuple(_reps((0.42, 0.36, 0.30, 0.24), rom_m=0.55, ecc_s=2.0,
                                     top_pause_s=1.5)) + (
            A("failed", "skewed_early", 0.55, 0.12, ecc_s=2.2, stall_frac=0.45,
              stall_hold_s=1.0, return_s=1.0, pin_below_m=0.05, pins_rest_s=1.0),),
            tail_s=2.0, base_height_m=1.45, name="squat_fail_to_pins", fps=60,
            noise_px=0.3),
        FailSet("squat", tuple(_reps((0.30, 0.26, 0.21), shape="grinder", rom_m=0.50,
                                     ecc_s=2.0, top_pause_s=2.0)) + (
            A("failed", "skewed_early", 0.50, 0.10, ecc_s=2.0, bottom_pause_s=0.3,
              stall_frac=0.65, stall_hold_s=1.5, return_s=1.5, pins_rest_s=1.0,
              spot_rerack_s=3.5, rack_below_top_m=0.06),),
            base_height_m=1.40, name="squat_fail_spotters_rerack", fps=30, noise_px=0.5),
        FailSet("bench", tuple(
            A("valid", sh, 0.40, v, ecc_s=1.5, top_pause_s=1.0)
            for sh, v in (("plateau", 0.50), ("smooth", 0.44), ("plateau", 0.37),
                          ("smooth", 0.30))) + (
            A("failed", "skewed_early", 0.40, 0.14, ecc_s=1.6, stall_frac=0.35,
              stall_hold_s=0.8, return_s=0.9, pins_rest_s=0.8, spot_rerack_s=3.0,
              rack_below_top_m=0.04),),
            base_height_m=1.02, name="bench_fail_to_chest_rerack", fps=60, noise_px=0.2),
        FailSet("squat", (
            A("valid", "two_peak", 0.56, 0.62, ecc_s=1.8, top_pause_s=1.2),
            A("valid", "two_peak", 0.56, 0.60, ecc_s=1.8, top_pause_s=1.2),
            A("partial", "smooth", 0.28, 0.70, ecc_s=0.9, top_pause_s=1.2),
            A("valid", "two_peak", 0.56, 0.55, ecc_s=1.9, top_pause_s=1.2),
            A("partial", "smooth", 0.25, 0.66, ecc_s=0.8, top_pause_s=1.2),
            A("valid", "two_peak", 0.56, 0.50, ecc_s=2.0)),
            base_height_m=1.45, name="squat_half_reps", fps=30, noise_px=0.4),
        FailSet("bench", (
            A("valid", "smooth", 0.40, 0.55, ecc_s=1.4, top_pause_s=1.0),
            A("valid", "smooth", 0.40, 0.57, ecc_s=1.4, top_pause_s=1.0),
            A("valid", "plateau", 0.40, 0.52, ecc_s=1.5, top_pause_s=1.0),
            A("valid", "smooth", 0.40, 0.47, ecc_s=1.5, top_pause_s=1.0),
            A("partial", "smooth", 0.22, 0.60, ecc_s=0.8)),
            base_height_m=1.02, name="bench_partial_last", fps=60, noise_px=0.0),
        FailSet("squat", tuple(
            _reps((0.58, 0.55, 0.51, 0.46, 0.40), rom_m=0.54, ecc_s=1.8, top_pause_s=1.0)[:4]
            + [A("valid", "two_peak", 0.54, 0.40, ecc_s=1.8, top_pause_s=15.0)]
            + _reps((0.50, 0.44), rom_m=0.54, ecc_s=1.8, top_pause_s=1.0)
            + [A("valid", "two_peak", 0.54, 0.38, ecc_s=2.0, top_pause_s=12.0)]
            + _reps((0.42, 0.35), rom_m=0.54, ecc_s=2.0, top_pause_s=1.0)),
            base_height_m=1.44, name="squat_rest_pause", fps=30, noise_px=0.3),
        FailSet("bench", tuple(
            _reps((0.55, 0.50, 0.44), shape="smooth", rom_m=0.40, ecc_s=1.3)
            + [A("valid", "smooth", 0.40, 0.38, ecc_s=1.3, top_pause_s=18.0, rerack_m=0.04,
                 rerack_move_s=0.8, still_after_rerack_s=1.5)]
            + _reps((0.45, 0.38), shape="smooth", rom_m=0.40, ecc_s=1.4)
            + [A("valid", "smooth", 0.40, 0.30, ecc_s=1.4, top_pause_s=12.0, rerack_m=0.05,
                 rerack_move_s=0.9, still_after_rerack_s=1.2)]
            + [A("valid", "smooth", 0.40, 0.32, ecc_s=1.5, top_pause_s=1.0),
               A("failed", "skewed_early", 0.40, 0.12, ecc_s=1.6, stall_frac=0.40,
                 stall_hold_s=1.2, return_s=1.0, spot_rerack_s=3.0,
                 rack_below_top_m=0.04)]),
            base_height_m=1.02, name="bench_rest_pause_rerack_fail", fps=60, noise_px=0.3),
        FailSet("squat", tuple(
            _reps((0.68, 0.67), rom_m=0.52, ecc_s=1.6, top_pause_s=1.0)
            + [A("valid", "two_peak", 0.52, 0.63, ecc_s=1.6, top_pause_s=20.0)]
            + _reps((0.70, 0.66), rom_m=0.52, ecc_s=1.6, top_pause_s=1.0)
            + [A("valid", "two_peak", 0.52, 0.62, ecc_s=1.6, top_pause_s=25.0,
                 rerack_m=0.06, rerack_move_s=1.0, still_after_rerack_s=2.0)]
            + _reps((0.67, 0.61), rom_m=0.52, ecc_s=1.7, top_pause_s=1.0)),
            base_height_m=1.42, name="squat_cluster_3_3_2", fps=60, noise_px=0.2),
        FailSet("deadlift", tuple(
            _reps((0.45, 0.38, 0.30), shape="skewed_late", rom_m=0.54, ecc_s=1.0,
                  ecc_shape="ecc_drop", bottom_pause_s=1.5, top_pause_s=0.8)) + (
            A("failed", "skewed_early", 0.54, 0.08, bottom_pause_s=2.0, stall_frac=0.20,
              stall_hold_s=1.2, return_s=0.8),),
            lead_in_s=2.0, tail_s=2.0, base_height_m=0.225, name="deadlift_failed_pull",
            fps=30, noise_px=0.4),
        FailSet("deadlift", (
            A("valid", "skewed_late", 0.54, 0.55, ecc_s=1.0, top_pause_s=0.8),
            A("valid", "skewed_late", 0.54, 0.52, ecc_s=1.0, bottom_pause_s=1.0,
              top_pause_s=0.8),
            A("valid", "two_peak", 0.54, 0.54, ecc_s=0.9, bottom_pause_s=20.0,
              top_pause_s=0.8),
            A("partial", "smooth", 0.27, 0.65, ecc_s=1.0, start_above_floor_m=0.27,
              top_pause_s=0.8),
            A("valid", "skewed_late", 0.54, 0.48, ecc_s=1.0, bottom_pause_s=1.0,
              top_pause_s=0.8),
            A("valid", "skewed_late", 0.54, 0.50, ecc_s=1.0, bottom_pause_s=18.0,
              top_pause_s=0.8),
            A("valid", "skewed_late", 0.54, 0.44, ecc_s=1.0, bottom_pause_s=1.0,
              top_pause_s=0.8),
            A("failed", "skewed_early", 0.54, 0.09, bottom_pause_s=1.5, stall_frac=0.33,
              stall_hold_s=0.8, return_s=0.9)),
            lead_in_s=2.0, tail_s=2.0, base_height_m=0.225,
            name="deadlift_partial_cluster_fail", fps=60, noise_px=0.2),
    ]
    return {s.name: s for s in sets}


def fail_truth_dict(truth: FailTruth) -> dict:
    """The truth as JSON-able data: ``name``, ``lift``, ``duration_s``, ``attempts``
    (AttemptTruth fields, ``rep`` and ``failure`` as dicts or None) and ``set``
    (FailSetTruth fields; ``left_out`` as ``[index, status, reason]``)."""
    sp = truth.fail_spec
    return {"name": sp.name if sp else "", "lift": sp.lift if sp else "",
            "duration_s": truth.duration_s,
            "attempts": [asdict(a) for a in truth.attempts],
            "set": asdict(truth.fail_set) if truth.fail_set else None}


def write_fail_family(out_dir, fps_list: Sequence[float] | None = None,
                      noise_px: float | None = None, seed: int = 0) -> list[Path]:
    """Write every family set as ``NAME-FPS.csv`` (lift_truth's ``to_track_csv`` at the
    set's ``m_per_px``; its own ``fps`` and ``noise_px`` unless given) plus
    ``NAME.truth.json``; returns the CSV paths. From a shell:
    ``PYTHONPATH=. python -m tests.truth.failed_family OUT_DIR``."""
    return write_family(out_dir, fail_family(), build_fail_set, fail_truth_dict, fps_list, noise_px, seed)


__all__ = ["fail_family", "fail_truth_dict", "write_fail_family"]


if __name__ == "__main__":
    import sys
    write_fail_family(sys.argv[1])
