"""A dark plate whose rim is half hidden at the bottom of each rep, as on the real test3
squat: the plate (dark rubber, a bright sleeve end over its hub) goes down in front of the
lifter's dark clothes, so from a little below the top its rim is seen only on the side
against the light wall (45-50 % of the rays), too little to place the plate, and the
plate is placed by its sleeve end at the offset measured where the rim was last seen
whole, more than STALE_TRAVEL radii higher (:meth:`PlateFollowing._offset_stale`).

Generated (480x360, 30 fps, three reps): the plate's centre and its sleeve end are drawn,
so the truth is known on every frame. The sleeve end's offset from the centre may change
with depth by construction (``parallax``, px per px the plate goes down).
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from analysis.lift.plausibility import LOW_CONFIDENCE
from analysis.lift.result import analyze_track
from analysis.synth.encode import ClipWriter
from analysis.tracking.follow_plate import AGREE_SHARE
from analysis.tracking.targets import RIM_MIN_INLIERS
from tests.analysis.test_tracking_kinds import SUB, _circle, track

W, H, FPS, N = 480, 360, 30.0, 105  # 3.5 s: stand, three reps, stand
R = 36.44  # the plate's radius, px
X0, Y_TOP, DEPTH = 200.3, 66.4, 200.0  # the plate's centre standing; its travel down, px
# the lifter's dark clothes: below and right of this corner; at the bottom of a rep they
# lie behind the right half of the plate (from 0.2 of the radius left of its centre)
X_DARK, Y_DARK = X0 - 0.2 * R, Y_TOP + 1.15 * R
BOTTOM = Y_TOP + 0.8 * DEPTH  # frames whose centre is below this: the bottom of a rep


def _background(seed: int = 2) -> np.ndarray:
    """A light wall (grey 150, soft texture) and the dark clothes (31, as dark as the
    plate's rubber: its rim has no edge against them), float32 (H, W, 3)."""
    rng = np.random.default_rng(seed)
    tex = cv2.GaussianBlur(rng.normal(0, 1, (H, W)).astype(np.float32), (0, 0), 4)
    tex /= tex.std()
    img = 150 + 6 * tex
    y0, x0 = math.ceil(Y_DARK), math.ceil(X_DARK)
    img[y0:, x0:] = 31 + 2 * tex[y0:, x0:]
    return np.repeat(img[:, :, None], 3, axis=2)


def squat_path(n: int = N, reps: int = 3, stand: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """The plate's centre (x, y each (n,), px): ``reps`` smooth reps DEPTH px deep with a
    little sway, standing ``stand`` frames before and after."""
    s = np.clip((np.arange(n) - stand) / ((n - 2 * stand) / reps), 0, reps)
    return X0 + 3.0 * np.sin(2 * np.pi * s), Y_TOP + DEPTH * (1 - np.cos(2 * np.pi * s)) / 2


def _draw_plate(img: np.ndarray, x: float, y: float, end: tuple[float, float]) -> None:
    """A dark rubber plate centred at (x, y), the bar's sleeve end (steel collar around a
    bright sleeve face) at ``end``, over the hub."""
    _circle(img, x, y, R, (34, 34, 37))
    cv2.line(img, (round(x * SUB), round(y * SUB)), (round(end[0] * SUB), round(end[1] * SUB)),
             (110, 110, 115), int(0.25 * R), cv2.LINE_AA, shift=4)
    for share, col in ((0.2, (200, 200, 205)), (0.16, (70, 70, 72)), (0.111, (225, 225, 230)),
                       (0.04, (150, 150, 150))):
        _circle(img, end[0], end[1], share * R, col)


def rim_seen(x: float, y: float) -> float:
    """The share of the plate's rim (centred at x, y) in front of the wall, not the
    clothes: what the rim's edge can be seen on."""
    a = np.linspace(0, 2 * np.pi, 720, endpoint=False)
    hidden = (x + R * np.cos(a) >= X_DARK) & (y + R * np.sin(a) >= Y_DARK)
    return float(1.0 - hidden.mean())


def hidden_rim_clip(path, parallax: float) -> np.ndarray:
    """Write the clip; the sleeve end lies ``parallax`` px lower than the plate's centre
    puts it per px the plate went down (0: over the hub). Returns the true centres (N, 2)."""
    bg = _background()
    x, y = squat_path()
    rng = np.random.default_rng(3)
    with ClipWriter(str(path), W, H, fps=FPS) as out:
        for i in range(N):
            img = bg.copy()
            _draw_plate(img, x[i], y[i], (x[i], y[i] + parallax * (y[i] - Y_TOP)))
            img += rng.normal(0.0, 2.0, img.shape).astype(np.float32)
            out.write(np.clip(np.rint(img), 0, 255).astype(np.uint8), i / FPS)
    return np.column_stack([x, y])


def _tracked(tmp_path, parallax: float):
    path = tmp_path / "squat.mp4"
    truth = hidden_rim_clip(path, parallax)
    # a click on the plate's centre, as in the app
    tr = track(path, 0, (float(truth[0, 0]), float(truth[0, 1])), target="auto")
    res = analyze_track(tr.t, tr.x, tr.y, lift="squat", confidence=tr.confidence,
                        state=tr.state)
    assert tr.target == "plate" and len(res.reps) == 3, (tr.target, len(res.reps))
    return tr, truth, res


def test_scene_hides_part_of_the_rim_at_the_bottom():
    """The scene is what the tracker tests below rely on: standing, the whole rim is in
    front of the wall; at the bottom of each rep only 40-55 % of it is (enough to check
    the plate, too little to follow the rim: below RIM_MIN_INLIERS), and the bottom is
    more than STALE_TRAVEL (two) radii below where most of the rim was last seen."""
    from analysis.tracking.follow_plate import PART_INLIERS, STALE_TRAVEL

    x, y = squat_path()
    seen = np.array([rim_seen(a, b) for a, b in zip(x, y, strict=True)])
    assert seen[0] == 1.0
    bottom = y > BOTTOM
    assert bottom.sum() >= 15
    assert (seen[bottom] > PART_INLIERS).all() and (seen[bottom] < RIM_MIN_INLIERS).all(), \
        (seen[bottom].min(), seen[bottom].max())
    last_whole = y[seen >= RIM_MIN_INLIERS].max()
    assert BOTTOM - last_whole > STALE_TRAVEL * R, (BOTTOM, last_whole)


def test_reps_whose_plate_is_placed_right_behind_a_half_hidden_rim_are_not_flagged(tmp_path):
    """The sleeve end's offset from the plate's centre moves a little with depth (parallax,
    2 px over the rep, as on test3: a pixel or two): the plate is placed within a few px
    of its centre on every frame, and its rim, seen in part, agrees with where it is
    placed. No frame is low confidence and no rep is flagged "track unreliable". Before,
    every frame at the bottom was low confidence (0.25: the offset last confirmed more
    than a diameter higher, 31 frames) and all three reps were flagged, though the track
    was within 2.0 px of the truth."""
    tr, truth, res = _tracked(tmp_path, parallax=0.01)
    err = np.hypot(tr.x - truth[:, 0], tr.y - truth[:, 1])
    assert tr.valid.all() and err.max() < 2.5, (np.nanmax(err), int(np.nanargmax(err)))
    low = np.flatnonzero(tr.confidence < LOW_CONFIDENCE)
    assert low.size == 0, (low, tr.confidence[low])
    flagged = [(r.number, r.flags) for r in res.reps if r.flags]
    assert not flagged, flagged


def test_a_plate_placed_off_its_half_hidden_rim_is_still_flagged(tmp_path):
    """The complement: the sleeve end's offset moves 12 px over the rep (parallax 0.06,
    0.33 of the radius at the bottom), so the plate placed by it is 5-10 px off there,
    where its rim, seen in part, is centred farther from where the plate is placed than
    PART_AGREE_SHARE (AGREE_SHARE) of the radius: the rim does not vouch for it, every
    frame at the bottom of each rep is low confidence and every rep is flagged (as before
    the rim seen in part could vouch for a frame)."""
    tr, truth, res = _tracked(tmp_path, parallax=0.06)
    err = np.hypot(tr.x - truth[:, 0], tr.y - truth[:, 1])
    bottom = truth[:, 1] > BOTTOM
    assert (err[bottom] > AGREE_SHARE * R).all(), err[bottom]  # really off there
    sure = np.flatnonzero(bottom & (tr.confidence >= LOW_CONFIDENCE))
    assert sure.size == 0, (sure, err[sure], tr.confidence[sure])
    assert all(r.flags for r in res.reps), [(r.number, r.flags) for r in res.reps]
