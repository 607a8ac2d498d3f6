"""Past frames the tracker keeps (:mod:`analysis.tracking.kept`): cut down to what it can
still read, they give the very patches the whole frame gives, and a tracking pass lets the
decoder's pictures go instead of holding a history of them."""

from __future__ import annotations

import weakref

import numpy as np
import pytest

from analysis.synth.lift_clip import make_lift_clip
from analysis.synth.motion import LiftScript, RepSpec
from analysis.tracking import BarTracker
from analysis.tracking.kept import KeptFrame
from analysis.tracking.matching import patch

H, W = 360, 640


def _decoder_like_frame(seed: int = 0) -> np.ndarray:
    """A textured uint8 picture whose rows are padded, as a decoder's luma plane is."""
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, 256, (H, W + 32), dtype=np.uint8)
    return rows[:, :W]


@pytest.mark.parametrize("size", [(65, 65), (21, 21), (16, 9)])
def test_narrowed_frame_gives_the_whole_frames_patches(size):
    gray = _decoder_like_frame()
    rng = np.random.default_rng(1)
    # positions inside, at and past the picture's edges, with digits float32 rounds away
    centres = [(320.123456789, 180.987654321), (3.3, 2.7), (W - 1.6, H - 0.2), (-4.25, 50.5),
               (W + 3.1, H + 2.9), (1234.5678 % W, 17.000001)]
    centres += [tuple(p) for p in rng.uniform((-10, -10), (W + 10, H + 10), (40, 2))]
    for cx, cy in centres:
        for reach in (0.0, 4.0, 37.3):
            kept = KeptFrame(gray, np.array((cx, cy)))
            kept.narrow(reach, size)
            assert kept.whole or kept._img.size < gray.size  # noqa: SLF001 (the copy)
            offsets = rng.uniform(-reach, reach, (30, 2))
            corners = [(s * reach, t * reach) for s in (-1, 1) for t in (-1, 1)]
            for dx, dy in [*map(tuple, offsets), *corners, (0.0, 0.0)]:
                xy = (cx + dx, cy + dy)
                want = patch(gray, xy, size)
                got = kept.patch(xy, size)
                assert got.dtype == want.dtype == np.float32
                assert got.tobytes() == want.tobytes(), (cx, cy, reach, xy)


def test_narrowed_frame_lets_the_picture_go():
    gray = _decoder_like_frame()
    kept = KeptFrame(gray, np.array((300.5, 200.25)))
    assert kept.whole and np.shares_memory(kept._img, gray)  # noqa: SLF001
    kept.narrow(10.0, (33, 33))
    assert not kept.whole
    assert not np.shares_memory(kept._img, gray)  # noqa: SLF001
    # 33 + 2 * 10 px, one more column and row read by the bilinear step, 2 px of slack a side
    assert kept._img.shape == (58, 58)  # noqa: SLF001


def test_tracking_pass_lets_decoder_pictures_go(tmp_path, monkeypatch):
    """Frames behind the tracker stay alive only as long as the tracker may still read them
    whole: the last one kept, the last one kept for holds, the frame of the plate's last
    rim fit and the seed frame (before, its histories held every one of the last 10 frames
    and every 6th of the last 90). The camera watch is left out: while the camera stands
    still it keeps the frames it skips, to measure them if the camera turns out to have
    moved."""
    import analysis.tracking.tracker as tracker_module
    from analysis.video import VideoSource
    from analysis.video import source as source_module

    script = LiftScript(reps=(RepSpec(1.0, 0.3, 0.6, 0.4, 0.5),), setup=0.5, end_idle=0.8)
    path = tmp_path / "lift.mp4"
    truth = make_lift_clip(path, script, size=(640, 360), px_per_m=300.0)
    alive: dict[int, int] = {}
    behind: list[list[int]] = []
    gray_of = source_module.VideoSource._gray
    step = tracker_module.BarTracker._step

    def counted_gray(self, av_frame, copy=True):
        img = gray_of(self, av_frame, copy)
        key, n = id(img), self._frame_number(av_frame)
        alive[key] = n
        weakref.finalize(img, alive.pop, key, None)
        return img

    def watched_step(self, st, track, n, *args, **kwargs):
        behind.append(sorted(k for k in alive.values() if k is not None and 0 < k < n))
        return step(self, st, track, n, *args, **kwargs)

    monkeypatch.setattr(source_module.VideoSource, "_gray", counted_gray)
    monkeypatch.setattr(tracker_module.BarTracker, "_step", watched_step)
    with VideoSource(str(path)) as src:
        tr = BarTracker().track(src, 0, (truth.x[0], truth.y[0]), camera=False)
    assert np.isfinite(tr.x).all()
    assert len(behind) == len(truth.x) - 1
    most = max(behind, key=len)
    assert len(most) <= 3, most
