"""Compare with a recording from the library: pick it (lifter, date, exercise, load, set,
thumbnail) or a video file; the picked recording comes with its track, calibration, rep
corrections and drawings, so its analysis shows at once, without tracking again."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QObject

from analysis.session.library import LibraryRecording, set_caption
from app import dialogs
from app.actions import bind_actions
from app.context import AppContext
from app.workers import run_in_background
from widgets.library_picker import LibraryPickerDialog

#: thumbnails are read for at most this many rows (each decodes one frame)
MAX_THUMBNAILS = 80


def read_entries(library: Path) -> list[LibraryRecording]:
    """Every recording of the library (plain function: runs on a worker thread)."""
    from analysis.session.library import list_recordings
    from analysis.session.store import SessionStore

    store = SessionStore(library)
    try:
        return list_recordings(store)
    finally:
        store.close()


def read_recording(library: Path, session_id: str, recording_id: str,
                   search: list[Path]):  # type: ignore[no-untyped-def]
    """(session, recording, video path or "") read from the library; the video is looked
    for where it was, else (moved or renamed) in ``search`` by size and fingerprint."""
    from analysis.session.library import load_recording
    from analysis.session.portable import locate_video
    from analysis.session.store import SessionStore

    store = SessionStore(library)
    try:
        session, rec = load_recording(store, session_id, recording_id)
    finally:
        store.close()
    found = locate_video(rec, None, search)
    return session, rec, str(found[0]) if found else ""


class CompareLibrary(QObject):
    """Owns the Compare → "Compare with…" action: ask (the picker), then :meth:`pick`."""

    def __init__(self, ctx: AppContext, window, library_path: Path,  # type: ignore[no-untyped-def]
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.win, self.library = ctx, window, Path(library_path)
        self.dialog: LibraryPickerDialog | None = None
        bind_actions(window.actions_by_id, {"compare_with": self.ask})

    def ask(self) -> None:
        """Show the library's recordings (not the one on screen) and compare with the pick."""
        if self.win.video_path is None:
            dialogs.tell(self.win, "Compare", "Open the first video, then compare it with "
                         "another one.")
            return
        current = self.ctx.model.current
        session = self.ctx.model.session
        library = self.library

        def shown(entries: list[LibraryRecording]) -> None:
            entries = [e for e in entries if current is None or e.recording_id != current.id]
            self.dialog = dlg = LibraryPickerDialog(
                entries, self.win, session.lifter if session else "",
                session.exercise if session else "")
            self._thumbnails(dlg, entries[:MAX_THUMBNAILS])
            try:
                accepted = dlg.exec() == LibraryPickerDialog.Accepted
            finally:
                self.dialog = None
            if not accepted:
                return
            if dlg.wants_file:
                self.win.choose_compare_file()
            elif dlg.chosen is not None:
                self.pick(dlg.chosen.session_id, dlg.chosen.recording_id, dlg.chosen.label)

        run_in_background(lambda: read_entries(library) if library.is_file() else [], shown,
                          lambda exc: dialogs.warn(self.win, "Compare",
                                                   f"The library could not be read: {exc}"))

    def _thumbnails(self, dlg: LibraryPickerDialog, entries: list[LibraryRecording]) -> None:
        from analysis.video.thumbnail import thumbnail

        size = dlg.thumbnail_size()
        for e in entries:
            def apply(image, rid=e.recording_id) -> None:  # type: ignore[no-untyped-def]
                if self.dialog is dlg:
                    dlg.set_thumbnail(rid, image)

            run_in_background(lambda path=e.video_path: thumbnail(path, size), apply,
                              lambda exc: None)

    def pick(self, session_id: str, recording_id: str, label: str = "") -> None:
        """The do-part: read that recording from the library and compare the open video
        with it, using its saved analysis inputs as they are."""
        library = self.library
        search = [Path(p).parent for p in (self.ctx.settings.recent_files or [])][:10]

        def found(hit) -> None:  # type: ignore[no-untyped-def]
            session, rec, path = hit
            if not path:
                dialogs.warn(self.win, "Compare", f"The video of set {rec.set_number} "
                             f"(“{os.path.basename(rec.video_path)}”) is no longer at "
                             f"{rec.video_path}. Open its session to locate it, then "
                             "compare again.")
                return
            self.win.compare_with_recording(path, rec, session.exercise,
                                            label or _label(session, rec), session)

        run_in_background(lambda: read_recording(library, session_id, recording_id, search),
                          found, lambda exc: dialogs.warn(self.win, "Compare", str(exc)))


def _label(session, rec) -> str:  # type: ignore[no-untyped-def]
    load = session.load_of(rec)
    return set_caption(session.date, session.lifter, session.exercise, load,
                       session.load_unit, rec.set_number)
