"""Fuzz: seeded mutations of a real session file through import, a library save and
``liftlens export SESSION --set 1``: no traceback, no hang, no input file changed
(rules in :mod:`tests.analysis.session_fuzz`).

Always: a session made here (a generated lift clip with its bar track, scale,
drawings, a key moment and a rep correction). With ../shared/cases: the real exported
session ``reliability/base.liftlens`` (and its clip from the shared data), and the
reproducers ``min_track`` and ``min_inf``. ``LIFTLENS_STRESS=N`` multiplies the cases
(the figures in the issue note come from runs by hand: ``python -m
tests.analysis.session_fuzz``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.analysis.session_fuzz import fuzz, make_session, run_case

STRESS = max(1, int(os.environ.get("LIFTLENS_STRESS", "1") or 1))


@pytest.fixture(scope="module")
def generated(tmp_path_factory, qapp) -> Path:
    """A session file made by LiftLens itself, with its video beside it."""
    folder = tmp_path_factory.mktemp("made")
    path = make_session(folder)
    rc = run_case(path, folder / "set1.mp4", folder / "check.sqlite3")
    assert rc == "imported, saved, exported"  # the unmutated file goes all the way through
    return path


def _report(report) -> None:
    print("\n" + report.summary())
    assert report.failures == [], report.failures[:10]


@pytest.fixture(autouse=True)
def _widgets_app(qapp):
    """The export paints its overlays with Qt: make the process's Qt application a
    QApplication (as the app tests need) before the export would make a plain one."""
    return qapp


def test_fuzz_generated_session(generated, tmp_path):
    video = generated.parent / "set1.mp4"
    _report(fuzz(generated, video, range(120 * STRESS), tmp_path, end_frame=8, samples=6,
                 timeout=60))


@pytest.fixture(scope="module")
def shared_base(shared_cases, tmp_path_factory) -> Path:
    from tests.conftest import shared_data_dir

    base = shared_cases / "reliability" / "base.liftlens"
    data = shared_data_dir()
    clip = data / "videos" / "sahityajain360__barbell-tracker__bench2.mp4" if data else None
    if not base.exists() or clip is None or not clip.exists():
        pytest.skip("base.liftlens or its bench2 clip is not in ../shared")
    folder = tmp_path_factory.mktemp("base")
    shutil.copy(base, folder / "base.liftlens")
    shutil.copy(clip, folder / "bench2.mp4")
    return folder / "base.liftlens"


def test_fuzz_real_exported_session(shared_base, tmp_path):
    _report(fuzz(shared_base, shared_base.parent / "bench2.mp4", range(40 * STRESS), tmp_path,
                 end_frame=5, samples=4, timeout=60))


@pytest.mark.parametrize("name", ["min_track.liftlens", "min_inf.liftlens"])
def test_reproducers_are_plain_and_the_library_stays_saveable(shared_base, shared_cases,
                                                              tmp_path, capsys, name):
    from analysis.session.portable import import_session
    from analysis.session.store import SessionStore
    from app.cli import main as cli_main

    case = tmp_path / name
    shutil.copy(shared_cases / "reliability" / name, case)
    os.link(shared_base.parent / "bench2.mp4", tmp_path / "bench2.mp4")
    outcome = run_case(case, tmp_path / "bench2.mp4", tmp_path / "lib.sqlite3")
    assert outcome in ("refused at import", "imported, saved, export refused plainly",
                       "imported, saved, exported")
    assert cli_main.main(["export", str(case), "--set", "1", "-o", str(tmp_path / "o.mp4")]) \
        == 2
    err = capsys.readouterr().err
    assert err.startswith("liftlens: ") and err.count("\n") == 1 and "Traceback" not in err
    # the library (and the session open in the app) is untouched and still saves
    with SessionStore(tmp_path / "lib.sqlite3") as store:
        s = import_session(shared_base)
        store.save(s)
        assert store.get(s.id).to_dict() == s.to_dict()
