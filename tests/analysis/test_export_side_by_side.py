"""Two synchronised clips in one MP4: frame pairs, timing, blanks, per-side overlays."""

from __future__ import annotations

from pathlib import Path

import av
import cv2
import numpy as np
import pytest

from analysis.compare.sync import CommonTimeline, SideTiming
from analysis.export import Cancelled, ExportError, ExportFrame
from analysis.export.compose import BACKGROUND, pair_layout
from analysis.export.side_by_side import Side, SyncedPair, export_side_by_side
from analysis.synth.barcode import BarcodeSpec, read_number
from analysis.video import build_index
from tests.analysis.export_clips import numbered


@pytest.fixture(scope="session")
def clips(clip_cache: Path) -> tuple[Path, Path]:
    a, _ = numbered(clip_cache, "sbs-a", BarcodeSpec(frames=45))
    b, _ = numbered(clip_cache, "sbs-b", BarcodeSpec(frames=90, fps=60.0, gop=60, width=240,
                                                     height=320))
    return a, b


def read_pairs(path: Path, layout: str = "horizontal") -> tuple[list[tuple[int, int]], np.ndarray,
                                                                 list[np.ndarray]]:
    lay = pair_layout((320, 240), (240, 320), layout)
    pairs, times, images = [], [], []
    with av.open(str(path)) as c:
        for f in c.decode(video=0):
            img = f.to_ndarray(format="bgr24")
            assert (img.shape[1], img.shape[0]) == (lay.width, lay.height)
            sa, sb = lay.slots
            pairs.append((read_number(img[sa.y:sa.y + sa.h, sa.x:sa.x + sa.w]),
                          read_number(img[sb.y:sb.y + sb.h, sb.x:sb.x + sb.w])))
            times.append(float(f.pts * f.time_base))
            images.append(img)
    return pairs, np.asarray(times), images


def test_timeline_pairs_are_exported_frame_by_frame(clips: tuple[Path, Path],
                                                    tmp_path: Path) -> None:
    a, b = clips
    ia, ib = build_index(str(a)), build_index(str(b))
    # side B's event is 0.25 s into its clip: it starts 0.25 s before side A and both last
    # 1.5 s, so the comparison lasts 1.75 s
    timeline = CommonTimeline(SideTiming.from_index(ia), SideTiming.from_index(ib, event=0.25))
    pair = SyncedPair.from_timeline(timeline)
    assert pair.times[0] == 0 and pair.end_time == pytest.approx(1.75)
    out = tmp_path / "pair.mp4"
    result = export_side_by_side(Side(a), Side(b), pair, out, speed=0.5)
    pairs, times, _ = read_pairs(out)
    assert pairs == list(zip(pair.frames_a.tolist(), pair.frames_b.tolist(), strict=True))
    np.testing.assert_allclose(times, pair.times * 2, atol=3e-5)
    assert result.duration_s == pytest.approx(3.5)
    assert result.frames == len(pair) and not result.has_audio
    # B at 60 fps drives the changes: every B frame appears once, A holds frame 0 first
    assert [p[1] for p in pairs][:20] == list(range(20))
    assert pairs[0][0] == 0 and pairs[-1][0] == 44


def test_blank_sides_and_fixed_rate(clips: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = clips
    times = np.arange(12) / 12
    pair = SyncedPair.from_function(times, lambda t: (int(t * 30) if t < 0.5 else -1,
                                                      -1 if t < 0.25 else int(t * 60)))
    out = tmp_path / "blank.mp4"
    export_side_by_side(Side(a, label="A"), Side(b), pair, out, layout="vertical")
    lay = pair_layout((320, 240), (240, 320), "vertical")
    _, got_times, images = read_pairs(out, "vertical")
    np.testing.assert_allclose(got_times, times, atol=3e-5)
    sa, sb = lay.slots
    for k, img in enumerate(images):
        a_n, b_n = pair.frames_a[k], pair.frames_b[k]
        side_a = img[sa.y + 40:sa.y + sa.h, sa.x:sa.x + sa.w]  # below the label
        side_b = img[sb.y:sb.y + sb.h, sb.x:sb.x + sb.w]
        if a_n < 0:
            assert np.abs(side_a.astype(int) - BACKGROUND).max() < 12
        else:
            assert read_number(img[sa.y:sa.y + sa.h, sa.x:sa.x + sa.w]) == a_n
        if b_n < 0:
            assert np.abs(side_b.astype(int) - BACKGROUND).max() < 12
        else:
            assert read_number(side_b) == b_n


def test_each_side_gets_its_own_overlay_at_slot_size(clips: tuple[Path, Path],
                                                     tmp_path: Path) -> None:
    a, b = clips
    seen: dict[str, list[tuple[int, tuple[int, ...], float]]] = {"a": [], "b": []}

    def marker(name: str, colour: tuple[int, int, int]):  # type: ignore[no-untyped-def]
        def render(frame: ExportFrame, k: int) -> np.ndarray:
            seen[name].append((frame.index, frame.image.shape, frame.scale_x))
            x, y = frame.to_output(frame.source_width / 2, frame.source_height * 0.9)
            cv2.circle(frame.image, (int(x), int(y)), 8, colour, -1)
            return frame.image
        return render

    pair = SyncedPair(np.arange(6) / 30, np.array([3, 3, 3, 4, 5, 6]),
                      np.array([10, 12, 14, 16, 18, 20]), 0.2)
    out = tmp_path / "overlay.mp4"
    export_side_by_side(Side(a, render=marker("a", (0, 0, 255))),
                        Side(b, render=marker("b", (0, 255, 0))), pair, out, threaded=False)
    lay = pair_layout((320, 240), (240, 320))
    sa, sb = lay.slots
    assert [s[0] for s in seen["a"]] == [3, 3, 3, 4, 5, 6]
    assert {s[1] for s in seen["a"]} == {(sa.h, sa.w, 3)}
    assert {s[1] for s in seen["b"]} == {(sb.h, sb.w, 3)}
    assert seen["a"][0][2] == pytest.approx(sa.w / 320)
    _, _, images = read_pairs(out)
    for img in images:
        ya, xa = sa.y + int(sa.h * 0.9), sa.x + sa.w // 2
        yb, xb = sb.y + int(sb.h * 0.9), sb.x + sb.w // 2
        assert img[ya, xa, 2] > 200 and img[ya, xa, 1] < 80  # red dot on A only
        assert img[yb, xb, 1] > 200 and img[yb, xb, 2] < 80  # green dot on B only
    # a held frame (3, three times) is drawn on once per output frame, not accumulated
    assert len(seen["a"]) == 6


def test_synced_pair_validation() -> None:
    with pytest.raises(ExportError, match="start at 0"):
        SyncedPair(np.array([0.0, 0.1, 0.1]), np.zeros(3), np.zeros(3), 0.2)
    with pytest.raises(ExportError, match="one frame of each side"):
        SyncedPair(np.array([0.0, 0.1]), np.zeros(3), np.zeros(2), 0.2)
    with pytest.raises(ExportError, match="-1"):
        SyncedPair(np.array([0.0]), np.array([-2]), np.array([0]), 0.1)
    with pytest.raises(ExportError, match="end after"):
        SyncedPair(np.array([0.0, 0.1]), np.zeros(2), np.zeros(2), 0.1)


def test_bad_inputs_leave_no_file(clips: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = clips
    pair = SyncedPair(np.array([0.0, 0.1]), np.array([0, 200]), np.array([0, 1]), 0.2)
    with pytest.raises(ExportError, match="Side A asks for frame 200"):
        export_side_by_side(Side(a), Side(b), pair, tmp_path / "x.mp4")
    ok = SyncedPair(np.array([0.0, 0.1]), np.array([0, 1]), np.array([0, 1]), 0.2)
    with pytest.raises(ExportError, match="does not exist"):
        export_side_by_side(Side(a), Side(tmp_path / "nope.mp4"), ok, tmp_path / "x.mp4")
    with pytest.raises(Cancelled):
        export_side_by_side(Side(a), Side(b), ok, tmp_path / "x.mp4", cancel=lambda: True)
    assert list(tmp_path.iterdir()) == []


def test_a_slowed_pair_is_held_so_it_plays_smoothly(clips: tuple[Path, Path],
                                                    tmp_path: Path) -> None:
    """At 1/4 speed two 30 fps clips change 7.5 times a second: each picture is held for
    four (30 fps), every pair still shown in order and starting at its own time."""
    a, _ = clips
    ia = build_index(str(a))
    timeline = CommonTimeline(SideTiming.from_index(ia), SideTiming.from_index(ia))
    pair = SyncedPair.from_timeline(timeline)
    out = tmp_path / "quarter.mp4"
    result = export_side_by_side(Side(a), Side(a), pair, out, layout="vertical", speed=0.25)
    lay = pair_layout((320, 240), (320, 240), "vertical")
    with av.open(str(out)) as c:
        got = [(read_number(f.to_ndarray(format="bgr24")[: lay.slots[0].h, : lay.slots[0].w]),
                float(f.pts * f.time_base)) for f in c.decode(video=0)]
    nums, times = [n for n, _ in got], np.asarray([t for _, t in got])
    assert nums == [n for n in pair.frames_a.tolist() for _ in range(4)]
    np.testing.assert_allclose(times[::4], pair.times * 4, atol=3e-5)
    np.testing.assert_allclose(np.diff(times), 1 / 30, atol=3e-5)
    assert (result.frames, result.held) == (len(pair), 4)
    assert result.fps == pytest.approx(30.0, rel=1e-3)
