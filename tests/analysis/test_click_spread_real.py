"""Re-tracking the real clips from other clicks on the plate's hub gives the same numbers
(shared data; skipped when ../shared/data is absent). The generated cases are in
``test_click_spread``.

Before: the deadlift clip (a dark, partly seen plate) read rep 1's peak velocity
0.72-0.83 m/s, rep 4's MCV 0.428-0.448 m/s and a velocity loss of 6.6-10.4 % from clicks
0-20 px around the hub and ``--auto``; the bench clip 2.69-2.96 mm/px (an inner lip
taken for the rim from some clicks) and MCV 0.179-0.213 m/s.
"""

from __future__ import annotations

import pytest

from analysis.batch.clip import analyze_video

DEADLIFT = "sahityajain360__barbell-tracker__deadlift2.mp4"
BENCH = "sahityajain360__barbell-tracker__bench2.mp4"
CASES = [(DEADLIFT, "deadlift", (175.6, 599.6), ((0, 0), (-3, 2), (10, 0), (0, -20))),
         (BENCH, "bench", (386.6, 283.0), ((0, 0), (-10, 0), (0, -10), (6, -3)))]


@pytest.mark.realdata
@pytest.mark.parametrize("name,lift,hub,offsets", CASES, ids=["deadlift2", "bench2"])
def test_clicks_on_the_hub_give_the_same_numbers(shared_data, name, lift, hub, offsets):
    """Clicks 0-20 px around the hub: one scale (within 0.5 %), and every rep's MCV
    within 0.01 m/s and within two of its printed SDs of the first click's."""
    path = shared_data / "videos" / name
    if not path.exists():
        pytest.skip(f"{name} is not in the shared data")
    runs = []
    for dx, dy in offsets:
        done = analyze_video(str(path), lift=lift, plate_mm=450.0,
                             seed=(hub[0] + dx, hub[1] + dy))
        assert done.track["target"] == "plate"
        runs.append(done.result)
    first = runs[0]
    assert first.reps
    for res, off in zip(runs[1:], offsets[1:], strict=True):
        assert res.m_per_px == pytest.approx(first.m_per_px, rel=0.005), off
        assert len(res.reps) == len(first.reps), off
        for a, b in zip(first.reps, res.reps, strict=True):
            va, vb = a.metrics.mean_concentric_velocity, b.metrics.mean_concentric_velocity
            sd = a.metrics.mean_concentric_velocity_sd
            assert sd is not None and sd > 0
            assert abs(va - vb) <= min(0.01, 2 * sd), (off, a.number, va, vb, sd)
