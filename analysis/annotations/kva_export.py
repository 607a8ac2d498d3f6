"""Write a recording's drawings, key moments and bar track as a Kinovea ``.kva`` file.

The layout follows Kinovea's own writer (``MetadataSerializer``, ``Keyframe``,
``Drawing*`` and ``DrawingTrack.WriteXml`` in github.com/Kinovea/Kinovea), KVA
format 2.0, and is what :mod:`analysis.annotations.kva` reads back:

- times are timestamps: ``seconds * fps * AverageTimeStampsPerFrame`` from
  ``FirstTimeStamp`` 0, with the exact ``fps`` as ``UserFramerate`` (Kinovea remaps
  them onto its own time base on import; LiftLens reads the time back through it);
- key moments are keyframes with a ``Title`` (and ``Comment``); every drawing is
  attached to a keyframe at its time (an untitled one when no key moment is there);
- lines and arrows are ``Line`` (distances with ``MeasureVisible``), ``Angle``
  (``PointO`` the vertex), ``Circle`` (``Origin``, ``Radius``), ``CrossMark``,
  ``Label``, ``Pencil`` (``PointList``); stopwatches are ``Chrono`` in ``Chronos``
  (``StopCounting`` kept); the tracked bar is a ``Track`` in ``Tracks`` with its
  ``TrackPointList`` (``x;y;timestamp;0``, lost frames left out);
- drawings Kinovea has no equivalent for (plumb line, lean and horizontal angles,
  rectangles) are written as lines, and :func:`export_kva` says which.

Coordinates are image pixels of the displayed picture (``ImageSize``), written in
full (shortest round-trip decimals), so importing the file back onto the same clip
gives the same positions and times.
"""

from __future__ import annotations

import math
import os
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from analysis.annotations.base import Annotation
from analysis.annotations.moments import KeyMoment

#: Timestamps per frame written to the file (any value works; Kinovea rescales).
TS_PER_FRAME = 1000


@dataclass
class KvaExport:
    """What :func:`export_kva` wrote: counts, and drawings written approximately."""

    drawings: int = 0
    key_moments: int = 0
    track_points: int = 0
    approximated: list[str] = field(default_factory=list)


def _num(v: float) -> str:
    """``v`` written so it reads back exactly (shortest round-trip form, no ``.0``)."""
    v = float(v)
    return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)


def _pt(p: Sequence[float]) -> str:
    return f"{_num(p[0])};{_num(p[1])}"


def _argb(color: str) -> str:
    c = color.lstrip("#")
    r, g, b = (int(c[i:i + 2], 16) for i in (0, 2, 4)) if len(c) >= 6 else (255, 204, 0)
    return f"255;{r};{g};{b}"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    if text is not None:
        el.text = text
    return el


def _style(el: ET.Element, a: Annotation, *, font: bool = False, arrows: bool = False) -> None:
    ds = _sub(el, "DrawingStyle")
    color = _sub(ds, "Color", key="Color")
    _sub(color, "Value", _argb(a.style.color))
    if font:
        fs = _sub(ds, "FontSize", key="FontSize")
        _sub(fs, "Value", f"{max(8, round(a.style.font_size))}")
    else:
        ls = _sub(ds, "LineSize", key="LineSize")
        _sub(ls, "Value", f"{max(1, round(a.style.width))}")
        st = _sub(ds, "LineShape", key="LineShape")
        _sub(st, "Value", "Dash" if a.style.dashed else "Solid")
    if arrows:
        start = "ArrowAnchor" if a.style.arrow == "both" else "Flat"
        end = "ArrowAnchor" if a.style.arrow in ("end", "both") else "Flat"
        ar = _sub(ds, "Arrows", key="Arrows")
        _sub(ar, "Value", f"{start};{end}")


def _fading(el: ET.Element, a: Annotation, fps: float, time_factor: float = 1.0) -> None:
    """Kinovea's fading, in frames of the video: the visibility's real seconds over
    ``time_factor`` (real s per video s) give video seconds."""
    f = _sub(el, "InfosFading")
    vis = a.visibility
    always = vis.mode == "always"
    _sub(f, "Enabled", "true")
    fade = max(vis.fade_in, vis.fade_out, 0.0) / time_factor
    _sub(f, "Frames", str(max(1, round(fade * fps))))
    _sub(f, "AlwaysVisible", "true" if always or vis.mode == "from_time" else "false")
    _sub(f, "UseDefault", "false")
    _sub(f, "MasterFactor", "1")


def _drawing(a: Annotation, fps: float, note: list[str],
             time_factor: float = 1.0) -> ET.Element | None:
    kind = a.type
    pts = a.points
    if kind in ("line", "distance") and len(pts) == 2:
        el = ET.Element("Line", id=a.id, name="Line")
        _sub(el, "Start", _pt(pts[0]))
        _sub(el, "End", _pt(pts[1]))
        _sub(el, "MeasureVisible", "true" if kind == "distance" else "false")
        _style(el, a, arrows=True)
    elif kind == "angle" and len(pts) == 3:
        el = ET.Element("Angle", id=a.id, name="Angle")
        _sub(el, "PointO", _pt(pts[1]))
        _sub(el, "PointA", _pt(pts[0]))
        _sub(el, "PointB", _pt(pts[2]))
        _style(el, a)
    elif kind == "circle" and len(pts) == 2:
        el = ET.Element("Circle", id=a.id, name="Circle")
        _sub(el, "Origin", _pt(pts[0]))
        _sub(el, "Radius", _num(math.hypot(pts[1][0] - pts[0][0], pts[1][1] - pts[0][1])))
        _style(el, a)
    elif kind == "marker" and pts:
        el = ET.Element("CrossMark", id=a.id, name="Marker")
        _sub(el, "CenterPoint", _pt(pts[0]))
        _style(el, a)
    elif kind == "text" and pts:
        el = ET.Element("Label", id=a.id, name="Label")
        _sub(el, "Text", a.text or "")
        _sub(el, "Position", _pt(pts[0]))
        _style(el, a, font=True)
    elif kind == "pencil" and pts:
        el = ET.Element("Pencil", id=a.id, name="Pencil")
        plist = _sub(el, "PointList", Count=str(len(pts)))
        for p in pts:
            _sub(plist, "Point", _pt(p))
        _style(el, a)
    elif kind in ("angle_vertical", "angle_horizontal", "plumb", "rect") and pts:
        note.append(f"{kind} at {a.t:.2f} s written as lines (Kinovea has no such drawing)")
        el = ET.Element("Pencil", id=a.id, name=kind)
        if kind == "rect" and len(pts) == 2:
            (x0, y0), (x1, y1) = pts
            outline = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
        elif kind == "plumb":
            outline = [(pts[0][0], pts[0][1]), (pts[0][0], pts[0][1] + 10_000)]
        else:
            outline = list(pts)
        plist = _sub(el, "PointList", Count=str(len(outline)))
        for p in outline:
            _sub(plist, "Point", _pt(p))
        _style(el, a)
    else:
        return None
    _fading(el, a, fps, time_factor)
    return el


def export_kva(path: str | os.PathLike[str], *, image_size: tuple[int, int], fps: float,
               annotations: Sequence[object] = (), key_moments: Sequence[KeyMoment] = (),
               track: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
               video_name: str = "", producer: str = "LiftLens",
               time_factor: float = 1.0) -> KvaExport:
    """Write a ``.kva`` file.

    Parameters
    ----------
    image_size : (w, h)
        The displayed picture's size (px); drawing coordinates are in it.
    fps : float
        The video's frame rate (frames/s), for the timestamps.
    annotations, key_moments
        The recording's drawings (non-drawings are skipped) and key moments (s).
    track : (t, x, y), optional
        The bar track: times (s) and positions (px, NaN where lost), written as a
        Kinovea trajectory named "Bar".
    time_factor : float
        Real seconds per video second (slow motion: 0.25 for 120 fps played at 30): a
        drawing's fade is in real seconds, Kinovea's in frames of the video.

    Raises
    ------
    ValueError
        When ``fps`` is not a positive number.
    OSError
        When the file cannot be written.
    """
    if not (math.isfinite(fps) and fps > 0):
        raise ValueError(f"the frame rate {fps} is not a positive number")
    if not (math.isfinite(time_factor) and time_factor > 0):
        raise ValueError(f"the time factor {time_factor} is not a positive number")
    out = KvaExport()

    def ts(seconds: float) -> int:
        return max(0, round(seconds * fps) * TS_PER_FRAME)

    root = ET.Element("KinoveaVideoAnalysis")
    _sub(root, "FormatVersion", "2.0")
    _sub(root, "Producer", producer)
    _sub(root, "OriginalFilename", os.path.splitext(os.path.basename(video_name))[0])
    _sub(root, "ImageSize", f"{int(image_size[0])};{int(image_size[1])}")
    _sub(root, "AverageTimeStampsPerFrame", str(TS_PER_FRAME))
    # the exact rate: the importer places times through it (29.97 for 30000/1001 drifts)
    _sub(root, "CaptureFramerate", _num(fps))
    _sub(root, "UserFramerate", _num(fps))
    _sub(root, "FirstTimeStamp", "0")

    frames: dict[int, ET.Element] = {}
    keyframes = _sub(root, "Keyframes")

    def keyframe(t: float) -> ET.Element:
        stamp = ts(t)
        if stamp not in frames:
            kf = _sub(keyframes, "Keyframe")
            secs = stamp / TS_PER_FRAME / fps
            h, rem = divmod(secs, 3600)
            m, s = divmod(rem, 60)
            _sub(kf, "Position", str(stamp),
                 UserTime=f"{int(h)}:{int(m):02d}:{int(s):02d}:{round((s % 1) * 100):02d}")
            frames[stamp] = kf
        return frames[stamp]

    for km in key_moments:
        kf = keyframe(km.t)
        _sub(kf, "Title", km.title)
        if km.comment:
            _sub(kf, "Comment", km.comment)
        out.key_moments += 1
    chronos: list[ET.Element] = []
    for a in annotations:
        if not isinstance(a, Annotation):
            continue
        if a.type == "stopwatch" and a.points:
            ch = ET.Element("Chrono", id=a.id, name="Chrono")
            _sub(ch, "Position", _pt(a.points[0]))
            values = _sub(ch, "Values")
            _sub(values, "Visible", str(ts(a.t)))
            _sub(values, "Invisible", "-1")
            _sub(values, "StartCounting", str(ts(a.t)))
            stop = getattr(a, "stop", None)
            _sub(values, "StopCounting", str(ts(stop)) if stop is not None else "-1")
            _sub(values, "Countdown", "false")
            label = _sub(ch, "Label")
            _sub(label, "Text", a.text or "")
            _sub(label, "Show", "true")
            _style(ch, a, font=True)
            chronos.append(ch)
            out.drawings += 1
            continue
        el = _drawing(a, fps, out.approximated, time_factor)
        if el is None:
            out.approximated.append(f"{a.type} at {a.t:.2f} s left out")
            continue
        kf = keyframe(a.t)
        drawings = kf.find("Drawings")
        if drawings is None:
            drawings = _sub(kf, "Drawings")
        drawings.append(el)
        out.drawings += 1
    # Kinovea expects a keyframe's Title/Comment before its Drawings
    for kf in frames.values():
        d = kf.find("Drawings")
        if d is not None:
            kf.remove(d)
            kf.append(d)
    if chronos:
        node = _sub(root, "Chronos")
        node.extend(chronos)
    if track is not None:
        t, x, y = (np.asarray(v, float) for v in track)
        ok = np.isfinite(t) & np.isfinite(x) & np.isfinite(y)
        if ok.any():
            tracks = _sub(root, "Tracks")
            tr = _sub(tracks, "Track", id=str(uuid.uuid4()), name="Bar")
            first = int(np.flatnonzero(ok)[0])
            _sub(tr, "TimePosition", str(ts(float(t[first]))))
            _sub(tr, "IsVisible", "true")
            _sub(tr, "Visible", str(ts(float(t[first]))))
            _sub(tr, "Invisible", "-1")
            _sub(tr, "ExtraData", "None")
            label = _sub(tr, "MainLabel", Text="Bar")
            _sub(label, "SpacePosition", _pt((x[first], y[first])))
            _sub(label, "TimePosition", str(ts(float(t[first]))))
            plist = _sub(tr, "TrackPointList", Count=str(int(ok.sum())))
            for i in np.flatnonzero(ok):
                _sub(plist, "TrackPoint", f"{x[i]:.3f};{y[i]:.3f};{ts(float(t[i]))};0")
            ds = _sub(tr, "DrawingStyle")
            color = _sub(ds, "Color", key="Color")
            _sub(color, "Value", "255;240;140;44")
            size = _sub(ds, "LineSize", key="LineSize")
            _sub(size, "Value", "3")
            shape = _sub(ds, "TrackShape", key="TrackShape")
            _sub(shape, "Value", "Solid;false")
            out.track_points = int(ok.sum())
    ET.indent(root, space="  ")
    data = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8")
    tmp = f"{os.fspath(path)}.partial"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
    return out
