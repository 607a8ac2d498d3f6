"""Command-line messages a coach scripting LiftLens reads: a file named by its path as
typed (not its bare name, which does not say which folder was looked in), and
``liftlens batch -q`` still saying in one line that clips failed."""

from __future__ import annotations

from pathlib import Path

from app.cli.main import main


def test_a_missing_clip_is_named_by_its_path_as_typed(tmp_path: Path, capsys) -> None:
    clip = tmp_path / "sessions" / "nope.mp4"
    assert main(["analyze", str(clip), "--auto"]) == 2
    err = capsys.readouterr().err
    assert f"“{clip}” does not exist" in err, err  # was: The file “nope.mp4” does not exist.
    assert main(["info", str(clip)]) == 2
    assert f"“{clip}” does not exist" in capsys.readouterr().err
    assert main(["export", str(clip), "-o", str(tmp_path / "out.mp4")]) == 2
    assert f"“{clip}”" in capsys.readouterr().err
    # a bare name stays as typed
    folder = tmp_path / "here"
    folder.mkdir()
    (folder / "empty.mp4").write_bytes(b"")
    import os

    cwd = os.getcwd()
    os.chdir(folder)
    try:
        assert main(["analyze", "empty.mp4", "--auto"]) == 2
    finally:
        os.chdir(cwd)
    assert "“empty.mp4” is empty" in capsys.readouterr().err


def test_quiet_batch_still_says_that_clips_failed(tmp_path: Path, capsys) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "notes.mp4").write_text("squat 140 kg x 5\n" * 50)
    (d / "empty.mp4").write_bytes(b"")
    out = tmp_path / "out"
    assert main(["batch", str(d), "--out", str(out), "--jobs", "1", "-q"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert lines == [f"liftlens: 0 clips measured; 2 failed (see {out / 'summary.csv'})"], lines
