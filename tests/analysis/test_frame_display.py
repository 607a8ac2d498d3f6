"""Frames served from the cache are converted to BGR only when their full picture is used;
a view showing them smaller scales the I420 planes first (``display_bgr``), with the
same picture as scaling the converted frame."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from analysis.video.frames import CachedFrame, Frame, PackedFrame, display_bgr


def _i420(w: int, h: int, seed: int = 0, blur: int = 0) -> np.ndarray:
    """A colourful picture (discs with hard edges, fine noise; softened by a ``blur``
    px Gaussian when given) as I420 ``(h*3/2, w)``."""
    rng = np.random.default_rng(seed)
    bgr = np.zeros((h, w, 3), np.uint8)
    for _ in range(40):
        x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
        r = int(rng.integers(5, max(6, w // 6)))
        colour = tuple(int(c) for c in rng.integers(0, 256, 3))
        cv2.circle(bgr, (x, y), r, colour, -1)
    bgr = cv2.add(bgr, rng.integers(0, 4, bgr.shape, dtype=np.uint8))
    if blur:
        bgr = cv2.GaussianBlur(bgr, (0, 0), blur)
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2YUV_I420)


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_cached_frame_is_the_converted_frame(rotation: int) -> None:
    data = _i420(320, 240)
    packed = PackedFrame(7, 0.25, data, 240, rotation, True)
    cached = packed.to_frame()
    assert isinstance(cached, CachedFrame) and not cached.converted
    plain = Frame(7, 0.25, packed.to_bgr())
    assert cached.size == plain.size == ((240, 320) if rotation in (90, 270) else (320, 240))
    assert not cached.converted  # its size is known without converting
    assert np.array_equal(cached.image, plain.image) and cached.converted
    assert (cached.index, cached.time) == (7, 0.25)


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
@pytest.mark.parametrize("shown", [0.47, 0.36, 0.2, 0.8, 0.123])
def test_display_size_from_the_planes_matches_the_converted_picture(rotation: int,
                                                                    shown: float) -> None:
    w, h = 1280, 720
    dw, dh = (h, w) if rotation in (90, 270) else (w, h)
    size = (max(1, round(dw * shown)), max(1, round(dh * shown)))
    for blur in (0, 6):
        packed = PackedFrame(0, 0.0, _i420(w, h, seed=3, blur=blur), h, rotation, True)
        cached = CachedFrame(packed)
        small = display_bgr(cached, size)
        assert not cached.converted  # the full picture was never made
        assert small.shape == (size[1], size[0], 3) and small.dtype == np.uint8
        ref = display_bgr(Frame(0, 0.0, packed.to_bgr()), size)
        diff = np.abs(small.astype(int) - ref.astype(int))
        if blur == 0:
            # hard colour edges alias differently when the chroma is scaled before the
            # conversion (smoothly, not as 2x2 blocks); a U/V swap differs by ~60
            assert diff.mean() < 5.0 and np.percentile(diff, 99) < 60
        else:
            # brightness of a soft picture: within a fraction of a grey level (one pixel
            # of shift differs by 0.8-5 grey levels on average at these sizes)
            g = np.abs(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY).astype(int)
                       - cv2.cvtColor(ref, cv2.COLOR_BGR2GRAY).astype(int))
            assert g.mean() < (0.3 if shown >= 0.2 else 1.0) and np.percentile(g, 99) <= 8


def test_display_of_an_odd_sized_or_bgr_frame_uses_the_picture() -> None:
    bgr = cv2.cvtColor(_i420(322, 242), cv2.COLOR_YUV2BGR_I420)[:241, :321]
    packed = PackedFrame(0, 0.0, np.ascontiguousarray(bgr), 241, 0, False)
    cached = CachedFrame(packed)
    out = display_bgr(cached, (100, 75))
    assert out.shape == (75, 100, 3)
    assert np.array_equal(out, display_bgr(Frame(0, 0.0, bgr), (100, 75)))
