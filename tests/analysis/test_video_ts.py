"""MPEG-TS (camcorder .mts/.ts) with B-frames and late-starting timestamps: frame n is
frame n, read in order, at random and exported, as for MP4. Generated clips of that
kind always; the public case files when ../shared/cases is present."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import av
import pytest

from analysis.export import export_clip
from analysis.synth.barcode import draw_number, read_number
from analysis.synth.encode import ClipWriter
from analysis.video import build_index
from analysis.video.errors import VideoError
from analysis.video.source import VideoSource

FRAMES = 120


def make_ts(path: Path, start_s: float = 0.0, bframes: int = 2, gop: int = 30,
            frames: int = FRAMES) -> Path:
    """A numbered H.264 clip in MPEG-TS whose first frame is shown at ``start_s``."""
    if not path.exists():
        with ClipWriter(path, 320, 240, fps=30, gop=gop, bframes=bframes, crf=23) as w:
            for n in range(frames):
                w.write(draw_number(n, 320, 240), start_s + n / 30)
    return path


KINDS = {"plain_bf2": {}, "offset_start": {"start_s": 1.4},
         "bf3_short_gop": {"bframes": 3, "gop": 12}, "late_bf1": {"start_s": 7.3, "bframes": 1}}


@pytest.fixture(scope="module", params=sorted(KINDS))
def ts_clip(request, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("ts")
    return make_ts(folder / f"{request.param}.ts", **KINDS[request.param])


def _case_files() -> list[Path]:
    from tests.conftest import shared_cases_dir

    d = shared_cases_dir()
    folder = d / "public" / "13-ts-bframes" if d else None
    return sorted(folder.glob("*.ts")) if folder and folder.is_dir() else []


def check_every_frame(path: Path) -> None:
    index = build_index(str(path))
    assert index.frame_count == FRAMES and index.times[0] == 0.0
    with VideoSource(path, index) as src:
        assert [read_number(f.image) for f in src.frames()] == list(range(FRAMES))
        assert not src.damaged
        order = list(range(FRAMES))
        random.Random(3).shuffle(order)
        for n in [FRAMES - 1, 0, *order[:40]]:
            assert read_number(src.read(n).image) == n
        assert [n for n, _, _ in src.gray_frames(45, 75)] == list(range(45, 75))


def check_export(path: Path, out: Path) -> None:
    result = export_clip(path, out, overwrite=True)
    assert result.frames == FRAMES and not result.warnings
    with av.open(str(out)) as c:
        assert [read_number(f.to_ndarray(format="bgr24")) for f in c.decode(video=0)] == \
            list(range(FRAMES))


def test_generated_ts_reads_every_frame(ts_clip: Path) -> None:
    check_every_frame(ts_clip)


def test_generated_ts_exports_every_frame(ts_clip: Path, tmp_path: Path) -> None:
    check_export(ts_clip, tmp_path / "out.mp4")


@pytest.mark.parametrize("name", ["plain_bf2.ts", "offset_start.ts"])
def test_public_case_files(name: str, tmp_path: Path) -> None:
    found = {p.name: p for p in _case_files()}
    if name not in found:
        pytest.skip("the 13-ts-bframes cases are not in ../shared/cases")
    check_every_frame(found[name])
    check_export(found[name], tmp_path / "out.mp4")


@pytest.mark.parametrize("suffix", [".ts", ".mp4"])
def test_file_deleted_while_open_still_reads_or_says_so(tmp_path: Path, suffix: str) -> None:
    made = make_ts(tmp_path / f"src{suffix}", start_s=1.4, frames=90) if suffix == ".ts" else None
    if made is None:
        from analysis.synth.barcode import BarcodeSpec, make_barcode_clip

        made = tmp_path / "src.mp4"
        make_barcode_clip(made, BarcodeSpec(frames=90))
    copy = tmp_path / f"open{suffix}"
    shutil.copy(made, copy)
    src = VideoSource(copy)
    assert read_number(src.read(45).image) == 45
    os.unlink(copy)
    for n in (0, 89, 5, 60, 31):
        try:
            assert read_number(src.read(n).image) == n
        except VideoError as exc:  # never "frame 0 is damaged" for a file that is gone
            assert "moved or deleted" in str(exc)
    src.close()
    with pytest.raises(VideoError, match="does not exist"):
        VideoSource(copy)
