"""Questions about the whole library that no single session answers."""

from __future__ import annotations

import os

from analysis.session.document import Recording, Session
from analysis.session.store import SessionStore, StorageError


def find_recording(store: SessionStore, path: str, fingerprint: str = "",
                   prefer_tracked: bool = True) -> tuple[Session, Recording] | None:
    """The saved recording of a video, in any session of the library.

    Parameters
    ----------
    path : str
        The video's path; a recording whose video was at the same absolute path matches.
    fingerprint : str
        The video's content fingerprint (``portable.fingerprint``); a recording of a moved
        or renamed copy matches by it.
    prefer_tracked : bool
        Among several matches, one with a bar track wins (then the newest session).

    Returns
    -------
    (Session, Recording) or None
        None when no session holds the video. Sessions that cannot be read are skipped.
    """
    target = os.path.abspath(path)
    best: tuple[Session, Recording] | None = None
    for summary in store.list_sessions():
        try:
            session = store.get(summary.id)
        except StorageError:
            continue
        for rec in session.recordings:
            same = os.path.abspath(rec.video_path) == target or \
                (bool(fingerprint) and rec.video_fingerprint == fingerprint)
            if not same:
                continue
            if best is None or (prefer_tracked and rec.track is not None and
                                best[1].track is None):
                best = (session, rec)
    return best
