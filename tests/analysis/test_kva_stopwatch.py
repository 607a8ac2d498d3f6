"""A Kinovea stopwatch's stop time is kept on import: the clock stops there."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from analysis.annotations import Stopwatch, annotation_from_dict
from analysis.annotations.kva import import_kva

ROOT = Path(__file__).resolve().parents[2]

KVA = """<?xml version="1.0" encoding="utf-8"?>
<KinoveaVideoAnalysis>
  <FormatVersion>2.0</FormatVersion>
  <ImageSize>640;360</ImageSize>
  <AverageTimeStampsPerFrame>1000</AverageTimeStampsPerFrame>
  <CaptureFramerate>25</CaptureFramerate>
  <UserFramerate>25</UserFramerate>
  <FirstTimeStamp>0</FirstTimeStamp>
  <Chronos>
    <Chrono id="a"><Position>20;20</Position><Values><Visible>0</Visible>
      <StartCounting>{start}</StartCounting><StopCounting>{stop}</StopCounting>
      <Invisible>-1</Invisible><Countdown>false</Countdown></Values>
      <Label><Text>eccentric</Text></Label></Chrono>
  </Chronos>
</KinoveaVideoAnalysis>
"""


def _watch(tmp_path, start: int, stop: int) -> Stopwatch:
    path = tmp_path / "w.kva"
    path.write_text(KVA.format(start=start, stop=stop))
    (watch,) = import_kva(path, fps=25.0).annotations
    assert isinstance(watch, Stopwatch)
    return watch


def test_stop_time_is_kept_and_the_clock_stops(tmp_path):
    watch = _watch(tmp_path, 25_000, 62_500)  # 1.0 s to 2.5 s at 25 000 timestamps/s
    assert watch.t == pytest.approx(1.0)
    assert watch.stop == pytest.approx(2.5)
    assert watch.elapsed(2.0) == pytest.approx(1.0)
    assert watch.elapsed(9.0) == pytest.approx(1.5)  # stopped, not running on
    assert watch.measure(t_now=9.0) == "1.50 s"
    again = annotation_from_dict(watch.to_dict())  # saved and read back with the session
    assert isinstance(again, Stopwatch) and again.stop == pytest.approx(2.5)


def test_a_running_stopwatch_has_no_stop(tmp_path):
    watch = _watch(tmp_path, 25_000, -1)
    assert watch.stop is None
    assert watch.elapsed(9.0) == pytest.approx(8.0)


def test_shared_kinovea_file_stopwatch_stops_at_two_seconds():
    env = os.environ.get("LIFTLENS_SHARED_CASES")
    cases = next((c for c in ([Path(env)] if env else []) + [ROOT.parent / "shared" / "cases"]
                  if (c / "public").is_dir()), None)
    if cases is None:
        pytest.skip("shared cases not found: put them at ../shared/cases "
                    "or set LIFTLENS_SHARED_CASES")
    result = import_kva(cases / "public" / "18-kva-stopwatch" / "kinovea096_mixed.kva")
    (watch,) = [a for a in result.annotations if isinstance(a, Stopwatch)]
    assert watch.stop == pytest.approx(2.0)
    assert watch.elapsed(10.0) == pytest.approx(2.0 - watch.t)
