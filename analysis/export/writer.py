"""H.264/AAC MP4 writing: encoder settings, the frame writer and atomic output.

The writer is the one place that knows libx264: yuv420p, profile high,
``movflags=+faststart`` (the index goes before the pictures so phones and
browsers start playing before the download ends), frame threading. Frames come
in as BGR or as planar I420 with explicit presentation times in seconds, so
variable frame rates and slow motion survive exactly.

:class:`AtomicOutput` makes an export all-or-nothing: the file is written under
a temporary name in the target folder, flushed to disk (fsync), then renamed
over the target in one step. A failed or cancelled export removes its temporary
file and leaves an existing target untouched.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Protocol

import av
import cv2
import numpy as np

from analysis.export.errors import ExportError, plain_write_error
from analysis.io.atomic import UMASK, fsync_dir
from analysis.video.capture import CAPTURE_KEYS


#: Output time base: 1/90000 s keeps variable-rate and slowed timestamps exact to ~11 µs.
TIME_BASE = Fraction(1, 90000)

#: x264 tuning measured on a noisy 1080p30 clip (bench/bench_export.py, 2 cores):
#: dropping the inter 8x8/4x4 partition search costs ~13 % of encode CPU less
#: than the plain veryfast preset at the same CRF, with no visible loss.
FAST_X264_PARAMS = "partitions=i8x8,i4x4"


@dataclass(frozen=True)
class EncodeSettings:
    """How libx264 encodes an export.

    Attributes
    ----------
    preset : str
        x264 speed preset (``"veryfast"`` keeps 1080p30 exports above real time
        on two cores with overlays; ``"faster"`` and slower are 3x slower).
    crf : int
        Constant quality (lower is better; 18 is visually lossless, 23 x264's default).
    profile : str
        H.264 profile, ``"high"`` or ``"main"`` (both play on phones and browsers).
    keyint_s : float
        Longest keyframe interval (s): bounds seek time in players.
    x264_params : str
        Extra ``x264-params`` (``key=value:key=value``), may be empty.
    threads : int
        Encoder threads (0: x264 picks, about 1.5 per core).
    audio_bitrate : int
        AAC bit rate (bit/s).
    """

    preset: str = "veryfast"
    crf: int = 21
    profile: str = "high"
    keyint_s: float = 2.0
    x264_params: str = FAST_X264_PARAMS
    threads: int = 0
    audio_bitrate: int = 160_000


@dataclass(frozen=True)
class AudioSpec:
    """The audio track of an export (AAC)."""

    sample_rate: int
    layout: str


@dataclass(frozen=True)
class ColorTags:
    """Colour description copied from the source so players show the same colours."""

    color_range: int = 0
    colorspace: int = 2
    color_primaries: int = 2
    color_trc: int = 2


@dataclass(frozen=True)
class WriterSpec:
    """Everything a writer needs to know before the first frame.

    Attributes
    ----------
    path : str
        File to write (the temporary file of an :class:`AtomicOutput`).
    width, height : int
        Output size (px, even).
    rate : fractions.Fraction
        Nominal frame rate written to the header (frames/s); frame times come
        from the timestamps passed to :meth:`VideoWriter.write_video`.
    settings : EncodeSettings
        Encoder settings.
    audio : AudioSpec or None
        Audio track to create, if any.
    color : ColorTags or None
        Colour tags of the source.
    capture_fps : float or None
        Frames per second of real time when the file does not play in real time (a
        slowed or sped-up export): written as Android's ``com.android.capture.fps``
        key, which LiftLens (:mod:`analysis.video.capture`) and phone galleries read,
        so the file's velocities and times stay real when it is opened again.
    """

    path: str
    width: int
    height: int
    rate: Fraction
    settings: EncodeSettings = field(default_factory=EncodeSettings)
    audio: AudioSpec | None = None
    color: ColorTags | None = None
    capture_fps: float | None = None


class VideoWriter(Protocol):
    """What the export pipeline needs from a writer (the seam for fault injection)."""

    def write_video(self, image: np.ndarray, planar: bool, t: float, duration: float) -> None:
        """Encode one picture shown from ``t`` for ``duration`` seconds.

        ``image`` is BGR ``(h, w, 3)`` or, when ``planar``, I420 ``(h * 3 // 2, w)``.
        """

    def write_audio(self, frame: av.AudioFrame) -> None:
        """Encode audio samples (``frame.pts`` in samples from the start of the export)."""

    def close(self) -> None:
        """Flush the encoders and finish the file."""

    def abort(self) -> None:
        """Stop without finishing the file (after an error or a cancel); never raises."""


WriterFactory = Callable[[WriterSpec], VideoWriter]


class H264Writer:
    """Write H.264 (libx264, yuv420p, faststart) plus optional AAC into an MP4 file.

    Picture times should increase; one that rounds onto or before the previous
    picture's 1/90000 s tick is written one tick after it, since the MP4 muxer
    refuses equal or decreasing timestamps.
    """

    def __init__(self, spec: WriterSpec) -> None:
        if spec.width % 2 or spec.height % 2:
            raise ExportError(f"The output size {spec.width}x{spec.height} must be even.")
        self.spec = spec
        s = spec.settings
        # use_metadata_tags: keys such as com.android.capture.fps are written as the
        # phone writes them (an mdta key), not dropped
        self._container = av.open(spec.path, mode="w", format="mp4",
                                  options={"movflags": "+faststart+use_metadata_tags"})
        if spec.capture_fps:
            self._container.metadata[CAPTURE_KEYS[0]] = f"{spec.capture_fps:.6f}"
        try:
            rate = spec.rate if spec.rate > 0 else Fraction(30)
            stream = self._container.add_stream("libx264", rate=rate)
            stream.width, stream.height = spec.width, spec.height
            stream.pix_fmt = "yuv420p"
            stream.time_base = TIME_BASE
            stream.codec_context.time_base = TIME_BASE
            # Frame threading: ~25 % faster than slices on two cores.
            stream.thread_type = "FRAME"
            if s.threads:
                stream.thread_count = s.threads
            options = {
                "preset": s.preset,
                "crf": str(s.crf),
                "profile": s.profile,
                "g": str(max(1, int(round(float(rate) * s.keyint_s)))),
            }
            if s.x264_params:
                options["x264-params"] = s.x264_params
            stream.options = options
            if spec.color is not None:
                cc = stream.codec_context
                cc.color_range = spec.color.color_range
                cc.colorspace = spec.color.colorspace
                cc.color_primaries = spec.color.color_primaries
                cc.color_trc = spec.color.color_trc
            self._video = stream
            self._last_pts = -1
            # Each picture's duration by its pts, given to its packet: the MP4 muxer
            # takes the last picture's duration (and so the file's length) from it.
            self._durations: dict[int, int] = {}
            self._audio: av.audio.stream.AudioStream | None = None
            if spec.audio is not None:
                a = self._container.add_stream("aac", rate=spec.audio.sample_rate)
                a.layout = spec.audio.layout
                a.bit_rate = s.audio_bitrate
                a.time_base = Fraction(1, spec.audio.sample_rate)
                self._audio = a
        except BaseException:
            self.abort()
            raise

    def write_video(self, image: np.ndarray, planar: bool, t: float, duration: float) -> None:
        if planar:
            yuv = image
        else:
            # cv2's BT.601 conversion is 8x faster than swscale here and is the exact
            # inverse of the decode path (analysis.video.frames.PackedFrame.to_bgr).
            yuv = cv2.cvtColor(image, cv2.COLOR_BGR2YUV_I420)
        frame = av.VideoFrame.from_ndarray(yuv, format="yuv420p")
        # The muxer refuses two pictures on one timestamp: a time that rounds onto
        # (or before) the previous picture's tick moves one tick later.
        pts = max(int(round(t / TIME_BASE)), self._last_pts + 1)
        self._last_pts = pts
        frame.pts = pts
        frame.duration = max(1, int(round(duration / TIME_BASE)))
        frame.time_base = TIME_BASE
        self._durations[pts] = frame.duration
        for packet in self._video.encode(frame):
            self._mux_video(packet)

    def _mux_video(self, packet: av.Packet) -> None:
        if packet.pts is not None and packet.time_base == TIME_BASE:
            packet.duration = self._durations.pop(packet.pts, packet.duration)
        self._container.mux(packet)

    def write_audio(self, frame: av.AudioFrame) -> None:
        if self._audio is None:
            return
        for packet in self._audio.encode(frame):
            self._container.mux(packet)

    def close(self) -> None:
        for packet in self._video.encode(None):
            self._mux_video(packet)
        if self._audio is not None:
            for packet in self._audio.encode(None):
                self._container.mux(packet)
        self._container.close()  # writes the index and moves it to the front (faststart)

    def abort(self) -> None:
        try:
            self._container.close()
        except Exception:  # the file is thrown away anyway
            pass


def refuse_own_input(target: str | os.PathLike[str],
                     inputs: Iterable[str | os.PathLike[str]]) -> None:
    """Refuse an export whose output file is one of its inputs.

    Replacing the input would destroy the video (or session) being read. Two names
    are the same file when they resolve to the same path (symbolic links followed)
    or share device and inode (hard links, bind mounts), as ``os.path.samefile``.

    Raises
    ------
    ExportError
        When ``target`` is one of ``inputs``.
    """
    target = os.fspath(target)
    real = os.path.realpath(target)
    for item in inputs:
        src = os.fspath(item)
        same = real == os.path.realpath(src)
        if not same:
            try:
                same = os.path.samefile(target, src)
            except (OSError, ValueError):
                same = False  # the target does not exist yet (or the input is gone)
        if same:
            raise ExportError(
                f"“{os.path.basename(target)}” is the file being exported "
                f"(“{os.path.basename(src)}”); writing over it would destroy it. "
                "Choose another name for the export.")


class AtomicOutput:
    """Write a file under a temporary name and move it over ``target`` only on success.

    Use as a context manager: the temporary file (``.name.xxxx.part`` in the
    target folder, so the final rename never crosses file systems) is removed
    when the block raises; :meth:`commit` flushes it to disk and renames it.

    Parameters
    ----------
    target : str
        The file the user asked for.
    overwrite : bool
        Replace an existing ``target``; without it an existing file is an error.
    inputs : iterable of path-like
        The files the export reads (source videos, a session file): ``target`` may
        never be one of them, even with ``overwrite``, whether by the same name, a
        symbolic link or a hard link (see :func:`refuse_own_input`).

    Raises
    ------
    ExportError
        When ``target`` is empty, is one of ``inputs``, exists (and ``overwrite``
        is False), is a folder, or its folder is missing or not writable.
    """

    def __init__(self, target: str | os.PathLike[str], overwrite: bool = False,
                 inputs: Iterable[str | os.PathLike[str]] = ()) -> None:
        if not os.fspath(target).strip():
            raise ExportError("No output file was given; name the MP4 file to write "
                              "(for example clip.mp4).")
        refuse_own_input(target, inputs)
        self.target = os.path.abspath(os.fspath(target))
        self.overwrite = overwrite
        name = os.path.basename(self.target)
        folder = os.path.dirname(self.target)
        if not name:
            raise ExportError("No file name was given for the export.")
        if os.path.isdir(self.target):
            raise ExportError(f"“{name}” is a folder; choose a file name for the export.")
        if not os.path.isdir(folder):
            raise ExportError(f"The folder “{folder}” does not exist.")
        self._check_exists()
        try:
            fd, self.temp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=folder)
        except OSError as exc:
            raise plain_write_error(exc, self.target) from exc
        os.close(fd)
        self.committed = False

    def _check_exists(self) -> None:
        if not self.overwrite and os.path.lexists(self.target):
            raise ExportError(
                f"“{os.path.basename(self.target)}” already exists; "
                "choose another name or allow overwriting.")

    def commit(self) -> None:
        """Flush the temporary file to disk and rename it to the target."""
        try:
            with open(self.temp, "rb+") as f:
                os.fsync(f.fileno())
            # mkstemp makes the file private (0600); give it the permissions of a normal file
            os.chmod(self.temp, 0o666 & ~UMASK)
            self._check_exists()  # a file may have appeared meanwhile
            os.replace(self.temp, self.target)
            self.committed = True
            fsync_dir(os.path.dirname(self.target))
        except ExportError:
            raise
        except OSError as exc:
            raise plain_write_error(exc, self.target) from exc

    def discard(self) -> None:
        """Remove the temporary file (never raises)."""
        if not self.committed:
            try:
                os.unlink(self.temp)
            except FileNotFoundError:
                pass
            except OSError:
                pass

    def __enter__(self) -> AtomicOutput:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is not None or not self.committed:
            self.discard()
