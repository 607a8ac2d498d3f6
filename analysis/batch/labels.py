"""Who and what each clip of a batch shows: the ``--manifest`` CSV's rows
(:func:`read_manifest_csv`), which clip each row names (:func:`match_manifest`), and the
clip's :class:`Label` (:func:`label_for`).

A row's ``file`` is absolute or relative to the CSV's folder. A row whose path is none
of the clips matches by file name alone when exactly one clip has that name and no
other such row names it; the run says so. A row that matches no clip, and a clip
without a row, are said too: such a clip is measured without its lifter, exercise and
load (a squat unless ``--lift``), which is never what a manifest was written for.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.batch.clips import Clip
from analysis.session.loads import parse_load


class BatchError(Exception):
    """The batch cannot start (bad output folder or manifest); the message is for the user."""


@dataclass(frozen=True)
class Label:
    """Who and what a clip shows (from the CSV manifest or the folder names)."""

    lifter: str = ""
    exercise: str = ""
    date: str = ""
    #: the load lifted (``load_unit``), None when the manifest gives none
    load: float | None = None
    load_unit: str = "kg"
    #: the frame to look for the plate on (counted from 0, as ``analyze --seed-frame``):
    #: an edited clip may open on a title card; 0, the first
    seed_frame: int = 0

    def inputs(self) -> dict[str, Any]:
        """What of the label the clip's result depends on or is filed under
        (:func:`analysis.batch.inputs.clip_inputs`); ``seed_frame`` only when given, so a
        clip measured before the column existed is not measured again."""
        d = dataclasses.asdict(self)
        if not self.seed_frame:
            del d["seed_frame"]
        return d


@dataclass(frozen=True)
class Row:
    """One row of the manifest: ``line`` (the CSV's line number, header 1), ``file`` as
    written, ``path`` where it points (resolved against the CSV's folder)."""

    line: int
    file: str
    path: str
    label: Label


class ManifestLabels(dict[str, Label]):
    """Labels by resolved path and by bare file name (as :func:`read_manifest_csv` always
    returned), with the CSV's ``path`` and its ``rows`` in order."""

    def __init__(self, path: Path, rows: Sequence[Row], items: dict[str, Label]) -> None:
        super().__init__(items)
        self.path = path
        self.rows = list(rows)

    @property
    def folder(self) -> Path:
        """The folder relative ``file`` paths are read from (absolute)."""
        return Path(os.path.abspath(self.path)).parent


@dataclass
class RowMatch:
    """Which manifest row each clip has. ``rows``: clip index -> :class:`Row`;
    ``by_name``: the clip indices matched by file name alone; ``unmatched``: the rows
    naming no clip; ``missing``: the indices of clips without a row."""

    manifest: ManifestLabels
    rows: dict[int, Row] = field(default_factory=dict)
    by_name: set[int] = field(default_factory=set)
    unmatched: list[Row] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)

    def note(self, i: int) -> str:
        """What ``summary.csv`` says of clip ``i``'s row: none, found by name, or ``""``."""
        if i in self.missing:
            return (f"no row in the manifest {self.manifest.path} (paths read relative to "
                    f"the manifest's folder {self.manifest.folder}): measured without its "
                    "lifter, exercise and load")
        row = self.rows.get(i)
        if i in self.by_name and row is not None and _has_folder(row):
            return (f"manifest row {row.line} ({row.file}) matched by file name alone: "
                    f"{row.path} is none of the clips")
        return ""


def read_manifest_csv(path: str | os.PathLike[str]) -> ManifestLabels:
    """Labels from a CSV with a ``file`` column and any of ``lifter``, ``exercise``, ``date``
    (YYYY-MM-DD), ``load`` (``120``, ``120 kg``, ``265 lb``), ``load_unit`` (kg or lb,
    default kg) and ``seed_frame`` (the frame to find the plate on, from 0; empty: 0).
    ``file`` is a path (absolute, or relative to the CSV's folder). Keys of the result are
    resolved paths and bare names (a name on rows with different labels left out); its
    ``rows`` are every row, for :func:`match_manifest`.

    Raises
    ------
    BatchError
        When the file cannot be read, has no ``file`` column or a cell is not what its
        column holds.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BatchError(f"the manifest {p} cannot be read ({exc})") from None
    reader = csv.DictReader(io.StringIO(text))
    fields = {(f or "").strip().lower(): f for f in reader.fieldnames or []}
    if "file" not in fields:
        raise BatchError(f"the manifest {p} needs a 'file' column (and lifter, exercise, date)")
    labels: dict[str, Label] = {}
    by_name: dict[str, Label | None] = {}
    rows: list[Row] = []
    for row in reader:
        def get(name: str, row: dict[str, Any] = row) -> str:
            key = fields.get(name)
            return (row.get(key) or "").strip() if key else ""

        name = get("file")
        if not name:
            continue
        label = _label(p, name, get)
        resolved = str((p.parent / name).resolve())
        rows.append(Row(reader.line_num, name, resolved, label))
        labels[resolved] = label
        bare = Path(name).name
        by_name[bare] = label if by_name.get(bare, label) == label else None  # None: ambiguous
    labels.update({k: v for k, v in by_name.items() if v is not None and k not in labels})
    return ManifestLabels(p, rows, labels)


def _label(p: Path, name: str, get: Any) -> Label:
    """The :class:`Label` of the row of ``name`` (``get(column)``: its cell). Raises
    BatchError."""
    date = get("date")
    if date:
        try:
            dt.date.fromisoformat(date)
        except ValueError:
            raise BatchError(f"the manifest {p}: date {date!r} of {name} is not "
                             "YYYY-MM-DD") from None
    try:
        load, unit = parse_load(get("load"), get("load_unit"))
    except ValueError as exc:
        raise BatchError(f"the manifest {p}, {name}: {exc}") from None
    seed = get("seed_frame")
    if seed and not (seed.isdigit() and seed.isascii()):
        raise BatchError(f"the manifest {p}, {name}: seed_frame {seed!r} is not a frame "
                         "number (0 is the clip's first frame)")
    return Label(get("lifter"), get("exercise"), date, load, unit, int(seed or 0))


def match_manifest(clips: Sequence[Clip], manifest: ManifestLabels) -> RowMatch:
    """Each clip's row: the row whose path is the clip (links followed, or as named),
    else the one row left naming its file name when exactly one clip has that name
    (the name the clip was given by, a link's own name). The last of several rows
    naming the same clip wins, as it always did."""
    out = RowMatch(manifest)
    paths: dict[str, int] = {}
    for i, c in enumerate(clips):
        paths.setdefault(str(c.path), i)
        if c.given:
            paths.setdefault(c.given, i)
    used: set[int] = set()
    left: list[Row] = []
    for row in manifest.rows:
        given = os.path.abspath(manifest.folder / row.file)
        i = paths.get(row.path, paths.get(given, -1))
        if i < 0:
            left.append(row)
        else:
            out.rows[i] = row
            used.add(i)
    names: dict[str, list[int]] = {}
    for i, c in enumerate(clips):
        names.setdefault(Path(c.shown).name, []).append(i)
    for row in left:
        name = Path(row.file).name
        same = [r for r in left if Path(r.file).name == name]
        found = names.get(name, [])
        if len(found) == 1 and found[0] not in used and len(same) == 1:
            out.rows[found[0]] = row
            out.by_name.add(found[0])
        else:
            out.unmatched.append(row)
    out.missing = [i for i in range(len(clips)) if i not in out.rows]
    return out


def label_for(clip: Clip, labels: dict[str, Label] | None, from_folder: bool) -> Label:
    """The clip's label: the manifest's by path, then by file name (the name it was given
    by, then its file's); else :func:`folder_label`. A batch uses :func:`match_manifest`
    instead, which also says what matched nothing."""
    if labels:
        found = labels.get(str(clip.path)) or labels.get(Path(clip.shown).name) \
            or labels.get(clip.path.name)
        if found is not None:
            return found
    return folder_label(clip, from_folder)


def folder_label(clip: Clip, from_folder: bool) -> Label:
    """With ``from_folder`` the clip's folder as the exercise and the folder above as the
    lifter, else no label."""
    if from_folder and clip.folders:
        lifter = clip.folders[-2] if len(clip.folders) >= 2 else ""
        # a folder named clean_and_jerk or back-squat is the exercise "clean and jerk" or
        # "back squat", as the app names it (not a second exercise in Progress)
        return Label(lifter, " ".join(clip.folders[-1].replace("_", " ").replace("-", " ")
                                      .split()))
    return Label()


def _where(row: Row) -> str:
    """``"x.mp4 → /a/x.mp4 (no such file)"``: a row's path as written and as read."""
    why = "not one of the clips given" if os.path.exists(row.path) else "no such file"
    return f"row {row.line} {row.file} → {row.path} ({why})"


def _some(items: Sequence[str], most: int = 5) -> str:
    more = len(items) - most
    return ", ".join(items[:most]) + (f" and {more} more" if more > 0 else "")


def _read_from(match: RowMatch) -> str:
    return f"paths read relative to the manifest's folder {match.manifest.folder}"


def no_row_matches(match: RowMatch, clips: Sequence[Clip]) -> str:
    """Why a batch whose manifest names none of its ``clips`` does not start, in words."""
    m = match.manifest
    if not m.rows:
        return f"the manifest {m.path} has no rows; nothing was measured"
    folders = sorted({str(Path(c.shown).parent) for c in clips})
    return (f"no row of the manifest {m.path} matches any of the {len(clips)} clip(s), so "
            "every clip would be measured without its lifter, exercise and load; nothing "
            f"was measured. Its `file` paths are read relative to the manifest's folder "
            f"{m.folder}: {_some([_where(r) for r in m.rows], 3)}; the clips are in "
            f"{_some(folders, 3)}. Write each `file` relative to {m.folder} or absolute "
            "(or a bare file name of one clip), and run again")


def row_warnings(match: RowMatch, clips: Sequence[Clip], lift: str | None,
                 from_folder: bool) -> list[str]:
    """What the run says before it starts of rows naming no clip, clips without a row and
    rows matched by file name alone (an empty list when every row has its clip)."""
    m = match.manifest
    out = []
    if match.unmatched:
        n = len(match.unmatched)
        out.append(f"the manifest {m.path}: {n} row{'s match' if n > 1 else ' matches'} "
                   f"none of the clips ({_read_from(match)}): "
                   f"{_some([_where(r) for r in match.unmatched])}")
    if match.missing:
        n = len(match.missing)
        how = (f"measured as {lift}" if lift else "lifter and exercise from their folders"
               if from_folder else "measured as squats")
        out.append(f"{n} clip{'s have' if n > 1 else ' has'} no row in the manifest {m.path} "
                   f"({_read_from(match)}), so {'they are' if n > 1 else 'it is'} measured "
                   f"without lifter, exercise and load ({how}): "
                   f"{_some([clips[i].name for i in match.missing])}")
    bare = [clips[i].name for i in sorted(match.by_name) if not _has_folder(match.rows[i])]
    if bare:  # a bare file name is meant to match by name
        out.append(f"the manifest {m.path}: {len(bare)} row(s) give a bare file name, "
                   f"matched to the one clip of that name: {_some(bare)}")
    for i in sorted(match.by_name):
        row = match.rows[i]
        if _has_folder(row):  # a path of another folder: a guess, said
            out.append(f"{clips[i].name}: matched by its file name alone to {_where(row)}")
    return out


def _has_folder(row: Row) -> bool:
    """The row's ``file`` names a folder too (not a bare file name)."""
    return Path(row.file).name != row.file
