"""Every real clip in ../shared/data/videos tracked from one click.

Frames may be lost only where the target truly leaves the picture or the scene
changes; those stretches must be reported lost (not filled with a position on
something else). The seeds are single clicks read off the first frame (frame 140
for the edited press clip, where the lift is on screen).
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis.tracking import BarTracker
from analysis.video import VideoSource


def _between(times: np.ndarray, a: float, b: float) -> set[int]:
    return set(np.flatnonzero((times >= a) & (times <= b)).tolist())


# name, seed frame, seed (x, y) in displayed pixels, where loss is allowed (s), where it is required (s)
CLIPS = [
    ("GhislandiGiulio__bar_path_tracker__c_j.MP4", 0, (195, 557),
     [(11.9, 15.1)], []),  # the plate nearly leaves the picture in the jerk
    ("sahityajain360__barbell-tracker__bench2.mp4", 0, (389, 265), [], []),
    ("sahityajain360__barbell-tracker__deadlift2.mp4", 0, (177, 601), [], []),
    ("TheSebitzu__gym-app-ai__bench_press.mp4", 0, (1392, 140), [], []),
    ("michaelwitusikk__LiftCheck__squat.mp4", 0, (81, 344), [], []),
    ("owenyeo__barbell-tracker__test3.mp4", 0, (162.2, 76.1), [], []),
    # title card and fade (0-2.9 s), a cut to a close-up and back (13.0-19.0 s), the fade out;
    # the lower-third banner leaving at 10.0 s is not a scene change
    ("jaymody__gitfit__overhead_press.mp4", 140, (181, 27),
     [(0.0, 3.0), (12.99, 19.05), (23.1, 24.0)], [(0.0, 2.45), (13.05, 18.9)]),
]


_TRACKS: dict[str, object] = {}


def _track(shared_data, name: str, seed_frame: int, seed):
    """The clip's track from its click (made once per test session)."""
    path = shared_data / "videos" / name
    if not path.exists():
        pytest.skip(f"{name} is not in the shared data")
    if name not in _TRACKS:
        with VideoSource(str(path)) as src:
            _TRACKS[name] = BarTracker().track(src, seed_frame, seed)
    return path, _TRACKS[name]


@pytest.mark.parametrize("name,seed_frame,seed,allowed,required", CLIPS,
                         ids=[c[0].split("__")[-1] for c in CLIPS])
def test_real_clip_tracked_from_one_click(shared_data, name, seed_frame, seed, allowed, required):
    _path, tr = _track(shared_data, name, seed_frame, seed)
    times = tr.t
    lost = set(np.flatnonzero(~np.isfinite(tr.x)).tolist())
    ok = set().union(*(_between(times, a, b) for a, b in allowed)) if allowed else set()
    assert lost <= ok, f"lost where the bar is in view: frames {sorted(lost - ok)[:10]}"
    for a, b in required:
        must = _between(times, a, b)
        assert must <= lost, f"not reported lost {a}-{b} s: frames {sorted(must - lost)[:10]}"


# Plate diameters (px) read off overlays of the measured rim on the clips' frames;
# the ranges are wide because a hand reading of a blurred rim is no better than ~5 %.
PLATES = {
    "GhislandiGiulio__bar_path_tracker__c_j.MP4": (140, 175),
    "sahityajain360__barbell-tracker__bench2.mp4": (145, 178),
    "sahityajain360__barbell-tracker__deadlift2.mp4": (235, 275),
    "TheSebitzu__gym-app-ai__bench_press.mp4": (330, 410),
    "owenyeo__barbell-tracker__test3.mp4": (80, 100),
}


@pytest.mark.parametrize("name", sorted(PLATES), ids=[n.split("__")[-1] for n in sorted(PLATES)])
def test_plate_measured_around_the_real_track(shared_data, name):
    """The rim is found among the gym's other circles (racks, stacked plates, lamps)."""
    from analysis.calibration.scale import measure_plate

    seed_frame, seed = next((c[1], c[2]) for c in CLIPS if c[0] == name)
    path, tr = _track(shared_data, name, seed_frame, seed)
    ok = np.flatnonzero(np.isfinite(tr.x))
    with VideoSource(str(path)) as src:
        cal = measure_plate(src, {int(i): (float(tr.x[i]), float(tr.y[i])) for i in ok})
    lo, hi = PLATES[name]
    assert lo <= cal.reference_px <= hi, cal
    assert cal.frames >= 8 and cal.circle is not None


# Reps counted by eye on contact sheets of each clip (the press: three in the wide shot
# after the clean, one after the cut back). The press's fourth starts as the picture comes
# back from the cut (the bar unseen 13-19 s): its movement runs through the stretch where
# the bar was not seen, so it is left out with a note, not measured (analysis.lift.gaps);
# three are counted.
REPS = {
    "sahityajain360__barbell-tracker__bench2.mp4": ("bench", 1),
    "sahityajain360__barbell-tracker__deadlift2.mp4": ("deadlift", 5),
    "TheSebitzu__gym-app-ai__bench_press.mp4": ("bench", 1),
    "michaelwitusikk__LiftCheck__squat.mp4": ("squat", 1),
    "owenyeo__barbell-tracker__test3.mp4": ("squat", 8),
    "jaymody__gitfit__overhead_press.mp4": ("press", 3),
}


@pytest.mark.parametrize("name", sorted(REPS), ids=[n.split("__")[-1] for n in sorted(REPS)])
def test_reps_counted_on_the_real_track(shared_data, name):
    from analysis.lift.result import analyze_track

    seed_frame, seed = next((c[1], c[2]) for c in CLIPS if c[0] == name)
    _path, tr = _track(shared_data, name, seed_frame, seed)
    lift, count = REPS[name]
    res = analyze_track(tr.t, tr.x, tr.y, lift=lift)
    assert len(res.reps) == count, [r.turn_time for r in res.reps]
    if "overhead_press" in name:
        assert any("not counted as a rep" in w for w in res.warnings), res.warnings
    roms = np.array([r.metrics.rom for r in res.reps])
    med = np.median(roms)
    assert roms.min() > 0.75 * med and roms.max() < 1.3 * med, "no rep may swallow a clean"


def test_small_squat_against_hand_labels(shared_data):
    """From one seed at frame 0 against the hand-clicked bar end of every frame: mean
    <= 2.0 px (issue #12; max <= 7.5).

    The labels jitter by ~0.9 px (x) and ~1.4 px (y) per click, and the frame-0 click's
    own error stays in any track seeded from it: the labels' own 15- or 21-frame
    smoothed curve, seeded the same way, scores 1.88-1.89 px mean and 4.4-5.0 px max
    (``bench/bench_tracking.py`` prints this). What brought the track from 2.01 to
    1.96 px: the circle at the click is the median of fits started around it (one fit
    of the grooved, highlighted end face moves by up to 0.5 px with its start), and the
    click's offset from it is scaled with the end face, which shrinks by 14 % as the bar
    goes down, away from the camera (the clip author's tracker: 3.9 / 9.8, a plain
    template matcher 2.5 / 6.7).
    """
    path = shared_data / "videos" / "lukestynes__bar-path-tracker__small-squat.mp4"
    labels = shared_data / "groundtruth" / "small-squat" / "small-squat_man_anno.txt"
    if not path.exists() or not labels.exists():
        pytest.skip("the small squat clip or its hand labels are not in the shared data")
    gt = np.loadtxt(labels, delimiter=",")
    with VideoSource(str(path)) as src:
        tr = BarTracker().track(src, 0, (gt[0, 0], gt[0, 1]))
    assert tr.target == "bar_end"
    err = np.hypot(tr.x - gt[:, 0], tr.y - gt[:, 1])
    assert np.isfinite(err).all(), "no frame lost"
    assert err.mean() <= 2.0, err.mean()
    assert err.max() <= 7.5


def test_reps_whose_plate_is_placed_right_are_not_flagged(shared_data):
    """test3: at the bottom of each rep the dark plate is seen against dark clothes, its
    rim only in part, and the plate is placed by its hub at an offset last confirmed more
    than a diameter higher. Before, every such frame was marked low confidence (97 frames)
    and reps 1, 2, 3 and 5 were flagged and left out of the set's numbers, though the dot
    sat on the plate's centre. The rim seen in part there now vouches for the frames it
    puts within 0.1 of its radius of where the plate is placed; only the clip's worst
    stay marked (rep 3's bottom and one frame of rep 5, 4-5 px off)."""
    from analysis.lift.plausibility import LOW_CONFIDENCE
    from analysis.lift.result import analyze_track

    name = "owenyeo__barbell-tracker__test3.mp4"
    seed_frame, seed = next((c[1], c[2]) for c in CLIPS if c[0] == name)
    _path, tr = _track(shared_data, name, seed_frame, seed)
    assert np.sum(tr.confidence < LOW_CONFIDENCE) <= 20
    res = analyze_track(tr.t, tr.x, tr.y, lift="squat", confidence=tr.confidence,
                        state=tr.state)
    assert len(res.reps) == 8
    flagged = [r.number for r in res.reps if r.flags]
    assert set(flagged) <= {3, 5}, [(r.number, r.flags) for r in res.reps if r.flags]
