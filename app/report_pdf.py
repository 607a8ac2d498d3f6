"""The session report as an A4 PDF (for email): the details, then every set's basis and
caveats, rep table, lines, velocity chart and bar path, then its rep pictures, flowed down
the pages.

A block starts a new page only when it does not fit in what is left of the current one
(the cover then also carries the first set when there is room), and every heading is
wrapped to the page's width. Matplotlib is imported on first use.
"""

from __future__ import annotations

import re
import textwrap

import cv2

from analysis.session.document import Session
from app.report_charts import _figure, draw_bar_path, draw_velocity
from analysis.session.measurement import MeasurementNotes
from app.session_report import (A4, CAVEATS, HOW_MEASURED, SetReport, _attempt_notes, _details,
                                _loss_text, _rep_rows, attempt_head, attempts_text, count_text,
                                tempo_text)

LEFT, WIDTH = 0.06, 0.88  # text column, figure fractions
TOP, BOTTOM = 0.96, 0.05
#: figure fraction of a 10 pt line x 1.2 over the page's 11.69 in: the unit of a table
#: row's height (:func:`_row_height`)
ROW = 10 / 72 * 1.2 / A4[1]
#: height of the velocity chart and the bar path beside it, with their titles and labels
CHARTS = 0.25


def _short_phases(text: str) -> str:
    """A tempo cell's missed phases abbreviated for the PDF's fixed-width cells."""
    for long, short in (("eccentric", "ecc."), ("concentric", "con."),
                        ("bottom pause", "bottom"), ("top pause", "top")):
        text = text.replace(long, short)
    return text


def _row_height(row: list[str]) -> float:
    """Height (figure fraction) of a table row: one line of 8 pt cells, or two where a
    cell has two (a tempo with its check, a header with the heights' zero)."""
    lines = max((c.count("\n") + 1 for c in row), default=1)
    return ROW * (0.2 + 1.1 * lines)


def _table(fig, top: float, head: list[str] | None, rows: list[list[str]], col_widths=None,
           width: float = WIDTH) -> float:
    """The table (``head`` over ``rows``) with its top edge at ``top`` (figure fraction),
    rows as high as :func:`_row_height`; returns its height (figure fraction), exactly
    the space it takes."""
    if not rows:
        return 0.0
    every = ([head] if head else []) + rows
    heights = [_row_height(row) for row in every]
    total = sum(heights)
    ax = fig.add_axes((LEFT, top - total, width, total))
    ax.axis("off")
    # bbox: the cells fill the axes exactly (``loc`` would pad them by 2 % of it)
    t = ax.table(cellText=rows, colLabels=head, cellLoc="left", colLoc="left",
                 colWidths=col_widths, bbox=(0.0, 0.0, 1.0, 1.0))
    t.auto_set_font_size(False)
    t.set_fontsize(8)
    for (row, _col), cell in t.get_celld().items():
        cell.set_height(heights[row] / total)
        cell.set_edgecolor("#dddddd")
        if row == 0 and head:
            cell.set_facecolor("#f3f3f3")
    return total


def _wrap(text: str, size: float, width: float = WIDTH, hang: str = "") -> list[str]:
    """``text`` in lines that fit ``width`` (figure fraction) at ``size`` pt: at most as many
    characters as a bold average glyph (0.62 em) allows, long names broken; a paragraph's
    lines after its first start with ``hang`` (under a bullet's text)."""
    chars = max(int(width * A4[0] * 72 / (size * 0.62)), 10)
    out: list[str] = []
    for para in text.split("\n"):
        out.extend(textwrap.wrap(para, chars, break_on_hyphens=False, subsequent_indent=hang)
                   or [""])
    return out


class _Pages:
    """The figures of the PDF, and where the next line goes on the last one (``y``, a
    figure fraction from the bottom)."""

    def __init__(self) -> None:
        self.figs: list = []
        self.new()

    def new(self):
        from matplotlib.backends.backend_pdf import FigureCanvasPdf

        fig = _figure(*A4, layout=None)
        FigureCanvasPdf(fig)
        self.figs.append(fig)
        self.y = TOP
        return fig

    @property
    def fig(self):
        return self.figs[-1]

    def need(self, h: float) -> None:
        """Start a new page unless ``h`` fits under ``y`` (a block taller than a page
        starts one and runs as far as it goes)."""
        if self.y - h < BOTTOM and self.y < TOP:
            self.new()

    def text(self, text: str, size: float, gap: float = 0.004, hang: str = "", **kw) -> None:
        """``text`` wrapped to the column (``hang``: see :func:`_wrap`), at ``y``; ``y``
        moves under it. Lines that do not fit on this page go on the next."""
        lines = _wrap(text, size, hang=hang)
        step = size * 1.3 / 72 / A4[1]
        while lines:
            fit = int((self.y - BOTTOM) / step + 1e-9)
            if fit < 1 and self.y < TOP:
                self.new()
                continue
            chunk, lines = lines[:max(fit, 1)], lines[max(fit, 1):]
            self.fig.text(LEFT, self.y, "\n".join(chunk), fontsize=size, va="top",
                          linespacing=1.3, **kw)
            self.y -= len(chunk) * step
            if lines:
                self.new()
        self.y -= gap

    def table(self, head: list[str] | None, rows: list[list[str]], widths=None,
              title: str = "") -> None:
        """The table at ``y``; the rows that do not fit go on the next page under the
        header again (and "``title`` (continued)"), so nothing after it lands on it."""
        rest = list(rows)
        head_h = _row_height(head) if head else 0.0
        fresh = self.y >= TOP
        while rest:
            room, n, used = self.y - BOTTOM - head_h, 0, 0.0
            while n < len(rest) and used + _row_height(rest[n]) <= room:
                used += _row_height(rest[n])
                n += 1
            if n < min(len(rest), 2) and not fresh:  # not even two rows: a new page
                self._continue(title)
                fresh = True
                continue
            n = max(n, 1)  # a row taller than a page still goes on one
            if len(rest) - n == 1 and n > 2:  # no lone last row under "(continued)"
                n -= 1
            self.y -= _table(self.fig, self.y, head, rest[:n], col_widths=widths)
            rest = rest[n:]
            if rest:
                self._continue(title)
                fresh = True
        self.y -= 0.012

    def _continue(self, title: str) -> None:
        self.new()
        if title:
            self.text(f"{title} (continued)", 9, gap=0.008, color="#777777")


def _heading_height(text: str, size: float) -> float:
    return len(_wrap(text, size)) * size * 1.3 / 72 / A4[1] + 0.01


#: a bulleted line, and where its wrapped lines start (under the text, not the bullet)
BULLET, HANG = "• ", "   "
#: how the caveats are set apart (the report's warning colour)
WARN = "#a05a00"


def _measured_blocks(m: MeasurementNotes) -> list[tuple[str, list[str], str]]:
    """The set's "How this was measured" and, when it has any, its "Caveats": (heading,
    lines, colour)."""
    out = [(HOW_MEASURED, m.how, "#222222")]
    if m.caveats:
        out.append((CAVEATS, m.caveats, WARN))
    return out


def _measured_height(m: MeasurementNotes) -> float:
    """The height (figure fraction) :func:`_draw_measured` takes."""
    h = 0.0
    for head, lines, _colour in _measured_blocks(m):
        h += len(_wrap(head, 9)) * 9 * 1.3 / 72 / A4[1] + 0.002
        h += len(_wrap("\n".join(BULLET + w for w in lines), 8, hang=HANG)) * 8 * 1.3 / 72 \
            / A4[1] + 0.006
    return h


def _draw_measured(pages: _Pages, m: MeasurementNotes) -> None:
    """How the set was measured, then its caveats, a bulleted list under each heading."""
    for head, lines, colour in _measured_blocks(m):
        pages.text(head, 9, gap=0.002, weight="bold", color=colour)
        pages.text("\n".join(BULLET + w for w in lines), 8, gap=0.006, hang=HANG,
                   color=colour)


def _set_rows(item: SetReport) -> tuple[list[str], list[list[str]], list | None]:
    r = item.result
    assert r is not None
    head, rows = _rep_rows(r)
    if r.weightlifting is not None:  # the heights' zero under their unit, wider cells
        return attempt_head(r, "\n"), rows, list(ATTEMPT_WIDTHS)
    # a page's cells do not wrap: shorter names, and the tempo's notation and check on
    # a second line (it was clipped)
    rows = [[row[0], _short_phases(row[1]).replace(" (", "\n(", 1),
             _mcv_cell(row[2]), *row[3:-1],
             _BY_HAND.sub("", row[-1].split(" (flagged: ")[0])
             + ("†" if _BY_HAND.search(row[-1]) else "")
             + ("*" if " (flagged: " in row[-1] else "")]
            for row in rows]
    return head, rows, [0.04, 0.30, 0.09, 0.09, 0.09, 0.09, 0.08, 0.12, 0.10]


def _mcv_cell(text: str) -> str:
    """"0.52 ± 0.02 m/s" as "0.52 m/s" over "± 0.02" (the cell is too narrow for one line)."""
    if " ± " not in text:
        return text
    mcv, rest = text.split(" ± ", 1)
    sd, unit = rest.split(" ", 1)
    return f"{mcv} {unit}\n± {sd}"


#: The attempt table's column widths (fractions of the column), as
#: :data:`analysis.lift.attempts.ATTEMPT_COLUMNS`: the heights' cells carry their zero.
ATTEMPT_WIDTHS = (0.04, 0.15, 0.15, 0.08, 0.10, 0.08, 0.08, 0.08, 0.09, 0.06, 0.09)

#: "(lockout set by hand)", "(split by hand)" in a rep's status (app.session_report)
_BY_HAND = re.compile(r" \(([^()]*) by hand\)")


def _flag_notes(item: SetReport) -> list[str]:
    """Why reps are flagged, and which boundaries were set by hand, under the table (the
    status cell, too narrow for them, has a * or a †: "valid (flagged: the bar moved
    sideways…)" and "partial (lockout set by hand)" ran past the page's edge)."""
    assert item.result is not None
    _head, rows = _rep_rows(item.result)
    hand = [(row[0], _BY_HAND.search(row[-1])) for row in rows]
    return [f"* rep {row[0]}: flagged: " + row[-1].split(" (flagged: ", 1)[1].rstrip(")")
            for row in rows if " (flagged: " in row[-1]] + [
        f"† rep {n}: {'; '.join(x + ' by hand' for x in _BY_HAND.findall(status))}"
        for (n, m), status in zip(hand, (row[-1] for row in rows), strict=True) if m]


#: a set starts on the page it comes to when its heading, basis and caveats and this many
#: rows of its table fit there; the rest of the table follows on the next page under its
#: header again (a 12-rep set waiting for a page of its own left the cover 70 % blank)
TABLE_START_ROWS = 2


def _draw_set(pages: _Pages, item: SetReport) -> None:
    """The set's heading, notes, basis and caveats, rep table, lines and charts: started
    on this page when all but the table's later rows fit (see :data:`TABLE_START_ROWS`),
    the charts under the table or on the next page."""
    r = item.result
    need = _heading_height(item.title, 14) + 0.03 + 0.02 * len(item.notes)
    if item.measured is not None:
        need += _measured_height(item.measured)
    if r is not None:  # the table's header and first rows; the rest may go on the next page
        head, rows, _w = _set_rows(item)
        need += sum(_row_height(row) for row in [head, *rows[:TABLE_START_ROWS]]) + 0.02
    pages.need(min(need, TOP - BOTTOM))
    pages.text(item.title, 14, weight="bold")
    if item.source:
        pages.text(item.source, 8, gap=0.008, color="#777777")
    for note in item.notes:
        pages.text(note, 9, color=WARN)
    if item.measured is not None:
        _draw_measured(pages, item.measured)
    if r is None:
        pages.y -= 0.02
        return
    head, rows, widths = _set_rows(item)
    pages.table(head, rows, widths, item.title)
    if r.weightlifting is None and _flag_notes(item):
        pages.text("\n".join(_flag_notes(item)), 7)
    notes = _attempt_notes(r)
    if notes:
        pages.text("\n".join(notes), 7)
    if r.weightlifting is None:
        pages.text("; ".join(t for t in (count_text(r), tempo_text(r)) if t), 9)
    loss = _loss_text(r)
    if loss:
        pages.text(loss[0] + (" (over the threshold)" if loss[1] else ""), 9,
                   color=WARN if loss[1] else "#222222")
    if r.weightlifting is None:  # the velocity chart and the bar path side by side
        pages.need(CHARTS)
        top, h = pages.y - 0.025, CHARTS - 0.06  # titles above, the time axis below
        draw_velocity(pages.fig.add_axes((0.1, top - h, 0.54, h)), r)
        draw_bar_path(pages.fig.add_axes((0.72, top - h, 0.22, h)), r)
        pages.y -= CHARTS + 0.015
        return
    # an attempt's many phases: the velocity chart across the page (its legend's rows
    # above it), the bar path under it
    pages.need(CHARTS + 0.03)
    top, h = pages.y - 0.055, CHARTS - 0.06
    draw_velocity(pages.fig.add_axes((0.1, top - h, 0.85, h)), r)
    pages.y -= CHARTS + 0.045
    pages.need(CHARTS)
    top = pages.y - 0.025
    draw_bar_path(pages.fig.add_axes((0.1, top - h, 0.4, h)), r)
    pages.y -= CHARTS + 0.015


def _draw_sheet(pages: _Pages, item: SetReport) -> None:
    """The bottom and lockout of every rep, as large as the column allows (at most a page),
    on this page when it fits, and the set's key moments under it."""
    if item.sheet is None:
        if item.key_moments:
            pages.text("Key moments: " + "; ".join(
                f"{t:.2f} s {title}" for t, title in item.key_moments), 8)
        return
    heading = f"{item.title}: bottom and lockout of every rep"
    sh, sw = item.sheet.shape[:2]
    w = WIDTH
    h = w * A4[0] * sh / sw / A4[1]
    cap = TOP - BOTTOM - _heading_height(heading, 12) - 0.03
    if h > cap:
        w, h = w * cap / h, cap
    # what is left of this page takes it when that keeps it at least 60 % of its size
    room = pages.y - BOTTOM - _heading_height(heading, 12) - 0.03
    if 0.6 * h <= room < h:
        w, h = w * room / h, room
    pages.need(_heading_height(heading, 12) + h + 0.03)
    pages.text(heading, 12, weight="bold")
    ax = pages.fig.add_axes((LEFT, pages.y - h, w, h))
    ax.imshow(cv2.cvtColor(item.sheet, cv2.COLOR_BGR2RGB), interpolation="lanczos")
    ax.set_anchor("NW")
    ax.axis("off")
    pages.y -= h + 0.012
    if item.key_moments:
        pages.text("Key moments: " + "; ".join(
            f"{t:.2f} s {title}" for t, title in item.key_moments), 8)
    pages.y -= 0.015


def layout_pages(session: Session, sets: list[SetReport]) -> list:
    """The report's A4 pages as matplotlib figures: the details with a one-line summary
    of every set, then every set and its rep pictures, flowed (see the module)."""
    pages = _Pages()
    fig = pages.fig
    pages.text(session.title, 18, gap=0.012, weight="bold")
    details = [list(kv) for kv in _details(session)]
    pages.y -= _table(fig, pages.y, None, details, col_widths=[0.45, 0.55], width=0.6) + 0.02
    if session.notes.strip():  # the coach's words under a heading of their own
        pages.text("Notes", 12, gap=0.004, weight="bold")
        pages.text(session.notes.strip(), 10, gap=0.016)
    summary = [f"{item.title}: " + (attempts_text(len(item.result.weightlifting.attempts))
                                     if item.result.weightlifting is not None
                                     else count_text(item.result))
               if item.result else
               f"{item.title}: {' '.join(item.notes) or 'no analysis'}" for item in sets]
    pages.text("\n".join(summary) or "No recordings.", 10, gap=0.03)
    fig.text(LEFT, 0.03, "Made with LiftLens.", fontsize=7, color="#888888")
    for item in sets:
        _draw_set(pages, item)
        _draw_sheet(pages, item)
    return pages.figs


def render_pdf(session: Session, sets: list[SetReport], path_or_file) -> int:
    """Write the report as an A4 PDF to a path or binary file (see :func:`layout_pages`).
    Returns the number of pages."""
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages

    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(path_or_file) as pdf:
        info = pdf.infodict()
        info["Title"] = session.title
        info["Creator"] = "LiftLens"
        figs = layout_pages(session, sets)
        for fig in figs:
            pdf.savefig(fig)
    return len(figs)
