"""Which frames of a tracked clip the plate is measured on: frames where the plate stands
far apart (the room blurs away in their median, the plate does not) and frames where it
stands still (sharp: a plate moving fast is smeared along its path)."""

from __future__ import annotations

import numpy as np

STILL_SHARE = 0.5  # the plate is measured again on this share of the frames, the stillest
STILL_PX = 1.0  # px per frame: a tracked point moving less than this counts as still


def spread_frames(centres: dict[int, tuple[float, float]], count: int) -> list[int]:
    """Up to ``count`` frames whose plate positions lie far apart (the room blurs away
    in their median, the plate does not); frames evenly spaced in time fill up when
    the plate hardly moves."""
    keys = sorted(centres)
    pool = [keys[int(i)] for i in np.unique(np.linspace(0, len(keys) - 1,
                                                        min(len(keys), 240)).astype(int))]
    xy = np.array([centres[n] for n in pool], float)
    chosen = [0]
    dist = np.hypot(*(xy - xy[0]).T)
    while len(chosen) < min(count, len(pool)) and dist.max() >= 2.0:
        i = int(np.argmax(dist))
        chosen.append(i)
        dist = np.minimum(dist, np.hypot(*(xy - xy[i]).T))
    even = np.linspace(0, len(pool) - 1, min(count, len(pool))).astype(int)
    for i in even:
        if len(chosen) >= min(count, len(pool)):
            break
        if int(i) not in chosen:
            chosen.append(int(i))
    return sorted(pool[i] for i in chosen)


def still_frames(centres: dict[int, tuple[float, float]], share: float = STILL_SHARE
                 ) -> dict[int, tuple[float, float]]:
    """The frames of ``centres`` (frame -> tracked point, px) where the tracked point
    moves least: the ``share`` of them with the lowest speed (px per frame, over the
    tracked frames 2 either side), at least all those moving under ``STILL_PX`` px per
    frame. A plate moving fast is smeared along its path on the picture (the shutter
    stays open while it moves: 5-10 px a frame mid-rep on the real 60 fps squat), its
    rim edges fade where they cross the motion, and an inner ring stays the sharpest
    circle; on still frames every ring is sharp."""
    keys = np.array(sorted(centres))
    if len(keys) < 3:
        return dict(centres)
    xy = np.array([centres[int(n)] for n in keys], float)
    # over +-2 tracked frames: a point clicked or tracked jitters by a px or so
    i = np.arange(len(keys))
    a, b = np.maximum(i - 2, 0), np.minimum(i + 2, len(keys) - 1)
    speed = np.hypot(*(xy[b] - xy[a]).T) / (keys[b] - keys[a])
    limit = max(float(np.quantile(speed, share)), STILL_PX)
    return {int(n): centres[int(n)] for n, v in zip(keys, speed, strict=True) if v <= limit}
