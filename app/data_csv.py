"""The data export's CSV text: one row per rep (or attempt) with the set's numbers under
it and what the set was as the last columns (:func:`reps_csv`), and the per-frame track
(:func:`track_csv`); the format is documented in docs/analysis-format.md."""

from __future__ import annotations

import csv
from pathlib import Path

from analysis.session.track import CAMERA_NOTE_START


CONTEXT_COLUMNS = ("lifter", "date", "exercise", "set", "load", "load_unit", "video")


def track_csv_beside(path: str) -> list[str]:
    """The track file the data export writes beside ``path`` (``NAME-track.csv``)."""
    return [str(Path(path).with_name(Path(path).stem + "-track.csv"))]


def csv_context(session, recording) -> dict[str, str]:
    """What the set was, for the data CSV's last columns (``CONTEXT_COLUMNS``): the lifter,
    the session's date (YYYY-MM-DD), the exercise, the set number, the load (the set's
    own, else the session's; empty when not given) and its unit, the video's file name.
    Every rep row carries them, so a CSV sent or pasted on its own, or several stacked in
    one sheet, keeps them."""
    load = session.load_of(recording)
    values = (session.lifter, session.date, session.exercise, str(recording.set_number),
              "" if load is None else f"{load:g}", "" if load is None else session.load_unit,
              Path(recording.video_path).name)
    return dict(zip(CONTEXT_COLUMNS, values, strict=True))


def _with_context(text: str, context: dict[str, str] | None) -> str:
    """``text`` (a CSV table, a blank row, then name/value rows) with the ``context``
    columns added at the end of the table's header and of each of its rows."""
    import io

    if not context:
        return text
    buf = io.StringIO()
    w = csv.writer(buf)
    rows = list(csv.reader(io.StringIO(text)))
    table = True
    for i, row in enumerate(rows):
        table = table and bool(row)
        w.writerow(row + ([*context] if i == 0 else [*context.values()]) if table else row)
    return buf.getvalue()


def reps_csv(r, track=None, context: dict[str, str] | None = None) -> str:
    """One row per rep, then the set and, with the ``track`` (:class:`Track`), which point
    was tracked and how the camera moved; one row per attempt for a snatch, clean or jerk;
    the ``context`` (:func:`csv_context`) as the last columns of every row (documented in
    docs/analysis-format.md)."""
    import io

    if r.weightlifting is not None:
        from analysis.lift.attempts import attempts_csv

        text = _with_context(attempts_csv(r), context)
        if track is not None:
            moved = [n for n in track.notes if n.startswith(CAMERA_NOTE_START)]
            extra = io.StringIO()
            csv.writer(extra).writerows([["tracked_point", track.target_name],
                                         ["camera_motion", moved[0] if moved
                                          else "none taken out"]])
            text += extra.getvalue()
        return text

    buf = io.StringIO()
    w = csv.writer(buf)
    u = r.units
    w.writerow(["rep", "status", "start_s", "end_s", "eccentric_s", "bottom_pause_s",
                "concentric_s", "top_pause_s", "tempo", "tempo_notation",
                f"mean_concentric_velocity_{u}_s", f"peak_concentric_velocity_{u}_s",
                f"rom_{u}", f"drift_{u}", "sticking_height_pct", "hold_s",
                f"mean_propulsive_velocity_{u}_s", "flags", f"mean_concentric_velocity_sd_{u}_s"])
    for rep in r.reps:
        m = rep.metrics
        w.writerow([rep.number, rep.status, f"{rep.start:.3f}", f"{rep.end:.3f}",
                    *(f"{v:.3f}" for v in rep.tempo), rep.tempo_text, rep.tempo_notation,
                    f"{m.mean_concentric_velocity:.4f}", f"{m.peak_concentric_velocity:.4f}",
                    f"{m.rom:.4f}", f"{m.drift_max:.4f}",
                    f"{m.sticking_point.height_pct:.1f}" if m.sticking_point else "",
                    f"{sum(h.duration for h in rep.holds):.3f}",
                    "" if m.mean_propulsive_velocity is None
                    else f"{m.mean_propulsive_velocity:.4f}", "; ".join(rep.flags),
                    "" if m.mean_concentric_velocity_sd is None
                    else f"{m.mean_concentric_velocity_sd:.4f}"])
    vl = r.set_metrics.velocity_loss
    w.writerow([])
    w.writerow(["set_rep_count", r.set_metrics.rep_count])
    w.writerow(["velocity_loss_first_last_pct", "" if vl.first_last_pct is None
                else f"{vl.first_last_pct:.1f}"])
    w.writerow(["velocity_loss_best_last_pct", "" if vl.best_last_pct is None
                else f"{vl.best_last_pct:.1f}"])
    for name, sd in (("velocity_loss_first_last_sd_pct", vl.first_last_sd),
                     ("velocity_loss_best_last_sd_pct", vl.best_last_sd)):
        w.writerow([name, "" if sd is None else f"{sd:.1f}"])
    sm = r.set_metrics  # over the reps analysis.lift.counted counts, as every view
    w.writerow(["velocity_loss_reps", sm.loss_text(decimals=1)])
    w.writerow(["set_best_rep", "" if sm.fastest_rep is None else sm.fastest_rep])
    w.writerow([f"set_best_mcv_{u}_s", "" if sm.best_mcv is None else f"{sm.best_mcv:.4f}"])
    w.writerow([f"set_mean_mcv_{u}_s", "" if sm.mean_mcv is None else f"{sm.mean_mcv:.4f}"])
    w.writerow(["set_counted_reps", " ".join(str(n) for n in sm.counted.counted)])
    w.writerow(["set_left_out", sm.counted.note()])
    # what the lengths rest on (a spreadsheet of several sets cannot tell otherwise)
    calibrated = u == "m" and bool(r.m_per_px)
    w.writerow(["scale_mm_per_px", f"{r.m_per_px * 1000:.5f}" if calibrated else ""])
    w.writerow(["scale_source", str(r.calibration.get("source", "") or "") if calibrated
                else "not calibrated (px)"])
    if track is not None:
        w.writerow(["tracked_point", track.target_name])
        moved = [n for n in track.notes if n.startswith(CAMERA_NOTE_START)]
        w.writerow(["camera_motion", moved[0] if moved else "none taken out"])
    return _with_context(buf.getvalue(), context)


def track_csv(r, track=None) -> str:
    """Per-frame track (:func:`analysis.io.data_track.data_track_text`): the positions in px
    (against the room), in the analysis unit, the velocity, the state, how far the camera
    had moved the picture (px, from the ``track``; empty when it stood still or its motion
    was not taken out), the confidence and the scale, so that ``liftlens analyze
    --track-csv`` reads back the numbers exported."""
    from analysis.io.data_track import data_track_text

    camera = (track.camera_x, track.camera_y) if track is not None and track.camera_moved \
        else None
    return data_track_text(r, camera)
