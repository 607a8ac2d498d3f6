"""Kill a writer with SIGKILL at random moments: the library stays intact."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from analysis.session.store import SessionStore

ROOT = Path(__file__).resolve().parents[2]

WRITER = r"""
import sys
from analysis.session import Session, Recording
from analysis.annotations import Line
from analysis.session.store import SessionStore
store = SessionStore(sys.argv[1])
sid = "crash-session"
try:
    rev = int(store.get(sid).notes)
except Exception:
    rev = 0
while True:
    rev += 1
    s = Session(id=sid, lifter="Ann", exercise="squat", notes=str(rev))
    rec = Recording("/v/set.mp4")
    rec.annotations = [Line(t=i * 0.1, points=[(i, i), (i + 50, i)]) for i in range(rev % 40)]
    s.recordings.append(rec)
    store.save(s)
    sys.stdout.write(f"{rev}\n")
    sys.stdout.flush()
"""


def test_sigkill_at_random_moments_never_corrupts(tmp_path):
    db = tmp_path / "library.sqlite3"
    rng = random.Random(1234)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    kills = early_kills = 0
    last_reported = 0
    while kills < 60:
        child = subprocess.Popen([sys.executable, "-c", WRITER, str(db)], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, env=env, text=True, cwd=ROOT)
        if kills % 6 == 5:
            # sometimes kill it while it starts (opening, creating or checking the library)
            time.sleep(rng.uniform(0.0, 0.15))
            lines: list[str] = []
            early_kills += 1
        else:
            first = child.stdout.readline()  # wait until it is writing
            assert first.strip(), child.stderr.read()
            time.sleep(rng.uniform(0.0, 0.08))
            lines = [first]
        child.send_signal(signal.SIGKILL)
        child.wait()
        # read through the text wrappers: readline() above may already hold later lines in
        # its buffer, which communicate() (reading the raw pipes) would never return
        out = child.stdout.read()
        child.stderr.read()
        child.stdout.close()
        child.stderr.close()
        assert child.returncode == -signal.SIGKILL
        reported = [int(x) for x in lines + out.splitlines() if x.strip()]
        if reported:
            last_reported = reported[-1]
        kills += 1
        if not db.exists():
            assert last_reported == 0
            continue
        store = SessionStore(db)
        try:
            assert store.integrity_ok()
            if last_reported == 0 and not store.exists("crash-session"):
                continue
            saved = store.get("crash-session")
            rev = int(saved.notes)
            # every reported commit is there; at most the one in flight is extra
            assert last_reported <= rev <= last_reported + 1
            last_reported = rev  # the next child continues from what is stored
            assert len(saved.recordings[0].annotations) == rev % 40
            assert [a.points[0] for a in saved.recordings[0].annotations] == \
                [(float(i), float(i)) for i in range(rev % 40)]
        finally:
            store.close()
    assert kills == 60 and early_kills == 10 and last_reported > 50
