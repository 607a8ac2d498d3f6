"""Bad input gets a plain message; frames before damage stay usable."""

from __future__ import annotations

import shutil
from pathlib import Path

import av
import cv2
import numpy as np
import pytest

from analysis.synth.barcode import BarcodeSpec, make_barcode_clip, read_number
from analysis.video import VideoError, VideoSource, build_index
from analysis.video.cache import FrameCache


def _message(path: Path) -> str:
    with pytest.raises(VideoError) as info:
        build_index(str(path))
    msg = str(info.value)
    assert "Traceback" not in msg and path.name in msg
    return msg


def test_missing_file(tmp_path):
    assert "does not exist" in _message(tmp_path / "nope.mp4")


def test_zero_length(tmp_path):
    p = tmp_path / "empty.mp4"
    p.write_bytes(b"")
    assert "empty" in _message(p)


def test_not_a_video(tmp_path):
    p = tmp_path / "notes.mp4"
    p.write_text("squat 140 kg x 5, felt heavy\n" * 50)
    assert "not a video" in _message(p)


def test_folder(tmp_path):
    assert "folder" in _message(tmp_path)


def test_image_renamed_to_mp4(tmp_path):
    img = np.full((120, 160, 3), 128, np.uint8)
    p = tmp_path / "photo.png"
    cv2.imwrite(str(p), img)
    renamed = tmp_path / "photo.mp4"
    shutil.move(p, renamed)
    assert "still image" in _message(renamed)


def test_audio_only(tmp_path):
    p = tmp_path / "voice.m4a"
    with av.open(str(p), "w") as out:
        stream = out.add_stream("aac", rate=44100)
        t = np.arange(44100) / 44100
        samples = (0.2 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)[None, :]
        frame = av.AudioFrame.from_ndarray(samples, format="fltp", layout="mono")
        frame.sample_rate = 44100
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    assert "no video" in _message(p)


def test_unsupported_codec(tmp_path):
    good = tmp_path / "good.mp4"
    make_barcode_clip(good, BarcodeSpec(frames=10))
    data = good.read_bytes()
    assert data.count(b"avc1") >= 1
    bad = tmp_path / "alien.mp4"
    bad.write_bytes(data.replace(b"avc1", b"zq9x").replace(b"avcC", b"zzzz"))
    assert "codec" in _message(bad) or "cannot be decoded" in _message(bad)


def test_truncated_file_keeps_earlier_frames(tmp_path):
    p = tmp_path / "full.mp4"
    make_barcode_clip(p, BarcodeSpec(frames=120, gop=30, faststart=True))
    data = p.read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: int(len(data) * 0.6)])
    index = build_index(str(cut))
    assert 0 < index.frame_count < 120
    # the user is told the file is incomplete (the header promised 120 frames)
    assert any(f"{index.frame_count} of the 120 frames" in w for w in index.warnings), \
        index.warnings
    assert not any("ends early" in w for w in build_index(str(p)).warnings)
    with VideoSource(str(cut)) as src:
        for k in (0, 10, 30):
            assert read_number(src.read(k).image) == k


def test_truncated_without_index_is_a_plain_error(tmp_path):
    p = tmp_path / "full.mp4"
    make_barcode_clip(p, BarcodeSpec(frames=60))  # index (moov) at the end
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2])
    _message(cut)


def test_corrupt_middle_keeps_frames_before_damage(tmp_path):
    p = tmp_path / "full.mp4"
    make_barcode_clip(p, BarcodeSpec(frames=120, gop=30, faststart=True))
    data = bytearray(p.read_bytes())
    mid = len(data) // 2
    rng = np.random.default_rng(0)
    data[mid: mid + 4000] = rng.integers(0, 256, 4000, dtype=np.uint8).tobytes()
    bad = tmp_path / "corrupt.mp4"
    bad.write_bytes(bytes(data))
    index = build_index(str(bad))
    cache = FrameCache(str(bad), index)
    try:
        for k in range(0, 30):
            assert read_number(cache.get_blocking(k).image) == k
        # Every frame is either served or reported; nothing hangs or crashes.
        for k in range(index.frame_count):
            try:
                cache.get_blocking(k, timeout=20)
            except VideoError as err:
                assert "damaged" in str(err)
    finally:
        cache.close()


def test_each_bad_file_says_why_in_short_words(tmp_path, monkeypatch):
    """``VideoError.kind``: what a table of results (``liftlens batch``) gives as the
    reason; a missing, empty or cut-off file was reported as "not a video"."""
    from analysis.video import errors

    def kind(path) -> str:
        with pytest.raises(VideoError) as info:
            build_index(str(path))
        return info.value.kind

    assert kind(tmp_path / "nope.mp4") == errors.MISSING
    (tmp_path / "empty.mp4").write_bytes(b"")
    assert kind(tmp_path / "empty.mp4") == errors.EMPTY
    assert kind(tmp_path) == errors.FOLDER
    (tmp_path / "notes.mp4").write_text("squat 140 kg x 5\n" * 50)
    assert kind(tmp_path / "notes.mp4") == errors.NOT_A_VIDEO
    clip = tmp_path / "clip.mp4"
    make_barcode_clip(clip, BarcodeSpec(frames=30))  # its index (moov) is written last
    data = clip.read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) // 2])  # a copy that stopped half way
    assert kind(cut) == errors.ENDS_EARLY
    assert "ends early" in _message(cut)
    import analysis.video.index as index

    def refused(*_a, **_k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(index.av, "open", refused)  # root reads any file: say it is refused
    assert kind(clip) == errors.UNREADABLE
