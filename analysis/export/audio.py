"""Sound for an export: the source's audio, trimmed sample-exactly and re-encoded to AAC.

A stream copy can only cut between compressed packets (21 ms for AAC, more
for other codecs) and keeps the encoder's priming samples, so the sound would
drift from the pictures by up to a packet. Decoding, cutting at the exact
sample and re-encoding keeps sound and picture in step; gaps where the source
has no sound are filled with silence.
"""

from __future__ import annotations

from fractions import Fraction

import av
import numpy as np

from analysis.export.writer import AudioSpec, VideoWriter

#: Timestamp jitter (samples) tolerated before a hole is filled with silence.
_JITTER = 4


class AudioFeed:
    """Stream the samples of ``[start_s, end_s)`` of a file's first audio track.

    Parameters
    ----------
    path : str
        The source file.
    start_s, end_s : float
        The segment in the container's absolute time (s), i.e. the video's first
        shown frame's time plus the range's start and end.
    """

    def __init__(self, path: str, start_s: float, end_s: float) -> None:
        self._container = av.open(path, mode="r", metadata_errors="ignore")
        try:
            self._stream = self._container.streams.audio[0]
            ctx = self._stream.codec_context
            rate = int(ctx.sample_rate or self._stream.rate or 48000)
            layout = ctx.layout.name if ctx.layout is not None else "stereo"
            if ctx.layout is not None and ctx.layout.nb_channels > 2:
                layout = "stereo"  # AAC in MP4 plays everywhere as stereo; downmix the rest
            self.spec = AudioSpec(rate, layout)
            self._resampler = av.AudioResampler(format="fltp", layout=layout, rate=rate)
            self._start = float(start_s)
            self._total = max(0, int(round((end_s - start_s) * rate)))
            self._written = 0  # samples handed to the writer so far
            tb = self._stream.time_base or Fraction(1, rate)
            if start_s > 0:
                self._container.seek(max(0, int((start_s - 0.5) / tb)), stream=self._stream,
                                     backward=True)
            self._frames = self._container.decode(self._stream)
            self._exhausted = False
            self.warning = ""
        except BaseException:
            self._container.close()
            raise

    @property
    def done(self) -> bool:
        return self._written >= self._total

    def pump(self, writer: VideoWriter, until_s: float) -> None:
        """Hand the writer every sample up to ``until_s`` seconds of output time."""
        goal = min(self._total, int(round(min(until_s, 1e7) * self.spec.sample_rate)))
        while self._written < goal:
            if self._exhausted:
                self._silence(writer, goal - self._written)
                break
            try:
                frame = next(self._frames)
            except StopIteration:
                self._exhausted = True
                continue
            except av.FFmpegError:
                t = self._written / self.spec.sample_rate
                self.warning = (f"The sound is damaged after {t:.2f} s; "
                                "the export is silent from there.")
                self._exhausted = True
                continue
            self._take(writer, frame)

    def finish(self, writer: VideoWriter) -> None:
        """Hand over the rest of the segment (silence where the source has none)."""
        self.pump(writer, float("inf"))

    def close(self) -> None:
        self._container.close()

    # -- internals -----------------------------------------------------------------

    def _take(self, writer: VideoWriter, frame: av.AudioFrame) -> None:
        rate = self.spec.sample_rate
        for f in self._resampler.resample(frame):
            data = f.to_ndarray()  # (channels, samples) float32, planar
            if frame.pts is not None and frame.time_base is not None:
                t = float(frame.pts * frame.time_base)
                pos = int(round((t - self._start) * rate))
            else:
                pos = self._written
            if pos - self._written > _JITTER:  # a hole in the source sound
                self._silence(writer, pos - self._written)
            elif pos < self._written:  # before the segment, or overlapping what was written
                data = data[:, min(self._written - pos, data.shape[1]):]
            keep = min(data.shape[1], self._total - self._written)
            if keep > 0:
                self._emit(writer, data[:, :keep])

    def _silence(self, writer: VideoWriter, samples: int) -> None:
        channels = av.AudioLayout(self.spec.layout).nb_channels
        samples = min(samples, self._total - self._written)
        step = 4096
        while samples > 0:
            n = min(step, samples)
            self._emit(writer, np.zeros((channels, n), np.float32))
            samples -= n

    def _emit(self, writer: VideoWriter, data: np.ndarray) -> None:
        out = av.AudioFrame.from_ndarray(np.ascontiguousarray(data), format="fltp",
                                         layout=self.spec.layout)
        out.sample_rate = self.spec.sample_rate
        out.time_base = Fraction(1, self.spec.sample_rate)
        out.pts = self._written
        writer.write_audio(out)
        self._written += data.shape[1]
