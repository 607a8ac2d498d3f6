"""Fuzz: damaged and random session files never crash import and are never changed."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.session.document import Session, SessionFileError
from analysis.session.portable import import_session
from tests.analysis.test_session_doc import V1, full_session

VALID = json.dumps(full_session().to_dict()).encode()
V1_DOC = json.dumps(V1).encode()
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8),
                                                                      children, max_size=4),
    max_leaves=12)


def _mutate_json(data: st.DataObject, source: bytes = VALID) -> bytes:
    doc = json.loads(source)
    for _ in range(data.draw(st.integers(1, 4))):
        node = doc
        path = []
        while isinstance(node, (dict, list)) and node and data.draw(st.booleans()):
            key = data.draw(st.sampled_from(sorted(node) if isinstance(node, dict)
                                            else list(range(len(node)))))
            path.append((node, key))
            node = node[key]
        if not path:
            continue
        parent, key = path[-1]
        if data.draw(st.booleans()):
            parent[key] = data.draw(json_values)
        elif isinstance(parent, dict):
            del parent[key]
        else:
            parent.pop(key)
    return json.dumps(doc).encode()


@st.composite
def damaged_files(draw) -> bytes:
    kind = draw(st.sampled_from(["random", "truncated", "flipped", "mutated", "json", "v1",
                                 "newer", "nested"]))
    if kind == "v1":
        return _mutate_json(draw(st.data()), V1_DOC)
    if kind == "newer":
        doc = json.loads(VALID)
        doc["format_version"] = draw(st.integers(-3, 10**6) | st.just(True) | st.just("3"))
        doc["min_reader_version"] = draw(st.integers(-3, 6) | st.none() | st.just(2.0))
        doc[draw(st.text(max_size=6))] = draw(json_values)
        return json.dumps(doc).encode()
    if kind == "nested":
        depth = draw(st.integers(1, 200_000))
        return (b"[" * depth + b"]" * depth) if draw(st.booleans()) else b'{"a":' * depth
    if kind == "random":
        return draw(st.binary(max_size=400))
    if kind == "truncated":
        return VALID[: draw(st.integers(0, len(VALID) - 1))]
    if kind == "flipped":
        data = bytearray(VALID)
        for _ in range(draw(st.integers(1, 8))):
            i = draw(st.integers(0, len(data) - 1))
            data[i] = draw(st.integers(0, 255))
        return bytes(data)
    if kind == "json":
        return json.dumps(draw(json_values)).encode()
    return _mutate_json(draw(st.data()))


@settings(max_examples=1000, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(content=damaged_files())
def test_import_never_crashes_and_never_changes_the_file(content):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "fuzzed.liftlens"
        path.write_bytes(content)
        before = path.stat().st_mtime_ns
        try:
            result = import_session(path)
        except SessionFileError as err:
            assert str(err)  # a message for the user, never empty
        else:
            assert isinstance(result, Session)
        assert path.read_bytes() == content
        assert path.stat().st_mtime_ns == before
