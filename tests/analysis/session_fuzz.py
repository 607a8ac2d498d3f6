"""Session-file fuzzing: seeded mutations of a real session file, each taken through
import, a library save and ``liftlens export SESSION --set 1``.

A case passes when every stage either works or stops with a plain message: import
raises only :class:`SessionFileError`; an imported session saves to a library and
reads back unchanged; the export command exits 0 or 2 with no traceback (exit 70,
the command line's last guard, counts as a failure: an error nobody expected); the
overlays of the export paint at times spread over the whole clip; nothing takes
longer than ``timeout`` seconds; and neither the session file nor its video changes.

``mutate(raw, doc, seed)`` makes the same kinds of damage as the attack that found
the faults: deleted keys, extreme and non-finite numbers (``1e999``), wrong types,
huge or deeply nested values, swapped subtrees, and byte-level damage.

Run by hand (figures printed)::

    PYTHONPATH=. python -m tests.analysis.session_fuzz SESSION_FILE CASES [FIRST_SEED]
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import hashlib
import io
import json
import os
import random
import re
import signal
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

INTERESTING: list[Any] = [
    None, True, False, 0, -1, 1, 2, 3, 4, 2**31, 2**63, 10**30, -10**30, 1e308, -1e308, 0.5,
    1e-320, -0.0, 3.14, 10_001, 2**62, "", "x" * 20_000, "\u0000", "../../etc/passwd", "\ud800",
    [], {}, [[]], [None], [1e308, -1e308], [[1e308, 1e308]], {"a": None}, "1e999", "NaN",
    "2026-02-30", "kg", "lb", [0, 0], [[0, 0]], [[0, 0], [0, 0], [0, 0]],
    [[-1e6, 1e6], [1e6, -1e6]], list(range(5000)), "#zzzzzz", "red", 64 * "a", 65 * "a",
    [3, 2, 1], [0, 0, 0], [-1, 5, 9], "failed", "bottom", {"at": 1.0}, {"status": "x"},
]
KEYS = ["extra", "type", "id", "t", "x", "y", "points", "m_per_px", "version", "state", "reps",
        "at", "status", "boundaries", "confidence", "source", "circle", "frames"]
_INF, _NINF, _DEEP = "@@INF@@", "@@NINF@@", "@@DEEP{}@@"


def _paths(v: Any, p: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [p]
    if isinstance(v, dict):
        for k, x in v.items():
            out += _paths(x, (*p, k))
    elif isinstance(v, list):
        for i, x in enumerate(v[:40]):
            out += _paths(x, (*p, i))
    return out


def _get(v: Any, p: tuple[Any, ...]) -> Any:
    for k in p:
        v = v[k]
    return v


def _set(root: Any, p: tuple[Any, ...], val: Any) -> Any:
    if not p:
        return val
    _get(root, p[:-1])[p[-1]] = val
    return root


def _structural(doc: Any, rnd: random.Random) -> Any:
    d = copy.deepcopy(doc)
    for _ in range(rnd.randint(1, 4)):
        ps = _paths(d)
        p = rnd.choice(ps)
        op = rnd.random()
        cur = _get(d, p)
        if op < 0.15 and p:
            with contextlib.suppress(IndexError, KeyError, TypeError):
                del _get(d, p[:-1])[p[-1]]
        elif op < 0.55:
            val = rnd.choice([*INTERESTING, _INF, _NINF, "deep"])
            if val == "deep":
                val = _DEEP.format(rnd.choice([50, 500, 5000, 100_000]))
            d = _set(d, p, copy.deepcopy(val))
        elif op < 0.8:
            if isinstance(cur, (int, float)) and not isinstance(cur, bool):
                d = _set(d, p, rnd.choice([-cur, cur * 1e9, cur + 1, _INF, _NINF, cur / 1e9,
                                           int(cur), cur - 1e-9]))
            elif isinstance(cur, list) and cur:
                c = rnd.random()
                if c < 0.25:
                    cur.append(copy.deepcopy(rnd.choice(cur)))
                elif c < 0.5:
                    cur.pop(rnd.randrange(len(cur)))
                elif c < 0.7:
                    i, j = rnd.randrange(len(cur)), rnd.randrange(len(cur))
                    cur[i], cur[j] = cur[j], cur[i]
                elif c < 0.85:
                    cur.reverse()
                else:
                    cur *= rnd.choice([2, 50])
            elif isinstance(cur, str):
                d = _set(d, p, cur[: rnd.randint(0, len(cur))]
                         + rnd.choice(["'", '"', "\\", "\n", "é", "💥", "\x7f", ""]))
            elif isinstance(cur, dict):
                cur[rnd.choice(KEYS)] = copy.deepcopy(rnd.choice([*INTERESTING, _INF]))
        else:
            a, b = rnd.choice(ps), rnd.choice(ps)
            with contextlib.suppress(IndexError, KeyError, TypeError):
                d = _set(d, a, copy.deepcopy(_get(d, b)))
    return d


def _encode(d: Any) -> bytes:
    s = json.dumps(d, ensure_ascii=False, indent=1)
    s = s.replace(f'"{_INF}"', "1e999").replace(f'"{_NINF}"', "-1e999")
    s = re.sub(r'"@@DEEP(\d+)@@"', lambda m: "[" * int(m.group(1)) + "]" * int(m.group(1)), s)
    return s.encode("utf-8", "surrogatepass")


def _bytewise(raw: bytes, rnd: random.Random) -> bytes:
    b = bytearray(raw)
    for _ in range(rnd.randint(1, 8)):
        if not b:
            break
        op = rnd.random()
        i = rnd.randrange(len(b))
        if op < 0.3:
            b[i] = rnd.randrange(256)
        elif op < 0.45:
            del b[i:i + rnd.randint(1, 50)]
        elif op < 0.6:
            b[i:i] = rnd.choice([b"{", b"[", b"]", b"}", b",", b'"', b"1e999", b"NaN", b"-",
                                 b"\\u0000", b"\xff\xfe", b"\xc3", b"9" * 400])
        elif op < 0.7:
            b = b[:i]
        elif op < 0.8:
            j = rnd.randrange(len(b))
            b[i:i] = b[j:j + rnd.randint(1, 2000)]
        else:
            digits = [k for k in range(len(b)) if 48 <= b[k] <= 57]
            if digits:
                b[rnd.choice(digits)] = rnd.randrange(48, 58)
    return bytes(b)


def _odd_times(rnd: random.Random, n: int) -> list[float]:
    """Strictly increasing times, oddly spaced, scaled or shifted (all within 1e7 s)."""
    kind = rnd.choice(["scaled", "shifted", "jittered", "tiny", "gap"])
    base = [i / 30 for i in range(n)]
    if kind == "scaled":
        f = rnd.choice([1e-6, 1e-3, 0.1, 10.0, 1000.0, 40_000.0])
        return [t * f for t in base]
    if kind == "shifted":
        off = rnd.choice([-5.0, -1e6, 1e6, 9e6])
        return [t + off for t in base]
    if kind == "tiny":
        return [i * 1e-9 for i in range(n)]
    if kind == "gap":
        cut = rnd.randrange(max(1, n))
        return [t + (1000.0 if i >= cut else 0.0) for i, t in enumerate(base)]
    out, t = [], 0.0
    for _ in range(n):
        out.append(t)
        t += rnd.choice([1e-6, 1 / 240, 1 / 30, 0.5, 3.0])
    return out


def _plausible(doc: Any, rnd: random.Random) -> Any:
    """Changes that pass validation (finite, in range, increasing, known states) but are
    far from a normal recording: they test every later stage, not the checks."""
    d = copy.deepcopy(doc)
    recs = d.get("recordings") or []
    if not recs:
        return d
    rec = rnd.choice(recs)
    for _ in range(rnd.randint(1, 4)):
        what = rnd.choice(["track", "track", "track", "calibration", "overrides", "overrides",
                           "exercise", "drawing"])
        tr = rec.get("track") or {}
        n = len(tr.get("t", []))
        if what == "track" and n:
            op = rnd.choice(["truncate", "nulls", "flat", "spike", "times", "confidence",
                             "state", "huge"])
            if op == "truncate":
                k = rnd.choice([1, 2, 3, 4, 7, max(1, n // 2)])
                for col in ("t", "x", "y", "confidence", "state"):
                    if isinstance(tr.get(col), list):
                        tr[col] = tr[col][:k]
            elif op == "nulls":
                a = rnd.randrange(n)
                b = min(n, a + rnd.choice([1, 5, 50, n]))
                for col in rnd.choice([("x", "y"), ("x",), ("confidence",), ("x", "y", "confidence")]):
                    for i in range(a, b):
                        tr[col][i] = None
            elif op == "flat":
                v = rnd.choice([0.0, -1e6, 1e6, 123.456])
                for col in rnd.choice([("x",), ("y",), ("x", "y")]):
                    tr[col] = [v] * n
            elif op == "spike":
                i = rnd.randrange(n)
                tr[rnd.choice(["x", "y"])][i] = rnd.choice([-1e6, 1e6, 0.0, 999_999.9])
            elif op == "times":
                tr["t"] = _odd_times(rnd, n)
            elif op == "confidence":
                tr["confidence"] = [rnd.choice([None, -1.0, 0.0, 1.0, rnd.uniform(-1, 1)])
                                    for _ in range(n)]
            elif op == "state":
                tr["state"] = [rnd.choice([0, 1, 2, 3]) for _ in range(n)]
            else:
                f = rnd.choice([1e-4, 100.0, 2000.0])
                for col in ("x", "y"):
                    tr[col] = [None if v is None else max(-1e6, min(1e6, v * f)) for v in tr[col]]
        elif what == "calibration":
            rec["calibration"] = rnd.choice([
                {}, {"m_per_px": rnd.choice([1.0000001e-6, 1e-5, 0.01, 0.5, 1.0])},
                {"m_per_px": 0.002, "source": "plate", "reference_px": 1e6, "axis_ratio": 1e-9,
                 "frames": 10_000_000, "warning": "w", "circle": [0, -1e7, 1e7, 1e-300]}])
        elif what == "overrides":
            reps = []
            for _ in range(rnd.choice([1, 2, 5, 300])):
                r: dict[str, Any] = {"at": rnd.choice([0.0, 1.0, 2.5, 4.0, 7.1, -1.0, 1e7,
                                                       -1e7, rnd.uniform(0, 8)])}
                if rnd.random() < 0.8:
                    r["status"] = rnd.choice(["valid", "false", "failed", "partial"])
                if rnd.random() < 0.6:
                    names = ["eccentric_start", "eccentric_end", "concentric_start",
                             "concentric_end"]
                    r["boundaries"] = {k: rnd.choice([r["at"], 0.0, -1e7, 1e7, rnd.uniform(0, 8)])
                                       for k in rnd.sample(names, rnd.randint(1, 4))}
                reps.append(r)
            rec["rep_overrides"] = {"version": 1, "reps": reps}
        elif what == "exercise":
            d["exercise"] = rnd.choice(["squat", "bench press", "deadlift", "press", "snatch",
                                        "clean and jerk", "", "curl", "x" * 500])
        elif rec.get("annotations"):
            a = rnd.choice(rec["annotations"])
            if rnd.random() < 0.5:
                a["t"] = rnd.choice([-1e7, 1e7, 0.0, 3.5])
            elif isinstance(a.get("points"), list) and a["points"]:
                a["points"][0] = [rnd.choice([-1e6, 1e6, 0.0]), rnd.choice([-1e6, 1e6, 0.0])]
    return d


def mutate(raw: bytes, doc: Any, seed: int) -> bytes:
    """One damaged variant of a session file (same seed, same bytes): in about half
    the cases damage the checks must refuse, in the other half values the checks
    accept but no normal recording has."""
    rnd = random.Random(seed)
    r = rnd.random()
    if r < 0.5:
        return _encode(_plausible(doc, rnd))
    if r < 0.8:
        return _encode(_structural(doc, rnd))
    if r < 0.95:
        return _bytewise(raw, rnd)
    return _bytewise(_encode(_structural(doc, rnd)), rnd)


# -- one case ------------------------------------------------------------------------------

class Hang(BaseException):
    """A stage took longer than the case's time limit (a BaseException, so the command
    line's last guard does not turn it into a plain error)."""


@dataclass
class Report:
    """Outcomes of a fuzz run: ``outcomes`` counts what happened, ``failures`` lists
    (seed, reason) of every case that broke a rule."""

    outcomes: Counter[str] = field(default_factory=Counter)
    failures: list[tuple[int, str]] = field(default_factory=list)
    slowest: float = 0.0

    def summary(self) -> str:
        n = sum(self.outcomes.values())
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(self.outcomes.items()))
        return (f"{n} cases: {kinds}; failures {len(self.failures)}; slowest case "
                f"{self.slowest:.2f} s")


def _digest(path: Path) -> tuple[int, int, str]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest()


@contextlib.contextmanager
def _time_limit(seconds: float):
    if not hasattr(signal, "SIGALRM") or seconds <= 0:
        yield
        return

    def on_alarm(_sig: int, _frame: object) -> None:
        raise Hang(f"took more than {seconds:g} s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _export_cli(path: Path, out: Path, end_frame: int | None) -> tuple[int, str]:
    from app.cli import main as cli_main

    argv = ["export", str(path), "--set", "1", "-o", str(out), "--overwrite", "-q",
            "--no-audio"]
    if end_frame is not None:
        argv += ["--end-frame", str(end_frame)]
    err, std = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(std):
        rc = cli_main.main(argv)
    return rc, err.getvalue() + std.getvalue()


def _render_sweep(path: Path, out: Path, samples: int) -> None:
    """The export's overlays painted at ``samples`` times spread over the whole clip."""
    import numpy as np

    from analysis.export.render import ExportFrame, chain_renders
    from analysis.video import build_index
    from app.cli import export as cli_export

    parser = argparse.ArgumentParser()
    cli_export.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["export", str(path), "--set", "1", "-o", str(out)])
    cli_export._resolve_session_input(args)
    index = build_index(args.video)
    with contextlib.redirect_stderr(io.StringIO()):  # its warnings were checked by the export
        render = chain_renders(cli_export.build_renders(args, index))
    if render is None:
        return
    w, h = index.width, index.height
    for n in np.linspace(0, index.frame_count - 1, samples).round().astype(int):
        frame = ExportFrame(int(n), float(index.times[n]), np.zeros((h, w, 3), np.uint8),
                            out_time=float(index.times[n]), source_width=w, source_height=h)
        img = render(frame, int(n))
        assert img.shape == (h, w, 3)


def run_case(path: Path, video: Path, library: Path, *, end_frame: int | None = 15,
             samples: int = 12, timeout: float = 60.0) -> str:
    """Take one session file through import, save and export; returns its outcome.

    Raises
    ------
    AssertionError
        When a rule is broken (message says which), Hang when a stage is too slow,
        or whatever unexpected exception escaped a stage.
    """
    from analysis.session.document import SessionFileError
    from analysis.session.portable import import_session
    from analysis.session.store import SessionStore

    before = _digest(path), _digest(video)
    out = path.with_suffix(".out.mp4")
    with _time_limit(timeout):
        try:
            session = import_session(path)
        except SessionFileError as exc:
            assert str(exc) and "Traceback" not in str(exc)
            outcome = "refused at import"
        else:
            with SessionStore(library) as store:
                store.save(session)  # an accepted session must be saveable
                back = store.get(session.id)
            assert back.to_dict() == session.to_dict(), "the saved session reads back changed"
            rc, text = _export_cli(path, out, end_frame)
            assert "Traceback" not in text, text[-2000:]
            assert rc in (0, 2), f"export exit {rc}: {text[-500:]}"
            if rc == 0:
                _render_sweep(path, out, samples)
                outcome = "imported, saved, exported"
            else:
                outcome = "imported, saved, export refused plainly"
    assert (_digest(path), _digest(video)) == before, "an input file changed"
    with contextlib.suppress(FileNotFoundError):
        out.unlink()
    return outcome


def fuzz(base: Path, video: Path, seeds: range, workdir: Path, *, end_frame: int | None = 15,
         samples: int = 12, timeout: float = 60.0, progress: bool = False,
         mutator: Any = None) -> Report:
    """Mutate ``base`` once per seed (the video sits beside each case) and run each case;
    ``mutator(raw, doc, seed) -> bytes`` replaces :func:`mutate`."""
    mutator = mutator or mutate
    raw = base.read_bytes()
    doc = json.loads(raw)
    folder = workdir / "cases"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / video.name
    if not target.exists():
        os.link(video, target) if _same_fs(video, folder) else target.write_bytes(video.read_bytes())
    report = Report()
    for k, seed in enumerate(seeds):
        case = folder / f"case{seed}.liftlens"
        case.write_bytes(mutator(raw, doc, seed))
        t0 = time.monotonic()
        try:
            report.outcomes[run_case(case, target, workdir / "library.sqlite3",
                                     end_frame=end_frame, samples=samples, timeout=timeout)] += 1
        except (Exception, Hang) as exc:  # noqa: BLE001 - every failure is kept with its seed
            report.outcomes["FAILED"] += 1
            report.failures.append((seed, f"{type(exc).__name__}: {str(exc)[:300]}"))
            if progress:
                print(f"seed {seed} FAILED: {report.failures[-1][1]}", file=sys.stderr,
                      flush=True)
        took = time.monotonic() - t0
        report.slowest = max(report.slowest, took)
        if progress and took > 20:
            print(f"seed {seed} took {took:.1f} s", file=sys.stderr, flush=True)
        case.unlink()
        if progress and (k + 1) % 50 == 0:
            print(f"{k + 1}: {report.summary()}", file=sys.stderr, flush=True)
    return report


def _same_fs(a: Path, b: Path) -> bool:
    try:
        return a.stat().st_dev == b.stat().st_dev
    except OSError:
        return False


def make_session(folder: Path) -> Path:
    """A session file made by LiftLens itself (``made.liftlens``) with its video
    (``set1.mp4``, a generated two-rep squat) beside it: bar track, scale, drawings, a
    key moment and a rep correction."""
    import numpy as np

    from analysis.annotations import KeyMoment, Style, Visibility, make_annotation
    from analysis.session import Recording, Session
    from analysis.session.calibration import Calibration
    from analysis.session.overrides import Overrides, RepOverride
    from analysis.session.portable import describe_video, export_session
    from analysis.session.track import STATE_ANCHOR, STATE_TRACKED, Track
    from analysis.synth.lift_clip import make_lift_clip
    from analysis.synth.motion import LiftScript, RepSpec

    video = folder / "set1.mp4"
    script = LiftScript(reps=(RepSpec(eccentric=0.8, bottom_pause=0.1, concentric=0.6,
                                      top_pause=0.3, rom=0.4),) * 2, setup=0.4, end_idle=0.3)
    truth = make_lift_clip(video, script, size=(192, 112), px_per_m=150.0, noise=0.0)
    n = len(truth.times)
    state = np.full(n, STATE_TRACKED, np.uint8)
    state[0] = STATE_ANCHOR
    rec = Recording(str(video), set_number=1)
    describe_video(rec, video)
    rec.track = Track(truth.times.copy(), truth.x.copy(), truth.y.copy(), np.ones(n), state)
    rec.calibration = Calibration(truth.m_per_px, "plate 450 mm", 67.5, 1.0, 12)
    rec.rep_overrides = Overrides((RepOverride(float(truth.times[n // 3]), "failed"),))
    rec.annotations = [
        make_annotation("line", 0.2, [(10, 10), (100, 20)], Style(width=3), Visibility("always")),
        make_annotation("angle", 0.5, [(20, 80), (60, 40), (100, 80)], Style(), Visibility()),
        make_annotation("text", 1.0, [(30, 30)], Style(), Visibility("always")),
    ]
    rec.annotations[-1].text = "depth"
    rec.key_moments = [KeyMoment(1.0, "bottom", "knees")]
    session = Session(lifter="Ann", exercise="back squat", load=100.0, recordings=[rec])
    path = folder / "made.liftlens"
    export_session(session, path)
    return path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("session", type=Path, help="a session file whose set 1 video is beside it "
                   "(a missing file named made.liftlens is made first, see make_session)")
    p.add_argument("cases", type=int)
    p.add_argument("first_seed", type=int, nargs="?", default=0)
    p.add_argument("--end-frame", type=int, default=15, help="last frame exported (-1: all)")
    p.add_argument("--mutator", type=Path,
                   help="a Python file whose make_case(raw, doc, seed) makes the cases")
    a = p.parse_args(argv)
    mutator = None
    if a.mutator:
        import importlib.util

        spec = importlib.util.spec_from_file_location("external_mutator", a.mutator)
        module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        spec.loader.exec_module(module)  # type: ignore[union-attr]
        mutator = module.make_case
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from analysis.session.portable import import_session

    if not a.session.exists() and a.session.name == "made.liftlens":
        a.session.parent.mkdir(parents=True, exist_ok=True)
        make_session(a.session.parent)
    rec = min(import_session(a.session).recordings, key=lambda r: r.set_number)
    video = a.session.parent / Path(rec.video_path).name
    with tempfile.TemporaryDirectory() as tmp:
        report = fuzz(a.session, video, range(a.first_seed, a.first_seed + a.cases), Path(tmp),
                      end_frame=None if a.end_frame < 0 else a.end_frame, progress=True,
                      mutator=mutator)
    print(report.summary())
    for seed, why in report.failures[:50]:
        print(f"seed {seed}: {why}")
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
