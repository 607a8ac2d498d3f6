"""A side-by-side export reports its progress picture by picture, shows the right frame of
each clip in each half, converts each side only at its own size, and leaves no file when
cancelled half-way."""

from __future__ import annotations

from pathlib import Path

import av
import cv2
import numpy as np
import pytest

from analysis.compare.sync import CommonTimeline, SideTiming
from analysis.export import Cancelled
from analysis.export.compose import pair_layout
from analysis.export.side_by_side import Side, SyncedPair, export_side_by_side
from analysis.synth.barcode import BarcodeSpec, read_number
from analysis.video import VideoSource, build_index
from analysis.video.frames import PackedFrame
from tests.analysis.export_clips import numbered


@pytest.fixture(scope="session")
def big_clips(clip_cache: Path) -> tuple[Path, Path]:
    """Two 1280x720 clips (30 and 60 fps): shown at about half size side by side at 720p."""
    a, _ = numbered(clip_cache, "sbs-720-a", BarcodeSpec(frames=24, width=1280, height=720,
                                                          crf=18))
    b, _ = numbered(clip_cache, "sbs-720-b", BarcodeSpec(frames=40, fps=60.0, gop=60,
                                                          width=1280, height=720, crf=18))
    return a, b


def _pair(a: Path, b: Path, event_b: float = 0.1) -> SyncedPair:
    ia, ib = build_index(str(a)), build_index(str(b))
    timeline = CommonTimeline(SideTiming.from_index(ia),
                              SideTiming.from_index(ib, event=event_b))
    return SyncedPair.from_timeline(timeline)


@pytest.mark.parametrize("threaded", [True, False])
def test_progress_rises_picture_by_picture_to_the_end(big_clips: tuple[Path, Path],
                                                      tmp_path: Path, threaded: bool) -> None:
    a, b = big_clips
    pair = _pair(a, b)
    calls: list[tuple[int, int]] = []
    result = export_side_by_side(Side(a), Side(b), pair, tmp_path / "p.mp4", size="720p",
                                 progress=lambda d, t: calls.append((d, t)), threaded=threaded)
    fractions = [d / t for d, t in calls]
    assert {t for _, t in calls} == {len(pair)}
    assert [d for d, _ in calls] == list(range(1, len(pair) + 1))  # one call a picture
    assert all(np.diff(fractions) > 0) and fractions[-1] == 1.0
    assert result.frames == len(pair)


def test_a_slowed_export_counts_each_picture_once(big_clips: tuple[Path, Path],
                                                  tmp_path: Path) -> None:
    """At 1/4 speed each picture is written four times; the bar counts pictures and ends
    at 100 % (not at a quarter, nor at 400 %)."""
    a, b = big_clips
    pair = _pair(a, b)
    calls: list[tuple[int, int]] = []
    result = export_side_by_side(Side(a), Side(b), pair, tmp_path / "q.mp4", size="720p",
                                 speed=0.25, progress=lambda d, t: calls.append((d, t)))
    assert result.held > 1 and result.pictures > len(pair)
    assert calls[-1] == (len(pair), len(pair)) and len(calls) == len(pair)


def test_each_half_shows_its_clips_frame(big_clips: tuple[Path, Path], tmp_path: Path) -> None:
    """Every exported picture's halves are the two source frames the pair names, scaled
    to their slots: compared pixel by pixel with the decoded source frames."""
    a, b = big_clips
    pair = _pair(a, b)
    out = tmp_path / "halves.mp4"
    export_side_by_side(Side(a), Side(b), pair, out, size="720p")
    lay = pair_layout((1280, 720), (1280, 720), "horizontal", (1280, 720))
    with av.open(str(out)) as c:
        pictures = [f.to_ndarray(format="bgr24") for f in c.decode(video=0)]
    assert len(pictures) == len(pair)
    assert pictures[0].shape == (lay.height, lay.width, 3)
    with VideoSource(str(a)) as sa, VideoSource(str(b)) as sb:
        sources = ({n: sa.read(n).image for n in set(pair.frames_a.tolist())},
                   {n: sb.read(n).image for n in set(pair.frames_b.tolist())})
    for k, img in enumerate(pictures):
        for side, (slot, wanted) in enumerate(zip(lay.slots, (pair.frames_a[k],
                                                               pair.frames_b[k]), strict=True)):
            half = img[slot.y:slot.y + slot.h, slot.x:slot.x + slot.w].astype(int)
            assert read_number(half.astype(np.uint8)) == wanted

            def diff(n: int, half: np.ndarray = half, slot=slot, side: int = side) -> float:
                ref = cv2.resize(sources[side][n], (slot.w, slot.h), interpolation=cv2.INTER_AREA)
                return float(np.abs(half - ref.astype(int)).mean())

            err = diff(int(wanted))
            assert err < 4.0, (k, side, err)  # the encoder's loss and the scaling only
            others = [diff(n) for n in sources[side] if n != wanted]
            assert err < min(others, default=np.inf)


def test_sides_are_converted_at_their_slot_size_only(big_clips: tuple[Path, Path],
                                                     tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A 1280x720 side shown at about 636x358 is scaled in its I420 planes and converted
    there: its full picture is never converted to BGR (three times the work, then an
    area resize that cost 10-30 ms a side at 1080p)."""
    a, b = big_clips
    full = []
    original = PackedFrame.to_bgr

    def to_bgr(self: PackedFrame) -> np.ndarray:
        full.append(self.index)
        return original(self)

    monkeypatch.setattr(PackedFrame, "to_bgr", to_bgr)
    export_side_by_side(Side(a), Side(b), _pair(a, b), tmp_path / "s.mp4", size="720p")
    assert full == []


def test_cancel_half_way_leaves_no_file_and_keeps_the_old_one(big_clips: tuple[Path, Path],
                                                              tmp_path: Path) -> None:
    a, b = big_clips
    pair = _pair(a, b)
    target = tmp_path / "cmp.mp4"
    target.write_bytes(b"the export of last week")
    calls: list[int] = []
    with pytest.raises(Cancelled):
        export_side_by_side(Side(a), Side(b), pair, target, size="720p", overwrite=True,
                            progress=lambda d, t: calls.append(d),
                            cancel=lambda: len(calls) >= 5)
    assert 5 <= len(calls) < len(pair)
    assert [p.name for p in tmp_path.iterdir()] == ["cmp.mp4"]  # no part file is left
    assert target.read_bytes() == b"the export of last week"
