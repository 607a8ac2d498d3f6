"""``liftlens export``: options map onto the export, errors are plain and exit 2."""

from __future__ import annotations

import argparse
from pathlib import Path

import av
import numpy as np
import pytest

from analysis.synth.barcode import BarcodeSpec, read_number
from app.cli import export as cli_export
from tests.analysis.export_clips import numbered, numbered_with_sound


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="liftlens")
    sub = parser.add_subparsers(dest="command")
    cli_export.add_parser(sub)
    return cli_export.run(parser.parse_args(["export", *argv]))


@pytest.fixture(scope="session")
def clip(clip_cache: Path) -> tuple[Path, np.ndarray]:
    return numbered(clip_cache, "cli", BarcodeSpec(frames=60))


def frames_of(path: Path) -> tuple[list[int], np.ndarray, bool, tuple[int, int]]:
    with av.open(str(path)) as c:
        has_audio = bool(c.streams.audio)
        nums, times, size = [], [], (0, 0)
        for f in c.decode(video=0):
            nums.append(read_number(f.to_ndarray(format="bgr24")))
            times.append(float(f.pts * f.time_base))
            size = (f.width, f.height)
    return nums, np.asarray(times), has_audio, size


def test_frames_and_speed(clip: tuple[Path, np.ndarray], tmp_path: Path,
                          capsys: pytest.CaptureFixture[str]) -> None:
    src, truth = clip
    out = tmp_path / "a.mp4"
    assert run([str(src), "-o", str(out), "--start-frame", "10", "--end-frame", "29",
                "--speed", "1/4"]) == 0
    nums, times, _, _ = frames_of(out)
    # each frame held for four pictures, so the file plays at 30 fps, not 7.5
    assert nums == [n for n in range(10, 30) for _ in range(4)]
    np.testing.assert_allclose(times[::4], (truth[10:30] - truth[10]) * 4, atol=3e-5)
    printed = capsys.readouterr().out
    assert "20 frames" in printed and "each held 4x to play at 30 fps" in printed
    assert ": 80 frames in the file)" in printed  # the file's own count (tour 30)


def test_seconds_select_half_open_range(clip: tuple[Path, np.ndarray], tmp_path: Path) -> None:
    out = tmp_path / "b.mp4"
    assert run([str(clip[0]), "-o", str(out), "--start", "0.5", "--end", "1.0", "-q"]) == 0
    assert frames_of(out)[0] == list(range(15, 30))


def test_sound_and_no_audio(clip_cache: Path, tmp_path: Path) -> None:
    src = numbered_with_sound(clip_cache)
    assert run([str(src), "-o", str(tmp_path / "s.mp4"), "--end-frame", "29", "-q"]) == 0
    assert frames_of(tmp_path / "s.mp4")[2]
    assert run([str(src), "-o", str(tmp_path / "n.mp4"), "--end-frame", "29", "--no-audio",
                "-q"]) == 0
    assert not frames_of(tmp_path / "n.mp4")[2]


def test_size_preset_never_enlarges(clip: tuple[Path, np.ndarray], tmp_path: Path) -> None:
    out = tmp_path / "c.mp4"
    assert run([str(clip[0]), "-o", str(out), "--size", "720p", "--end-frame", "4", "-q"]) == 0
    assert frames_of(out)[3] == (320, 240)


def test_existing_output_needs_overwrite(clip: tuple[Path, np.ndarray], tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "d.mp4"
    out.write_bytes(b"keep me")
    assert run([str(clip[0]), "-o", str(out), "-q"]) == 2
    err = capsys.readouterr().err
    assert "already exists" in err and "Traceback" not in err
    assert out.read_bytes() == b"keep me"
    assert run([str(clip[0]), "-o", str(out), "--overwrite", "--end-frame", "2", "-q"]) == 0
    assert frames_of(out)[0] == [0, 1, 2]


@pytest.mark.parametrize(("extra", "message"), [
    (["--speed", "4"], "between 1/16 and 2"),
    (["--start-frame", "500"], "outside the video"),
    (["--start", "9"], "after the end of the video"),
    (["--start", "1", "--end", "0.5"], "after the start"),
])
def test_plain_errors_exit_2(clip: tuple[Path, np.ndarray], tmp_path: Path,
                             capsys: pytest.CaptureFixture[str], extra: list[str],
                             message: str) -> None:
    out = tmp_path / "e.mp4"
    assert run([str(clip[0]), "-o", str(out), *extra]) == 2
    err = capsys.readouterr().err
    assert err.startswith("liftlens: ") and message in err
    assert list(tmp_path.iterdir()) == []


def test_missing_video(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run([str(tmp_path / "nope.mp4"), "-o", str(tmp_path / "o.mp4")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_bad_speed_is_usage_error(clip: tuple[Path, np.ndarray], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as info:
        run([str(clip[0]), "-o", str(tmp_path / "f.mp4"), "--speed", "fast"])
    assert info.value.code == 2


def test_render_hook_is_empty_by_default(clip: tuple[Path, np.ndarray]) -> None:
    parser = argparse.ArgumentParser()
    cli_export.add_parser(parser.add_subparsers())
    args = parser.parse_args(["export", str(clip[0]), "-o", "x.mp4"])
    assert cli_export.build_renders(args, None) == []  # type: ignore[arg-type]


def test_a_variable_frame_rate_clip_says_its_frames_are_held_unevenly(
        clip_cache: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The tester's VFR clean and jerk at 1/2 speed printed "each held 4x": its frames were
    held 1-4 times (about 2x on average), so the message now says "up to" and the mean."""
    src, _truth = numbered(clip_cache, "vfr", BarcodeSpec(frames=60, vfr=True))
    out = tmp_path / "vfr.mp4"
    assert run([str(src), "-o", str(out), "--speed", "1/4"]) == 0
    nums, _times, _, _ = frames_of(out)
    counts = np.bincount(nums)[np.unique(nums)]
    assert counts.min() < counts.max()  # held unevenly
    printed = capsys.readouterr().out
    assert "each held" not in printed
    assert f"held up to {counts.max()}x, {counts.mean():.1f}x on average" in printed
    assert f": {len(nums)} frames in the file)" in printed
