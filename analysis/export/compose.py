"""Pure numpy/cv2 picture composition: two clips on one canvas, contact sheets.

Nothing here decodes or encodes; every function takes and returns BGR
``uint8`` arrays, so the same code serves exported videos, still images and
tests. Labels and captions use OpenCV's Hershey font, which draws ASCII only (any
other character came out as one "?" per byte: "Ana ?? squat" for "Ana · squat"), so
their text is first put in ASCII by :func:`ascii_text`; richer overlays go through a
render callback and the app's painter.
"""

from __future__ import annotations

from collections.abc import Sequence
import math
import unicodedata
from dataclasses import dataclass

import cv2
import numpy as np

from analysis.export.errors import ExportError

#: Canvas colour around letterboxed pictures (BGR).
BACKGROUND = (24, 24, 24)
_TEXT = (240, 240, 240)
_FONT = cv2.FONT_HERSHEY_SIMPLEX


#: The characters LiftLens writes in captions that have an ASCII look-alike.
_ASCII_LOOKALIKE = str.maketrans({
    "·": "-", "•": "-", "–": "-", "—": "-", "−": "-", "×": "x", "“": '"', "”": '"',
    "„": '"', "‘": "'", "’": "'", "…": "...", "±": "+/-", "°": " deg", "µ": "u",
    "²": "2", "³": "3", "½": "1/2", "→": "->", "≈": "~", "≤": "<=", "≥": ">=",
    "\u00a0": " ", "\u202f": " ", "ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O",
    "œ": "oe", "Œ": "OE", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "þ": "th",
})


def ascii_text(text: str) -> str:
    """``text`` in the ASCII that OpenCV's Hershey font draws: punctuation by its look-alike
    ("Ana · 120 kg × 5" -> "Ana - 120 kg x 5"), letters without their accents ("Zoë
    Müller" -> "Zoe Muller"), anything else (a script Hershey has no letters for) as "?"."""
    plain = unicodedata.normalize("NFKD", text.translate(_ASCII_LOOKALIKE))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return plain.translate(_ASCII_LOOKALIKE).encode("ascii", "replace").decode("ascii")


@dataclass(frozen=True)
class Rect:
    """An axis-aligned rectangle in canvas pixels (x, y of the top-left corner)."""

    x: int
    y: int
    w: int
    h: int


def fit_rect(width: int, height: int, box_w: int, box_h: int) -> Rect:
    """The largest ``width:height`` rectangle centred in a ``box_w`` x ``box_h`` box (px)."""
    if width <= 0 or height <= 0:
        raise ExportError(f"A {width}x{height} picture cannot be placed.")
    s = min(box_w / width, box_h / height)
    w = max(1, min(box_w, int(round(width * s))))
    h = max(1, min(box_h, int(round(height * s))))
    return Rect((box_w - w) // 2, (box_h - h) // 2, w, h)


def letterbox(image: np.ndarray, width: int, height: int,
              background: tuple[int, int, int] = BACKGROUND) -> np.ndarray:
    """``image`` scaled to fit ``width`` x ``height`` px (aspect kept), centred on a canvas."""
    r = fit_rect(image.shape[1], image.shape[0], width, height)
    canvas = filled(width, height, background)
    canvas[r.y:r.y + r.h, r.x:r.x + r.w] = _resize(image, r.w, r.h)
    return canvas


@dataclass(frozen=True)
class PairLayout:
    """Where two pictures go on a shared canvas.

    Attributes
    ----------
    width, height : int
        Canvas size (px, even: ready for H.264).
    slots : tuple of Rect
        The picture area of side A and side B, aspect-correct for each source.
    layout : str
        ``"horizontal"`` (side by side) or ``"vertical"`` (top and bottom).
    """

    width: int
    height: int
    slots: tuple[Rect, Rect]
    layout: str

    def blank(self, background: tuple[int, int, int] = BACKGROUND) -> np.ndarray:
        """The empty canvas, ``(height, width, 3)`` BGR filled with ``background``."""
        return filled(self.width, self.height, background)

    def compose(self, a: np.ndarray | None, b: np.ndarray | None,
                labels: Sequence[str | None] = (None, None),
                background: tuple[int, int, int] = BACKGROUND,
                blank: np.ndarray | None = None) -> np.ndarray:
        """Paint ``a`` and ``b`` into their slots (resized if not slot-sized); None = blank.

        ``blank`` is :meth:`blank` made once, for a caller composing many pictures.
        Returns a new ``(height, width, 3)`` BGR canvas.
        """
        canvas = self.blank(background) if blank is None else blank.copy()
        # each name in its own side's title area, clear of the other side's (two names
        # filling their sides read as one strip across both pictures); both at one size:
        # the smaller of the two that fit (a long name shrank on its side only, and the
        # two sides looked different)
        areas = [label_area(slot) for slot in self.slots]
        scales = [label_scale(label, area) for label, area in zip(labels, areas, strict=True)
                  if label]
        s = min(scales) if scales else None
        for image, slot, area, label in zip((a, b), self.slots, areas, labels, strict=True):
            if image is not None:
                canvas[slot.y:slot.y + slot.h, slot.x:slot.x + slot.w] = _resize(
                    image, slot.w, slot.h)
            if label:
                draw_label(canvas, label, area, s)
        return canvas


def pair_layout(size_a: tuple[int, int], size_b: tuple[int, int], layout: str = "horizontal",
                max_size: tuple[int, int] | None = None, gap: int = 8) -> PairLayout:
    """Lay out two pictures of sizes ``(w, h)`` side by side or one above the other.

    Side by side, both are shown at the same height (the taller one's height);
    top and bottom, at the same width (the wider one's). So two clips of
    different resolutions appear the same size, which is what a comparison
    needs. The whole canvas is then shrunk to fit ``max_size``
    ``(long side, short side)`` px if given, and rounded to even dimensions.

    Raises
    ------
    ExportError
        For an unknown layout or an empty picture size.
    """
    (wa, ha), (wb, hb) = size_a, size_b
    if min(wa, ha, wb, hb) <= 0:
        raise ExportError("A picture of the comparison has no size.")
    if layout == "horizontal":
        h = max(ha, hb)
        sa, sb = (wa * h / ha, h), (wb * h / hb, h)
        cw, ch = sa[0] + gap + sb[0], float(h)
    elif layout == "vertical":
        w = max(wa, wb)
        sa, sb = (w, ha * w / wa), (w, hb * w / wb)
        cw, ch = float(w), sa[1] + gap + sb[1]
    else:
        raise ExportError(f"Unknown layout “{layout}”; use horizontal or vertical.")
    s = 1.0
    if max_size is not None:
        long_max, short_max = max(max_size), min(max_size)
        s = min(1.0, long_max / max(cw, ch), short_max / min(cw, ch))
    # round the canvas up to even so neither slot loses a pixel to rounding
    width, height = _even_up(cw * s), _even_up(ch * s)
    if layout == "horizontal":
        g = int(round(gap * s))
        wa_px = int(round(sa[0] * s))
        slot_a = fit_rect(wa, ha, wa_px, height)
        slot_b = fit_rect(wb, hb, width - wa_px - g, height)
        slot_b = Rect(slot_b.x + wa_px + g, slot_b.y, slot_b.w, slot_b.h)
    else:
        g = int(round(gap * s))
        ha_px = int(round(sa[1] * s))
        slot_a = fit_rect(wa, ha, width, ha_px)
        slot_b = fit_rect(wb, hb, width, height - ha_px - g)
        slot_b = Rect(slot_b.x, slot_b.y + ha_px + g, slot_b.w, slot_b.h)
    return PairLayout(width, height, (slot_a, slot_b), layout)


def compose_pair(a: np.ndarray | None, b: np.ndarray | None, layout: str = "horizontal",
                 labels: Sequence[str | None] = (None, None), gap: int = 8,
                 max_size: tuple[int, int] | None = None,
                 background: tuple[int, int, int] = BACKGROUND,
                 blank_size: tuple[int, int] = (640, 360)) -> np.ndarray:
    """Two BGR pictures of any sizes on one letterboxed canvas (see :func:`pair_layout`).

    A missing picture (None) leaves its slot blank, sized like the other side
    (or ``blank_size`` ``(w, h)`` px when both are missing).
    """
    def size(img: np.ndarray | None, other: np.ndarray | None) -> tuple[int, int]:
        ref = img if img is not None else other
        return blank_size if ref is None else (ref.shape[1], ref.shape[0])

    lay = pair_layout(size(a, b), size(b, a), layout, max_size, gap)
    return lay.compose(a, b, labels, background)


#: Share of a side's width kept free right of its title (at least :data:`LABEL_GAP_PX`).
LABEL_GAP_SHARE = 0.06
LABEL_GAP_PX = 12


def label_area(slot: Rect) -> Rect:
    """Where a side's title may go: its picture's top, less a margin on the right, so a
    long title stops visibly short of the next side's (it is shrunk, then elided, to fit)."""
    margin = max(LABEL_GAP_PX, int(round(slot.w * LABEL_GAP_SHARE)))
    return Rect(slot.x, slot.y, max(1, slot.w - margin), slot.h)


def label_scale(text: str, rect: Rect) -> float:
    """The font scale :func:`draw_label` writes ``text`` at in ``rect``: one for the
    rect's height, made smaller (down to a readable 0.35) when the text is wider."""
    s = max(0.35, min(1.5, rect.h / 600))
    room = max(1, rect.w - 2 * max(3, int(6 * s)))
    tw = cv2.getTextSize(ascii_text(text), _FONT, s, max(1, int(round(2 * s))))[0][0]
    return max(0.35, s * room / tw) if tw > room else s


def draw_label(canvas: np.ndarray, text: str, rect: Rect, scale: float | None = None) -> None:
    """Write ``text`` in the top-left corner of ``rect`` on a dark band (in place). A text
    wider than ``rect`` is made smaller (down to a readable size), then shortened in the
    middle with "..." (the start and the end of a file name say the most); nothing is
    drawn outside ``rect``."""
    text = ascii_text(text)
    s = label_scale(text, rect) if scale is None else scale
    room = max(1, rect.w - 2 * max(3, int(6 * s)))
    tw = cv2.getTextSize(text, _FONT, s, max(1, int(round(2 * s))))[0][0]
    if tw > room:
        s = max(0.35, s * room / tw)
    thick = max(1, int(round(2 * s)))
    pad = max(3, int(6 * s))
    room = max(1, rect.w - 2 * pad)
    keep = len(text)
    shown = text
    while keep > 2 and cv2.getTextSize(shown, _FONT, s, thick)[0][0] > room:
        keep -= 1
        head = (keep + 1) // 2
        shown = text[:head] + "..." + text[len(text) - (keep - head):]
    (tw, th), base = cv2.getTextSize(shown, _FONT, s, thick)
    x0, y0 = rect.x, rect.y
    x1, y1 = min(rect.x + rect.w, x0 + tw + 2 * pad), min(rect.y + rect.h, y0 + th + base + 2 * pad)
    band = canvas[y0:y1, x0:x1]
    band[:] = (band.astype(np.uint16) * 2 // 5).astype(np.uint8)  # darken: readable on any frame
    cv2.putText(band, shown, (pad, pad + th), _FONT, s, _TEXT, thick, cv2.LINE_AA)


def contact_sheet(images: Sequence[np.ndarray], captions: Sequence[str] | None = None,
                  columns: int = 4, cell_width: int = 320, gap: int = 8,
                  title: str | None = None,
                  background: tuple[int, int, int] = BACKGROUND) -> np.ndarray:
    """A grid of pictures with a caption under each (e.g. bottom and lockout of every rep).

    Parameters
    ----------
    images : sequence of numpy.ndarray
        BGR pictures, any sizes; each is letterboxed into a cell.
    captions : sequence of str, optional
        One per picture, written under it.
    columns : int
        Cells per row.
    cell_width : int
        Width of a cell (px); its height follows the tallest picture's aspect.
    gap : int
        Space between cells and around the sheet (px).
    title : str, optional
        A heading above the grid.

    Returns
    -------
    numpy.ndarray
        The sheet, BGR.

    Raises
    ------
    ExportError
        When there is no picture, or the captions do not match the pictures.
    """
    if not images:
        raise ExportError("A contact sheet needs at least one picture.")
    if captions is not None and len(captions) != len(images):
        raise ExportError(f"{len(captions)} captions were given for {len(images)} pictures.")
    if columns < 1 or cell_width < 8:
        raise ExportError("A contact sheet needs at least one column at least 8 px wide.")
    cols = min(columns, len(images))
    rows = -(-len(images) // cols)
    aspect = max(img.shape[0] / img.shape[1] for img in images)
    cell_h = max(1, int(round(cell_width * aspect)))
    font = max(0.35, min(1.2, cell_width / 480))
    thick = max(1, int(round(font * 1.5)))
    line_h = cv2.getTextSize("Ag", _FONT, font, thick)[0][1] + 2 * max(4, gap)
    cap_h = line_h if captions is not None else 0
    title_h = 0
    if title:
        tscale = font * 1.4
        title_h = cv2.getTextSize("Ag", _FONT, tscale, thick + 1)[0][1] + 2 * max(6, gap)
    width = cols * cell_width + (cols + 1) * gap
    height = title_h + rows * (cell_h + cap_h) + (rows + 1) * gap
    sheet = filled(width, height, background)
    if title:
        title = ascii_text(title)
        th = cv2.getTextSize(title, _FONT, tscale, thick + 1)[0][1]
        cv2.putText(sheet, title, (gap, title_h - (title_h - th) // 2), _FONT, tscale,
                    _TEXT, thick + 1, cv2.LINE_AA)
    for i, img in enumerate(images):
        r, c = divmod(i, cols)
        x = gap + c * (cell_width + gap)
        y = title_h + gap + r * (cell_h + cap_h + gap)
        sheet[y:y + cell_h, x:x + cell_width] = letterbox(img, cell_width, cell_h, background)
        if captions is not None:
            text = ascii_text(captions[i])
            f = font
            (tw, th), _ = cv2.getTextSize(text, _FONT, f, thick)
            if tw > cell_width:  # shrink a long caption to its cell
                f = font * cell_width / tw
                (tw, th), _ = cv2.getTextSize(text, _FONT, f, thick)
            tx = x + max(0, (cell_width - tw) // 2)
            cv2.putText(sheet, text, (tx, y + cell_h + (cap_h + th) // 2), _FONT, f, _TEXT,
                        thick, cv2.LINE_AA)
    return sheet


def _even_up(x: float) -> int:
    return max(2, 2 * math.ceil(x / 2 - 1e-6))


def filled(width: int, height: int, colour: tuple[int, int, int]) -> np.ndarray:
    """A new ``(height, width, 3)`` uint8 picture of one BGR ``colour``. Filled row by
    row from one ready row: assigning the 3-tuple to the whole array makes NumPy
    broadcast it pixel by pixel, 7-18 ms for a 1920x540 canvas against 0.1 ms."""
    row = np.tile(np.asarray(colour, np.uint8), width)
    canvas = np.empty((height, width * 3), np.uint8)
    canvas[:] = row
    return canvas.reshape(height, width, 3)


def _resize(image: np.ndarray, w: int, h: int) -> np.ndarray:
    if image.shape[1] == w and image.shape[0] == h:
        return image
    interp = cv2.INTER_AREA if w < image.shape[1] else cv2.INTER_LINEAR
    return cv2.resize(image, (w, h), interpolation=interp)
