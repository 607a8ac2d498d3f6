"""Composition helpers: letterboxing, two-clip layouts, labels and contact sheets."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.export import ExportError
from analysis.export.compose import (
    BACKGROUND,
    Rect,
    compose_pair,
    contact_sheet,
    fit_rect,
    letterbox,
    pair_layout,
)


def solid(w: int, h: int, colour: tuple[int, int, int]) -> np.ndarray:
    img = np.empty((h, w, 3), np.uint8)
    img[:] = colour
    return img


def region(img: np.ndarray, r: Rect) -> np.ndarray:
    return img[r.y:r.y + r.h, r.x:r.x + r.w]


def test_fit_rect_centres_and_keeps_aspect() -> None:
    assert fit_rect(320, 240, 640, 640) == Rect(0, 80, 640, 480)
    assert fit_rect(240, 320, 640, 640) == Rect(80, 0, 480, 640)
    assert fit_rect(100, 100, 50, 30) == Rect(10, 0, 30, 30)
    with pytest.raises(ExportError):
        fit_rect(0, 10, 50, 50)


def test_letterbox_bars_are_background() -> None:
    out = letterbox(solid(320, 240, (0, 0, 255)), 640, 640)
    assert out.shape == (640, 640, 3)
    assert (out[:80] == BACKGROUND).all() and (out[560:] == BACKGROUND).all()
    assert (out[80:560] == (0, 0, 255)).all()


def test_side_by_side_gives_both_the_same_height() -> None:
    lay = pair_layout((320, 240), (240, 320), "horizontal", gap=8)
    a, b = lay.slots
    assert lay.height == 320 and a.h == b.h == 320
    assert (a.w, b.w) == (427, 240)
    assert b.x >= a.x + a.w + 8 and b.x + b.w <= lay.width
    assert lay.width % 2 == 0 and lay.height % 2 == 0


def test_top_bottom_gives_both_the_same_width() -> None:
    lay = pair_layout((1920, 1080), (1280, 720), "vertical", gap=0)
    a, b = lay.slots
    assert (lay.width, lay.height) == (1920, 2160)
    assert a == Rect(0, 0, 1920, 1080) and b == Rect(0, 1080, 1920, 1080)


def test_layout_fits_the_size_box() -> None:
    lay = pair_layout((1920, 1080), (1920, 1080), "horizontal", max_size=(1920, 1080), gap=0)
    assert (lay.width, lay.height) == (1920, 540)
    assert lay.slots[1] == Rect(960, 0, 960, 540)
    portrait = pair_layout((1080, 1920), (1080, 1920), "horizontal", max_size=(1920, 1080))
    assert max(portrait.width, portrait.height) <= 1920
    assert min(portrait.width, portrait.height) <= 1080
    with pytest.raises(ExportError, match="Unknown layout"):
        pair_layout((10, 10), (10, 10), "diagonal")


def test_compose_places_each_side_and_blank() -> None:
    a, b = solid(320, 240, (0, 0, 255)), solid(160, 240, (255, 0, 0))
    lay = pair_layout((320, 240), (160, 240), gap=10)
    canvas = lay.compose(a, b)
    assert (region(canvas, lay.slots[0]) == (0, 0, 255)).all()
    assert (region(canvas, lay.slots[1]) == (255, 0, 0)).all()
    assert (canvas[:, 320:330] == BACKGROUND).all()  # the gap
    blank = lay.compose(a, None)
    assert (region(blank, lay.slots[1]) == BACKGROUND).all()
    # any sizes: the shorter picture is scaled up to the taller one's height
    mixed = compose_pair(solid(640, 480, (0, 255, 0)), b, gap=10)
    big = pair_layout((640, 480), (160, 240), gap=10)
    assert mixed.shape == (480, 640 + 10 + 320, 3) == (big.height, big.width, 3)
    assert (region(mixed, big.slots[0]) == (0, 255, 0)).all()
    assert big.slots[1] == Rect(650, 0, 320, 480)
    assert (region(mixed, big.slots[1]) == (255, 0, 0)).all()


def test_labels_mark_only_their_corner() -> None:
    a, b = solid(320, 240, (128, 128, 128)), solid(320, 240, (128, 128, 128))
    lay = pair_layout((320, 240), (320, 240), gap=0)
    plain = lay.compose(a, b)
    labelled = lay.compose(a, b, ("Week 1 – 140 kg", None))
    diff = np.any(labelled != plain, axis=2)
    ys, xs = np.nonzero(diff)
    assert len(xs) > 100
    assert xs.max() < 320 and ys.max() < 80  # top-left of side A only


def test_contact_sheet_grid_and_captions() -> None:
    colours = [(0, 0, 255), (0, 255, 0), (255, 0, 0), (0, 255, 255), (255, 0, 255)]
    images = [solid(320, 240, c) for c in colours]
    sheet = contact_sheet(images, [f"rep {i + 1}" for i in range(5)], columns=2,
                          cell_width=160, gap=8, title="Squat 140 kg")
    no_caps = contact_sheet(images, None, columns=2, cell_width=160, gap=8)
    assert no_caps.shape == (3 * 120 + 4 * 8, 2 * 160 + 3 * 8, 3)
    assert sheet.shape[1] == no_caps.shape[1] and sheet.shape[0] > no_caps.shape[0]
    # cell (row 1, column 0) holds picture 2 in the sheet without captions
    y, x = 8 + 120 + 8, 8
    assert (no_caps[y:y + 120, x:x + 160] == colours[2]).all()
    assert (no_caps[y:y + 120, 8 + 168:8 + 168 + 160] == colours[3]).all()
    last = no_caps[2 * 128 + 8:2 * 128 + 128, 8 + 168:8 + 168 + 160]
    assert (last == BACKGROUND).all()  # five pictures: the sixth cell stays empty
    with pytest.raises(ExportError, match="2 captions"):
        contact_sheet(images, ["a", "b"])
    with pytest.raises(ExportError, match="at least one picture"):
        contact_sheet([])


def test_contact_sheet_letterboxes_mixed_orientations() -> None:
    sheet = contact_sheet([solid(320, 240, (0, 0, 255)), solid(240, 320, (0, 255, 0))],
                          columns=2, cell_width=120, gap=0)
    assert sheet.shape == (160, 240, 3)  # cell height follows the tallest aspect
    assert (sheet[35:125, 0:120] == (0, 0, 255)).all()  # 120x90 centred in a 120x160 cell
    assert (sheet[0:35, 0:120] == BACKGROUND).all() and (sheet[125:, 0:120] == BACKGROUND).all()
    assert (sheet[:, 150:210] == (0, 255, 0)).all()


def test_a_long_label_stays_in_its_own_picture():
    """A long file name over a narrow picture is shortened to fit (start ... end) and never
    written over the picture beside it (the left clip's name used to run under the
    right one's)."""
    a, b = solid(240, 480, (0, 0, 0)), solid(640, 480, (0, 0, 0))
    lay = pair_layout((240, 480), (640, 480), gap=8)
    left = "sahityajain360__barbell-tracker__deadlift2.mp4"
    canvas = lay.compose(a, b, (left, None), (0, 0, 0))
    ra, rb = lay.slots
    assert canvas[ra.y:ra.y + 40, ra.x:ra.x + ra.w].max() > 200  # the label is there
    assert canvas[:, ra.x + ra.w:].max() == 0  # nothing past its picture
    plain = lay.compose(a, b, ("set1.mp4", None), (0, 0, 0))
    assert plain[:, ra.x + ra.w:].max() == 0


def test_both_names_are_written_at_one_size():
    """A long name was made smaller on its side only, so the two labels looked different;
    both sides now use the size that fits the longer one."""
    a, b = solid(240, 480, (0, 0, 0)), solid(640, 480, (0, 0, 0))
    lay = pair_layout((240, 480), (640, 480), gap=8)
    left, right = "sahityajain360__barbell-tracker__deadlift2.mp4", "set1.mp4"
    canvas = lay.compose(a, b, (left, right), (0, 0, 0))
    ra, rb = lay.slots

    def text_height(rect):
        rows = np.flatnonzero(canvas[rect.y:rect.y + 80, rect.x:rect.x + rect.w].max(axis=(1, 2))
                              > 200)
        return rows[-1] - rows[0] + 1

    alone = lay.compose(a, b, (None, right), (0, 0, 0))
    rows_alone = np.flatnonzero(alone[rb.y:rb.y + 80, rb.x:rb.x + rb.w].max(axis=(1, 2)) > 200)
    assert text_height(rb) < rows_alone[-1] - rows_alone[0] + 1  # made smaller to match
    assert abs(text_height(ra) - text_height(rb)) <= 2


def test_captions_with_dots_accents_and_signs_are_drawn_as_their_ascii_look_alikes():
    """A side-by-side export captioned "2026-11-02 ?? Ana ?? back squat": OpenCV's font draws
    ASCII only, and wrote "?" for each byte of "·". The label drawn is now pixel for pixel
    the one of its ASCII look-alike."""
    from analysis.export.compose import Rect, ascii_text, contact_sheet, draw_label

    said = "2026-11-02 · Zoë · back squat 120 kg × 5 – set 2"
    plain = "2026-11-02 - Zoe - back squat 120 kg x 5 - set 2"
    assert ascii_text(said) == plain
    assert ascii_text("Ørjan Łukasz “max” ±1 …") == 'Orjan Lukasz "max" +/-1 ...'
    drawn = [np.full((120, 900, 3), 90, np.uint8) for _ in range(3)]
    for canvas, text in zip(drawn, (said, plain, "2026-11-02 ?? Zoe ?? back squat"),
                            strict=True):
        draw_label(canvas, text, Rect(0, 0, 900, 120))
    assert np.array_equal(drawn[0], drawn[1])
    assert not np.array_equal(drawn[0], drawn[2])
    pic = np.full((90, 160, 3), 128, np.uint8)
    assert np.array_equal(contact_sheet([pic], [said], title=said),
                          contact_sheet([pic], [plain], title=plain))


def test_long_titles_stay_over_their_own_side_with_room_between():
    """Two long titles over a 360x640 and a 1080x1920 clip filled their sides to the edge,
    so the two dark strips ran into one across both pictures: each title now stops a
    margin short of its side's right edge (shrunk, then elided), on its own picture."""
    title = "2026-12-02 · Anna Test · back squat · set 2"
    a = np.full((640, 360, 3), 255, np.uint8)
    b = np.full((1920, 1080, 3), 255, np.uint8)
    lay = pair_layout((360, 640), (1080, 1920), "horizontal", (1920, 1080))
    canvas = lay.compose(a, b, (title, title.replace("set 2", "set 1")))
    slot_a, slot_b = lay.slots
    strip = canvas[slot_a.y + 2:slot_a.y + 12]  # rows through both title strips
    dark = strip.max(axis=2) < 200
    assert dark[:, slot_a.x:slot_a.x + 40].any() and dark[:, slot_b.x:slot_b.x + 40].any()
    # a clear margin at the right of each side's title strip, inside its own picture
    for slot in (slot_a, slot_b):
        right = slot.x + slot.w
        assert not dark[:, right - 12:right].any()
