"""Make a realistic library for looking at Progress and Compare sessions: one lifter over six
weekly back-squat sessions at 100, 120 and 140 kg, getting faster at every load, with
eccentrics that become more controlled (tempo compliance rises) and a readiness check
that varies. Every set is a generated clip (analysis.synth) measured like a real one:
the plate is found, tracked and measured (plate of 450 mm), nothing is copied from the
truth.

    PYTHONPATH=$PWD python scripts/make_progress_library.py OUT_DIR

writes OUT_DIR/clips/*.mp4 and OUT_DIR/library.sqlite3 (open it with
LIFTLENS_DATA_DIR=OUT_DIR). Prints each set's true and measured MCV.
"""

from __future__ import annotations

import sys
from pathlib import Path

from analysis.batch.clip import analyze_video
from analysis.session.calibration import Calibration
from analysis.session.document import Readiness, Recording, Session
from analysis.session.portable import describe_video
from analysis.session.store import SessionStore
from analysis.session.track import Track
from analysis.synth.lift_clip import make_lift_clip
from analysis.synth.motion import LiftScript, RepSpec

LOADS = (100.0, 120.0, 140.0)
#: best-rep MCV (m/s) of week 1 at each load; +0.025 m/s a week
BASE_MCV = {100.0: 0.78, 120.0: 0.60, 140.0: 0.44}
ROM = 0.52
DATES = ("2026-09-28", "2026-10-05", "2026-10-12", "2026-10-19", "2026-10-26", "2026-11-02")
READINESS = ((True, 4, ""), (False, 2, "lower back tight"), (True, 3, ""), (True, 4, ""),
             (False, 3, ""), (True, 5, ""))


def set_script(mcv: float, reps: int, eccentric: float, seed: int) -> LiftScript:
    """``reps`` reps, the first at ``mcv``, each 4 % slower (velocity loss)."""
    out = []
    for i in range(reps):
        v = mcv * (1 - 0.04 * i)
        out.append(RepSpec(eccentric=eccentric + 0.1 * ((seed + i) % 3), bottom_pause=0.15,
                           concentric=ROM / v, top_pause=0.9, rom=ROM,
                           drift=0.01 * ((seed + i) % 2)))
    return LiftScript(reps=tuple(out), setup=1.0, walkout=False, end_idle=0.8)


def main(out_dir: str) -> None:
    out = Path(out_dir)
    clips = out / "clips"
    clips.mkdir(parents=True, exist_ok=True)
    store = SessionStore(out / "library.sqlite3")
    for week, date in enumerate(DATES):
        slept, recovered, pain = READINESS[week]
        s = Session(lifter="Maya Lind", date=date, exercise="back squat", load_unit="kg",
                    tempo="2-0-1-1", sets=3, reps=3,
                    readiness=Readiness(slept, recovered, pain, "volume at 100-140 kg"))
        eccentric = 1.2 + 0.17 * week  # rushed at first, controlled later
        for k, load in enumerate(LOADS):
            mcv = BASE_MCV[load] + 0.025 * week
            reps = 3 if load < 140 else 2
            path = clips / f"{date}-set{k + 1}-{load:.0f}kg.mp4"
            seed = week * 10 + k
            if not path.exists():
                make_lift_clip(path, set_script(mcv, reps, eccentric, seed), size=(640, 360),
                               px_per_m=300.0, noise=2.0, seed=seed, blur_subframes=3)
            va = analyze_video(str(path), lift="squat", plate_mm=450.0)
            rec = Recording(str(path), set_number=k + 1, load=load)
            describe_video(rec, str(path))
            rec.track = Track.from_dict(va.track)
            rec.calibration = Calibration.from_dict(va.calibration) if va.calibration else None
            s.recordings.append(rec)
            got = [r.metrics.mean_concentric_velocity for r in va.result.reps]
            print(f"{date} set {k + 1} {load:.0f} kg: true best MCV {mcv:.3f}, measured "
                  f"{', '.join(f'{v:.3f}' for v in got)} ({va.result.units})", flush=True)
        store.save(s)
    store.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/liftlens-progress-library")
