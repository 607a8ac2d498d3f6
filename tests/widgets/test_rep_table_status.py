"""The rep table names a rep's status in words: a rep marked not a rep read "false"."""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidget

from widgets.panel_data import RepView
from widgets.rep_table import fill_rep_table


def _rep(number: int, status: str) -> RepView:
    return RepView(number, [], 0.5, 0.9, 0.5, 0.01, "1.0-0.0-1.0-0.0", "1-0-1-0",
                   status=status)


def test_statuses_read_as_words(qapp):
    table = QTableWidget()
    fill_rep_table(table, [_rep(1, "valid"), _rep(2, "false"), _rep(3, "failed")], "m", None)
    cells = [table.item(row, 0).text() for row in range(3)]
    assert cells[0] == "1"
    assert cells[1].endswith("\nnot a rep") and "false" not in cells[1]
    assert cells[2].endswith("\nfailed")
    assert "not a rep" in table.item(1, 0).toolTip()
