"""A log file that cannot be opened (a read-only data folder, a file left by another user)
must not stop the app: it starts, logs elsewhere, and says so once in plain words.

The unopenable log is a folder standing where ``liftlens.log`` should be: opening it fails
for every user, root included, so the test needs no permissions trick."""

from __future__ import annotations

import logging
import sys

import pytest

from app import dialogs, launch


@pytest.fixture
def blocked_log(monkeypatch, tmp_path):
    """A data folder whose log file cannot be opened; logging is put back afterwards."""
    data = tmp_path / "data"
    (data / "logs" / "liftlens.log").mkdir(parents=True)
    monkeypatch.setenv("LIFTLENS_DATA_DIR", str(data))
    monkeypatch.setattr(launch, "LOG_PROBLEM", None)
    monkeypatch.setattr(launch, "LOG_FILE", None)
    fallback = tmp_path / "tmp-logs"
    fallback.mkdir()
    monkeypatch.setattr(launch, "_temp_log_dir", lambda: fallback)
    root = logging.getLogger()
    before, hook = list(root.handlers), sys.excepthook
    yield data, fallback
    for h in root.handlers[:]:
        if h not in before:
            root.removeHandler(h)
            h.close()
    sys.excepthook = hook


def test_logging_falls_back_to_a_temp_file_and_says_why(blocked_log):
    data, fallback = blocked_log
    used = launch.setup_logging()  # raised PermissionError/IsADirectoryError before
    assert used == fallback / "liftlens.log"
    logging.getLogger("liftlens.test").error("something to look into later")
    for h in logging.getLogger().handlers:
        h.flush()
    assert "something to look into later" in used.read_text()
    problem = launch.take_log_problem()
    assert problem is not None
    assert str(data / "logs" / "liftlens.log") in problem and str(used) in problem
    assert "Traceback" not in problem
    assert launch.take_log_problem() is None  # told once


def test_logging_falls_back_to_stderr_when_no_file_can_be_opened(blocked_log, monkeypatch,
                                                                  capsys):
    def no_temp():
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(launch, "_temp_log_dir", no_temp)
    assert launch.setup_logging() is None
    logging.getLogger("liftlens.test").error("kept on stderr")
    assert "kept on stderr" in capsys.readouterr().err
    assert "terminal" in (launch.LOG_PROBLEM or "")


def test_the_window_starts_and_tells_once(blocked_log, make_window, monkeypatch):
    told: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "warn", lambda _w, title, text: told.append((title, text)))
    launch.setup_logging()
    win = make_window()
    win.workspace.start(None, demo_when_empty=False)
    assert win.isVisible()
    assert len(told) == 1 and "cannot write its log file" in told[0][1]
    other = make_window()  # a second window of the same run does not repeat it
    other.workspace.start(None, demo_when_empty=False)
    assert len(told) == 1


def test_a_data_folder_that_cannot_be_made_still_opens_the_window(blocked_log, make_window,
                                                                  monkeypatch, tmp_path):
    """LIFTLENS_DATA_DIR under a file: no folder can be made there (for root too). The
    window opens (it raised in its constructor), one message names both problems, and
    closing with work offers to keep it in a file."""
    (tmp_path / "a-file").write_text("")
    monkeypatch.setenv("LIFTLENS_DATA_DIR", str(tmp_path / "a-file" / "data"))
    told: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "warn", lambda _w, title, text: told.append((title, text)))
    asked: list[list[str]] = []

    def ask(_parent, _title, _text, _detail, choices, cancel="Cancel"):
        asked.append([k for k, _ in choices])
        return "discard"

    monkeypatch.setattr(dialogs, "ask_choice", ask)
    launch.setup_logging()
    win = make_window()
    win.workspace.start(None, demo_when_empty=False)
    assert len(told) == 1, told  # not once per library job
    assert "cannot create its library folder" in told[0][1]
    assert "cannot write its log file" in told[0][1]
    sessions = win.workspace.sessions
    sessions.new_session(lifter="Maria")
    sessions.settle()
    assert sessions.unsaved_problem is not None
    assert win.close()
    assert asked == [["export", "discard"]]
