"""Frame-accurate video access: index, decoding and the frame cache."""

from analysis.video.errors import VideoError
from analysis.video.index import VideoIndex, build_index
from analysis.video.frames import Frame, PackedFrame
from analysis.video.source import Cancelled, VideoSource

__all__ = ["Cancelled", "Frame", "PackedFrame", "VideoError", "VideoIndex", "VideoSource", "build_index"]
