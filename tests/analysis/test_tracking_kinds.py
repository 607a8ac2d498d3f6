"""Tracking the point the user means, on generated clips with known motion (issue #12).

Each clip is small (640x480, 60-90 frames) and shows one kind of real-footage trouble:
parallax between the plate centre and the bar end, a burned-in static overlay, a marker
that turns, a seed at the frame edge, a hand-held camera, an occluder. The bounds are the
issue's: at least 95 % of frames within 10 % of the plate diameter (at least 6 px) and a
mean error of at most 3 px.
"""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from analysis.synth.encode import ClipWriter
from analysis.tracking import BarTracker, Track
from analysis.video import VideoSource

W, H, FPS = 640, 480, 30.0
SUB = 16  # cv2 drawing shift: 1/16 px positions


def _background(seed: int = 0, size: tuple[int, int] = (H, W)) -> np.ndarray:
    rng = np.random.default_rng(seed)
    tex = cv2.GaussianBlur(rng.integers(0, 255, size, dtype=np.uint8), (0, 0), 3)
    tex = cv2.normalize(tex, None, 95, 175, cv2.NORM_MINMAX)
    img = cv2.cvtColor(tex, cv2.COLOR_GRAY2BGR)
    for k in range(8):  # a rack, boxes: structure for the eye and for camera features
        x, y = int(rng.integers(0, size[1] - 60)), int(rng.integers(0, size[0] - 60))
        col = tuple(int(c) for c in rng.integers(30, 230, 3))
        cv2.rectangle(img, (x, y), (x + int(rng.integers(20, 90)), y + int(rng.integers(20, 90))),
                      col, -1 if k % 2 else 3)
    return img


def _circle(img: np.ndarray, x: float, y: float, r: float, col, thick: int = -1) -> None:
    cv2.circle(img, (round(x * SUB), round(y * SUB)), round(r * SUB), col, thick,
               cv2.LINE_AA, shift=4)


def draw_plate(img: np.ndarray, x: float, y: float, r: float, end: tuple[float, float] | None,
               angle: float = 0.0) -> None:
    """A bumper plate: black rim, red face with bolts, dark hub; the sleeve end at ``end``."""
    _circle(img, x, y, r, (25, 25, 30))
    _circle(img, x, y, 0.86 * r, (40, 40, 170))
    for a in np.linspace(0, 2 * np.pi, 6, endpoint=False) + angle:
        _circle(img, x + 0.55 * r * np.cos(a), y + 0.55 * r * np.sin(a), 0.05 * r, (200, 200, 200))
    _circle(img, x, y, 0.2 * r, (45, 45, 50))
    if end is not None:  # the sleeve: a grey shaft from the hub to its bright end face
        cv2.line(img, (round(x * SUB), round(y * SUB)),
                 (round(end[0] * SUB), round(end[1] * SUB)), (110, 110, 115),
                 int(0.3 * r), cv2.LINE_AA, shift=4)
        _circle(img, end[0], end[1], 0.16 * r, (90, 90, 95))
        _circle(img, end[0], end[1], 0.13 * r, (225, 225, 230))
        _circle(img, end[0], end[1], 0.05 * r, (150, 150, 150))


def squat_path(n: int, y0: float = 150.0, depth: float = 170.0, x0: float = 320.0):
    """Plate centre of a squat: down and up once, a little forward sway (px)."""
    t = np.arange(n) / FPS
    phase = np.clip((np.arange(n) - 8) / (n - 16), 0, 1)
    y = y0 + depth * 0.5 * (1 - np.cos(2 * np.pi * phase))
    x = x0 + 6 * np.sin(2 * np.pi * phase)
    return t, x, y


def write_clip(path, frames) -> None:
    with ClipWriter(path, W, H, fps=FPS) as out:
        for k, img in enumerate(frames):
            out.write(img, k / FPS)


def track(path, seed_frame: int, seed, **kw) -> Track:
    with VideoSource(str(path)) as src:
        return BarTracker().track(src, seed_frame, seed, **kw)


def score(tr: Track, x: np.ndarray, y: np.ndarray, r: float, frames=None) -> dict:
    """Hits within max(10 % of the plate diameter, 6 px); lost frames count as misses."""
    idx = np.arange(len(x)) if frames is None else np.asarray(frames)
    err = np.hypot(tr.x[idx] - x[idx], tr.y[idx] - y[idx])
    ok = np.isfinite(err)
    hits = (err[ok] <= max(0.2 * r, 6.0)).sum()
    return {"hit": hits / len(idx), "mean": float(err[ok].mean()) if ok.any() else np.inf,
            "lost": int((~ok).sum()), "max": float(err[ok].max()) if ok.any() else np.inf}


def assert_within(s: dict) -> None:
    assert s["hit"] >= 0.95 and s["mean"] <= 3.0, s


# -- parallax: the sleeve end shifts against the plate centre ---------------------------

R_PLATE = 75.0


def sleeve_end(x: np.ndarray, y: np.ndarray, k: float) -> tuple[np.ndarray, np.ndarray]:
    """Filmed off-axis, the sleeve's end face shifts by ``k`` px per px of travel from
    where it covers the hub (mid-way): above the hub standing, below it at the bottom."""
    mid = 0.5 * (y.min() + y.max())
    return x + 1.5, y + k * (y - mid)


def make_parallax(path, k: float, n: int = 72):
    bg = _background(1)
    _t, x, y = squat_path(n)
    ex, ey = sleeve_end(x, y, k)
    frames = []
    for i in range(n):
        img = bg.copy()
        end = (ex[i], ey[i])
        draw_plate(img, x[i], y[i], R_PLATE, end, angle=0.02 * i)
        frames.append(img)
    write_clip(path, frames)
    return x, y


@pytest.mark.parametrize("k", [0.0, 0.16, 0.3])
def test_plate_centre_under_parallax(tmp_path, k):
    """Clicking the plate's centre follows the centre of its rim, not the sleeve end
    that drifts across the hub (up to 0.3 px per px of travel, 51 px at the bottom)."""
    path = tmp_path / "parallax.mp4"
    x, y = make_parallax(path, k)
    tr = track(path, 0, (x[0], y[0]))
    assert tr.target == "plate" and tr.target_name == "plate centre"
    s = score(tr, x, y, R_PLATE)
    assert_within(s)
    assert s["mean"] <= 1.0 and s["lost"] == 0


def deadlift_path(floor: float = 360.0, top: float = 150.0):
    """Plate centre of a deadlift: 12 frames on the floor, a 24-frame pull, 8 at lockout,
    a 12-frame lowering, 20 on the floor again (px); frames of the lowering."""
    def ease(n: int) -> np.ndarray:
        return 0.5 * (1 - np.cos(np.pi * np.arange(1, n + 1) / n))

    y = np.concatenate([np.full(12, floor), floor - (floor - top) * ease(24), np.full(8, top),
                        top + (floor - top) * ease(12), np.full(20, floor)])
    return 300 + 0.05 * (floor - y), y, np.arange(44, 56)


@pytest.mark.parametrize("k", [0.15, 0.25])
def test_plate_back_on_the_floor_after_a_lift_with_parallax(tmp_path, k):
    """Filmed low and close (as the real deadlift2 clip), the sleeve end rises above the hub
    as the bar goes up (``k`` px per px). When the rim is not seen on the way down (here
    the plate comes down in front of something as dark as its rim), the plate is placed
    from its inner point at the offset measured at that height on the way up, and the
    rim is found again on the floor: the floor after the lift is the floor before it
    (the offset last measured at lockout left the track 31-52 px below the hub for the
    rest of the clip). A tripod clip: camera compensation leaves it as tracked."""
    bg = _background(2)
    x, y, lowering = deadlift_path()
    floor = y[0]
    frames = []
    for i in range(len(y)):
        img = bg.copy()
        if i in lowering:
            _circle(img, x[i], y[i], 1.3 * R_PLATE, (27, 27, 31))
        draw_plate(img, x[i], y[i], R_PLATE, (x[i] + 1.0, y[i] - k * (floor - y[i])), 0.01 * i)
        frames.append(img)
    path = tmp_path / "deadlift.mp4"
    write_clip(path, frames)
    tr = track(path, 0, (x[0], y[0]))
    assert tr.target == "plate"
    s = score(tr, x, y, R_PLATE)
    assert_within(s)
    assert s["lost"] == 0
    rest = np.arange(len(y) - 12, len(y))
    np.testing.assert_allclose(tr.y[rest], floor, atol=1.0)
    assert not tr.camera_moved and not any("camera" in n for n in tr.notes)
    _rx, ry = tr.room_xy()
    np.testing.assert_allclose(ry[rest], ry[:12].mean(), atol=1.0)


def _ellipse(img: np.ndarray, x: float, y: float, a: float, b: float, angle: float, col) -> None:
    cv2.ellipse(img, (round(x * SUB), round(y * SUB)), (round(a * SUB), round(b * SUB)), angle,
                0, 360, col, -1, cv2.LINE_AA, shift=4)


def draw_oblique_plate(img: np.ndarray, x: float, y: float, r: float, ratio: float,
                       angle: float, end: tuple[float, float], spin: float) -> None:
    """The bumper plate of :func:`draw_plate` filmed off its axis: every circle of its face
    an ellipse (minor/major ``ratio``, major axis at ``angle`` degrees); the sleeve end,
    a disc facing the camera more squarely, stays round."""
    _ellipse(img, x, y, r, r * ratio, angle, (25, 25, 30))
    _ellipse(img, x, y, 0.86 * r, 0.86 * r * ratio, angle, (40, 40, 170))
    ca, sa = np.cos(np.radians(angle)), np.sin(np.radians(angle))
    for t in np.linspace(0, 2 * np.pi, 6, endpoint=False) + spin:
        u, v = 0.55 * r * np.cos(t), 0.55 * r * ratio * np.sin(t)
        _ellipse(img, x + u * ca - v * sa, y + u * sa + v * ca, 0.05 * r, 0.05 * r * ratio, angle,
                 (200, 200, 200))
    _ellipse(img, x, y, 0.2 * r, 0.2 * r * ratio, angle, (45, 45, 50))
    cv2.line(img, (round(x * SUB), round(y * SUB)), (round(end[0] * SUB), round(end[1] * SUB)),
             (110, 110, 115), int(0.3 * r), cv2.LINE_AA, shift=4)
    _circle(img, end[0], end[1], 0.16 * r, (90, 90, 95))
    _circle(img, end[0], end[1], 0.13 * r, (225, 225, 230))


@pytest.mark.parametrize("ratio,angle", [(0.9, 0.0), (0.8, 0.0), (0.85, 30.0)])
def test_plate_centre_filmed_obliquely(tmp_path, ratio, angle):
    """Filmed a little off the plate's axis, its rim is an ellipse (a circle fit is off by
    6-16 px here and the sleeve end's parallax takes over): the ellipse's centre is
    followed."""
    n = 72
    bg = _background(1)
    _t, x, y = squat_path(n)
    ex, ey = sleeve_end(x, y, 0.16)
    frames = []
    for i in range(n):
        img = bg.copy()
        draw_oblique_plate(img, x[i], y[i], R_PLATE, ratio, angle, (ex[i], ey[i]), 0.02 * i)
        frames.append(img)
    path = tmp_path / "oblique.mp4"
    write_clip(path, frames)
    tr = track(path, 0, (x[0], y[0]), target="plate")
    assert tr.target == "plate"
    s = score(tr, x, y, R_PLATE)
    assert_within(s)
    assert s["lost"] == 0 and s["mean"] <= 0.5, s


def test_bar_end_follows_the_sleeve_end(tmp_path):
    path = tmp_path / "parallax.mp4"
    k = 0.2
    x, y = make_parallax(path, k)
    ex, ey = sleeve_end(x, y, k)
    tr = track(path, 0, (ex[0], ey[0]), target="bar_end")
    assert tr.target == "bar_end"
    assert_within(score(tr, ex, ey, R_PLATE))


def test_point_clicked_off_a_bar_end_that_shrinks(tmp_path):
    """The user's click lies a few px off the sleeve end's centre (the real small squat's
    labeller: 2.5 px left of the bright end face). As the bar goes down, away from the
    camera, the end face shrinks (by 14 % on that clip, 27 % here) and the clicked point
    moves towards its centre with it: the click's offset from the fitted circle is
    scaled with the circle (kept in px it was 1.2 px off at the bottom)."""
    bg = _background(4)
    n = 60
    _t, x, y = squat_path(n, y0=140.0, depth=200.0)
    r = 22.0 - 6.0 * (y - y.min()) / (y.max() - y.min())
    off = np.array([-4.0, 2.0])
    px, py = x + off[0] * r / r[0], y + off[1] * r / r[0]
    frames = []
    for i in range(n):
        img = bg.copy()
        _circle(img, x[i], y[i], 1.25 * r[i], (70, 70, 75))
        _circle(img, x[i], y[i], r[i], (225, 225, 230))
        frames.append(img)
    path = tmp_path / "shrinking_end.mp4"
    write_clip(path, frames)
    tr = track(path, 0, (px[0], py[0]), target="bar_end")
    s = score(tr, px, py, 20.0)
    assert s["lost"] == 0 and s["max"] <= 0.5, s


def test_target_kind_is_stored_and_said(tmp_path):
    from app.cli.main import main

    path = tmp_path / "parallax.mp4"
    x, y = make_parallax(path, 0.16, n=40)
    out = tmp_path / "a.json"
    assert main(["analyze", str(path), "--seed", f"{x[0]:.1f},{y[0]:.1f}", "--json", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert doc["tracking"]["target"] == "plate"
    assert main(["analyze", str(path), "--seed", f"{x[0] + 1.5:.1f},{y[0] - 0.16 * 85:.1f}", "--target",
                 "bar_end", "--json", str(out)]) == 0
    assert json.loads(out.read_text())["tracking"]["target"] == "bar_end"
    assert main(["analyze", str(path), "--seed", "20,20", "--target", "plate"]) == 2
    tr = track(path, 0, (x[0], y[0]))
    back = Track.from_dict(json.loads(json.dumps(tr.to_dict())))
    assert back.target == "plate"


# -- a marker: static overlays, turning, the frame edge, camera motion, occluders -------

MARKER = 15.0  # half side of the marker (px); scored as a plate of this radius (6 px bound)


def _marker_sprite(half: float = MARKER, seed: int = 3, dark: int = 20, light: int = 235
                   ) -> tuple[np.ndarray, np.ndarray]:
    """A square fiducial: light border, dark field, a 4x4 random pattern (BGR, mask)."""
    side = int(2 * half)
    img = np.full((side, side, 3), light, np.uint8)
    b = max(2, side // 8)
    img[b:-b, b:-b] = dark
    cells = np.random.default_rng(seed).integers(0, 2, (4, 4))
    cells[0, 0], cells[3, 3] = 1, 0  # not symmetric under a quarter turn
    inner = side - 4 * b
    for (i, j), v in np.ndenumerate(cells):
        if v:
            y0, x0 = 2 * b + i * inner // 4, 2 * b + j * inner // 4
            img[y0:y0 + inner // 4, x0:x0 + inner // 4] = light
    return img, np.full((side, side), 255, np.uint8)


def paste_marker(img: np.ndarray, x: float, y: float, angle_deg: float,
                 contrast: tuple[int, int] = (20, 235)) -> None:
    sprite, mask = _marker_sprite(dark=contrast[0], light=contrast[1])
    c = (sprite.shape[1] - 1) / 2.0
    m = cv2.getRotationMatrix2D((c, c), angle_deg, 1.0)
    m[:, 2] += (x - c, y - c)
    h, w = img.shape[:2]
    warped = cv2.warpAffine(sprite, m, (w, h), flags=cv2.INTER_LINEAR)
    a = cv2.warpAffine(mask, m, (w, h), flags=cv2.INTER_LINEAR).astype(np.float32)[..., None] / 255
    img[:] = (img * (1 - a) + warped * a).astype(np.uint8)


def marker_path(n: int, x0: float = 300.0, y0: float = 140.0):
    """Two reps down 160 px and up again, then 70 px to the right (off its own trail)."""
    y, x = np.empty(n), np.empty(n)
    a = int(0.75 * n)
    ph = np.arange(a) / (a - 1)
    y[:a] = y0 + 160 * 0.5 * (1 - np.cos(4 * np.pi * ph))
    x[:a] = x0 + 4 * np.sin(2 * np.pi * ph)
    ph2 = np.arange(n - a) / max(n - a - 1, 1)
    x[a:] = x[a - 1] + 70 * ph2
    y[a:] = y0 + 12 * ph2
    return x, y


def make_marker_clip(path, n: int = 84, trail: bool = False, turn: float = 0.0,
                     path_xy=None, occluder: tuple[int, int] | None = None, camera=None,
                     plate: bool = True, contrast: tuple[int, int] = (20, 235)):
    """A marker on a plate; optional burned-in trail of another tool (drawn over the marker
    where it has been), a turn of ``turn`` degrees over the clip, a rack upright in front
    (x range), a camera shift per frame (dx, dy) applied to the whole picture."""
    x, y = marker_path(n) if path_xy is None else path_xy
    pad = 60
    bg = _background(2, (H + 2 * pad, W + 2 * pad))
    wobble = np.clip(np.random.default_rng(4).normal(0, 2.5, (n, 2)), -5, 5)
    frames = []
    for i in range(n):
        room = bg.copy()
        if plate:
            draw_plate(room, x[i] + pad - 20, y[i] + pad + 25, 70, None)
        paste_marker(room, x[i] + pad, y[i] + pad, -25 + turn * i / (n - 1), contrast)
        if occluder is not None:
            cv2.rectangle(room, (occluder[0] + pad, 0), (occluder[1] + pad, H + 2 * pad),
                          (60, 90, 120), -1)
        dx, dy = (0.0, 0.0) if camera is None else camera[i]
        m = np.float32([[1, 0, -pad + dx], [0, 1, -pad + dy]])
        img = cv2.warpAffine(room, m, (W, H), flags=cv2.INTER_LINEAR)
        if trail and i > 0:  # another tool's bar-path trail (its own jittery track), burned in
            pts = np.stack([x[:i + 1] + wobble[:i + 1, 0], y[:i + 1] + wobble[:i + 1, 1]], 1)
            if camera is not None:
                pts = pts + camera[:i + 1]
            cv2.polylines(img, [np.round(pts * SUB).astype(np.int32)], False, (30, 30, 220), 8,
                          cv2.LINE_AA, shift=4)
        frames.append(img)
    write_clip(path, frames)
    return x, y


def test_static_trail_is_not_adopted(tmp_path):
    """Another tool's trail is burned in along the marker's path; when the marker leaves it,
    the tracker stays on the marker (the trail does not move with it)."""
    path = tmp_path / "trail.mp4"
    x, y = make_marker_clip(path, trail=True)
    tr = track(path, 0, (x[0], y[0]))
    assert tr.target == "point"
    assert_within(score(tr, x, y, MARKER))


@pytest.mark.parametrize("trail", [False, True])
def test_marker_turning_90_degrees(tmp_path, trail):
    path = tmp_path / "turn.mp4"
    x, y = make_marker_clip(path, trail=trail, turn=90.0)
    tr = track(path, 0, (x[0], y[0]))
    assert_within(score(tr, x, y, MARKER))


def test_seed_at_the_frame_edge(tmp_path):
    """A seed 16 px from the right edge is followed from frame 0 as it moves in."""
    n = 60
    x = W - 16 - 120 * np.clip(np.arange(n) / 40, 0, 1) ** 2
    y = 240 + 40 * np.sin(np.arange(n) / 9)
    path = tmp_path / "edge.mp4"
    make_marker_clip(path, n=n, path_xy=(x, y), plate=False)
    tr = track(path, 0, (x[0], y[0]))
    s = score(tr, x, y, MARKER)
    assert_within(s)
    assert s["lost"] == 0


def test_occluder_frames_are_lost_not_invented(tmp_path):
    """A rack upright in front of the path: no frame behind it is given a wrong position
    with confidence. Frames mostly hidden (85 % or more) are lost or below the documented
    confidence; frames 60 % hidden are either that or still right (within 2 px); the
    frames in full view are tracked within the bounds."""
    from analysis.tracking.tracker import RELIABLE_CONFIDENCE

    n = 84
    path = tmp_path / "occluder.mp4"
    xs = 200 + 240 * np.arange(n) / (n - 1)  # across the upright at x 330-370
    ys = 240 + 30 * np.sin(np.arange(n) / 7)
    make_marker_clip(path, n=n, path_xy=(xs, ys), occluder=(330, 370))
    tr = track(path, 0, (xs[0], ys[0]))
    covered = np.clip(np.minimum(xs + MARKER, 370) - np.maximum(xs - MARKER, 330), 0, None)
    covered /= 2 * MARKER
    unreliable = (~np.isfinite(tr.x)) | (tr.confidence < RELIABLE_CONFIDENCE)
    err = np.hypot(tr.x - xs, tr.y - ys)
    assert unreliable[covered >= 0.85].all()
    half = np.flatnonzero(covered >= 0.6)
    assert (unreliable[half] | (err[half] <= 2.0)).all(), (err[half], tr.confidence[half])
    assert unreliable[covered >= 0.6].any()
    shown = np.flatnonzero(covered == 0)
    assert_within(score(tr, xs, ys, MARKER, shown))
    assert (~unreliable[shown[shown < 40]]).all(), "in full view before the upright: tracked"


def _shaky_camera(n: int, seed: int = 7) -> np.ndarray:
    """A hand-held camera: a 40 px pan and up to 12 px of shake (px per frame)."""
    rng = np.random.default_rng(seed)
    pan = np.stack([28 * np.clip(np.arange(n) / (n * 0.6), 0, 1), -12 * np.arange(n) / n], 1)
    shake = cv2.GaussianBlur(rng.normal(0, 9, (n, 2)), (1, 0), 1.5).reshape(n, 2)
    cam = pan + np.clip(shake, -12, 12)
    cam -= cam[0]
    return cam


def test_hand_held_camera_is_taken_out(tmp_path):
    """The camera pans and shakes by up to 40 px while the bar moves: the picture position
    follows the marker, and the position against the room has the camera taken out."""
    n = 84
    cam = _shaky_camera(n)
    assert np.abs(cam).max() <= 40
    path = tmp_path / "shaky.mp4"
    x, y = make_marker_clip(path, n=n, camera=cam)
    tr = track(path, 0, (x[0] + cam[0, 0], y[0] + cam[0, 1]))
    assert_within(score(tr, x + cam[:, 0], y + cam[:, 1], MARKER))  # in the picture
    rx, ry = tr.room_xy()
    room = Track(tr.t, rx, ry, tr.confidence, tr.state)
    s = score(room, x, y, MARKER)
    assert_within(s)
    assert any("camera moved" in n for n in tr.notes)
    off = track(path, 0, (x[0] + cam[0, 0], y[0] + cam[0, 1]), camera=False)
    assert off.camera_x is None
    np.testing.assert_allclose(off.room_xy()[0], off.x)


def test_camera_that_starts_moving_is_measured_every_frame(tmp_path):
    """A camera that stands still for over a second is measured only now and then; when it
    starts to sway (5 px, 0.4 s period), the frames skipped before are measured after all,
    so the frames where the motion starts are not filled in between two measurements
    (with every third frame measured and the others filled in, 1.1 px off). The sway
    changes most of the picture within a quarter of a second, but the background can be
    followed through it: it is measured as motion, not taken for a cut (that restarted
    the camera's chain and left the rest of the clip 2.5 px off)."""
    n = 84
    cam = np.zeros((n, 2))
    k = np.arange(n - 40)
    cam[40:] = np.stack([5 * np.sin(2 * np.pi * k / 12), 3 * (1 - np.cos(2 * np.pi * k / 12))], 1)
    path = tmp_path / "still-then-swaying.mp4"
    x, y = make_marker_clip(path, n=n, camera=cam)
    tr = track(path, 0, (x[0], y[0]))
    assert tr.camera_x is not None and tr.camera_y is not None
    err = np.hypot(tr.camera_x - cam[:, 0], tr.camera_y - cam[:, 1])
    assert err[:40].max() <= 0.5 and err[40:].max() <= 1.0, err.round(2)
    rx, ry = tr.room_xy()
    assert_within(score(Track(tr.t, rx, ry, tr.confidence, tr.state), x, y, MARKER))


def test_tripod_clip_is_unchanged_by_camera_compensation(tmp_path):
    path = tmp_path / "tripod.mp4"
    x, y = make_marker_clip(path, n=60)
    on = track(path, 0, (x[0], y[0]))
    off = track(path, 0, (x[0], y[0]), camera=False)
    np.testing.assert_array_equal(on.room_xy()[0], off.x)
    np.testing.assert_array_equal(on.room_xy()[1], off.y)
    assert not on.camera_moved and not any("camera" in n for n in on.notes)


# -- the reproducers of issue #12 (outside the repository; skipped without them) -------

# the parallax cases' labels are whole pixels, half a pixel off the centre of the drawn rim
# in x and in y (0.71 px): a click at the first label is moved to the rim's centre, and the
# track lies those 0.71 px off every label (it kept the click's offset before: 0.06 px)
CASES = [("parallax", 0.8), ("parallax_k0", 0.8), ("marker_trail_only", 1.0), ("marker_both", 1.0)]


@pytest.mark.realdata
@pytest.mark.parametrize("name,mean_px", CASES, ids=[c[0] for c in CASES])
def test_issue_reproducers(name, mean_px):
    """Seeded at the first label as their score_clip.py: at least 95 % of the labelled
    frames within 10 % of the plate diameter (at least 6 px), mean 3 px at most (this
    build: below ``mean_px``)."""
    from tests.conftest import shared_data_dir

    data = shared_data_dir()
    cases = data.parent / "cases" / "tracking" if data is not None else None
    if cases is None or not (cases / f"{name}.mp4").exists():
        pytest.skip("the tracking cases are not in ../shared/cases/tracking")
    labels = json.loads((cases / f"{name}.labels.json").read_text())["labels"]
    vis = [v for v in labels if v.get("visible", True)]
    tr = track(cases / f"{name}.mp4", int(vis[0]["frame"]), (vis[0]["x"], vis[0]["y"]))
    frames = np.array([int(v["frame"]) for v in vis[1:]])
    x = np.full(len(tr), np.nan)
    y = np.full(len(tr), np.nan)
    x[frames] = [v["x"] for v in vis[1:]]
    y[frames] = [v["y"] for v in vis[1:]]
    s = score(tr, x, y, float(vis[0]["r"]), frames)
    assert_within(s)
    assert s["lost"] == 0 and s["mean"] <= mean_px, s
    assert tr.target == ("plate" if name.startswith("parallax") else "point")


def test_a_cut_is_not_camera_motion(tmp_path):
    """A cut to a second camera (the same room seen 80 px further left and a little lower)
    is not the camera moving: the tripod clip's track stays as tracked."""
    n = 60
    path = tmp_path / "cut.mp4"
    jump = np.zeros((n, 2))
    jump[n // 2:] = (80.0, 30.0)
    x, y = make_marker_clip(path, n=n, camera=jump)
    on = track(path, 0, (x[0], y[0]))
    assert not on.camera_moved and not any("camera" in m for m in on.notes), on.notes
    lost = ~np.isfinite(on.x)
    assert lost[n // 2], "the cut itself is reported lost"
