"""An export never writes over its own input (same name, symbolic link, hard link),
even with --overwrite: a plain message, exit 2, the source unchanged."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import pytest

from analysis.export import ExportError, export_clip
from analysis.export.writer import AtomicOutput
from analysis.synth.barcode import BarcodeSpec
from app.cli import export as cli_export
from tests.analysis.export_clips import numbered


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="liftlens")
    sub = parser.add_subparsers(dest="command")
    cli_export.add_parser(sub)
    return cli_export.run(parser.parse_args(["export", *argv]))


@pytest.fixture
def src(clip_cache: Path, tmp_path: Path) -> Path:
    made, _ = numbered(clip_cache, "own-input", BarcodeSpec(frames=20))
    copy = tmp_path / "clip.mp4"
    copy.write_bytes(made.read_bytes())
    return copy


@pytest.mark.parametrize("kind", ["same", "relative", "symlink", "hardlink", "link_to_link"])
def test_output_that_is_the_input_is_refused(src: Path, tmp_path: Path, kind: str,
                                             capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    before = src.read_bytes()
    out, src_arg = src, src
    if kind == "relative":
        monkeypatch.chdir(tmp_path)
        out = Path("sub/../clip.mp4")
        (tmp_path / "sub").mkdir()
    elif kind == "symlink":
        out = tmp_path / "out.mp4"
        out.symlink_to(src)
    elif kind == "hardlink":
        out = tmp_path / "out.mp4"
        os.link(src, out)
    elif kind == "link_to_link":  # the input is itself reached through a link
        link = tmp_path / "in.mp4"
        link.symlink_to(src)
        out, src_arg = src, link
    assert run([str(src_arg), "-o", str(out), "--overwrite", "-q"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("liftlens: ") and "would destroy it" in err and "Traceback" not in err
    assert src.read_bytes() == before
    with pytest.raises(ExportError, match="would destroy it"):
        export_clip(src_arg, out, overwrite=True)
    assert src.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_session_file_is_never_the_output(src: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    from analysis.session import Recording, Session
    from analysis.session.portable import describe_video, export_session

    s = Session(lifter="Ann")
    rec = Recording(str(src))
    describe_video(rec, src)
    s.recordings.append(rec)
    session_file = tmp_path / "day.liftlens"
    export_session(s, session_file)
    before = session_file.read_bytes()
    assert run([str(session_file), "--set", "1", "-o", str(session_file), "--overwrite"]) == 2
    assert "would destroy it" in capsys.readouterr().err
    assert run([str(session_file), "--set", "1", "-o", str(src), "--overwrite"]) == 2
    assert "would destroy it" in capsys.readouterr().err
    assert session_file.read_bytes() == before


def test_empty_output_name_is_a_plain_message(src: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert run([str(src), "-o", "", "-q"]) == 2
    err = capsys.readouterr().err
    assert "No output file was given" in err and "folder" not in err
    with pytest.raises(ExportError, match="No output file"):
        AtomicOutput("  ")


def test_a_different_file_is_still_written(src: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.mp4"
    other.write_bytes(b"old export")
    assert run([str(src), "-o", str(other), "--overwrite", "-q", "--end-frame", "3"]) == 0
    assert other.stat().st_size > 1000 and not os.path.samefile(other, src)
