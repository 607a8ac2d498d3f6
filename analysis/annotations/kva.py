"""Import Kinovea annotation files (``.kva``, format 2.0, Kinovea 0.8 and 0.9).

What maps to what
    ======================  ==============================================
    Kinovea                 LiftLens
    ======================  ==============================================
    Keyframe (title,        :class:`KeyMoment` (comment converted from RTF
    comment)                to plain text)
    Line                    :class:`Line` (arrow heads kept), or
                            :class:`Distance` when its measure is shown
    Angle (O, A, B)         :class:`Angle` (points A, O, B)
    Circle                  :class:`Circle`
    CrossMark               :class:`Marker`
    Label                   :class:`TextLabel`
    Pencil                  :class:`Polyline`
    Chrono                  :class:`Stopwatch`
    anything else           skipped, with a reason in ``KvaImport.skipped``
    ======================  ==============================================

Times
    KVA positions are timestamps of the video Kinovea had open: its frame ``n`` is at
    ``FirstTimeStamp + n * AverageTimeStampsPerFrame``, and that video's frame rate
    gives seconds. The file's own frame rate is used, so drawings land at Kinovea's
    times whatever clip they are imported onto: ``UserFramerate`` (Kinovea 0.9 and
    later; ``CaptureFramerate`` when only it is there), else the keyframes'
    ``UserTime`` labels (``h:mm:ss:cc``, Kinovea 0.8), good to about 10 ms. Only a
    file with neither falls back to frame numbers at the clip's ``fps`` (and says so
    in ``KvaImport.notes``); when everything in the file is at 0 s it assumes 25 fps
    (only fade lengths depend on it); failing that it raises :class:`KvaError`.
    Times come out relative to the first frame; with ``frame_times`` they are moved
    to the clip's nearest frame and what lies after its end is skipped
    (:mod:`analysis.annotations.kva_fit`). ``TimeOrigin`` (Kinovea's displayed zero)
    is not used: times count from the video's first frame.

Coordinates
    KVA stores image pixels of the picture Kinovea showed (``ImageSize``). When
    ``image_size`` (our displayed width, height) differs, points are scaled by one
    factor and centred (:func:`analysis.annotations.kva_fit.fit_picture`), so angles
    and circles keep their shape.

Fading
    Kinovea fades a drawing in and out linearly over ``Frames`` frames around its
    keyframe: that is :class:`Visibility` ``timed`` with ``fade_in = fade_out =
    Frames / fps`` and ``hold = 0``; ``AlwaysVisible`` becomes ``always``. A
    visibility's durations are real seconds: on a slow-motion clip pass its
    ``time_factor`` (real seconds per video second), so a fade over 20 frames of the
    video stays 20 frames long.

Safety
    Only regular files are read (a FIFO, a device such as ``/dev/zero`` or a link
    to one is refused before anything is read), at most :data:`MAX_KVA_BYTES`.
    The XML is parsed with ``defusedxml``, which refuses any DTD, entity
    declaration or external reference after decoding, so in every encoding
    (UTF-8, UTF-16, ...); elements nested deeper than :data:`MAX_DEPTH` or more
    than :data:`MAX_ELEMENTS` of them stop the import. Every number read is
    checked: times must come out finite and within ``TIME_LIMIT`` s, points
    within ``COORD_LIMIT`` px, ``ImageSize`` must be whole pixels (1 to 100,000);
    a drawing that fails is skipped with a reason, a file whose header fails is
    refused with a :class:`KvaError`. Nothing non-finite is ever imported. The
    file is only read; ``progress``/``cancelled`` let the app run the import on a
    worker thread.
"""

from __future__ import annotations

import math
import os
import stat
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
from defusedxml.ElementTree import DefusedXMLParser  # type: ignore[import-untyped]

import numpy as np

from analysis.annotations.base import COORD_LIMIT, TIME_LIMIT, Annotation, Point
from analysis.annotations.kva_fit import (OutsideClip, fit_picture, name_note, rate_note,
                                          snap_to_frame)
from analysis.annotations.kva_parse import MAX_IMAGE_SIDE  # noqa: F401  (kept importable)
from analysis.annotations.kva_parse import (_float, _image_size, _pair, _rtf_to_text, _text,
                                            _user_time)
from analysis.annotations.moments import KeyMoment
from analysis.annotations.shapes import (Angle, Circle, Distance, Line, Marker, Polyline,
                                         Stopwatch, TextLabel)
from analysis.annotations.style import AnnotationError, Style, Visibility

#: Kinovea files are a few kB to a few MB (a long pencil or many tracks)
MAX_KVA_BYTES = 16 << 20
#: Kinovea nests about 8 levels deep; a real file never comes near these
MAX_DEPTH = 64
MAX_ELEMENTS = 2_000_000
_CHUNK = 1 << 16


class KvaError(Exception):
    """The file is not a readable Kinovea annotation file; the message is for the user."""


@dataclass
class KvaImport:
    """What came out of a .kva file.

    Attributes
    ----------
    annotations : list of Annotation
        Drawings with times in seconds from the first frame, in our image pixels.
    key_moments : list of KeyMoment
    skipped : list of str
        One plain sentence per drawing or feature that was not imported, and why.
    image_size : (int, int) or None
        The picture size the file was made on (``ImageSize``).
    producer : str
        The Kinovea version that wrote it.
    seconds_per_timestamp : float
        The time base that was used.
    time_basis : str
        Where it came from: ``"framerate"`` (the file's frame rate), ``"labels"``
        (its time labels), ``"frames"`` (the clip's frame rate: frame numbers kept) or
        ``"none"`` (everything at 0 s).
    file_fps : float
        The frame rate of the video the file was made on (frames/s).
    video_name : str
        The video the file names (``OriginalFilename``).
    notes : list of str
        Plain sentences on how the file differs from the clip (another video, picture
        size, frame rate or length) and what was done about it; empty when it fits.
    """

    annotations: list[Annotation] = field(default_factory=list)
    key_moments: list[KeyMoment] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    image_size: tuple[int, int] | None = None
    producer: str = ""
    seconds_per_timestamp: float = 0.0
    time_basis: str = ""
    file_fps: float = 0.0
    video_name: str = ""
    notes: list[str] = field(default_factory=list)


def import_kva(path: str | os.PathLike[str], fps: float | None = None,
               image_size: tuple[int, int] | None = None,
               progress: Callable[[int, int], None] | None = None,
               cancelled: Callable[[], bool] | None = None,
               time_factor: float = 1.0, frame_times: np.ndarray | None = None,
               duration: float | None = None, video_name: str | None = None) -> KvaImport:
    """Read a Kinovea .kva file into LiftLens drawings and key moments.

    Parameters
    ----------
    path : path-like
        The .kva file (only read; must be a regular file, or a link to one).
    fps : float, optional
        Frame rate of our clip (frames/s): compared with the file's, and used to turn
        timestamps into seconds only when the file gives no time base of its own.
    image_size : (int, int), optional
        Displayed (width, height) of our clip in px, to fit coordinates into.
    progress : callable, optional
        ``progress(bytes_read, total_bytes)`` while the file is parsed.
    cancelled : callable, optional
        Polled while parsing; when it returns True the import stops with
        :class:`analysis.video.source.Cancelled` semantics left to the caller (a
        :class:`KvaError` saying it was cancelled is raised).
    time_factor : float
        Real seconds per video second (slow motion: 0.25 for 120 fps played at 30,
        ``TimeScale.factor``), for the fade and hold durations, which are real seconds.
    frame_times : numpy.ndarray, optional
        Seconds of every frame of our clip from its first: times snap to the nearest,
        and what lies after the clip is skipped.
    duration : float, optional
        Seconds from our clip's first frame to the end of its last.
    video_name : str, optional
        Our clip's file name, compared with the one the file names.

    Raises
    ------
    KvaError
        When the file is missing, not a regular file, too large, not XML, holds
        a DTD or entities, is nested too deeply, is not a KVA file, has a
        header with impossible numbers, or gives no way to convert its times to
        seconds.
    """
    path = Path(path)
    root = _parse(path, progress, cancelled)
    if root.tag != "KinoveaVideoAnalysis":
        raise KvaError(f"“{path.name}” is not a Kinovea annotation file.")
    try:
        reader = _Reader(root, fps, image_size, time_factor)
        reader.fit_clip(frame_times, duration, video_name)
        return reader.read()
    except KvaError as exc:
        raise KvaError(f"“{path.name}”: {exc}") from exc


def _read_regular(path: Path) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most MAX_KVA_BYTES."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise KvaError(f"“{path.name}” cannot be read: {exc.strerror or exc}.") from exc
    try:
        info = os.fstat(fd)  # of what was opened: no race with a swapped name
        if not stat.S_ISREG(info.st_mode):
            raise KvaError(f"“{path.name}” is not a regular file (a device, pipe or folder); "
                           "it was not read.")
        if info.st_size > MAX_KVA_BYTES:
            raise KvaError(f"“{path.name}” is too large to be a Kinovea annotation file "
                           f"({info.st_size / 1e6:.0f} MB; the limit is "
                           f"{MAX_KVA_BYTES / 1e6:.0f} MB).")
        chunks, size = [], 0
        while size <= MAX_KVA_BYTES:
            chunk = os.read(fd, min(_CHUNK * 16, MAX_KVA_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_KVA_BYTES:  # it grew while being read
            raise KvaError(f"“{path.name}” is too large to be a Kinovea annotation file.")
        return b"".join(chunks)
    except OSError as exc:
        raise KvaError(f"“{path.name}” cannot be read: {exc.strerror or exc}.") from exc
    finally:
        os.close(fd)


class _LimitedBuilder(ET.TreeBuilder):
    """An ElementTree builder that stops at MAX_DEPTH levels or MAX_ELEMENTS elements."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.count = 0

    def start(self, tag: Any, attrs: Any) -> ET.Element:
        self.depth += 1
        self.count += 1
        if self.depth > MAX_DEPTH:
            raise KvaError(f"it is nested more than {MAX_DEPTH} levels deep, which Kinovea "
                           "files never are")
        if self.count > MAX_ELEMENTS:
            raise KvaError("it holds far more elements than a Kinovea file does")
        return super().start(tag, attrs)

    def end(self, tag: Any) -> ET.Element:
        self.depth -= 1
        return super().end(tag)


def _parse(path: Path, progress: Callable[[int, int], None] | None,
           cancelled: Callable[[], bool] | None) -> ET.Element:
    data = _read_regular(path)
    parser = DefusedXMLParser(target=_LimitedBuilder(), forbid_dtd=True, forbid_entities=True,
                              forbid_external=True)
    try:
        for at in range(0, len(data), _CHUNK):
            if cancelled is not None and cancelled():
                raise KvaError(f"The import of “{path.name}” was cancelled.")
            parser.feed(data[at:at + _CHUNK])
            if progress is not None:
                progress(min(at + _CHUNK, len(data)), len(data))
        root = parser.close()
    except KvaError as exc:
        if "cancelled" in str(exc):
            raise
        raise KvaError(f"“{path.name}” was not read: {exc}.") from exc
    except DefusedXmlException as exc:
        raise KvaError(f"“{path.name}” declares a DTD or entities, which Kinovea files never "
                       "do; it was not read.") from exc
    except (ET.ParseError, LookupError, ValueError, RecursionError) as exc:
        # LookupError: unknown encoding
        raise KvaError(f"“{path.name}” is not a readable Kinovea file ({exc}).") from exc
    if not isinstance(root, ET.Element):
        raise KvaError(f"“{path.name}” is not a Kinovea annotation file.")
    return root


class _Reader:
    def __init__(self, root: ET.Element, fps: float | None,
                 image_size: tuple[int, int] | None, time_factor: float = 1.0) -> None:
        self.root = root
        if not (math.isfinite(time_factor) and time_factor > 0):
            raise KvaError(f"the time factor {time_factor} is not a positive number")
        self.time_factor = time_factor  # real s per video s: visibility durations are real
        self.out = KvaImport(producer=_text(root, "Producer"))
        version = _text(root, "FormatVersion")
        if version and not version.startswith("2."):
            raise KvaError(f"Kinovea file format {version} is not supported (2.x is).")
        self.first = _float(_text(root, "FirstTimeStamp") or "0", math.nan)
        if not abs(self.first) <= 2.0**63:  # Kinovea writes 64-bit timestamps
            raise KvaError("its first timestamp is not a number Kinovea writes")
        self.per_frame = _float(_text(root, "AverageTimeStampsPerFrame") or "1", math.nan)
        if not 0 < self.per_frame <= 2.0**63:
            raise KvaError("its timestamps per frame is not a positive number")
        size_text = _text(root, "ImageSize").strip()
        self.out.image_size = _image_size(_pair(size_text)) if size_text else None
        if size_text and self.out.image_size is None:
            raise KvaError(f"its picture size “{size_text[:40]}” is not a size in whole pixels")
        ours = None
        if image_size is not None:
            ours = _image_size(image_size)
            if ours is None:
                raise KvaError(f"the video size {image_size} is not a size in pixels")
        self.fit = fit_picture(self.out.image_size, ours)
        if fps is not None and not (math.isfinite(fps) and fps > 0):
            raise KvaError(f"the frame rate {fps} is not a positive number")
        self.clip_fps = fps
        self.sec_per_ts, self.out.time_basis = self._time_base(fps)
        self.out.seconds_per_timestamp = self.sec_per_ts
        self.frame_s = self.per_frame * self.sec_per_ts
        if not 1e-6 <= self.frame_s <= 1e3:  # 1 000 000 to 0.001 frames/s
            raise KvaError(f"its times give a frame every {self.frame_s:.3g} s, which no "
                           "video has; open the video first so its frame rate is known")
        self.out.file_fps = 1.0 / self.frame_s
        self.out.video_name = _text(root, "OriginalFilename").strip()[:500]
        self.frame_times: np.ndarray | None = None
        self.duration: float | None = None
        self.beyond = 0  # keyframes and timers after the clip's end

    def fit_clip(self, frame_times: np.ndarray | None, duration: float | None,
                 video_name: str | None) -> None:
        """Snap times onto ``frame_times`` (s) of a clip ``duration`` s long named
        ``video_name``, and note how the file differs from that clip."""
        if frame_times is not None:
            times = np.asarray(frame_times, dtype=float)
            if times.ndim != 1 or not np.all(np.isfinite(times)):
                raise KvaError("the clip's frame times are not a list of seconds")
            self.frame_times = times if len(times) else None
        self.duration = duration if duration is not None and math.isfinite(duration) else None
        notes = [name_note(self.out.video_name, video_name), self.fit.note]
        if self.out.time_basis == "frames":
            notes.append(f"The file does not say how long its frames last: drawings and key "
                         f"moments were placed by frame number, at this clip's "
                         f"{self.clip_fps:.4g} frames/s.")
        elif self.out.time_basis != "none" and self.clip_fps is not None:
            notes.append(rate_note(self.out.file_fps, self.clip_fps,
                                   approx=self.out.time_basis == "labels"))
        self.out.notes = [n for n in notes if n]

    def _time_base(self, fps: float | None) -> tuple[float, str]:
        """Seconds per timestamp, and where they came from (see :class:`KvaImport`)."""
        for tag in ("UserFramerate", "CaptureFramerate"):
            rate = _float(_text(self.root, tag), math.nan)
            if math.isfinite(rate) and 1e-3 <= rate <= 1e6:
                return 1.0 / (self.per_frame * rate), "framerate"
        ratios = []
        for kf in self.root.iter("Keyframe"):
            pos = kf.find("Position")
            if pos is None:
                continue
            secs = _user_time(pos.get("UserTime", ""))
            ts = _float(pos.text or "", math.nan)
            if secs and secs > 0 and math.isfinite(ts) and ts > self.first:
                ratios.append((ts - self.first, secs))
        if ratios:
            ts, secs = max(ratios)  # the latest keyframe: the 10 ms rounding matters least
            return secs / ts, "labels"  # (checked by the caller through the frame duration)
        if fps is not None:
            return 1.0 / (self.per_frame * fps), "frames"
        stamps = [_float(pos.text, math.nan) for kf in self.root.iter("Keyframe")
                  for pos in kf.findall("Position")]
        stamps += [_float(v.text, math.nan) for vals in self.root.iter("Values") for v in vals
                   if v.tag in ("Visible", "StartCounting", "StopCounting", "Invisible")]
        if all(ts == self.first or ts == -1 or not math.isfinite(ts) for ts in stamps):
            return 1.0 / (self.per_frame * 25.0), "none"  # all at 0 s: any base will do
        raise KvaError("this Kinovea file does not say how long a frame lasts; "
                       "open the video first so its frame rate is known")

    def seconds(self, ts: float) -> float:
        """Seconds from the first frame of timestamp ``ts``.

        Raises
        ------
        AnnotationError
            When the time is not finite or beyond ``TIME_LIMIT``.
        """
        t = (ts - self.first) * self.sec_per_ts
        if not abs(t) <= TIME_LIMIT:
            raise AnnotationError(f"its time ({ts:.6g}) is outside any video")
        return snap_to_frame(t, self.frame_times, self.duration)

    def _within(self, ts: float) -> float | None:
        """:meth:`seconds` of ``ts``, or None when it lies outside the clip."""
        try:
            return self.seconds(ts)
        except OutsideClip:
            return None

    def point(self, text: str | None) -> Point:
        p = _pair(text)
        if p is None:
            raise AnnotationError(f"point {str(text)[:40]!r} is not 'x;y'")
        x, y = self.fit.apply(*p)
        if not (abs(x) <= COORD_LIMIT and abs(y) <= COORD_LIMIT):
            raise AnnotationError(f"point {str(text)[:40]!r} is far outside the picture")
        return (x, y)

    # -- reading ----------------------------------------------------------------------

    def read(self) -> KvaImport:
        keyframes = self.root.find("Keyframes")
        for kf in keyframes.findall("Keyframe") if keyframes is not None else []:
            self._keyframe(kf)
        chronos = self.root.find("Chronos")
        for ch in chronos if chronos is not None else []:
            self._guard(ch, self._chrono)
        for tag, why in (("Tracks", "trajectory tracks are not imported: track the bar "
                                    "with LiftLens instead"),
                         ("Calibration", "calibration is not imported: calibrate in LiftLens"),
                         ("Spotlights", "spotlights are not supported"),
                         ("AutoNumbers", "auto numbers are not supported"),
                         ("CoordinateSystem", "the coordinate system is not imported")):
            node = self.root.find(tag)
            if node is not None and (len(node) or tag == "CoordinateSystem"):
                count = len(node) if tag in ("Tracks", "Spotlights", "AutoNumbers") else 1
                self.out.skipped.append(f"{count} × {tag}: {why}")
        if self.beyond:
            self.out.notes.append(f"{self.beyond} keyframe(s) or timer(s) lie outside this "
                                  "clip's length and were not imported (listed below).")
        return self.out

    def _keyframe(self, kf: ET.Element) -> None:
        pos = kf.find("Position")
        ts = _float(pos.text if pos is not None else "", math.nan)
        if not math.isfinite(ts):
            self.out.skipped.append("a keyframe without a valid position")
            return
        title = _text(kf, "Title").strip()
        try:
            t = self.seconds(ts)
        except OutsideClip as exc:
            self.beyond += 1
            drawings = kf.find("Drawings")
            n = len(drawings) if drawings is not None else 0
            name = f"Keyframe “{title[:60]}”" if title else "A keyframe"
            self.out.skipped.append(f"{name} and its {n} drawing(s): {exc}")
            return
        except AnnotationError as exc:
            self.out.skipped.append(f"a keyframe and its drawings: {exc}")
            return
        comment = _rtf_to_text(_text(kf, "Comment"))
        if title or comment:
            self.out.key_moments.append(KeyMoment(t, title[:500], comment[:20_000]))
        drawings = kf.find("Drawings")
        for d in drawings if drawings is not None else []:
            self._guard(d, lambda el: self._drawing(el, t))

    def _guard(self, el: ET.Element, fn: object) -> None:
        try:
            a = fn(el)  # type: ignore[operator]
        except OutsideClip as exc:
            self.beyond += 1
            self.out.skipped.append(f"{el.tag}: {exc}")
            return
        except (AnnotationError, ValueError, TypeError) as exc:
            self.out.skipped.append(f"{el.tag}: damaged ({exc})")
            return
        if isinstance(a, Annotation):
            self.out.annotations.append(a)
        elif isinstance(a, str):
            self.out.skipped.append(a)

    def _drawing(self, el: ET.Element, t: float) -> Annotation | str:
        style, vis = self._style(el), self._fading(el)
        tag = el.tag
        if tag == "Line":
            pts = [self.point(_text(el, "Start")), self.point(_text(el, "End"))]
            measured = _text(el, "MeasureVisible").strip().lower() == "true"
            cls = Distance if measured else Line
            return cls(t=t, points=pts, style=style, visibility=vis)
        if tag == "Angle":
            pts = [self.point(_text(el, "PointA")), self.point(_text(el, "PointO")),
                   self.point(_text(el, "PointB"))]
            return Angle(t=t, points=pts, style=style, visibility=vis)
        if tag == "Circle":
            c = self.point(_text(el, "Origin"))
            r = _float(_text(el, "Radius"), math.nan)
            if not math.isfinite(r) or r < 0:
                raise AnnotationError("radius is not a number")
            return Circle(t=t, points=[c, (c[0] + r * self.fit.scale, c[1])], style=style,
                          visibility=vis)
        if tag == "CrossMark":
            return Marker(t=t, points=[self.point(_text(el, "CenterPoint"))], style=style,
                          visibility=vis)
        if tag == "Label":
            return TextLabel(t=t, points=[self.point(_text(el, "Position"))], style=style,
                             visibility=vis, text=_text(el, "Text").strip()[:10_000])
        if tag == "Pencil":
            plist = el.find("PointList")
            pts = [self.point(p.text) for p in (plist if plist is not None else [])]
            return Polyline(t=t, points=pts, style=style, visibility=vis)
        return f"{tag} at {t:.2f} s: this Kinovea drawing has no LiftLens equivalent"

    def _chrono(self, el: ET.Element) -> Annotation | str:
        if el.tag != "Chrono":
            return f"{el.tag}: this Kinovea timer has no LiftLens equivalent"
        values = el.find("Values")
        if values is None:
            raise AnnotationError("no Values")
        visible = _float(_text(values, "Visible"), -1)
        start = _float(_text(values, "StartCounting"), -1)
        invisible = _float(_text(values, "Invisible"), -1)
        t0 = start if start >= 0 else visible
        if t0 < 0:
            raise AnnotationError("no start time")
        t = self.seconds(t0)
        gone = self._within(invisible) if invisible >= 0 else None
        if gone is not None:
            hold = max(0.0, gone - t) * self.time_factor
            vis = Visibility("timed", fade_in=0.0, hold=min(hold, 1e7), fade_out=0.0)
        else:
            vis = Visibility("from_time")
        label = el.find("Label")
        text = _text(label, "Text").strip() if label is not None else ""
        if _text(values, "Countdown").strip().lower() == "true":
            self.out.skipped.append(f"Chrono “{text}”: a countdown, imported as a stopwatch "
                                    "counting up")
        stop = _float(_text(values, "StopCounting"), -1)
        stop_t = self._within(stop) if stop >= 0 else None
        extra = {"stop": stop_t} if stop_t is not None and stop_t >= t else {}
        return Stopwatch(t=t, points=[self.point(_text(el, "Position"))],
                         style=self._style(el), visibility=vis, text=text[:10_000], extra=extra)

    def _style(self, el: ET.Element) -> Style:
        s = Style()
        color, width, font, arrow, dashed = s.color, s.width, s.font_size, s.arrow, s.dashed
        ds = el.find("DrawingStyle")
        for item in ds if ds is not None else []:
            value = _text(item, "Value").strip()
            if item.tag == "Color":
                argb = [int(v) for v in value.split(";")] if value else []
                if len(argb) == 4 and all(0 <= v <= 255 for v in argb):
                    color = "#{:02x}{:02x}{:02x}".format(*argb[1:])
            elif item.tag in ("LineSize", "PenSize"):
                w = _float(value, math.nan)
                if math.isfinite(w) and w > 0:
                    width = min(w, 200.0)
            elif item.tag == "FontSize":
                f = _float(value, math.nan)
                if math.isfinite(f) and f >= 4:
                    font = min(f, 400.0)
            elif item.tag == "Arrows":
                ends = [e.strip() for e in value.split(";")]
                heads = [e == "ArrowAnchor" for e in ends] + [False, False]
                arrow = "both" if heads[0] and heads[1] else "end" if heads[1] else \
                    "end" if heads[0] else "none"
            elif item.tag in ("LineStyle", "TrackShape"):
                dashed = "dash" in value.lower()
        return Style(color=color, width=width, font_size=font, dashed=dashed, arrow=arrow)

    def _fading(self, el: ET.Element) -> Visibility:
        f = el.find("InfosFading")
        if f is None:
            return Visibility()
        if _text(f, "AlwaysVisible").strip().lower() == "true":
            return Visibility("always")
        if _text(f, "Enabled").strip().lower() == "false":
            # its own frame only
            return Visibility("timed", 0.0, min(self.frame_s * self.time_factor, 1e7), 0.0)
        frames = _float(_text(f, "Frames"), 20.0)
        fade = min(max(frames, 0.0) * self.frame_s * self.time_factor, 3600.0)
        return Visibility("timed", fade_in=fade, hold=0.0, fade_out=fade)
