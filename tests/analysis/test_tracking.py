"""The bar tracker on generated clips with known plate motion, and on the hand-labelled
real squat clip."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.synth.barcode import vfr_times
from analysis.synth.encode import ClipWriter
from analysis.synth.lift_clip import make_lift_clip, plate_sprite, render_clip
from analysis.synth.motion import LiftScript, RepSpec
from analysis.tracking import STATE_ANCHOR, STATE_LOST, BarTracker, Track
from analysis.video import VideoSource

SCRIPT = LiftScript(reps=(RepSpec(1.0, 0.3, 0.6, 0.4, 0.5),
                          RepSpec(1.0, 0.3, 0.7, 0.4, 0.5, hold_at=0.4, hold=1.0)),
                    setup=0.5, end_idle=0.5)

CASES = {
    "clean": dict(noise=0.0),
    "noise_blur_compression": dict(noise=3.0, blur_subframes=3, crf=28),
    "vfr": dict(times=vfr_times(170, 30.0)),
    "rotated": dict(rotation=90),
}


@pytest.fixture(scope="module", params=sorted(CASES))
def clip(request, tmp_path_factory):
    path = tmp_path_factory.mktemp("track") / f"{request.param}.mp4"
    truth = make_lift_clip(path, SCRIPT, size=(640, 360), px_per_m=300.0, **CASES[request.param])
    return path, truth


def test_tracks_known_motion_within_a_pixel(clip):
    path, truth = clip
    with VideoSource(str(path)) as src:
        n = src.frame_count
        assert n == len(truth.x)
        seed = n // 2  # forward and backward from the middle
        tr = BarTracker().track(src, seed, (truth.x[seed], truth.y[seed]))
    err = np.hypot(tr.x - truth.x, tr.y - truth.y)
    assert np.isfinite(err).all(), "no frame may be lost on a clean generated lift"
    assert np.sqrt(np.mean(err ** 2)) <= 1.0
    assert tr.state[seed] == STATE_ANCHOR
    np.testing.assert_allclose(tr.t, VideoSource(str(path)).index.times)


def test_progress_partial_and_cancel(clip):
    from analysis.video.source import Cancelled

    path, truth = clip
    calls, partials = [], []
    with VideoSource(str(path)) as src:
        BarTracker().track(src, 0, (truth.x[0], truth.y[0]), progress=lambda d, t: calls.append((d, t)),
                           partial=partials.append)
        assert calls[-1][0] == calls[-1][1] == src.frame_count
        assert partials and isinstance(partials[-1], Track)
        with pytest.raises(Cancelled):
            BarTracker().track(src, 0, (truth.x[0], truth.y[0]), cancel=lambda: True)


def test_lost_target_is_reported_not_invented(tmp_path):
    """The plate is hidden for a second (an occlusion / cut): those frames are lost,
    and the tracker finds the plate again afterwards."""
    fps, n = 30.0, 120
    t = np.arange(n) / fps
    x = 320 + 40 * np.sin(t * 2)
    y = 180 + 60 * np.cos(t * 1.5)
    path = tmp_path / "cut.mp4"
    full = tmp_path / "full.mp4"
    render_clip(full, t, x, y, size=(640, 360), plate_diameter_px=110, noise=1.0, seed=2)
    hidden = set(range(50, 80))
    with VideoSource(str(full)) as src, ClipWriter(path, 640, 360, fps=fps) as out:
        rng = np.random.default_rng(5)
        blank = rng.integers(0, 255, (360, 640, 3), dtype=np.uint8)
        for f in src.frames():
            out.write(blank if f.index in hidden else f.image, f.time)
    with VideoSource(str(path)) as src:
        tr = BarTracker().track(src, 0, (x[0], y[0]))
    lost = np.flatnonzero(tr.state == STATE_LOST)
    assert set(lost) >= set(range(52, 78)), "the hidden frames must be reported lost"
    assert set(lost) <= hidden | {80, 81, 82}, "visible frames must not be given up"
    assert np.isnan(tr.x[list(hidden)][2:-2]).all()
    back = np.arange(83, n)
    err = np.hypot(tr.x[back] - x[back], tr.y[back] - y[back])
    assert np.nanmax(err) < 1.5 and np.isfinite(err).all()


def test_anchors_are_kept_and_tracking_resumes_from_them(clip):
    path, truth = clip
    with VideoSource(str(path)) as src:
        tr = BarTracker().track(src, 0, (truth.x[0], truth.y[0]))
        n = 60
        moved = (truth.x[n] + 0.3, truth.y[n] - 0.3)
        tr2 = BarTracker().track(src, n, moved, anchors={**tr.anchors(), n: moved}, base=tr)
    assert (tr2.x[n], tr2.y[n]) == moved and tr2.state[n] == STATE_ANCHOR
    assert tr2.state[0] == STATE_ANCHOR  # the first seed is still an anchor
    err = np.hypot(tr2.x - truth.x, tr2.y - truth.y)
    assert np.nanmax(err) < 2.0


def test_track_round_trip():
    tr = Track.empty(np.arange(5) / 30)
    tr.set(1, 10.5, 20.25, 0.9, 1)
    tr.mark_lost(3)
    back = Track.from_dict(tr.to_dict())
    np.testing.assert_array_equal(back.state, tr.state)
    assert back.x[1] == 10.5 and np.isnan(back.x[3])
    with pytest.raises(ValueError):
        Track.from_dict({"t": [0, 1], "x": [1]})


def test_plate_sprite_is_a_disc():
    s = plate_sprite(100)
    assert s.shape[2] == 4 and s[52, 52, 3] == 255 and s[1, 1, 3] == 0


def _title_card(w: int, h: int) -> np.ndarray:
    """A broadcast-style title card: a blue gradient, a logo with rings, and text."""
    import cv2

    ramp = np.linspace(60, 200, w, dtype=np.float32)[None, :, None]
    card = np.broadcast_to(ramp * np.array([1.0, 0.6, 0.25], np.float32), (h, w, 3)).copy()
    card = card.astype(np.uint8)
    cv2.putText(card, "BODY LIFT TV", (60, 170), cv2.FONT_HERSHEY_SIMPLEX, 2.2, (255, 255, 255), 6)
    for cx in (150, 330):
        cv2.circle(card, (cx, 110), 26, (230, 230, 230), 5)
        cv2.circle(card, (cx, 110), 9, (40, 40, 40), -1)
    return card


def test_title_card_dissolve_and_cuts_are_reported_lost(tmp_path):
    """An edited clip: a title card dissolves into the lift, the lift cuts away to a
    close-up and back. Tracking from a click on the lift must report the title card,
    the dissolve and the cut-away as lost instead of following the logo, and pick the
    plate up again after the cut back."""
    fps, w, h = 30.0, 640, 360
    n_lift = 100
    t = np.arange(n_lift) / fps
    x = 320 + 30 * np.sin(t * 2)
    y = 200 + 70 * np.cos(t * 1.8)
    lift = tmp_path / "lift.mp4"
    render_clip(lift, t, x, y, size=(w, h), plate_diameter_px=110, noise=1.5, seed=4)
    with VideoSource(str(lift)) as src:
        frames = [f.image for f in src.frames()]
    card = _title_card(w, h)
    rng = np.random.default_rng(9)
    closeup = np.kron(rng.integers(30, 220, (9, 16, 3)), np.ones((40, 40, 1))).astype(np.uint8)
    title, dissolve, cut = 40, 10, range(55, 75)
    out_frames, truth = [], []
    for _ in range(title):
        out_frames.append(card)
        truth.append(None)
    for k in range(dissolve):
        a = (k + 1) / (dissolve + 1)
        out_frames.append((card * (1 - a) + frames[0] * a).astype(np.uint8))
        truth.append(None)
    for i, img in enumerate(frames):
        out_frames.append(closeup if i in cut else img)
        truth.append(None if i in cut else (x[i], y[i]))
    path = tmp_path / "edited.mp4"
    with ClipWriter(path, w, h, fps=fps) as out:
        for k, img in enumerate(out_frames):
            out.write(img, k / fps)
    seed_at = title + dissolve + 30
    with VideoSource(str(path)) as src:
        tr = BarTracker().track(src, seed_at, truth[seed_at])
    lost = set(np.flatnonzero(tr.state == STATE_LOST).tolist())
    assert set(range(title)) <= lost, "the title card is not the bar"
    hidden = {title + dissolve + i for i in cut}
    assert hidden <= lost, "the cut-away must be reported lost"
    shown = [k for k, p in enumerate(truth) if p is not None]
    tracked = [k for k in shown if k not in lost]
    assert len(shown) - len(tracked) <= 4, "at most a few frames after the cut back stay lost"
    err = np.hypot(tr.x[tracked] - [truth[k][0] for k in tracked],
                   tr.y[tracked] - [truth[k][1] for k in tracked])
    assert err.max() < 2.0
    # the dissolve: no position may sit on the logo
    for k in range(title, title + dissolve):
        if k not in lost:
            assert abs(tr.y[k] - y[0]) < 5 and abs(tr.x[k] - x[0]) < 5


def test_scene_watch_on_cuts_fades_and_a_steady_shot():
    from analysis.tracking.scene import SceneWatch

    rng = np.random.default_rng(1)
    shot = rng.integers(0, 255, (90, 160), dtype=np.uint8)
    shot = np.kron(shot[::10, ::10], np.ones((10, 10), np.uint8))  # large structures
    other = np.ascontiguousarray(shot[::-1, ::-1])
    watch = SceneWatch(30.0)
    steady = [watch.observe(np.clip(shot.astype(int) + rng.normal(0, 6, shot.shape), 0, 255)
                            .astype(np.uint8)) for _ in range(20)]
    assert not any(v.changed for v in steady) and all(v.settled for v in steady)
    brighter = watch.observe(np.clip(shot.astype(int) + 40, 0, 255).astype(np.uint8))
    assert not brighter.changed, "an exposure change is not a scene change"
    banner = shot.copy()
    banner[60:, :] = 240  # a caption band over the bottom third
    assert not watch.observe(banner).changed, "a caption over part of the picture is not a cut"
    watch.observe(shot)
    assert watch.observe(other).changed, "a hard cut"
    assert watch.observe(np.full_like(shot, 3)).changed, "a fade to black"


def test_scene_thumbnails_made_together_are_each_frames_own():
    """The decoding thread makes the scene thumbnails of several frames at once: each must
    be exactly its own frame's (nothing of a neighbour in the batch), blank and flat
    frames included, and frames of another size than the batch's others."""
    import cv2

    from analysis.tracking.scene import SceneWatch, thumbnail, thumbnails

    rng = np.random.default_rng(3)
    big = cv2.normalize(cv2.GaussianBlur(rng.integers(0, 255, (1080, 1920), dtype=np.uint8),
                                         (0, 0), 8), None, 0, 255, cv2.NORM_MINMAX)
    frames = [
        big,
        np.ascontiguousarray(big[::-1]),
        np.full((1080, 1920), 3, np.uint8),  # a fade to black
        np.kron(rng.integers(0, 255, (9, 16), dtype=np.uint8), np.ones((10, 10), np.uint8)),
        cv2.normalize(big, None, 100, 110, cv2.NORM_MINMAX),  # a flat, dim picture
        big[100:700, 200:1300],  # a view of part of a frame
    ]
    together = thumbnails(frames)
    assert len(together) == len(frames)
    for frame, made in zip(frames, together, strict=True):
        alone = thumbnail(frame)
        assert made.blank == alone.blank and made.any_flat == alone.any_flat
        for name in ("whole", "z", "level", "flat"):
            assert np.array_equal(getattr(made, name), getattr(alone, name)), name
    assert together[2].blank and not together[0].blank
    assert not np.array_equal(together[0].z, together[1].z)
    one, two = SceneWatch(30.0), SceneWatch(30.0)
    for frame, made in zip(frames, together, strict=True):
        assert one.observe(frame) == two.observe(frame, made)
    assert thumbnails([]) == []


def test_cut_away_to_a_textured_scene_and_back(tmp_path):
    """A fade to black, a cut to a scene without the plate, a cut back: the other scene
    is reported lost (nothing in its texture is taken for the bar), and the plate is
    picked up again after the cut back instead of a patch learned during the change."""
    import cv2

    rng = np.random.default_rng(0)
    w, h = 640, 360

    def texture() -> np.ndarray:
        t = cv2.GaussianBlur(rng.integers(0, 255, (h, w), dtype=np.uint8), (0, 0), 6)
        return cv2.normalize(t, None, 60, 200, cv2.NORM_MINMAX)

    scene_a, scene_b = texture(), texture()
    truth = []
    path = tmp_path / "cutaway.mp4"
    with ClipWriter(path, w, h, fps=30.0) as out:
        for i in range(140):
            y = 180 + 80 * np.sin(i / 10)
            if 40 <= i < 50:
                img, pos = np.full((h, w), 16, np.uint8), None  # fade to black
            elif 80 <= i < 100:
                img, pos = scene_b, None  # cut away
            else:
                img = scene_a.copy()
                cv2.circle(img, (320, int(y)), 40, 30, -1)
                cv2.circle(img, (320, int(y)), 10, 220, -1)
                pos = (320.0, float(int(y)))
            truth.append(pos)
            out.write(cv2.cvtColor(img, cv2.COLOR_GRAY2BGR), i / 30.0)
    with VideoSource(str(path)) as src:
        tr = BarTracker().track(src, 20, truth[20])
    lost = set(np.flatnonzero(~np.isfinite(tr.y)).tolist())
    assert set(range(40, 50)) <= lost and set(range(80, 100)) <= lost
    back = [i for i in range(100, 140) if i not in lost]
    assert len(back) >= 36, "the plate is picked up again right after the cut back"
    err = [abs(tr.y[i] - truth[i][1]) for i in back]
    assert max(err) < 2.0
