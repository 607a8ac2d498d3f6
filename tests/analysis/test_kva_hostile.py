"""Hostile and impossible .kva files: a plain KvaError or a clean import, quickly, and
nothing non-finite or out of range ever imported. Generated files of each kind found
(picture size 0.5, DTDs in UTF-16, positions of 1e308, devices and pipes, deep
nesting), plus the reproducers in ../shared/cases/reliability when present."""

from __future__ import annotations

import json
import math
import os
import time
from pathlib import Path

import pytest

from analysis.annotations.kva import MAX_KVA_BYTES, KvaError, KvaImport, import_kva
from tests.analysis.test_kva import GOOD_BODY, HEAD, write


def head(**fields: str) -> str:
    values = {"ImageSize": "640;480", "AverageTimeStampsPerFrame": "100",
              "FirstTimeStamp": "1000", **fields}
    return ('<?xml version="1.0" encoding="utf-8"?><KinoveaVideoAnalysis><FormatVersion>2.0'
            "</FormatVersion>" + "".join(f"<{k}>{v}</{k}>" for k, v in values.items()))


def assert_clean(r: KvaImport) -> None:
    """Every number imported is finite and in range (the JSON of each item is strict)."""
    for item in [*r.annotations, *r.key_moments]:
        json.dumps(item.to_dict(), allow_nan=False)
        assert abs(item.t) <= 1e7
    for a in r.annotations:
        assert all(abs(c) <= 1e6 for p in a.points for c in p)
    assert math.isfinite(r.seconds_per_timestamp) and r.seconds_per_timestamp > 0


@pytest.mark.parametrize("size", ["0.5;0.5", "0;0", "0;480", "-640;480", "1e400;480",
                                  "nan;nan", "640.5;480", "1e9;1e9", "640", "a;b"])
def test_impossible_picture_size_is_a_plain_error(tmp_path, size):
    p = write(tmp_path, GOOD_BODY, head(ImageSize=size))
    for fps in (None, 30.0):
        with pytest.raises(KvaError, match="picture size"):
            import_kva(p, fps=fps, image_size=(1280, 720))


def test_missing_picture_size_imports_unscaled(tmp_path):
    h = HEAD.replace("<ImageSize>640;480</ImageSize>", "")
    r = import_kva(write(tmp_path, GOOD_BODY, h), fps=30, image_size=(1280, 720))
    assert r.image_size is None and r.annotations[0].points == [(0, 0), (30, 40)]
    assert_clean(r)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig",
                                      "utf-8"])
@pytest.mark.parametrize("dtd", [
    '<!DOCTYPE k [<!ENTITY x "INTERNAL-ENTITY-EXPANDED">]>',
    '<!DOCTYPE k [<!ENTITY a "aa"><!ENTITY b "&a;&a;&a;&a;">]>',
    '<!DOCTYPE k SYSTEM "file:///etc/passwd">',
    "<!DOCTYPE KinoveaVideoAnalysis>",
])
def test_dtd_or_entities_refused_in_every_encoding(tmp_path, encoding, dtd):
    name = encoding.upper().replace("-SIG", "").replace("-LE", "").replace("-BE", "")
    text = (f'<?xml version="1.0" encoding="{name}"?>{dtd}<KinoveaVideoAnalysis>'
            "<FormatVersion>2.0</FormatVersion><Keyframes><Keyframe><Position>0</Position>"
            "<Title>&x;</Title></Keyframe></Keyframes></KinoveaVideoAnalysis>")
    if encoding in ("utf-16-le", "utf-16-be"):
        raw = ("\ufeff" + text).encode(encoding)
    else:
        raw = text.encode(encoding)
    p = tmp_path / "dtd.kva"
    p.write_bytes(raw)
    with pytest.raises(KvaError, match="DTD"):
        import_kva(p, fps=30)
    assert p.read_bytes() == raw


def test_utf16_file_without_dtd_imports(tmp_path):
    text = (HEAD + GOOD_BODY + "</KinoveaVideoAnalysis>").replace('encoding="utf-8"',
                                                                 'encoding="utf-16"')
    p = tmp_path / "u16.kva"
    p.write_bytes(text.encode("utf-16"))
    r = import_kva(p, fps=30)
    assert len(r.annotations) == 4
    assert_clean(r)


@pytest.mark.parametrize(("fields", "body", "fps"), [
    ({"FirstTimeStamp": "-1e308"}, "<Position>1e308</Position>", 30.0),
    ({}, "<Position>1e308</Position>", 30.0),
    ({}, "<Position>-1e308</Position>", 30.0),
    ({}, '<Position UserTime="0:00:01:00">1e300</Position>', None),  # a tiny time step
    ({}, '<Position UserTime="99:00:00:00">1001</Position>', None),  # a huge time step
    ({"AverageTimeStampsPerFrame": "1e-300"}, "<Position>2000</Position>", None),
    ({"AverageTimeStampsPerFrame": "1e300"}, "<Position>2000</Position>", 30.0),
    ({"AverageTimeStampsPerFrame": "-5"}, "<Position>2000</Position>", 30.0),
    ({"FirstTimeStamp": "1e400"}, "<Position>2000</Position>", 30.0),
    ({}, "<Position>2000</Position>", 1e-300),
    ({}, "<Position>2000</Position>", 1e300),
])
def test_huge_or_tiny_times_never_import_infinity(tmp_path, fields, body, fps):
    drawings = ("<Drawings><Line><Start>0;0</Start><End>1e308;5</End></Line>"
                "<CrossMark><CenterPoint>-1e7;0</CenterPoint></CrossMark>"
                "<Circle><Origin>5;5</Origin><Radius>1e308</Radius></Circle>"
                "<Label><Position>1;1</Position><Text>ok</Text></Label></Drawings>")
    chrono = ("<Chronos><Chrono><Position>1;1</Position><Values><Visible>1e308</Visible>"
              "<StartCounting>2000</StartCounting><Invisible>1e308</Invisible></Values>"
              "</Chrono></Chronos>")
    p = write(tmp_path, f"<Keyframes><Keyframe>{body}<Title>k</Title>{drawings}"
              f"</Keyframe></Keyframes>{chrono}", head(**fields))
    try:
        r = import_kva(p, fps=fps, image_size=(1280, 960))
    except KvaError as exc:
        assert str(exc) and "Traceback" not in str(exc)
    else:
        assert_clean(r)


def test_huge_points_are_skipped_not_imported(tmp_path):
    body = ("<Keyframes><Keyframe><Position>2000</Position><Drawings>"
            "<Line><Start>0;0</Start><End>1e308;5</End></Line>"
            "<Line><Start>0;0</Start><End>3;4</End></Line></Drawings></Keyframe></Keyframes>")
    r = import_kva(write(tmp_path, body), fps=10, image_size=(640, 480))
    assert len(r.annotations) == 1 and len(r.skipped) == 1 and "Line" in r.skipped[0]
    assert_clean(r)


def _special_files(tmp_path: Path) -> list[Path]:
    made = []
    for target in ("/dev/zero", "/dev/urandom", "/dev/null"):
        if os.path.exists(target):
            link = tmp_path / f"{Path(target).name}.kva"
            link.symlink_to(target)
            made.append(link)
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "fifo.kva"
        os.mkfifo(fifo)
        made.append(fifo)
    folder = tmp_path / "folder.kva"
    folder.mkdir()
    made.append(folder)
    return made


def test_devices_pipes_and_folders_are_refused_without_reading(tmp_path):
    for p in _special_files(tmp_path):
        with pytest.raises(KvaError, match="not a regular file"):
            import_kva(p, fps=30)


def test_a_link_to_a_regular_file_is_read(tmp_path):
    real = write(tmp_path, GOOD_BODY)
    link = tmp_path / "link.kva"
    link.symlink_to(real)
    assert len(import_kva(link, fps=30).annotations) == 4


def test_too_large_or_too_deep_is_refused(tmp_path):
    big = tmp_path / "big.kva"
    with open(big, "wb") as f:
        f.truncate(MAX_KVA_BYTES + 1)  # sparse: no disk used
    with pytest.raises(KvaError, match="too large"):
        import_kva(big, fps=30)
    deep = tmp_path / "deep.kva"
    n = 300_000
    deep.write_bytes(b"<KinoveaVideoAnalysis>" + b"<a>" * n + b"</a>" * n
                     + b"</KinoveaVideoAnalysis>")
    with pytest.raises(KvaError, match="nested"):
        import_kva(deep, fps=30)


def test_progress_and_cancel(tmp_path):
    pencil = "".join(f"<Point>{i};{i}</Point>" for i in range(1000))
    body = (f"<Keyframes><Keyframe><Position>2000</Position><Drawings><Pencil><PointList>"
            f"{pencil}</PointList></Pencil></Drawings></Keyframe></Keyframes>") * 20
    p = write(tmp_path, body)
    seen: list[tuple[int, int]] = []
    import_kva(p, fps=30, progress=lambda done, total: seen.append((done, total)))
    size = p.stat().st_size
    assert len(seen) > 2 and seen[-1] == (size, size)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    with pytest.raises(KvaError, match="cancelled"):
        import_kva(p, fps=30, cancelled=lambda: True)


@pytest.mark.parametrize("name", ["imgsize_half.kva", "internal_utf16.kva", "pos_huge.kva"])
def test_reproducers(shared_cases, name):
    path = shared_cases / "reliability" / name
    if not path.exists():
        pytest.skip(f"{name} is not in the shared cases")
    before = path.read_bytes()
    for fps in (None, 30.0):
        t0 = time.monotonic()
        try:
            r = import_kva(path, fps=fps, image_size=(1280, 720))
        except KvaError as exc:
            message = str(exc)
            assert name.split("_")[0] in ("imgsize", "internal", "pos") and message
            print(f"{name} (fps {fps}): {message} [{time.monotonic() - t0:.3f} s]")
        else:
            assert_clean(r)
    assert path.read_bytes() == before
