"""Frame N is always frame N: generated numbered clips in every encoding."""

from __future__ import annotations

import random
import time

import numpy as np
import pytest

from analysis.synth.barcode import BarcodeSpec, make_barcode_clip, read_number, trim_with_edit_list
from analysis.video import Cancelled, VideoSource, build_index
from analysis.video.index import VideoOpening
from tests.analysis.clips import SPECS, numbered_clip


@pytest.fixture(params=sorted(SPECS))
def clip(request, clip_cache):
    return numbered_clip(clip_cache, request.param)


def test_index_matches_truth(clip):
    path, times, spec = clip
    index = build_index(str(path))
    assert index.frame_count == spec.frames
    np.testing.assert_allclose(index.times, times, atol=2e-5)
    assert index.rotation == spec.rotation
    if spec.rotation in (90, 270):
        assert (index.width, index.height) == (spec.height, spec.width)
    else:
        assert (index.width, index.height) == (spec.width, spec.height)
    assert index.vfr == spec.vfr
    assert index.keyframes[0] == 0
    assert len(index.keyframes) == -(-spec.frames // spec.gop)


def test_opening_shows_frame_zero_before_reading_the_index(clip):
    path, _, spec = clip
    with VideoOpening(str(path)) as opening:
        look = opening.first()
        assert look is not None
        read_before_index = len(opening._pts)
        index = opening.index()
    assert read_before_index < spec.frames  # frame 0 came before the rest of the file was read
    assert look.frame.index == 0 and look.frame.time == 0.0
    assert read_number(look.frame.image, spec.rotation) == 0
    assert look.pts == index.pts[0]
    assert (look.width, look.height, look.rotation) == (index.width, index.height, index.rotation)
    assert look.frame.image.shape[:2] == (index.height, index.width)
    assert index.frame_count == spec.frames  # the same index as build_index


def test_every_frame_forward_backward_random(clip):
    path, times, spec = clip
    with VideoSource(str(path)) as src:
        n = src.frame_count
        order = list(range(n)) + list(reversed(range(n)))
        rng = random.Random(3)
        order += rng.sample(range(n), n)
        for k in order:
            frame = src.read(k)
            assert frame.index == k
            assert frame.time == pytest.approx(times[k], abs=2e-5)
            assert frame.image.shape[:2] == (src.index.height, src.index.width)
            assert read_number(frame.image, spec.rotation) == k


def test_sequential_iteration_matches_random_access(clip):
    path, _, spec = clip
    with VideoSource(str(path)) as src:
        seen = [read_number(f.image, spec.rotation) for f in src.frames(5, 50)]
        assert seen == list(range(5, min(50, src.frame_count)))
        grays = list(src.gray_frames(0, 3))
        assert [g[0] for g in grays] == [0, 1, 2]
        assert grays[0][2].shape == (src.index.height, src.index.width)


def _counting_seeks(src: VideoSource) -> list[int]:
    seeks: list[int] = []
    real = src._seek

    def seek(n: int) -> None:
        seeks.append(n)
        real(n)

    src._seek = seek  # type: ignore[method-assign]
    return seeks


def test_reading_on_within_a_group_decodes_nothing_twice(clip):
    """A decoder already inside a keyframe group goes on from where it stands: tracking reads
    the seed frame and then the frames after it with one seek (it used to seek back to the
    keyframe and decode the seed frame again), and a read a few frames on does the same."""
    path, _, spec = clip
    with VideoSource(str(path)) as src:
        seeks = _counting_seeks(src)
        g0_stop = src.index.group_range(0)[1]
        seed = next(g for k, g in src.iter_group_gray(0, stop=1) if k == 0)
        after = list(src.gray_frames(1, min(6, g0_stop)))
        assert seeks == [0]
        assert [k for k, _, _ in after] == list(range(1, min(6, g0_stop)))
        with VideoSource(str(path)) as fresh:
            want = [g.copy() for _, _, g in fresh.gray_frames(0, min(6, g0_stop))]
        for got, ref in zip([seed] + [g for _, _, g in after], want, strict=True):
            np.testing.assert_array_equal(got, ref)
        last = min(6, g0_stop) - 1
        for k in (last + 1, last + 3):
            if k < g0_stop:
                assert read_number(src.read(k).image, spec.rotation) == k
        assert seeks == [0]
        assert read_number(src.read(2).image, spec.rotation) == 2  # behind: seeks back
        assert seeks == [0, 0]


def test_tracking_frames_are_read_only_views_that_stay_valid(clip):
    """The forward luma frames are the decoder's pictures, not copies: read-only (the decoder
    predicts later pictures from them) and unchanged while held as the decoder goes on."""
    path, _, _ = clip
    with VideoSource(str(path)) as src:
        n = min(src.frame_count, 40)
        held = list(src.gray_frames(0, n))
        with VideoSource(str(path)) as fresh:
            copies = [g.copy() for _, _, g in fresh.gray_frames(0, n)]
    for (_k, _t, g), ref in zip(held, copies, strict=True):
        if src.index.rotation == 0:
            assert not g.flags.writeable
            with pytest.raises(ValueError):
                g[0, 0] = 1
        np.testing.assert_array_equal(g, ref)


def _wait_until(condition, timeout: float = 30.0) -> bool:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            return False
        time.sleep(0.002)
    return True


def test_read_ahead_decodes_before_the_reader_asks_and_gives_the_same_frames(clip):
    """``read_ahead`` decodes on a helper thread from the moment it is called: frames are
    waiting before the first read, the reads that go on from it get every frame right (and
    equal to a plain decode), and a read elsewhere stops it and is still right."""
    path, _, spec = clip
    with VideoSource(str(path)) as plain:
        want = {k: g.copy() for k, _, g in plain.gray_frames(0)}
    n = len(want)
    start, mid = 2, min(n, 17)
    with VideoSource(str(path)) as src:
        seeks = _counting_seeks(src)
        src.read_ahead(start)
        assert src._ahead is not None
        assert _wait_until(lambda: src._ahead._q.qsize() > 0)  # decoded before anyone asked
        first = list(src.gray_frames(start, mid))
        rest = list(src.gray_frames(mid, n))  # goes on where the first read stopped
        assert [k for k, _, _ in first + rest] == list(range(start, n))
        for k, t, g in first + rest:
            np.testing.assert_array_equal(g, want[k])
            assert t == src.index.times[k]
        assert len(seeks) == 1
        src.read_ahead(start)
        assert read_number(src.read(1).image, spec.rotation) == 1  # elsewhere: stopped first
        assert src._ahead is None
        src.read_ahead(start)
        got = [k for k, _, _ in src.gray_frames(0, 3)]  # another start: a plain decode
        assert got == [0, 1, 2] and src._ahead is None
        src.read_ahead(start)  # closing with a read-ahead running returns


def test_read_ahead_is_cancelled_like_a_plain_read(clip):
    path, _, _ = clip
    with VideoSource(str(path)) as src:
        src.read_ahead(0)
        with pytest.raises(Cancelled):
            list(src.gray_frames(0, None, cancel=lambda: True))
        assert src._ahead is None
        assert [k for k, _, _ in src.gray_frames(0, 2)] == [0, 1]


def test_rotation_puts_top_left_marker_upright(clip_cache):
    path, _, _ = numbered_clip(clip_cache, "rot90")
    with VideoSource(str(path)) as src:
        img = src.read(0).image
    # The red tab drawn at the coded top-left shows at the displayed top-right
    # after a 90-degree clockwise rotation.
    h, w = img.shape[:2]
    top_right = img[2:10, w - 6:w - 2]
    assert top_right[..., 2].mean() > 180 and top_right[..., 0].mean() < 80


def test_edit_list_trim_drops_packets_outside_the_edit(clip_cache):
    src_path = clip_cache / "edit_src.mp4"
    make_barcode_clip(src_path, BarcodeSpec(frames=120, gop=30, bframes=2))
    dst = clip_cache / "edit_trim.mp4"
    expected = trim_with_edit_list(src_path, dst, cut_frame=40)
    index = build_index(str(dst))
    assert index.discarded_packets > 0
    assert index.frame_count == expected == 80
    assert index.times[0] == 0.0
    with VideoSource(str(dst)) as src:
        for k in (0, 1, 29, 79, 40, 3):
            assert read_number(src.read(k).image) == 40 + k
    with VideoOpening(str(dst)) as opening:  # frame 0 before the index: the first shown one
        look = opening.first()
        assert look is not None and read_number(look.frame.image) == 40
        assert look.pts == opening.index().pts[0]


def test_a_read_ahead_holds_few_frames_once_its_reader_has_started():
    """Before its reader starts, a read-ahead fills its whole depth (the imports it overlaps);
    from the first read on it keeps at most ``READ_AHEAD_READING`` frames decoded ahead
    (its reader, the tracking pass, keeps its own: the two full at once held twice the
    decoder pictures)."""
    from analysis.video.read_ahead import ReadAhead
    from analysis.video.source import READ_AHEAD_READING

    ahead = ReadAhead(((k, 0.0, None) for k in range(100)), 0, 16, READ_AHEAD_READING)
    try:
        assert _wait_until(lambda: ahead._q.qsize() == 16)
        reader = ahead.take(100)
        taken = [next(reader)[0] for _ in range(14)]
        assert taken == list(range(14))
        time.sleep(0.3)  # time for the helper to refill, were it allowed
        assert ahead._q.qsize() <= READ_AHEAD_READING
        assert [k for k, *_ in reader] == list(range(14, 100))  # nothing lost
    finally:
        ahead.close()


def test_a_reader_of_a_stopped_read_ahead_is_not_left_waiting():
    """A reader on another thread (tracking's decode thread) sees the end when the read-ahead
    is stopped under it, instead of waiting for a frame that never comes."""
    import threading

    from analysis.video.read_ahead import ReadAhead

    release = threading.Event()

    def slow():
        yield (0, 0.0, None)
        release.wait(5)  # the helper is still decoding when the read-ahead is stopped
        yield (1, 0.0, None)

    ahead = ReadAhead(slow(), 0, 4)
    got: list[int] = []
    reader = threading.Thread(target=lambda: got.extend(k for k, *_ in ahead.take(10)),
                              daemon=True)
    reader.start()
    assert _wait_until(lambda: got == [0])
    stopper = threading.Thread(target=ahead.close, daemon=True)
    stopper.start()
    release.set()
    stopper.join(5)
    reader.join(5)
    assert not reader.is_alive() and not stopper.is_alive()
    assert got in ([0], [0, 1])
