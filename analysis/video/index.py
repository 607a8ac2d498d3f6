"""Demux-only index of a video stream: frame timestamps, keyframes, rotation.

Building the index reads packets, not pictures, so it is fast even for long
clips. Frame ``n`` is the ``n``-th frame in presentation order; its timestamp
comes from the packet's PTS, never from ``n / fps``.
"""

from __future__ import annotations

import json
import os
import weakref
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

import av
import numpy as np

from analysis.video.capture import TimeScale, capture_fps_from_metadata
from analysis.video.errors import (BROKEN_LINK, EMPTY, ENDS_EARLY, FOLDER, MISSING, NOT_A_VIDEO, UNREADABLE,
                                   VideoError)

if TYPE_CHECKING:
    from analysis.video.frames import Frame

#: Frame-to-frame spacing may vary by this fraction of the median before a
#: clip counts as variable-frame-rate (container jitter on CFR clips is ~1 %).
VFR_TOLERANCE = 0.10
#: Fewer shown frames than this share of the header's frame count (and at least 10 fewer)
#: means the file ends early; an edit list trims only a few frames.
TRUNCATED_SHARE = 0.9


@dataclass(frozen=True)
class VideoIndex:
    """Facts about one video stream, in display terms.

    Attributes
    ----------
    path : str
        The file the index describes.
    width, height : int
        Size in pixels *as displayed* (after rotation).
    coded_width, coded_height : int
        Size of the stored pictures.
    rotation : int
        Clockwise rotation (0, 90, 180, 270 degrees) applied for display.
    pts : numpy.ndarray
        Presentation timestamp of every frame in stream time-base units, sorted.
    times : numpy.ndarray
        Seconds from the first frame (frame 0 is 0.0).
    keyframes : numpy.ndarray
        Frame numbers of the keyframes (sorted, always starts with 0).
    time_base : fractions.Fraction
        Seconds per PTS unit.
    nominal_fps : float
        The rate the container declares.
    codec : str
        Decoder name, e.g. ``"h264"``.
    header_frames : int
        The frame count the container header claims (may be wrong).
    capture_fps : float
        Frames per real second the file's metadata declares (slow motion, e.g.
        Android's ``com.android.capture.fps``); 0 when it declares none. ``times``
        stay file time; see :mod:`analysis.video.capture`.
    capture_key : str
        The metadata key ``capture_fps`` came from.
    warnings : tuple of str
        What is odd about the file, as sentences (damage, shared timestamps).
    damage : tuple of str
        The warnings that say the file is damaged: it ends early (cut short, an
        unfinished copy) or cannot be read past some frame. Empty for a whole file.
    """

    path: str
    width: int
    height: int
    coded_width: int
    coded_height: int
    rotation: int
    pts: np.ndarray
    times: np.ndarray
    keyframes: np.ndarray
    time_base: Fraction
    nominal_fps: float
    codec: str
    header_frames: int
    has_audio: bool = False
    discarded_packets: int = 0
    warnings: tuple[str, ...] = field(default_factory=tuple)
    capture_fps: float = 0.0
    capture_key: str = ""
    damage: tuple[str, ...] = field(default_factory=tuple)

    @property
    def frame_count(self) -> int:
        """Number of frames that are shown (the decoded count)."""
        return int(len(self.pts))

    @property
    def duration_s(self) -> float:
        """Seconds from the first frame to the end of the last one."""
        if self.frame_count == 0:
            return 0.0
        return float(self.times[-1] + self.frame_interval(self.frame_count - 1))

    @property
    def average_fps(self) -> float:
        """Frames per second averaged over the clip (from timestamps)."""
        if self.frame_count < 2:
            return self.nominal_fps
        span = float(self.times[-1] - self.times[0])
        return (self.frame_count - 1) / span if span > 0 else self.nominal_fps

    @property
    def vfr(self) -> bool:
        """True when frame spacing varies by more than :data:`VFR_TOLERANCE`."""
        if self.frame_count < 3:
            return False
        d = np.diff(self.times)
        med = float(np.median(d))
        if med <= 0:
            return True
        return bool(np.max(np.abs(d - med)) > VFR_TOLERANCE * med)

    def frame_interval(self, n: int) -> float:
        """Display duration of frame ``n`` in seconds."""
        if n + 1 < self.frame_count:
            return float(self.times[n + 1] - self.times[n])
        if self.frame_count >= 2:
            return float(np.median(np.diff(self.times)))
        return 1.0 / self.nominal_fps if self.nominal_fps > 0 else 0.0

    def frame_at_time(self, t: float) -> int:
        """The frame shown at ``t`` seconds (the last frame starting at or before ``t``)."""
        if self.frame_count == 0:
            return 0
        i = int(np.searchsorted(self.times, t + 1e-9, side="right")) - 1
        return min(max(i, 0), self.frame_count - 1)

    def group_of(self, n: int) -> int:
        """Index of the keyframe group (GOP) that holds frame ``n``."""
        return int(np.searchsorted(self.keyframes, n, side="right")) - 1

    def group_range(self, g: int) -> tuple[int, int]:
        """Frames ``[start, stop)`` of keyframe group ``g``."""
        start = int(self.keyframes[g])
        stop = int(self.keyframes[g + 1]) if g + 1 < len(self.keyframes) else self.frame_count
        return start, stop

    def to_dict(self) -> dict[str, object]:
        """The facts ``liftlens info`` prints (JSON-ready)."""
        return {
            "path": self.path,
            "width": self.width,
            "height": self.height,
            "coded_width": self.coded_width,
            "coded_height": self.coded_height,
            "rotation": self.rotation,
            "frame_count": self.frame_count,
            "header_frames": self.header_frames,
            "duration_s": round(self.duration_s, 6),
            "fps": round(self.nominal_fps, 6),
            "average_fps": round(self.average_fps, 6),
            "vfr": self.vfr,
            "codec": self.codec,
            "keyframes": int(len(self.keyframes)),
            "has_audio": self.has_audio,
            "capture": TimeScale.of(self).to_dict(),
            "warnings": list(self.warnings),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)


def _normalise_rotation(deg: float) -> int:
    """FFmpeg reports counter-clockwise display rotation; return clockwise 0/90/180/270."""
    return int(round(-deg / 90.0)) % 4 * 90


def mp4_ends_early(path: str) -> bool:
    """True when ``path`` starts as an MP4/MOV (an ``ftyp`` box) but is cut off: one of
    its top-level boxes runs past the end of the file before any ``moov`` box (the index
    a player needs) was found, as in a copy, download or recording that stopped early.
    Reads the box headers only (ISO/IEC 14496-12 box layout)."""
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            off, first = 0, True
            while off + 8 <= size:
                f.seek(off)
                head = f.read(16)
                n, kind = int.from_bytes(head[:4], "big"), head[4:8]
                if first and kind != b"ftyp":
                    return False
                first = False
                if kind == b"moov":
                    return False
                if n == 1 and len(head) == 16:  # a 64-bit size follows the type
                    n = int.from_bytes(head[8:16], "big")
                elif n == 0:  # the box runs to the end of the file
                    return True
                if n < 8:
                    return False
                if off + n > size:
                    return True
                off += n
    except OSError:
        return False
    return not first


def open_container(path: str) -> av.container.InputContainer:
    """Open ``path`` with PyAV, turning every failure into a plain :class:`VideoError`
    whose ``kind`` says why in short words."""
    name = os.path.basename(path)
    if not os.path.exists(path):
        if os.path.islink(path):  # a link whose file was moved or deleted
            raise VideoError(f"“{name}” is a broken link: the file it points to "
                             f"(“{os.readlink(path)}”) no longer exists.", path, BROKEN_LINK)
        if not os.path.splitext(name)[1]:  # no file type: a folder as often as a file
            raise VideoError(f"“{name}” does not exist (no file or folder has that "
                             "name).", path, MISSING)
        raise VideoError(f"The file “{name}” does not exist.", path, MISSING)
    if os.path.isdir(path):
        raise VideoError(f"“{name}” is a folder, not a video file.", path, FOLDER)
    if os.path.getsize(path) == 0:
        raise VideoError(f"The file “{name}” is empty (0 bytes).", path, EMPTY)
    try:
        container = av.open(path, mode="r", metadata_errors="ignore")
    except (av.error.PermissionError, PermissionError) as exc:
        raise VideoError(f"LiftLens may not read “{name}”.", str(exc), UNREADABLE) from exc
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        if mp4_ends_early(path):
            raise VideoError(
                f"“{name}” ends early: the file was cut off before its index (an unfinished "
                "copy, download or recording). Copy it again from the phone or camera.",
                str(exc), ENDS_EARLY) from exc
        raise VideoError(
            f"“{name}” is not a video LiftLens can read "
            "(the file is damaged or not a video format).",
            str(exc), NOT_A_VIDEO,
        ) from exc
    except OSError as exc:  # an I/O error reading the disk
        raise VideoError(f"“{name}” cannot be read ({exc.strerror or exc}).", str(exc),
                         UNREADABLE) from exc
    fmt = getattr(container.format, "name", "") or ""
    if fmt.endswith("_pipe") or fmt in ("image2", "webp"):
        container.close()
        raise VideoError(f"“{name}” is a still image, not a video.", f"format {fmt}",
                         NOT_A_VIDEO)
    if not container.streams.video:
        container.close()
        raise VideoError(f"“{name}” has no video picture (it may be audio only).", path,
                         NOT_A_VIDEO)
    return container


def build_index(path: str) -> VideoIndex:
    """Index ``path`` by demuxing its packets and decoding only the first frame.

    Raises
    ------
    VideoError
        When the file is missing, not a video, has no video stream, has no
        decodable frame, or uses a codec this build cannot decode.
    """
    with VideoOpening(path) as opening:
        return opening.index()


@dataclass(frozen=True)
class FirstLook:
    """What opening a video can show before its index is built.

    Attributes
    ----------
    path : str
    width, height : int
        Display size in px (rotation applied).
    rotation : int
        Clockwise degrees applied for display (0, 90, 180, 270).
    nominal_fps : float
        The rate the container declares (0 when it declares none).
    header_frames : int
        The frame count the container header claims (may be wrong; 0 when absent).
    duration_s : float
        The duration the container header claims, seconds (0 when absent).
    codec : str
    frame : Frame
        The first picture the decoder shows, as BGR in display orientation, numbered 0
        with time 0.0. It is frame 0 (pictures come out in presentation order and the
        ones outside the edit list are never shown); :meth:`VideoOpening.index` checks
        its timestamp against the index all the same.
    pts : int
        That picture's presentation timestamp (stream time base).
    """

    path: str
    width: int
    height: int
    rotation: int
    nominal_fps: float
    header_frames: int
    duration_s: float
    codec: str
    frame: Frame
    pts: int


class VideoOpening:
    """Open a video in one pass over its packets: frame 0 first, then the full index.

    :meth:`first` reads packets only until the decoder gives its first picture
    (tens of milliseconds at 1080p: a player can show it at once); :meth:`index`
    reads the rest of the packets, without decoding them, into the
    :class:`VideoIndex`. Both use one container and one demux pass, so nothing is
    opened or read twice. One thread at a time.

    Raises
    ------
    VideoError
        From the constructor when the file cannot be opened as a video (see
        :func:`open_container`) or its codec cannot be decoded; from :meth:`index`
        when it has no frames or no decodable picture.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self._name = os.path.basename(self.path)
        self._container = open_container(self.path)
        try:
            self._stream = self._container.streams.video[0]
            ctx = self._stream.codec_context
            if ctx is None or not ctx.name:
                raise VideoError(f"“{self._name}” uses a video codec LiftLens cannot decode.",
                                 "no decoder")
        except BaseException:
            self._container.close()
            raise
        self._packets = self._container.demux(self._stream)
        self._pts: list[int] = []
        self._key_pts: list[int] = []
        self._discarded = 0
        self._warnings: list[str] = []
        self._detail = ""
        self._demux_done = False
        self._picture: av.VideoFrame | None = None
        self._decode_error: VideoError | None = None
        self._decoding = True
        self._look: FirstLook | None = None

    def first(self) -> FirstLook | None:
        """Frame 0 and the header facts, decoding no more than needed; None when no
        picture can be decoded (:meth:`index` then raises the reason)."""
        while self._decoding and self._picture is None and self._next_packet():
            pass
        if self._picture is None:
            return None
        if self._look is None:
            self._look = self._make_look(self._picture)
        return self._look

    def index(self) -> VideoIndex:
        """The full index (reads every remaining packet; decodes frame 0 if
        :meth:`first` has not)."""
        while self._next_packet():
            pass
        if not self._pts:
            raise VideoError(f"“{self._name}” contains no video frames.",
                             self._detail or "no packets")
        if self._picture is None:
            raise self._decode_error or VideoError(
                f"The video in “{self._name}” has no picture that can be decoded.", "no frame")
        return self._make_index(self._picture)

    def close(self) -> None:
        self._container.close()

    def __enter__(self) -> VideoOpening:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals ----------------------------------------------------------------

    def _next_packet(self) -> bool:
        """Read (and record) one packet; decode it while frame 0 is not out yet.
        False at the end of the stream."""
        if self._demux_done:
            return False
        try:
            packet = next(self._packets)
        except StopIteration:
            self._demux_done = True
            return False
        except av.error.FFmpegError as exc:
            self._warnings.append(
                f"The file is damaged after {len(self._pts)} frames; only those can be shown.")
            self._detail = str(exc)
            self._demux_done = True
            return False
        if packet.size and packet.pts is not None:
            if packet.is_discard:
                self._discarded += 1  # outside the edit list: decoded but never shown
            else:
                self._pts.append(int(packet.pts))
                if packet.is_keyframe:
                    self._key_pts.append(int(packet.pts))
        if self._decoding and self._picture is None:
            try:
                for frame in packet.decode():
                    self._picture = frame
                    break
            except av.error.FFmpegError as exc:
                self._decoding = False
                self._decode_error = VideoError(
                    f"The video in “{self._name}” cannot be decoded (damaged, or a codec "
                    "this build lacks).", str(exc))
        return True

    def _sizes(self, first: av.VideoFrame) -> tuple[int, int, int, int, int]:
        rotation = _normalise_rotation(getattr(first, "rotation", 0) or 0)
        ctx = self._stream.codec_context
        cw, ch = int(ctx.width or first.width), int(ctx.height or first.height)
        w, h = (ch, cw) if rotation in (90, 270) else (cw, ch)
        return rotation, cw, ch, w, h

    def _nominal_fps(self) -> float:
        stream = self._stream
        rate = stream.average_rate or stream.guessed_rate or stream.base_rate
        return float(stream.guessed_rate or rate or 0) or 30.0

    def _make_look(self, first: av.VideoFrame) -> FirstLook:
        import cv2  # not needed by `liftlens info`, which imports this module

        from analysis.video.frames import Frame, rotate

        rotation, _cw, _ch, w, h = self._sizes(first)
        if first.format.name == "yuv420p" and first.width % 2 == 0 and first.height % 2 == 0:
            image = cv2.cvtColor(first.to_ndarray(), cv2.COLOR_YUV2BGR_I420)
        else:
            image = first.to_ndarray(format="bgr24")
        image = rotate(image, rotation)
        stream = self._stream
        duration = 0.0
        if stream.duration and stream.time_base:
            duration = float(stream.duration * stream.time_base)
        elif self._container.duration:
            duration = self._container.duration / 1e6
        return FirstLook(path=self.path, width=w, height=h, rotation=rotation,
                         nominal_fps=self._nominal_fps(), header_frames=int(stream.frames or 0),
                         duration_s=duration, codec=str(stream.codec_context.name),
                         frame=Frame(0, 0.0, image), pts=int(first.pts or 0))

    def _make_index(self, first: av.VideoFrame) -> VideoIndex:
        stream, container = self._stream, self._container
        time_base = stream.time_base or Fraction(1, 90000)
        warnings = list(self._warnings)
        damage = list(self._warnings)  # so far only "damaged after N frames"
        pts = _unique_sorted(np.asarray(self._pts, dtype=np.int64))
        if len(pts) != len(self._pts):
            warnings.append("Some frames share a timestamp; duplicates are shown once.")
        rotation, cw, ch, w, h = self._sizes(first)
        keyframes = np.flatnonzero(np.isin(pts, np.asarray(sorted(set(self._key_pts)),
                                                           dtype=np.int64)))
        if len(keyframes) == 0 or keyframes[0] != 0:
            keyframes = np.concatenate([[0], keyframes]).astype(np.int64)
        times = (pts - pts[0]).astype(np.float64) * float(time_base)
        declared = int(stream.frames or 0)
        if declared and len(pts) < declared * TRUNCATED_SHARE and declared - len(pts) >= 10:
            warnings.append(f"The file ends early: {len(pts)} of the {declared} frames its "
                            "header declares could be read (it was cut short or damaged "
                            "while copying); what is there is shown.")
            damage.append(warnings[-1])
        capture = capture_fps_from_metadata(container.metadata, stream.metadata)
        index = VideoIndex(
            path=self.path,
            width=w,
            height=h,
            coded_width=cw,
            coded_height=ch,
            rotation=rotation,
            pts=pts,
            times=times,
            keyframes=keyframes.astype(np.int64),
            time_base=Fraction(time_base),
            nominal_fps=self._nominal_fps(),
            codec=str(stream.codec_context.name),
            header_frames=int(stream.frames or 0),
            has_audio=bool(container.streams.audio),
            discarded_packets=self._discarded,
            warnings=tuple(warnings),
            capture_fps=capture[0] if capture else 0.0,
            capture_key=capture[1] if capture else "",
            damage=tuple(damage),
        )
        if first.pts is not None and int(first.pts) == int(pts[0]):
            _remember_first(index, first)
        return index


#: First pictures decoded while indexing, by ``id(index)``, until a cache takes them
#: (or the index is garbage-collected). Each access is one dict operation, atomic under
#: the interpreter lock, and takes no lock of its own: :func:`_forget_first` runs as a
#: finalizer, wherever a collection happens to run, also on a thread inside this module.
_FIRST_PICTURES: dict[int, av.VideoFrame] = {}


def _remember_first(index: VideoIndex, picture: av.VideoFrame) -> None:
    _FIRST_PICTURES[id(index)] = picture
    weakref.finalize(index, _forget_first, id(index))


def _forget_first(key: int) -> None:
    _FIRST_PICTURES.pop(key, None)


def take_first_picture(index: VideoIndex) -> av.VideoFrame | None:
    """Frame 0 of ``index`` as decoded by :func:`build_index`, once (None afterwards).

    The picture's timestamp was checked against ``index.pts[0]``, so it is frame 0.
    """
    return _FIRST_PICTURES.pop(id(index), None)


def _unique_sorted(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` for a plain integer array, without loading ``numpy.ma`` (which
    ``np.unique`` imports to check for a masked array: 15-40 ms before ``liftlens analyze``
    can start decoding; the rep analysis loads it later, while the clip decodes)."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]

