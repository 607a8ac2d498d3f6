"""The render-callback contract shared by every export, plus output sizing.

A render callback burns overlays (drawings, bar path, data HUD) into an
exported frame with the same painter the app uses on screen::

    render(frame: ExportFrame, out_index: int) -> numpy.ndarray

Contract
--------
* ``frame.image`` is BGR ``uint8`` of shape ``(out_h, out_w, 3)``, C-contiguous,
  **already scaled to the output size**; the callback owns it and may draw into
  it in place. It must return a BGR ``uint8`` array of exactly that shape (the
  same array or a new one); anything else stops the export with an
  :class:`~analysis.export.errors.ExportError`.
* ``frame.index`` and ``frame.time`` are the *source* frame number and the
  source timestamp in seconds (what annotations are keyed by), ``frame.out_time``
  the time in the exported file (s), ``out_index`` the 0-based output frame
  number.
* ``frame.scale_x`` / ``frame.scale_y`` are output pixels per source pixel
  (display orientation): a point ``(x, y)`` in source-image pixels lies at
  ``(x * scale_x, y * scale_y)`` in ``frame.image``. Line widths and font sizes
  given in source pixels scale by ``frame.scale``. A Qt painter can simply call
  ``QPainter.scale(frame.scale_x, frame.scale_y)`` before drawing in source
  coordinates; it should paint on an RGB32 image (``cv2.COLOR_BGR2BGRA``), not
  on BGR888, which is an order of magnitude slower.
* The callback is called from one export worker thread (the caller's thread
  when the export runs with ``threaded=False``), strictly in output order, never
  concurrently. It must not touch widgets; painting on a QImage is fine.
* An exception raised by the callback stops the export; it surfaces as an
  :class:`ExportError` whose ``__cause__`` is the original exception.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from analysis.export.errors import ExportError
from analysis.video.frames import Frame, PackedFrame, rotate

#: Output size presets: the largest (long side, short side) in pixels. The box
#: turns with the clip, so a portrait phone clip at "1080p" is at most 1080x1920.
SIZE_PRESETS: dict[str, tuple[int, int] | None] = {
    "source": None,
    "1080p": (1920, 1080),
    "720p": (1280, 720),
}


@dataclass(frozen=True)
class ExportFrame(Frame):
    """A frame handed to a render callback (see the module docstring for the contract).

    Attributes
    ----------
    out_time : float
        Presentation time in the exported file (s).
    scale_x, scale_y : float
        Output pixels per source pixel, horizontally and vertically.
    source_width, source_height : int
        Size of the source picture as displayed (px).
    """

    out_time: float = 0.0
    scale_x: float = 1.0
    scale_y: float = 1.0
    source_width: int = 0
    source_height: int = 0

    @property
    def scale(self) -> float:
        """Mean of ``scale_x`` and ``scale_y``: for line widths and font sizes."""
        return 0.5 * (self.scale_x + self.scale_y)

    def to_output(self, x: float, y: float) -> tuple[float, float]:
        """Map a point from source-image pixels to output pixels."""
        return x * self.scale_x, y * self.scale_y


RenderFn = Callable[[ExportFrame, int], np.ndarray]


def identity_render(frame: ExportFrame, out_index: int) -> np.ndarray:
    """The default callback: no overlay."""
    return frame.image


def chain_renders(renders: Sequence[RenderFn]) -> RenderFn | None:
    """One callback that applies ``renders`` in order (None when the list is empty).

    Each callback receives the previous one's output as ``frame.image``.
    """
    fns = [r for r in renders if r is not None and r is not identity_render]
    if not fns:
        return None
    if len(fns) == 1:
        return fns[0]

    def chained(frame: ExportFrame, out_index: int) -> np.ndarray:
        for fn in fns:
            image = fn(frame, out_index)
            frame = _with_image(frame, image)
        return frame.image

    return chained


def _with_image(frame: ExportFrame, image: np.ndarray) -> ExportFrame:
    return ExportFrame(frame.index, frame.time, image, frame.out_time, frame.scale_x,
                       frame.scale_y, frame.source_width, frame.source_height)


def apply_render(render: RenderFn | None, frame: ExportFrame, out_index: int) -> np.ndarray:
    """Run ``render`` on ``frame`` and check what it returns (BGR uint8, same shape).

    Raises
    ------
    ExportError
        When the callback fails or returns a picture of the wrong size or type.
    """
    if render is None:
        return frame.image
    shape = frame.image.shape
    try:
        out = render(frame, out_index)
    except Exception as exc:
        raise ExportError(
            f"The overlay could not be drawn on frame {frame.index} ({frame.time:.2f} s).",
            f"{type(exc).__name__}: {exc}") from exc
    if not isinstance(out, np.ndarray) or out.shape != shape or out.dtype != np.uint8:
        got = getattr(out, "shape", type(out).__name__)
        raise ExportError(
            f"The overlay returned a picture of the wrong size on frame {frame.index}.",
            f"expected uint8 {shape}, got {got} {getattr(out, 'dtype', '')}")
    return out


def even(x: float) -> int:
    """Nearest even integer ≥ 2 (H.264 in yuv420p needs even dimensions)."""
    return max(2, int(round(x / 2.0)) * 2)


def fit_size(width: int, height: int, preset: str | tuple[int, int] | None
             ) -> tuple[int, int]:
    """Output size (px, even) for a ``width`` x ``height`` picture under a size preset.

    Parameters
    ----------
    width, height : int
        Displayed source size (px).
    preset : str or (long, short) or None
        ``"source"``/None keeps the size, ``"1080p"`` fits within 1920x1080 and
        ``"720p"`` within 1280x720, the box turned to match the clip's
        orientation. Aspect is kept; pictures are never enlarged. Odd source
        sizes lose their last column/row (no rescale) when nothing else scales.

    Raises
    ------
    ExportError
        For an unknown preset name or a picture smaller than 2x2.
    """
    if width < 2 or height < 2:
        raise ExportError(f"A {width}x{height} picture is too small to export.")
    if isinstance(preset, str):
        if preset not in SIZE_PRESETS:
            names = ", ".join(SIZE_PRESETS)
            raise ExportError(f"Unknown size “{preset}”; choose one of {names}.")
        box = SIZE_PRESETS[preset]
    else:
        box = preset
    if box is None:
        return width // 2 * 2, height // 2 * 2
    long_max, short_max = max(box), min(box)
    s = min(1.0, long_max / max(width, height), short_max / min(width, height))
    if s >= 1.0:
        return width // 2 * 2, height // 2 * 2
    w, h = even(width * s), even(height * s)
    # rounding to even must never overflow the box
    while max(w, h) > long_max or min(w, h) > short_max:
        w, h = (w - 2, h) if w * height > h * width else (w, h - 2)
    return w, h


def to_output_size(image: np.ndarray, width: int, height: int, copy: bool = True
                   ) -> np.ndarray:
    """Bring a BGR picture to ``width`` x ``height``: crop an odd last row/column, else resize.

    Returns a C-contiguous array; with ``copy`` (the default) never ``image`` itself,
    so the caller may draw into it without touching the original.
    """
    h, w = image.shape[:2]
    if (w, h) == (width, height):
        return image.copy() if copy else np.ascontiguousarray(image)
    if (w // 2 * 2, h // 2 * 2) == (width, height):
        return np.ascontiguousarray(image[:height, :width])
    interp = cv2.INTER_AREA if width < w else cv2.INTER_LINEAR
    return cv2.resize(image, (width, height), interpolation=interp)


def output_scale(width: int, height: int, out_w: int, out_h: int) -> tuple[float, float]:
    """Output pixels per source pixel (x, y) for :func:`to_output_size`."""
    if (width // 2 * 2, height // 2 * 2) == (out_w, out_h):
        return 1.0, 1.0  # cropped, not scaled
    return out_w / width, out_h / height


def packed_at_size(packed: PackedFrame, width: int, height: int) -> np.ndarray:
    """A decoded picture as a new BGR array of ``width`` x ``height`` px (display
    orientation), for a picture shown at another size than its source's (a side of a
    comparison export).

    An I420 picture is scaled in its planes and converted at the size it is shown: each
    plane is halved (2x2 means, exact) while it is at least twice the size wanted, then
    interpolated to the size (:func:`_plane_at`), and only then converted to BGR. A
    1080p side shown at 956x538 costs about 2 ms so, against 10-30 ms for converting
    the full picture and area-resizing it (a factor just under 1/2 takes OpenCV's slow
    general area path).
    A picture kept as BGR (odd coded size) is converted first, then resized.
    """
    width, height = max(int(width), 1), max(int(height), 1)
    if not packed.planar:
        return _resized(packed.to_bgr(), width, height)
    rot = packed.rotation
    sw, sh = (width, height) if rot in (0, 180) else (height, width)
    h, w = packed.coded_height, packed.data.shape[1]
    chroma = packed.data[h:].reshape(-1)
    quarter = (h // 2) * (w // 2)
    ew, eh = sw + sw % 2, sh + sh % 2  # I420 needs an even size
    y = _plane_at(packed.data[:h], ew, eh)
    u = _plane_at(chroma[:quarter].reshape(h // 2, w // 2), ew // 2, eh // 2)
    v = _plane_at(chroma[quarter:2 * quarter].reshape(h // 2, w // 2), ew // 2, eh // 2)
    i420 = np.concatenate((y.reshape(-1), u.reshape(-1), v.reshape(-1))).reshape(eh * 3 // 2, ew)
    img = rotate(cv2.cvtColor(i420, cv2.COLOR_YUV2BGR_I420), rot)
    return _resized(img, width, height) if img.shape[:2] != (height, width) else img


def _plane_at(plane: np.ndarray, width: int, height: int) -> np.ndarray:
    """One image plane at ``width`` x ``height`` px: halved exactly (2x2 means) while at
    least twice as large, then interpolated linearly. What is left after the halving is
    a factor between 1/2 and 1, where every source pixel still counts (no aliasing), and
    linear interpolation costs a fifth of OpenCV's area path at such a factor."""
    while (plane.shape[1] >= 2 * width and plane.shape[0] >= 2 * height
           and plane.shape[1] % 2 == 0 and plane.shape[0] % 2 == 0):
        plane = cv2.resize(plane, (plane.shape[1] // 2, plane.shape[0] // 2),
                           interpolation=cv2.INTER_AREA)
    if (plane.shape[1], plane.shape[0]) == (width, height):
        return plane
    return cv2.resize(plane, (width, height), interpolation=cv2.INTER_LINEAR)


def _resized(image: np.ndarray, width: int, height: int) -> np.ndarray:
    h, w = image.shape[:2]
    if (w, h) == (width, height):
        return image
    interp = cv2.INTER_AREA if width < w else cv2.INTER_LINEAR
    return cv2.resize(image, (width, height), interpolation=interp)
