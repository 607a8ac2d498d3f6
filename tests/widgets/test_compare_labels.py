"""The label over each side of a comparison keeps every part of its title."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetrics

from widgets.compare_view import wrap_label


def test_a_long_label_wraps_between_its_parts_instead_of_losing_the_middle(qtbot):
    """"2026-11-30 · Owen …uat 100 kg · set 2": side B's label lost its lifter and
    exercise in a narrow canvas. It now breaks between its parts; only a part too wide
    on its own (a file name) is elided, keeping its start and end."""
    f = QFont()
    f.setPointSize(11)
    f.setBold(True)
    fm = QFontMetrics(f)
    label = "2026-11-30 · Owen Yeo · back squat 100 kg · set 2"
    width = fm.horizontalAdvance("2026-11-30 · Owen Yeo") + 4
    lines = wrap_label(label, fm, width)
    assert len(lines) >= 2 and all(fm.horizontalAdvance(t) <= width for t in lines)
    assert " · ".join(lines) == label  # nothing dropped, every part whole
    assert "back squat 100 kg" in lines
    assert wrap_label(label, fm, 10_000) == [label]  # room: one line, as before
    name = "sahityajain360__barbell-tracker__deadlift2.mp4"
    side = fm.horizontalAdvance(name) * 3 // 4  # a canvas a little too narrow for it
    (short,) = wrap_label(name, fm, side)
    assert short != name and short.startswith("sahity") and short.endswith("deadlift2.mp4")
    assert fm.horizontalAdvance(short) <= side
