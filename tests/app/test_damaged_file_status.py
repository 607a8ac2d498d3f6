"""A clip that ends early (cut short or damaged while copying) joins the session only when
the user says so, keeps a mark in the status bar while it is open, with the full
explanation on hover; a whole clip shows none."""

from __future__ import annotations

import pytest

from analysis.session.store import SessionStore
from analysis.synth.barcode import BarcodeSpec, make_barcode_clip
from app import dialogs


def _full_and_cut(tmp_path):
    full = tmp_path / "full.mp4"
    make_barcode_clip(full, BarcodeSpec(frames=120, gop=30, faststart=True))
    cut = tmp_path / "cut.mp4"
    data = full.read_bytes()
    cut.write_bytes(data[: int(len(data) * 0.6)])
    return full, cut


@pytest.fixture
def answers(monkeypatch):
    """The damaged-clip question's answers, in order ("add" or None for Don't add); each
    question asked is kept in ``answers.asked`` as ``(text, detail, choices, cancel)``."""
    class Answers(list):
        asked: list = []

    got = Answers()

    def ask_choice(parent, title, text, detail, choices, cancel="Cancel", warning=True):
        assert title == "Damaged video", title
        got.asked.append((text, detail, list(choices), cancel))
        return got.pop(0)

    monkeypatch.setattr(dialogs, "ask_choice", ask_choice)
    return got


def test_a_clip_that_ends_early_stays_marked(make_window, tmp_path, answers):
    full, cut = _full_and_cut(tmp_path)
    answers.append("add")
    win = make_window(cut)
    label = win.status_video
    assert "⚠ the file ends early" in label.text()
    assert "of the 120 frames its header declares" in label.toolTip()
    win.player.step(5)  # still there after moving on (the 10 s message is long gone)
    assert "⚠" in label.text()
    # and in the analysis panel, where the user looks (tour 27 saw only its usual text)
    panel = win.workspace.panel
    assert "⚠ The file ends early" in panel.message and "Track the bar" in panel.message
    win2 = make_window(full)
    assert "⚠" not in win2.status_video.text() and win2.status_video.toolTip() == ""
    assert "⚠" not in win2.workspace.panel.message


def test_a_set_opened_again_opens_where_it_was_left(set_1_left_at_frame_61, qtbot):
    """Tour 27: going back to the first clip of a session opened it at frame 1, not at
    frame 61 where the user was."""
    win, first, second = set_1_left_at_frame_61
    ws = win.workspace
    recs = ws.sessions.session.recordings
    assert [r.video_path for r in recs] == [first, second]
    ws.open_recording(recs[0].id)
    qtbot.waitUntil(lambda: win.video_path == first, timeout=10000)
    qtbot.waitUntil(lambda: win.player.shown is not None and win.player.shown.index == 60,
                    timeout=10000)
    assert win.player.position == 60 and "frame 61" in win.status_frame.text()


def test_a_damaged_clip_joins_the_session_only_when_the_user_says_so(make_window, tmp_path,
                                                                     answers, qtbot):
    """Tour 27: opening a truncated clip made it "Set 2" at once, with a status message
    that soon went. It is now asked about first, in plain words; Don't add leaves the clip
    on screen, the session and the library as they were."""
    full, cut = _full_and_cut(tmp_path)
    win = make_window(full)
    ws = win.workspace
    session = ws.sessions.session
    assert [r.video_path for r in session.recordings] == [str(full)]
    assert ws.sessions.settle()
    before = session.to_dict()
    answers.append(None)  # Don't add
    win.open_path(str(cut))
    qtbot.waitUntil(lambda: not answers.asked or len(answers) == 0, timeout=10000)
    text, detail, choices, cancel = answers.asked[-1]
    assert text == "“cut.mp4” is damaged." and "The file ends early" in detail
    assert "of the 120 frames" in detail and "Copying it again" in detail
    # tour 29: it said "what is there is shown" of a clip not opened, and offered no way
    # to look at the clip outside the session
    assert "is shown" not in detail and "the clip is not opened" in detail
    assert choices == [("add", f"Add to “{session.title}” as set 2"),
                       ("own", "Open on its own")] and cancel == "Don't open"
    # nothing changed: the same clip on screen, the same session, nothing new saved
    assert win.video_path == str(full) and ws.recording is session.recordings[0]
    assert ws.sessions.session is session and session.to_dict() == before
    assert ws.sessions.state == "saved"
    assert ws.sessions.settle()
    with SessionStore(ws.sessions.library_path) as store:
        kept = store.get(session.id)
    assert [r.video_path for r in kept.recordings] == [str(full)]
    assert "was not opened" in win.statusBar().currentMessage()
    # asked again, Add: it becomes set 2 as before
    answers.append("add")
    win.open_path(str(cut))
    qtbot.waitUntil(lambda: win.video_path == str(cut), timeout=10000)
    assert [r.video_path for r in session.recordings] == [str(full), str(cut)]
    assert ws.recording is session.recordings[1]
    # a set already in the session is not asked about again
    asked = len(answers.asked)
    ws.open_recording(session.recordings[0].id)
    qtbot.waitUntil(lambda: win.video_path == str(full), timeout=10000)
    ws.open_recording(session.recordings[1].id)
    qtbot.waitUntil(lambda: win.video_path == str(cut), timeout=10000)
    assert len(answers.asked) == asked


def test_declining_a_damaged_first_clip_starts_no_session(make_window, tmp_path, answers,
                                                          qtbot):
    _full, cut = _full_and_cut(tmp_path)
    win = make_window()
    answers.append(None)
    win.open_path(str(cut))
    qtbot.waitUntil(lambda: len(answers.asked) == 1, timeout=10000)
    assert answers.asked[0][2] == [("own", "Open on its own")]
    assert win.workspace.sessions.session is None and win.model.current is None
    assert win.stack.currentWidget() is win.welcome and win.canvas.frame is None


def test_each_set_reopens_where_it_was_left_after_a_restart(make_window, set_1_left_at_frame_61,
                                                            qtbot):
    """The frame each set was left on was remembered only while the window was open: it
    is now saved with the session, so after closing LiftLens and starting it again the
    session's sets open where the user left them; and the set on screen at closing is
    the one on screen again (it was always set 1)."""
    win, first, second = set_1_left_at_frame_61
    win.player.seek(25)
    qtbot.waitUntil(lambda: win.player.shown is not None and win.player.shown.index == 25,
                    timeout=10000)
    assert win.workspace.sessions.state in ("saved", "saving")
    assert win.close()  # leaves set 2 at frame 26, on screen, and saves

    again = make_window()  # a new start on the same library
    ws = again.workspace
    ws.start(None, demo_when_empty=False)
    qtbot.waitUntil(lambda: again.video_path == second and again.player.shown is not None,
                    timeout=10000)
    qtbot.waitUntil(lambda: again.player.shown.index == 25, timeout=10000)
    assert "frame 26" in again.status_frame.text()
    recs = ws.sessions.session.recordings
    assert again.model.current is recs[1]
    ws.open_recording(recs[0].id)
    qtbot.waitUntil(lambda: again.video_path == first and again.player.shown is not None
                    and again.player.shown.index == 60, timeout=10000)
    assert ws.sessions.session.on_screen == recs[0].id
    assert [r.left_at for r in recs] == pytest.approx([60 / 30, 25 / 30], abs=1e-6)  # s
