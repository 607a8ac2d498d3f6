"""Clip export: frame selection, timing, size, sound, overlays, atomic output and failures."""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path

import av
import cv2
import numpy as np
import pytest

from analysis.export import (
    Cancelled,
    ExportError,
    ExportFrame,
    H264Writer,
    export_clip,
    fit_size,
    frame_range_for_times,
    plan_clip,
)
from analysis.export.pipeline import run_pipeline
from analysis.export.writer import TIME_BASE, WriterSpec
from analysis.synth.barcode import BarcodeSpec, read_number
from analysis.video import build_index
from tests.analysis.export_clips import (
    click_times,
    decode_sound,
    numbered,
    numbered_with_sound,
    onsets,
)

TICK = float(TIME_BASE)


@pytest.fixture(scope="session")
def cfr(clip_cache: Path) -> tuple[Path, np.ndarray]:
    return numbered(clip_cache, "cfr", BarcodeSpec(frames=90))


@pytest.fixture(scope="session")
def vfr(clip_cache: Path) -> tuple[Path, np.ndarray]:
    return numbered(clip_cache, "vfr", BarcodeSpec(frames=60, vfr=True))


@pytest.fixture(scope="session")
def with_sound(clip_cache: Path) -> Path:
    return numbered_with_sound(clip_cache)


def decoded(path: Path) -> tuple[list[int], np.ndarray, list[np.ndarray]]:
    """Frame numbers read from each picture, their times (s) and the pictures."""
    nums, times, images = [], [], []
    with av.open(str(path)) as c:
        for frame in c.decode(video=0):
            img = frame.to_ndarray(format="bgr24")
            images.append(img)
            nums.append(read_number(img))
            times.append(float(frame.pts * frame.time_base))
    return nums, np.asarray(times), images


def top_level_atoms(path: Path) -> list[str]:
    atoms, data = [], path.read_bytes()
    pos = 0
    while pos + 8 <= len(data):
        size = int.from_bytes(data[pos:pos + 4], "big")
        atoms.append(data[pos + 4:pos + 8].decode("latin-1"))
        if size == 1:
            size = int.from_bytes(data[pos + 8:pos + 16], "big")
        if size < 8:
            break
        pos += size
    return atoms


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".part")]


def test_range_at_half_speed_plays_everywhere(cfr: tuple[Path, np.ndarray], tmp_path: Path) -> None:
    src, truth = cfr
    out = tmp_path / "slow.mp4"
    result = export_clip(src, out, start_frame=10, end_frame=49, speed=0.5)
    nums, times, _ = decoded(out)
    # 15 pictures a second would stutter: each frame is held for two pictures (30 fps)
    assert nums == [n for n in range(10, 50) for _ in (0, 1)]
    np.testing.assert_allclose(times[::2], (truth[10:50] - truth[10]) * 2.0, atol=2 * TICK)
    np.testing.assert_allclose(np.diff(times), 1 / 30, atol=2 * TICK)
    assert result.frames == 40 and (result.width, result.height) == (320, 240)
    assert result.fps == pytest.approx(30.0) and result.held == 2
    assert result.duration_s == pytest.approx(40 / 30 * 2)
    with av.open(str(out)) as c:
        s = c.streams.video[0]
        assert s.codec_context.name == "h264"
        assert s.codec_context.pix_fmt == "yuv420p"
        assert s.codec_context.profile in ("High", "Main")
        assert float(s.duration * s.time_base) == pytest.approx(40 / 30 * 2, abs=1e-3)
        assert not c.streams.audio
    atoms = top_level_atoms(out)
    assert atoms.index("moov") < atoms.index("mdat"), atoms  # faststart
    assert leftovers(tmp_path) == []
    umask = os.umask(0o022)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's private 0600


def test_vfr_timing_survives_at_every_speed(vfr: tuple[Path, np.ndarray], tmp_path: Path) -> None:
    src, truth = vfr
    for speed in (1.0, 2.0, 0.0625):
        out = tmp_path / f"vfr-{speed}.mp4"
        export_clip(src, out, start_frame=5, end_frame=44, speed=speed)
        nums, times, _ = decoded(out)
        first = np.flatnonzero(np.diff(nums, prepend=-1))  # a held frame's first picture
        assert [nums[i] for i in first] == list(range(5, 45))
        np.testing.assert_allclose(times[first], (truth[5:45] - truth[5]) / speed,
                                   atol=2 * TICK)
        index = build_index(str(out))
        # held at 1/16 for about 1/30 s a copy, the pictures come evenly; the frames
        # still start at their own (irregular) times, checked above
        assert index.vfr == (speed >= 1.0)


def test_frame_range_for_times(cfr: tuple[Path, np.ndarray]) -> None:
    index = build_index(str(cfr[0]))
    assert frame_range_for_times(index, 1.0, 2.0) == (30, 59)
    assert frame_range_for_times(index, None, None) == (0, 89)
    assert frame_range_for_times(index, 0.51, None) == (15, 89)  # the frame on screen at 0.51 s
    with pytest.raises(ExportError, match="after the start"):
        frame_range_for_times(index, 2.0, 1.0)
    with pytest.raises(ExportError, match="no frame"):
        frame_range_for_times(index, 5.0, 6.0)


@pytest.mark.parametrize(("size", "preset", "expected"), [
    ((1920, 1080), "720p", (1280, 720)),
    ((1080, 1920), "720p", (720, 1280)),          # portrait keeps its orientation
    ((1080, 1920), "1080p", (1080, 1920)),
    ((3840, 2160), "1080p", (1920, 1080)),
    ((320, 240), "1080p", (320, 240)),            # never enlarged
    ((321, 241), "source", (320, 240)),           # odd sizes lose a row/column
    ((1000, 563), "720p", (1000, 562)),
    ((2000, 1000), "720p", (1280, 640)),          # long side limits
    ((1440, 1080), "720p", (960, 720)),           # short side limits
])
def test_size_presets(size: tuple[int, int], preset: str, expected: tuple[int, int]) -> None:
    w, h = fit_size(*size, preset)
    assert (w, h) == expected
    assert w % 2 == 0 and h % 2 == 0


def test_unknown_size_is_plain_error() -> None:
    with pytest.raises(ExportError, match="Unknown size"):
        fit_size(640, 480, "4k")


def test_scaled_export_and_render_contract(cfr: tuple[Path, np.ndarray], tmp_path: Path) -> None:
    src, truth = cfr
    calls: list[tuple[int, int, float, tuple[int, ...], float, float, str]] = []

    def render(frame: ExportFrame, k: int) -> np.ndarray:
        calls.append((k, frame.index, frame.time, frame.image.shape, frame.scale_x,
                      frame.out_time, threading.current_thread().name))
        # a green box at source pixels (200..300, 150..230), drawn at output scale
        x0, y0 = frame.to_output(200, 150)
        x1, y1 = frame.to_output(300, 230)
        cv2.rectangle(frame.image, (int(x0), int(y0)), (int(x1), int(y1)), (0, 255, 0), -1)
        return frame.image

    out = tmp_path / "small.mp4"
    result = export_clip(src, out, start_frame=20, end_frame=39, size=(200, 150), render=render)
    assert (result.width, result.height) == (200, 150)
    assert [c[0] for c in calls] == list(range(20))
    assert [c[1] for c in calls] == list(range(20, 40))
    np.testing.assert_allclose([c[2] for c in calls], truth[20:40])
    np.testing.assert_allclose([c[5] for c in calls], truth[20:40] - truth[20], atol=1e-9)
    assert {c[3] for c in calls} == {(150, 200, 3)}
    assert all(c[4] == pytest.approx(200 / 320) for c in calls)
    assert {c[6] for c in calls} == {"export-render"}
    nums, _, images = decoded(out)
    assert nums == list(range(20, 40))
    for img in images:
        box = img[100:140, 130:180].reshape(-1, 3).mean(axis=0)  # inside (125..187, 94..143)
        assert box[1] > 200 and box[0] < 60 and box[2] < 60
        assert img.shape == (150, 200, 3)


def test_no_overlay_without_callback(cfr: tuple[Path, np.ndarray], tmp_path: Path) -> None:
    out = tmp_path / "plain.mp4"
    export_clip(cfr[0], out, start_frame=0, end_frame=9, size=(200, 150), threaded=False)
    nums, _, images = decoded(out)
    assert nums == list(range(10))
    assert images[0][100:140, 130:180, 1].mean() < 200  # no green box


def test_rotated_clip_exports_upright(clip_cache: Path, tmp_path: Path) -> None:
    src, _ = numbered(clip_cache, "rot90", BarcodeSpec(frames=30, rotation=90))
    out = tmp_path / "upright.mp4"
    result = export_clip(src, out, start_frame=3, end_frame=12, render=lambda f, k: f.image)
    assert (result.width, result.height) == (240, 320)
    _, _, images = decoded(out)
    # the pixels themselves are upright (display orientation), no rotation tag left
    assert [read_number(img, rotation=90) for img in images] == list(range(3, 13))
    assert images[0].shape == (320, 240, 3)
    assert build_index(str(out)).rotation == 0


def test_sound_is_trimmed_to_the_sample_at_1x(with_sound: Path, tmp_path: Path) -> None:
    out = tmp_path / "sound.mp4"
    result = export_clip(with_sound, out, start_frame=15, end_frame=74)
    assert result.has_audio
    nums, times, _ = decoded(out)
    assert nums == list(range(15, 75))
    samples, t0 = decode_sound(out)
    found = onsets(samples, t0)
    clicks = click_times(90, 30.0)
    expected = clicks[(clicks >= 15 / 30 - 1e-9) & (clicks < 75 / 30)] - 15 / 30
    assert len(found) == len(expected)
    np.testing.assert_allclose(found, expected, atol=0.003)  # a stream copy is off by up to 21 ms
    assert len(samples) / 48000 == pytest.approx(2.0, abs=0.025)


@pytest.mark.parametrize("kwargs", [{"speed": 0.5}, {"speed": 2.0}, {"audio": False}])
def test_no_sound_unless_1x(with_sound: Path, tmp_path: Path, kwargs: dict) -> None:
    out = tmp_path / "silent.mp4"
    result = export_clip(with_sound, out, start_frame=0, end_frame=29, **kwargs)
    assert not result.has_audio
    with av.open(str(out)) as c:
        assert not c.streams.audio
        assert len(c.streams.video) == 1


def test_cancel_leaves_no_file(cfr: tuple[Path, np.ndarray], tmp_path: Path) -> None:
    out = tmp_path / "cancelled.mp4"
    seen: list[int] = []
    with pytest.raises(Cancelled):
        export_clip(cfr[0], out, progress=lambda done, total: seen.append(done),
                    cancel=lambda: len(seen) >= 5)
    assert not out.exists()
    assert leftovers(tmp_path) == []
    assert 5 <= len(seen) < 90


class _FailingWriter(H264Writer):
    """A real writer that runs out of disk space after a few frames (or while finishing)."""

    def __init__(self, spec: WriterSpec, fail_at: int | None) -> None:
        super().__init__(spec)
        self.fail_at = fail_at
        self.written = 0

    def write_video(self, image: np.ndarray, planar: bool, t: float, duration: float) -> None:
        if self.written == self.fail_at:
            raise OSError(errno.ENOSPC, "No space left on device")
        super().write_video(image, planar, t, duration)
        self.written += 1

    def close(self) -> None:
        if self.fail_at is None:
            raise av.error.OSError(errno.ENOSPC, "No space left on device")
        super().close()


@pytest.mark.parametrize("fail_at", [12, None], ids=["mid-way", "while-finishing"])
def test_full_disk_keeps_existing_target(cfr: tuple[Path, np.ndarray], tmp_path: Path,
                                         fail_at: int | None) -> None:
    out = tmp_path / "keep.mp4"
    out.write_bytes(b"the previous export")
    with pytest.raises(ExportError, match="not enough free disk space") as info:
        export_clip(cfr[0], out, overwrite=True,
                    writer_factory=lambda spec: _FailingWriter(spec, fail_at))
    assert "keep.mp4" in str(info.value)
    assert out.read_bytes() == b"the previous export"
    assert leftovers(tmp_path) == []


def test_existing_target_needs_overwrite(cfr: tuple[Path, np.ndarray], tmp_path: Path) -> None:
    out = tmp_path / "exists.mp4"
    out.write_bytes(b"x")
    with pytest.raises(ExportError, match="already exists"):
        export_clip(cfr[0], out, end_frame=4)
    assert out.read_bytes() == b"x"
    export_clip(cfr[0], out, end_frame=4, overwrite=True)
    assert decoded(out)[0] == [0, 1, 2, 3, 4]
    assert leftovers(tmp_path) == []


def test_failing_or_wrong_overlay_is_plain_error(cfr: tuple[Path, np.ndarray],
                                                 tmp_path: Path) -> None:
    out = tmp_path / "overlay.mp4"

    def broken(frame: ExportFrame, k: int) -> np.ndarray:
        if k == 3:
            raise RuntimeError("painter exploded")
        return frame.image

    with pytest.raises(ExportError, match="overlay could not be drawn on frame 3") as info:
        export_clip(cfr[0], out, end_frame=9, render=broken)
    assert isinstance(info.value.__cause__, RuntimeError)
    with pytest.raises(ExportError, match="wrong size"):
        export_clip(cfr[0], out, end_frame=9, render=lambda f, k: f.image[:10])
    assert not out.exists() and leftovers(tmp_path) == []


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"speed": 3.0}, "between 1/16 and 2"),
    ({"speed": 0.01}, "between 1/16 and 2"),
    ({"start_frame": 90}, "outside the video"),
    ({"end_frame": -1}, "outside the video"),
    ({"start_frame": 40, "end_frame": 30}, "comes before"),
    ({"size": "8k"}, "Unknown size"),
])
def test_bad_requests(cfr: tuple[Path, np.ndarray], tmp_path: Path, kwargs: dict,
                      message: str) -> None:
    with pytest.raises(ExportError, match=message):
        export_clip(cfr[0], tmp_path / "bad.mp4", **kwargs)
    assert list(tmp_path.iterdir()) == []


def test_bad_paths(cfr: tuple[Path, np.ndarray], tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="does not exist"):
        export_clip(tmp_path / "missing.mp4", tmp_path / "out.mp4")
    with pytest.raises(ExportError, match="folder .* does not exist"):
        export_clip(cfr[0], tmp_path / "nope" / "out.mp4")
    with pytest.raises(ExportError, match="is a folder"):
        export_clip(cfr[0], tmp_path)


def test_plan_keeps_real_durations(vfr: tuple[Path, np.ndarray]) -> None:
    src, truth = vfr
    plan = plan_clip(build_index(str(src)), start_frame=10, end_frame=19, speed=0.25)
    np.testing.assert_allclose(plan.durations[:-1], np.diff(truth[10:20]) * 4, atol=1e-9)
    assert plan.duration_s == pytest.approx((truth[20] - truth[10]) * 4, abs=1e-9)


def test_pipeline_surfaces_stage_errors_and_joins_threads() -> None:
    def produce():  # type: ignore[no-untyped-def]
        yield 1
        yield 2
        raise ValueError("decode failed")

    got: list[int] = []
    before = threading.active_count()
    with pytest.raises(ValueError, match="decode failed"):
        run_pipeline(produce, lambda x: x * 10, got.append)
    assert got == [10, 20]
    assert threading.active_count() == before

    def endless():  # type: ignore[no-untyped-def]
        n = 0
        while True:
            yield n
            n += 1

    got.clear()
    with pytest.raises(Cancelled):
        run_pipeline(endless, lambda x: x, got.append, cancel=lambda: len(got) >= 50)
    assert got == list(range(50))
    assert threading.active_count() == before


@pytest.mark.parametrize(("speed", "time_scale", "want"), [
    (0.5, 1.0, 60.0),     # a 30 fps clip at half speed, each frame held twice: 60 a real s
    (0.25, 0.25, 120.0),  # a 120 fps capture stored at 30 fps, exported as stored
    (1.0, 0.25, None),    # real time: the file plays as it happened, nothing to say
    (1.0, 1.0, None),
])
def test_a_slowed_export_says_how_fast_it_was_filmed(cfr: tuple[Path, np.ndarray], tmp_path: Path,
                                                     speed: float, time_scale: float,
                                                     want: float | None) -> None:
    """Reopened, a slowed export measures in real time: it carries the capture rate as
    Android writes it, which LiftLens reads (a 1/4-speed export of a slow-motion clip read
    as real time gave velocities 4x too low)."""
    from analysis.video.capture import TimeScale, read_capture_fps

    src, _ = cfr
    out = tmp_path / f"out_{speed}_{time_scale}.mp4"
    export_clip(src, out, start_frame=0, end_frame=29, speed=speed, time_scale=time_scale)
    found = read_capture_fps(str(out))
    if want is None:
        assert found is None
        return
    assert found is not None and found[0] == pytest.approx(want, rel=1e-4)
    # reopened: each second of the file is `speed` seconds of real time
    assert TimeScale.of(build_index(str(out))).factor == pytest.approx(speed, rel=2e-3)


def test_a_quarter_speed_export_plays_at_30_fps_and_each_copy_shows_its_frame_time(
        cfr: tuple[Path, np.ndarray], tmp_path: Path) -> None:
    """Tour 27: a 1/4x export of a 30 fps clip was written at 7.5 fps and stuttered in
    players. Each frame is now held for four pictures (30 fps), never blended with the
    next; the overlay burnt into every copy is that of its frame (its source time), and
    reopened the file still measures in real time."""
    from analysis.video.capture import TimeScale

    src, truth = cfr
    out = tmp_path / "quarter.mp4"
    rendered: list[tuple[int, float]] = []

    def hud(frame: ExportFrame, k: int) -> np.ndarray:  # the source time as a bar, 100 px/s
        rendered.append((frame.index, frame.time))
        frame.image[172:192, : int(round(frame.time * 100))] = 255
        return frame.image

    result = export_clip(src, out, start_frame=0, end_frame=29, speed=0.25, render=hud)
    assert [n for n, _ in rendered] == list(range(30))  # drawn once per frame
    nums, times, images = decoded(out)
    assert nums == [n for n in range(30) for _ in range(4)]
    np.testing.assert_allclose(np.diff(times), 1 / 30, atol=2 * TICK)  # evenly, 30 a second
    for n, img in zip(nums, images, strict=True):
        bar = int(np.count_nonzero(img[182, :, 1] > 200))
        assert abs(bar - round(truth[n] * 100)) <= 2, (n, bar)
    with av.open(str(out)) as c:
        assert float(c.streams.video[0].average_rate) == pytest.approx(30.0, rel=1e-3)
    assert (result.frames, result.held) == (30, 4) and result.fps == pytest.approx(30.0)
    assert result.duration_s == pytest.approx(30 / 30 * 4)
    reopened = build_index(str(out))
    assert TimeScale.of(reopened).factor == pytest.approx(0.25, rel=2e-3)
    assert TimeScale.of(reopened).real(reopened.duration_s) == pytest.approx(1.0, abs=1e-3)


def test_an_export_at_real_speed_or_quicker_is_never_held(cfr: tuple[Path, np.ndarray],
                                                          tmp_path: Path) -> None:
    src, _ = cfr
    plan = plan_clip(build_index(str(src)), start_frame=0, end_frame=29, speed=2.0)
    assert plan.holds.tolist() == [1] * 30 and plan.picture_count == 30
    plan = plan_clip(build_index(str(src)), start_frame=0, end_frame=29, speed=0.0625)
    assert set(plan.holds.tolist()) == {16}
