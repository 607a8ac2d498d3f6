"""Screenshots of Compare sessions, the library picker, the comparison with each side's data
overlay, and Progress, in the real window, on a library made by
scripts/make_progress_library.py.

    xvfb-run -a -s "-screen 0 1600x1000x24" python scripts/progress_screenshots.py LIB_DIR OUT_DIR

LIB_DIR holds library.sqlite3 (copied to a fresh data folder, so the original is not
changed). Saves OUT_DIR/{session-compare,library-picker,compare-pair,progress}.png and
prints what each view showed.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path


def main(lib_dir: str, out_dir: str) -> None:
    data = Path(tempfile.mkdtemp(prefix="liftlens-shots-"))
    shutil.copy(Path(lib_dir) / "library.sqlite3", data / "library.sqlite3")
    os.environ["LIFTLENS_DATA_DIR"] = str(data)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    from app.launch import make_application

    app = make_application()
    from PySide6.QtWidgets import QDialog

    from analysis.session.store import SessionStore
    from app.main_window import MainWindow
    from widgets.library_picker import LibraryPickerDialog

    def pump(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    def wait(cond, timeout: float = 120.0) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            app.processEvents()
            if cond():
                return True
            time.sleep(0.02)
        return False

    store = SessionStore(data / "library.sqlite3")
    sessions = sorted(store.list_sessions(), key=lambda s: s.date)
    store.close()
    win = MainWindow()
    win.resize(1560, 940)
    win.show()
    ws = win.workspace
    ws.sessions.refresh()
    ws.sessions.open_session(sessions[-1].id)
    wait(lambda: win.canvas.frame is not None and ws.analysis.result is not None)
    pump(1.0)

    # Compare sessions: the first week against the last
    win.actions_by_id["compare_sessions"].trigger()
    view = ws.session_compare.view
    view.resize(1180, 700)
    i = view.session_a.findData(sessions[0].id)
    view.session_a.setCurrentIndex(i)
    wait(lambda: view.comparison is not None and view.comparison.a.id == sessions[0].id, 600)
    pump(0.5)
    view.grab().save(str(out / "session-compare.png"))
    print("session comparison:", view.summary.text())

    # the library picker, as Compare with… shows it
    shown = {}

    def look(self):
        shown["rows"] = len(self.shown)
        wait(lambda: len(self._thumbs) >= min(6, len(self.shown)), 60)
        self.resize(900, 560)
        self.show()
        pump(0.5)
        self.grab().save(str(out / "library-picker.png"))
        self.hide()
        return QDialog.Rejected

    LibraryPickerDialog.exec = look
    win.actions_by_id["compare_with"].trigger()
    print("library picker rows:", shown.get("rows"))

    # open the 140 kg pair side by side: each side with its own data overlay
    row = next(r for r in range(view.table.rowCount()) if "140.0" in view.cell(r, 1))
    view.table.selectRow(row)
    view.open_button.click()
    ca = ws.compare_analysis
    wait(lambda: win.compare.active and all(r is not None for r in ca.results), 300)
    c = win.compare.controller
    c.seek(max(0, c.count - 1))
    pump(1.5)
    win.grab().save(str(out / "compare-pair.png"))
    print("comparison:", " vs ".join(s.label for s in c.sides))

    # Progress of the lifter
    win.actions_by_id["progress"].trigger()
    pv = ws.progress.view
    pv.resize(1280, 820)
    wait(lambda: len(pv.points) > 0, 600)
    pump(1.0)
    pv.grab().save(str(out / "progress.png"))
    print("progress:", pv.summary.text(), "|", pv.hint.text())
    win.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
