"""The session report's PDF pages as the figures written to the file, drawn (so every
text's and table's place on the page is known), and where things sit on them."""

from __future__ import annotations

import io

from app import session_report as report


def squat_recording(clip, reps: int, size: tuple[int, int], px_per_m: float, crf: int):
    """A recording of a generated squat set of ``reps`` 0.5 m reps rendered to ``clip``,
    with its exact track and scale (the truth's): what the report is given to lay out."""
    import numpy as np

    from analysis.session.calibration import Calibration
    from analysis.session.document import Recording
    from analysis.session.track import Track
    from analysis.synth.lift_clip import make_lift_clip
    from analysis.synth.motion import LiftScript, RepSpec
    from analysis.tracking.track import STATE_TRACKED

    truth = make_lift_clip(clip, LiftScript(reps=(RepSpec(rom=0.5),) * reps), size=size,
                           px_per_m=px_per_m, crf=crf)
    n = len(truth.times)
    track = Track(truth.times.copy(), truth.x.copy(), truth.y.copy(), np.ones(n),
                  np.full(n, STATE_TRACKED, dtype=np.uint8))
    return Recording(video_path=str(clip), track=track,
                     calibration=Calibration(m_per_px=truth.m_per_px, source="test"))


def pdf_pages(monkeypatch, session, sets) -> list:
    """The figures :func:`report.render_pdf` saves as pages, drawn (extents known)."""
    from matplotlib.backends.backend_pdf import PdfPages

    figs: list = []
    save = PdfPages.savefig

    def keep(self, figure=None, **kwargs):
        figs.append(figure)
        return save(self, figure, **kwargs)

    monkeypatch.setattr(PdfPages, "savefig", keep)
    report.render_pdf(session, sets, io.BytesIO())
    for fig in figs:
        fig.canvas.draw()
    return figs


def page_boxes(fig) -> tuple[list, list, list]:
    """``(tables, texts, charts)`` of a drawn page: ``(bbox, label)`` in pixels from the
    page's bottom left; ``texts`` are the page's lines (headings, notes, footnotes) and
    ``charts`` the axes without a table (with their titles, labels and legends)."""
    tables, charts = [], []
    for ax in fig.axes:
        if ax.tables:
            tables += [(t.get_window_extent(), "table") for t in ax.tables]
        else:
            charts.append((ax.get_tightbbox(), ax.get_title() or "chart"))
    texts = [(t.get_window_extent(), t.get_text()) for t in fig.texts
             if t.get_text().strip()]
    return tables, texts, charts


def overlaps(a, b, tol: float = 0.5) -> bool:
    """True when the boxes ``a`` and ``b`` share more than ``tol`` px both ways."""
    return (min(a.x1, b.x1) - max(a.x0, b.x0) > tol
            and min(a.y1, b.y1) - max(a.y0, b.y0) > tol)


def check_pages(figs) -> None:
    """Nothing on a page over anything else, everything on the page, the lines after a
    table below it."""
    for number, fig in enumerate(figs, 1):
        tables, texts, charts = page_boxes(fig)
        width, height = fig.bbox.width, fig.bbox.height
        for box, what in tables + texts + charts:
            assert box.x0 >= -0.5 and box.x1 <= width + 0.5, (number, what[:40])
            assert box.y0 >= -0.5 and box.y1 <= height + 0.5, (number, what[:40])
        for tb, _ in tables:
            for box, what in texts + charts:
                assert not overlaps(tb, box), f"page {number}: {what[:40]!r} on a table"
        for i, (a, wa) in enumerate(texts):
            for b, wb in texts[i + 1:] + charts:
                assert not overlaps(a, b), f"page {number}: {wa[:30]!r} on {wb[:30]!r}"
        # the footnotes start below the bottom of the page's last table
        foot = [box for box, what in texts if what.startswith("* rep")]
        if tables and foot:
            assert max(b.y1 for b in foot) <= min(b.y0 for b, _ in tables) + 0.5, number
