"""Metres per pixel: from the plate's circle measured over many frames, or from a line
of known length. Says where the scale came from, and warns when the plate looks like
an ellipse (the camera is not square to the bar, so velocity and ROM drift).
"""

from __future__ import annotations

import cv2
import numpy as np

from analysis.calibration.rim_check import OFF_RIM_SHARE, off_rim_certainty, on_rim
from analysis.calibration.stack_stats import colour_distance, median0, percentile0
from analysis.calibration.plate_rim import (
    ANGLES,
    RAYS,
    RimFit,
    edge_points,
    ellipse_along_rays,
    ellipse_radii,
    find_rim,
    fit_rim,
    gradients_near,
    outer_ring,
    plate_sizes,
    polar,
    rim_points,
    support,
)
from analysis.calibration.centre import centred, from_starts
from analysis.calibration.errors import PlateNotMeasured
from analysis.calibration.verdict import NO_RIM, RESCALE_SPREAD, certainty, ellipse_warning
from analysis.session.calibration import Calibration
from analysis.tracking.circle import fit_circle_points
from analysis.video.source import VideoSource

PLATE_PRESETS_MM = (450.0, 445.0, 425.0)
CONSISTENT_SPREAD = 3.0  # robust SDs above the typical distance: a frame off the plate
SHIFT_SHARE = 0.08  # a frame's rim may lie this share of the radius off the median's centre
NEAR = 0.3  # the consistency of frames is judged on radii up to this share of the largest
OUTER_GAP = 0.1  # and a ring found then this much larger than the first one is the rim
STILL_SHARE = 0.5  # the plate is measured first on this share of the frames, the stillest
STILL_PX = 1.0  # px per frame: a tracked point moving less than this counts as still
STILL_GAP = 0.06  # a rim found on the still frames this much larger than on all is the rim
START_SHARE = 0.002  # the rim is measured again from starts this share of the short side off


def from_line(length_px: float, length_mm: float) -> Calibration:
    """Scale from a drawn line of known real length."""
    if not length_px > 0 or not length_mm > 0:
        raise ValueError("the line and its real length must both be longer than zero")
    return Calibration(length_mm / 1000.0 / length_px, f"a line of {length_mm:g} mm",
                       float(length_px))


def _colour_frames(source: VideoSource, frames: list[int]) -> dict[int, np.ndarray]:
    """The BGR pictures (float32) of ``frames``, each keyframe group decoded once."""
    by_group: dict[int, set[int]] = {}
    for n in frames:
        by_group.setdefault(source.index.group_of(n), set()).add(n)
    out = {}
    for g, want in sorted(by_group.items()):
        for n, picture in source.iter_group_raw(g, stop=max(want) + 1):
            if n in want:  # only the pictures wanted are converted
                out[n] = source.pack(picture, n).to_bgr().astype(np.float32)
    return out


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


def measure_plate(source: VideoSource, centres: dict[int, tuple[float, float]],
                  plate_mm: float = 450.0, frames: int = 24) -> Calibration:
    """Measure the plate's OUTER rim around the tracked centre on up to ``frames`` frames.

    The method (see :mod:`analysis.calibration.plate_rim`): frames where the plate
    stands far apart are sampled on rays around the tracked point (corrected to the
    plate's centre); frames that look unlike the others around the tracked point
    (the track slipped off the plate's centre on them) are left out
    (:func:`_consistent`); the per-pixel median keeps the plate and blurs the room; among
    the rings it shows (rim, inner ring, rim band, lettering, hub), all concentric
    ellipses of one shape, the outermost seen on at least
    :data:`~analysis.calibration.plate_rim.RING_SUPPORT` of the rays is the rim. The
    rim is then fitted with an ellipse on every frame alone; the diameter is the
    median major axis, the spread (robust standard deviation over frames, %) says
    how sure it is, and the median axis ratio judges the camera angle.

    The frames far apart are mostly those where the plate moves fastest, smeared by
    its motion; the same search runs on the stillest frames (:func:`still_frames`),
    and a rim found there more than ``STILL_GAP`` larger, or found only there, is the
    rim (on the real 60 fps squat filmed upright the frames far apart showed no rim).
    When neither shows one, the strongest circle is measured and said to be unsure.

    A tracked point off the plate's centre (a click on its face, a marker) is first
    moved onto it where the frames' own rim fits agree on one
    (:func:`~analysis.calibration.centre.centred`), and the rim is measured from three
    starts a pixel or so apart (:func:`~analysis.calibration.centre.from_starts`, which
    also gives the calibration's ``scale_sd_pct``).

    Parameters
    ----------
    centres : dict
        Frame number -> plate centre or bar end (px), e.g. from the bar track.
    plate_mm : float
        The plate's outer diameter (mm).

    Raises
    ------
    ValueError
        When no frame shows a clear plate rim.
    """
    if not centres:
        raise PlateNotMeasured("track the plate first: the measurement follows its centre")
    short = min(source.index.width, source.index.height)
    r_min, r_max = 0.06 * short, 0.5 * short
    images: dict[int, np.ndarray] = {}
    found: list[Calibration] = []
    still = still_frames(centres)
    picks = [spread_frames(pool, frames)
             for pool in ((centres, still) if len(still) < len(centres) else (centres,))]
    images.update(_colour_frames(source, sorted({n for pick in picks for n in pick})))
    for pick in picks:  # the frames of both decoded in one pass
        used = [n for n in pick if n in images]
        if not used:
            continue
        try:
            found.append(from_starts(
                lambda at, used=used: _outer_rim(images, at, used, r_min, r_max, plate_mm),
                centred(images, centres, used, r_min, r_max), max(1.0, START_SHARE * short)))
        except ValueError:
            pass
    if found:
        # the frames where the plate stands far apart are mostly frames where it moves
        # fast; smeared along its path, its rim may fade there and an inner ring be the
        # outermost one left sharp: a ring found on the still frames clearly outside
        # the one found on them is the rim
        return max(found, key=lambda c: c.reference_px) if len(found) == 2 and \
            found[1].reference_px > (1 + STILL_GAP) * found[0].reference_px else found[0]
    # the plate's rings could not be told apart from the room (the tracked point
    # drifts on the plate, the plate spins or the light changes): the strongest
    # circle, as before, said to be unsure
    keys = sorted(centres)
    even = [keys[int(i)] for i in np.linspace(0, len(keys) - 1, min(frames, len(keys)))]
    images.update(_colour_frames(source, [n for n in even if n not in images]))
    return _strongest_circle(images, centres, [n for n in even if n in images], r_min,
                             r_max, plate_mm)


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


def _outer_rim(images: dict[int, np.ndarray], centres: dict[int, tuple[float, float]],
               used: list[int], r_min: float, r_max: float, plate_mm: float) -> Calibration:
    """The outer-rim measurement of :func:`measure_plate` (ValueError: no rim).

    The plate's picture grows and shrinks as it moves nearer to the camera and away
    (filmed low and close, a deadlift's plate is 9 % smaller at lockout than on the
    floor): in the median over frames its rim, the largest ring, is smeared most and an
    inner ring may be the outermost one left sharp (the 133 px ring of the real deadlift
    clip's 245 px plate). So each frame's size is measured too, from the profile of all
    the plate's rings (:func:`~analysis.calibration.plate_rim.plate_sizes`); when the
    sizes differ by more than ``RESCALE_SPREAD``, each frame is also sampled at radii
    scaled by its size, which keeps every ring sharp in the median, and a ring found
    there more than ``OUTER_GAP`` outside the first one is the rim: its diameter is
    taken on each frame at the plate's median size (their spread says how sure the
    measurement is), and the certainty says how much the size changes (one scale is
    exact only at the median size)."""
    radii = np.arange(0.65 * r_min, 1.1 * r_max, 0.5, dtype=np.float32)
    found = plate_sizes([images[n] for n in used], [centres[n] for n in used],
                        0.65 * r_min, 1.1 * r_max)
    varies = float(np.percentile(found, 90) / np.percentile(found, 10)) > 1 + RESCALE_SPREAD
    try:
        ring, fits = _ring_on_frames(images, centres, used, radii, {}, r_min, r_max)
    except ValueError:
        if not varies:
            raise
        ring, fits = None, []
    size: dict[int, float] = {}
    if varies:
        # sharpened by each frame's size, the median may show a ring clearly outside
        # the one found: that is the rim
        scaled = {n: float(k) for n, k in zip(used, found, strict=True)}
        try:
            outer, outer_fits = _ring_on_frames(images, centres, used, radii, scaled, r_min,
                                                r_max)
        except ValueError:
            outer = None
        if outer is not None and (ring is None or outer.major > (1 + OUTER_GAP) * ring.major):
            fits, size = outer_fits, scaled
    if not fits:
        raise PlateNotMeasured(NO_RIM)
    # each frame's diameter at the plate's median size; a frame off it by more than 2 %
    # is one whose fit slipped (onto another ring)
    at_median = np.array([f.major / size.get(f.frame, 1.0) for f in fits])
    keep = np.abs(at_median / np.median(at_median) - 1) <= 0.02
    fits = [f for f, k in zip(fits, keep, strict=True) if k]
    diameters = at_median[keep]
    d = float(np.median(diameters))
    spread = float(1.4826 * np.median(np.abs(diameters - d)) / d * 100) if len(fits) > 1 \
        else float("nan")
    ratio = float(np.median([f.ratio for f in fits]))
    warning = ellipse_warning(ratio)
    # the circle shown: the median one of the fits on the plate's rim (one colour just
    # inside): a fit that slipped onto the room's edges drew the circle outside the rim
    order = [int(i) for i in np.argsort(diameters)]
    on = [i for i in order if on_rim(images[fits[i].frame], fits[i])]
    typical = fits[(on or order)[len(on or order) // 2]]
    if size:
        # a plate whose size changes: the frame shown is one where it is at its median
        # size, where the scale is exact and the circle drawn is the reference measured
        # (the median diameter's frame could be one 2 % larger, the circle drawn there
        # then the frame's own size, not the one the scale was taken at)
        typical = fits[min(on or order, key=lambda i: (
            round(abs(np.log(size[fits[i].frame])), 3), abs(diameters[i] / d - 1)))]
    how = certainty(len(fits), spread)
    if not how.startswith("unsure") and len(fits) - len(on) > OFF_RIM_SHARE * len(fits):
        how = off_rim_certainty(fits, on, spread)
    spread_text = f", spread {spread:.1f} %" if np.isfinite(spread) else ""
    if size:
        sizes = np.array([size[f.frame] for f in fits])
        change = (float(np.max(sizes) / np.min(sizes)) - 1) * 100
        spread_text += f" at its median size (it changes by {change:.0f} %)"
        how = certainty(len(fits), spread, change)
    return Calibration(plate_mm / 1000.0 / d,
                       f"plate {plate_mm:g} mm measured on {len(fits)} frames{spread_text}",
                       d, ratio, len(fits), warning,
                       (float(typical.frame), typical.cx, typical.cy,
                        d / 2 * size.get(typical.frame, 1.0)),
                       spread_pct=round(spread, 3) if np.isfinite(spread) else None,
                       certainty=how)


def _ring_on_frames(images: dict[int, np.ndarray], centres: dict[int, tuple[float, float]],
                    used: list[int], radii: np.ndarray, size: dict[int, float], r_min: float,
                    r_max: float) -> tuple[RimFit, list[RimFit]]:
    """The outermost ring of the median (:func:`_median_ring`) and its fit on every frame
    that looks like the others (:func:`_frame_fits`). ValueError when no ring is seen."""
    ring, dx, dy, kept = _median_ring(images, centres, used, radii, size, r_min, r_max)
    return ring, _frame_fits(images, centres, kept, radii, ring, dx, dy, size)


def _median_ring(images: dict[int, np.ndarray], centres: dict[int, tuple[float, float]],
                 used: list[int], radii: np.ndarray, size: dict[int, float], r_min: float,
                 r_max: float) -> tuple[RimFit, float, float, list[int]]:
    """The outermost ring in the per-pixel median of the frames ``used`` around the
    tracked points, each frame sampled at ``radii`` times its ``size`` (1 when not
    given): the ring (in the median's radii), the plate centre's offset from the
    tracked point (dx, dy px, at size 1) and the frames that look alike
    (:func:`_consistent`). ValueError when no ring is seen."""
    dx = dy = 0.0  # tracked point -> plate centre: every ring of the plate is concentric
    fit: RimFit | None = None
    same = np.ones(len(used), bool)
    for tol in (0.04, 0.02, 0.015):  # each pass starts from the centre just found
        stack = [polar(images[n], centres[n][0] + dx * size.get(n, 1.0),
                       centres[n][1] + dy * size.get(n, 1.0), radii * size.get(n, 1.0))
                 for n in used]
        samples = np.stack([s for s, _ in stack])
        same = _consistent(samples, radii <= NEAR * r_max)
        samples = samples[same]
        med = median0(samples)
        inside = np.mean(np.stack([m for (_, m), k in zip(stack, same, strict=True) if k]),
                         axis=0) >= 0.5
        change, calm = _change(samples, med)
        ray, r, _s = edge_points(med, inside, radii, change=change, calm=calm)
        fit = outer_ring(ray, r, np.ones(RAYS, bool), r_min, r_max, tol, samples=med,
                         radii=radii)
        if fit is None:
            raise PlateNotMeasured(NO_RIM)
        dx, dy = dx + fit.cx, dy + fit.cy
    assert fit is not None
    return fit, dx, dy, [n for n, k in zip(used, same, strict=True) if k]


def _frame_fits(images: dict[int, np.ndarray], centres: dict[int, tuple[float, float]],
                frames: list[int], radii: np.ndarray, ring: RimFit, dx: float, dy: float,
                size: dict[int, float]) -> list[RimFit]:
    """``ring`` (times each frame's ``size``) fitted on every frame alone around the
    tracked point moved by (dx, dy); frames where it is not found, or found far from
    where the tracked point puts the plate (another circle), are left out."""
    fits: list[RimFit] = []
    for n in frames:
        k = size.get(n, 1.0)
        cx, cy = centres[n][0] + dx * k, centres[n][1] + dy * k
        f: RimFit | None = RimFit(n, cx, cy, ring.major * k, ring.minor * k, ring.angle, 0)
        for tol in (0.03, 0.012):  # find the rim near the median's, then refit closely
            assert f is not None
            samples, inside = polar(images[n], cx, cy, radii)
            ray, r, _s = edge_points(samples, inside, radii)
            f = fit_rim(ray, r, cx, cy, ellipse_along_rays(cx, cy, cx, cy, f.major, f.minor,
                                                           f.angle), tol, n)
            if f is None:
                break
            cx, cy = f.cx, f.cy
        if f is not None and np.hypot(f.cx - centres[n][0] - dx * k,
                                      f.cy - centres[n][1] - dy * k) \
                <= SHIFT_SHARE * ring.major * k / 2:
            fits.append(f)
    return fits


def _consistent(samples: np.ndarray, near: np.ndarray, share: float = CONSISTENT_SPREAD,
                rounds: int = 2) -> np.ndarray:
    """Which frames' polar samples (F, RAYS, R, 3) show the same plate: a frame whose
    tracked point is off the plate's centre (a tracking slip at a fast lift-off) looks
    unlike the others around it. Each round compares every frame with the per-pixel
    median over the frames kept (median BGR distance over the radii ``near``, the plate
    rather than the room) and keeps those within ``share`` robust standard deviations
    (1.4826 MAD) of the typical distance, or 5 grey levels (on a clean picture the
    distances are noise). Returns a boolean mask (F,); at least half of the frames (the
    closest) are kept. Threshold checked on the real clips: around the deadlift clip's
    track on the plate centre 7 of 24 frames are left out (those where it slipped off),
    on c_j 3 of 24 (a jerk's blurred frames), on bench2, bench_press and test3 none."""
    keep = np.ones(len(samples), bool)
    if len(samples) < 6:
        return keep
    part = samples[:, :, near]
    for _ in range(rounds):
        med = median0(part[keep])
        dist = np.median(colour_distance(part, med[None]).reshape(len(part), -1),
                         axis=1)
        typical = float(np.median(dist[keep]))
        spread = 1.4826 * float(np.median(np.abs(dist[keep] - typical)))
        new = dist <= typical + max(share * spread, 5.0)
        if new.sum() < (len(samples) + 1) // 2:
            new = dist <= np.sort(dist)[(len(samples) + 1) // 2 - 1]
        keep = new
    return keep


def _change(samples: np.ndarray, med: np.ndarray) -> tuple[np.ndarray | None, float]:
    """How much each polar sample changes over frames (75th percentile of the BGR
    distance from the median; the plate's samples follow it, the room's do not), and
    the level that counts as calm. ``(None, 0)`` when the plate stood still (nothing
    tells the plate from the room then)."""
    if len(samples) < 3:
        return None, 0.0
    change = percentile0(colour_distance(samples, med[None]), 75)
    quiet = float(np.percentile(change, 10))
    if float(np.percentile(change, 90)) < quiet + 8.0:
        return None, 0.0
    return change.astype(np.float32), max(3.0 * quiet, quiet + 6.0)


def _strongest_circle(images: dict[int, np.ndarray], centres: dict[int, tuple[float, float]],
                     used: list[int], r_min: float, r_max: float, plate_mm: float
                     ) -> Calibration:
    """Fallback: the circle around the tracked point with the most radial edge support
    over frames evenly spaced in time (which may be an inner ring), fitted frame by
    frame (LiftLens' measurement before the outer-rim search)."""
    views = [(cv2.cvtColor(images[n].astype(np.uint8), cv2.COLOR_BGR2GRAY), centres[n])
             for n in used]
    rim = find_rim(views, r_min, r_max)
    if rim is None:
        raise PlateNotMeasured(NO_RIM)
    diameters, ratios, circles = [], [], []
    for n, (gray, (px, py)) in zip(used, views, strict=True):
        pts = rim_points(gray, px + rim.dx, py + rim.dy, rim.r, band=0.25)
        if len(pts) < ANGLES * 0.5:
            continue
        cx, cy, r = fit_circle_points(pts)
        res = np.abs(np.hypot(pts[:, 0] - cx, pts[:, 1] - cy) - r)
        pts = pts[res <= max(2.0, 2.5 * np.median(res))]
        if len(pts) < ANGLES * 0.4:
            continue
        (ex, ey), axes, angle = cv2.fitEllipse(pts.astype(np.float32))
        again = rim_points(gray, ex, ey, ellipse_radii((axes[0], axes[1]), angle),
                           band=0.06)
        if len(again) >= ANGLES * 0.5:
            pts = again
        (ex, ey), axes, angle = cv2.fitEllipse(pts.astype(np.float32))
        exp = ellipse_radii((axes[0], axes[1]), angle)
        dist = np.hypot(pts[:, 0] - ex, pts[:, 1] - ey)
        th = np.arctan2(pts[:, 1] - ey, pts[:, 0] - ex) % (2 * np.pi)
        expected = exp[(np.round(th / (2 * np.pi) * ANGLES).astype(int)) % ANGLES]
        good = pts[np.abs(dist - expected) <= max(2.0, 0.03 * float(np.median(expected)))]
        if len(good) < ANGLES * 0.35:
            continue
        (ex, ey), (a1, a2), _ = cv2.fitEllipse(good.astype(np.float32))
        diameters.append(max(a1, a2))
        ratios.append(min(a1, a2) / max(a1, a2))
        circles.append((float(n), float(ex), float(ey), max(a1, a2) / 2))
    if not diameters:
        raise PlateNotMeasured(NO_RIM)
    d = float(np.median(diameters))
    ratio = float(np.median(ratios))
    spread = float(1.4826 * np.median(np.abs(np.array(diameters) - d)) / d * 100)
    typical = circles[int(np.argsort(diameters)[len(diameters) // 2])]
    return Calibration(plate_mm / 1000.0 / d,
                       f"plate {plate_mm:g} mm measured on {len(diameters)} frames "
                       "(strongest circle)", d, ratio, len(diameters), ellipse_warning(ratio),
                       typical, spread_pct=round(spread, 3),
                       certainty=f"unsure: the plate's outer rim could not be told from its "
                       f"inner rings and the room on these frames, so the strongest circle "
                       f"was measured ({len(diameters)} frames, spread {spread:.1f} %); check "
                       "that the circle shown is the plate's outer edge, or draw one")


FACE_EVEN_MIN = 0.4
"""A plate's face just inside its rim is one material: below this evenness a circle is
not offered by a blind search. Measured on frame 0 of the five real clips with a plate
seen face-on: 0.56-0.89; on every 40th frame of a rear-view squat and a front-view press
(plates edge-on), the circles around the lifter's back, head, torso or a window, and a
letter of a title card: 0-0.35 (one 0.5, ruled out by its score)."""
PLATE_SCORE_MIN = 1.3
"""Least rim + hub / 2 + evenness of a plate a blind search offers. Real plates on those
clips: 1.49-2.10; the best non-plate circle on the clips filmed from the front or behind:
1.29."""
OUTER_RING_RATIO = 1.12
"""A concentric circle at least this much larger than the best one is the plate's outer
rim around an inner ring (bumper rims start at about 0.86 of the radius: 1.16x)."""
_FACE_TH = np.linspace(0.0, 2 * np.pi, ANGLES, endpoint=False)


def face_evenness(smooth: np.ndarray, cx: float, cy: float, r: float,
                  contrast: float) -> float:
    """How even the band at 82-94 % of the rim's radius is around its centre, 0-1.

    ``smooth``: the grey picture lightly blurred (float32, H x W); (``cx``, ``cy``) and
    ``r``: the circle (px); ``contrast``: the
    picture's grey-level standard deviation. The median grey level across the band is
    taken on 96 rays; 1 - (90th - 10th percentile) / (2.5 x contrast), floored at 0.
    A plate's face there is one material (lettering sits nearer the hub, a hand or the
    bar covers a few rays: the percentiles ignore them); a circle found around a head
    (hair above, skin below) or a body crosses several materials. A plate seen well off
    its axis (an ellipse) reads uneven too, which is why only a blind search uses it.
    """
    rs = np.float32(r) * np.linspace(0.82, 0.94, 5, dtype=np.float32)[None, :]
    mx = (np.cos(_FACE_TH)[:, None] * rs + cx).astype(np.float32)
    my = (np.sin(_FACE_TH)[:, None] * rs + cy).astype(np.float32)
    band = cv2.remap(smooth, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    lo, hi = np.percentile(np.median(band, axis=1), [10, 90])
    return max(0.0, 1.0 - float(hi - lo) / (2.5 * contrast))


def rim_seen_px(radius: float, rim_share: float) -> float:
    """How much of a circle's rim is seen, in px of radius: ``radius`` (px) x ``rim_share``
    (0-1, the share of the circumference showing a rim edge, :func:`support`). The order
    in which :func:`plate_candidates` offers plates (the reason is given there)."""
    return radius * rim_share


def plate_candidates(gray: np.ndarray, limit: int = 5, blind: bool = True
                     ) -> list[tuple[float, float, float]]:
    """Plate-like circles in a picture, clearest plate first: (x, y, radius) px.

    Circles between 6 % and 45 % of the picture's short side are proposed by two
    Hough detectors (the classic one on a copy about 480 px across, the accurate one
    on a copy about 400 px across). A plate shows a rim edge around most of its
    circumference and a hub or bar end at its centre (a smaller concentric circle).
    Gyms hold many circles, so the app shows them in turn for the lifter to pick, and
    ``analyze --auto`` tries them in turn, rather than trusting the first.

    ``blind`` (nothing says where the plate is: "Find the plate", batch): a circle is a
    plate when its face just inside the rim is even (:func:`face_evenness` >=
    ``FACE_EVEN_MIN``) and rim + hub / 2 + evenness >= ``PLATE_SCORE_MIN``: on clips
    filmed from the front or from behind (plates edge-on) Hough finds circles around
    heads, backs, windows and letters, and it is better to say no plate was found than
    to offer one of those. Each plate is represented by its most plate-like circle
    (Hough finds the same plate several times). The plates are offered **clearest
    first**: the most rim seen, in px (radius x share of the circumference showing a rim edge,
    :func:`rim_seen_px`). Why: the tracked centre and the scale are fitted to the rim's
    edge points, so more of them and a larger radius make both more precise (a 1 px edge
    error is a smaller share of a larger diameter), and the tracker keeps a rim only
    while most of it is found (``analysis.tracking.targets.RIM_MIN_INLIERS``), which a
    plate half hidden behind the lifter or cut by the picture's edge loses first. The
    hub and the face's evenness say whether a circle is a plate, not how well it can be
    followed: filmed a little off-axis, the near plate's hub is hidden by its sleeve end
    (real squat test3, frame 0: the whole near plate r 34 px, rim 0.60, hub 0.20 scored
    1.49; the far plate half behind the lifter's back r 27 px, rim 0.51, hub 0.70 scored
    1.50 and was offered first). Of concentric circles (a plate's rim and its inner
    rings) the largest is offered: the plate's outer rim.

    Not ``blind`` (the user clicked, and the caller looks near the click and refines the
    rim, ellipses included): every circle with a rim, by rim + hub / 2.
    """
    h, w = gray.shape
    short = min(h, w)
    r_lo, r_hi = 0.06 * short, 0.45 * short
    proposals: list[tuple[float, float, float]] = []
    k = min(1.0, 480.0 / short)  # the classic detector slows down fast with size
    blur = cv2.GaussianBlur(cv2.resize(gray, None, fx=k, fy=k, interpolation=cv2.INTER_AREA)
                            if k < 1 else gray, (0, 0), 2 * k)
    found = cv2.HoughCircles(blur, cv2.HOUGH_GRADIENT, dp=1.5, minDist=h * k * 0.2, param1=120,
                             param2=40, minRadius=int(r_lo * k), maxRadius=int(0.23 * h * k))
    if found is not None:
        proposals += [(float(x) / k, float(y) / k, float(r) / k) for x, y, r in found[0][:20]]
    scale = min(1.0, 400.0 / short)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    found = cv2.HoughCircles(cv2.GaussianBlur(small, (0, 0), 1.0), cv2.HOUGH_GRADIENT_ALT,
                             dp=1.5, minDist=max(2.0, 0.05 * short * scale), param1=100,
                             param2=0.6, minRadius=int(r_lo * scale),
                             maxRadius=int(r_hi * scale) + 1)
    if found is not None:
        proposals += [(float(x) / scale, float(y) / scale, float(r) / scale)
                      for x, y, r in found[0][:30]]
    grad = gradients_near(gray, [c for c in proposals if r_lo <= c[2] <= r_hi])
    if blind:  # the face's evenness is judged only by a blind search
        smooth = cv2.GaussianBlur(gray, (0, 0), 1.5).astype(np.float32)
        contrast = max(float(gray.std()), 1.0)
    scored = []  # (how plate-like, how clear, circle)
    for x, y, r in proposals:
        if not r_lo <= r <= r_hi:
            continue
        rim = support(grad, x, y, r)
        if rim < 0.5:  # a rim seen on half its circumference at least (a square's
            continue   # inscribed circle touches its four sides: about 0.48)
        hub = max(support(grad, x, y, f * r) for f in (0.1, 0.14, 0.2, 0.28, 0.36))
        if not blind:
            scored.append((rim + 0.5 * hub, 0.0, (x, y, r)))
            continue
        even = face_evenness(smooth, x, y, r, contrast)
        score = rim + 0.5 * hub + even
        if even >= FACE_EVEN_MIN and score >= PLATE_SCORE_MIN:
            scored.append((score, rim_seen_px(r, rim), (x, y, r)))
    scored.sort(key=lambda t: -t[0])
    plates: list[tuple[float, tuple[float, float, float]]] = []
    for _score, clear, c in scored:  # one entry per plate: its most plate-like circle
        if all(np.hypot(c[0] - o[0], c[1] - o[1]) > 0.3 * o[2] for _k, o in plates):
            # an inner ring's face is as even as the plate's: offer the outer rim (a
            # bumper's rim band starts at ~0.86 of its radius; a circle < 12 % larger
            # is the same edge found again, less well)
            rings = [(k, o) for _s, k, o in scored if blind and o[2] >= OUTER_RING_RATIO * c[2]
                     and np.hypot(o[0] - c[0], o[1] - c[1]) < 0.1 * c[2]]
            plates.append(max(rings, key=lambda t: t[1][2]) if rings else (clear, c))
        if not blind and len(plates) == limit:
            break
    if blind:  # the clearest plate first (stable: equally clear ones stay most plate-like first)
        plates.sort(key=lambda t: -t[0])
    return [c for _k, c in plates[:limit]]


def detect_plate(gray: np.ndarray) -> tuple[float, float, float] | None:
    """The most plate-like circle in a picture: (x, y, radius) px, or None."""
    found = plate_candidates(gray, limit=1)
    return found[0] if found else None
