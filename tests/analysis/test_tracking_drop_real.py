"""The real dropped deadlift (deadlift2): every click near the plate centre gives the set.

The bar is dropped from the top of each of its 5 reps and bounces on the floor (about
6.9 s and 14.5 s are the hardest). Before the rim was looked for where the plate's own
motion puts it, about 1 click in 10 within 3 px of the centre lost the plate there (e.g.
(179.25, 600.49) gave 2 reps and (179.25, 600.488) gave 5): the hub's look slid off along
the fall's extrapolation and the tracker followed it. Skipped without the shared clips.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from analysis.batch.clip import analyze_video

DEADLIFT = "sahityajain360__barbell-tracker__deadlift2.mp4"
# clicks that lost the plate before (the first the app's own click), and one that did not
SEEDS = [(179.25, 600.49), (175.547, 601.961), (178.0, 601.74), (178.994, 599.159),
         (177.708, 601.098), (176.958, 598.968), (179.25, 600.488)]


@pytest.fixture(scope="module")
def roms(shared_data: Path) -> dict[tuple[float, float], list[float]]:
    clip = shared_data / "videos" / DEADLIFT
    if not clip.exists():
        pytest.skip(f"{DEADLIFT} is not in the shared data")
    out = {}
    for seed in SEEDS:
        res = analyze_video(str(clip), seed=seed).result
        out[seed] = [r.metrics.rom for r in res.reps]
    return out


def test_every_click_near_the_plate_centre_gives_the_five_reps(roms) -> None:
    counts = {seed: len(r) for seed, r in roms.items()}
    assert all(n == 5 for n in counts.values()), counts


def test_the_range_of_motion_does_not_depend_on_the_click(roms) -> None:
    table = np.array([r for r in roms.values() if len(r) == 5])
    spread = table.max(axis=0) - table.min(axis=0)
    # by eye the reps rise ~210-235 px; clicks a few px apart agree within a few px
    assert (spread <= 0.03 * np.median(table, axis=0)).all(), table.round(1)
