"""Reading workshop tables (CSV) into engine objects.

Used by the command line (``python -m ranking``) and by the workshop's import;
the engine itself never touches files.  Every reader takes a *source*:

* a ``str`` or ``os.PathLike``: a path to a file;
* ``bytes``: the file's contents (an upload);
* a file-like object opened in text or binary mode (``io.StringIO(text)``
  for CSV held in a string).

Text must be UTF-8; a byte-order mark (Excel's "CSV UTF-8") is dropped.  The
delimiter is a comma, or a semicolon or tab when the header row has no comma
(Excel in some locales).  Column names are matched case-insensitively, with
spaces read as underscores.  Cells are kept as text until a reader parses
them, so a priority called "NA" or "None" stays a name.

Errors are ``RankingInputError`` naming the file and the *spreadsheet row*
(the header is row 1, the first data row is row 2), e.g.
``criteria.csv row 3: weight must be a non-negative number, not 'abc'``.

Formats (columns; ``[optional]``):

* criteria: ``criterion`` (or ``name``), ``[weight]``, ``[direction]``
  (benefit or cost; blank is benefit), ``[min]``, ``[max]`` (or
  ``scale_min``/``scale_max``), ``[description]``, ``[descriptor_N]`` — the
  meaning of score N on the scale.  Weights are all given or all blank (or no
  column: equal weights).  Without ``min``/``max`` (or with both blank)
  ``default_scale`` stands in: None (the command line) leaves the criterion
  without a scale, so the observed range is used; the workshop passes 1..5.
  In a file not separated by commas, a weight or bound may use a decimal
  comma (``0,5``).
* priorities: ``priority`` (or ``name``), ``[theme]``, ``[description]``,
  ``[evidence]``.
* groups: ``group`` (or ``name``), ``[description]``.

The criteria, priorities and groups files are the one parser of the setup
lists: ``check_criteria``/``check_priorities``/``check_groups`` check every
row and return all the problems (``Checked``), which the workshop's import
lists; the ``read_*`` functions raise the first.  Names are unique ignoring
case, and a file with only a header row is refused (it would empty a list).
* scores, wide (one evaluation matrix): ``priority``, ``[theme]``, then one
  column per criterion.  Long (a room): ``participant``, ``[group]``,
  ``priority``, ``[theme]``, ``criterion``, ``score``.  A file with a
  ``criterion`` column is long.  A blank score means "don't know".
* pairwise (AHP): a square matrix, criterion names across the header row
  (after one corner cell) and down the first column; cells are numbers or
  fractions such as ``1/3``.
* allocations (100 points across the criteria): long
  ``participant, criterion, points`` or wide ``participant`` then one column
  per criterion.  A blank cell is 0 points.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import islice, zip_longest
from pathlib import Path
from typing import IO, Generic, TypeVar

import numpy as np

from ranking.model import Criterion, Priority, RankingInputError, ScoreSet

Source = str | os.PathLike[str] | bytes | IO[str] | IO[bytes]

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_FRACTION = re.compile(r"(\d+(?:\.\d*)?|\.\d+)\s*/\s*(\d+(?:\.\d*)?|\.\d+)")
_DESCRIPTOR = re.compile(r"descriptor_(-?\d+)")
T = TypeVar("T")


# --------------------------------------------------------------------------- result types


@dataclass(frozen=True)
class ScaleDescriptor:
    """What a score means on a criterion's scale, e.g. 5: "affects most children"."""

    score: int
    text: str


@dataclass(frozen=True)
class CriterionRow:
    """One good row of a criteria file.  ``scale_given`` is False when the
    row (or the file) gave no min and max, so the default scale stands in."""

    criterion: Criterion
    descriptors: tuple[ScaleDescriptor, ...]
    scale_given: bool


@dataclass(frozen=True)
class PriorityRow:
    """One good row of a priorities file."""

    priority: Priority
    evidence: str
    #: The plain-language title and one sentence a young people's ballot shows (optional columns).
    plain_title: str = ""
    plain_sentence: str = ""


@dataclass(frozen=True)
class StakeholderGroup:
    """One good row of a groups file: a partner agency or other group of participants."""

    name: str
    description: str = ""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: its spreadsheet row (the header is row 1;
    None for the file as a whole) and what is wrong, without the file's name."""

    row: int | None
    message: str

    def located(self, label: str) -> str:
        """The problem as one line naming the file: ``criteria.csv row 3: …``."""
        return f"{label}: {self.message}" if self.row is None else f"{label} row {self.row}: {self.message}"


class FileProblem(RankingInputError):
    """A RankingInputError found in a file; ``problem`` is the same without the file's name."""

    def __init__(self, label: str, problem: Problem) -> None:
        super().__init__(problem.located(label))
        self.problem = problem


@dataclass(frozen=True)
class Checked(Generic[T]):
    """A file checked row by row, never stopping at the first problem: the item
    of every good row (``rows[i]`` is the spreadsheet row of ``items[i]``) and
    every problem found.  A file-wide problem (a missing column, no rows) is
    the only problem reported."""

    label: str
    items: tuple[T, ...]
    rows: tuple[int, ...]
    problems: tuple[Problem, ...]

    def or_raise(self) -> tuple[T, ...]:
        """The items, or the first problem raised as a FileProblem."""
        if self.problems:
            raise FileProblem(self.label, self.problems[0])
        return self.items


# --------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class Row:
    number: int  # spreadsheet row: the header is row 1
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A file as text cells: a header of normalised column keys and the
    non-blank data rows, each padded to the header's width.
    ``decimal_comma``: a number may be written ``0,5`` (not in a
    comma-separated file, where ``"1,5"`` is ambiguous)."""

    label: str
    header: tuple[str, ...]  # as written (stripped)
    keys: tuple[str, ...]  # normalised for matching
    rows: tuple[Row, ...]
    decimal_comma: bool = False
    cut_short: bool = False  # the file has more rows than its Bounds let be read: ``rows`` are the first

    def optional_column(self, *names: str) -> int | None:
        """Index of the column called one of ``names`` (synonyms), if any."""
        found = [n for n in names if n in self.keys]
        if len(found) > 1:
            raise self.error(None, f"has both {found[0]!r} and {found[1]!r} columns; keep one")
        return self.keys.index(found[0]) if found else None

    def column(self, *names: str) -> int:
        """Index of a required column called one of ``names`` (synonyms)."""
        index = self.optional_column(*names)
        if index is None:
            found = ", ".join(h for h in self.header if h) or "none"
            raise self.error(None, f"the file needs a {names[0]!r} column (found: {found})")
        return index

    def error(self, row: Row | None, message: str) -> FileProblem:
        return FileProblem(self.label, Problem(None if row is None else row.number, message))

    def require_rows(self, what: str) -> None:
        """Refuse a file with only a header row, saying it has no ``what``."""
        if not self.rows:
            raise RankingInputError(f"{self.label}: has no {what}, only a header row")


@dataclass(frozen=True)
class Bounds:
    """How much of a file is read, so that a small hostile file cannot cost seconds and hundreds of MB
    (the app's uploads pass theirs; ``None``, the command line's files, is no bound).  ``rows``: records
    read (the header and blank rows included), the rest left unread and the Table marked ``cut_short``;
    ``columns``: a record with a non-blank cell past this column is refused (blank ones are dropped);
    ``cells``: a file with more cells in the records read is refused."""

    rows: int
    columns: int
    cells: int


def _bounded(records: Iterable[Sequence[str]], label: str, bounds: Bounds) -> tuple[list[Sequence[str]], bool]:
    """The first ``bounds.rows`` records, checked against the bounds as they are read; and whether there were more."""
    read: list[Sequence[str]] = []
    cells = 0
    for number, record in enumerate(islice(records, bounds.rows + 1), 1):
        if number > bounds.rows:
            return read, True
        if len(record) > bounds.columns:
            extra = next((i for i in range(bounds.columns, len(record)) if record[i].strip()), None)
            if extra is not None:
                raise FileProblem(
                    label, Problem(number, f"has a value in column {extra + 1}; the limit is {bounds.columns} columns")
                )
            record = record[: bounds.columns]
        cells += len(record)
        if cells > bounds.cells:
            found = f"the file has more than {bounds.cells:,} cells"
            raise FileProblem(label, Problem(None, f"{found}; the limit is {bounds.cells:,}"))
        read.append(record)
    return read, False


def _column_key(name: str) -> str:
    return re.sub(r"\s+", "_", name.strip().lower())


def _source_label(source: Source, default: str) -> str:
    if isinstance(source, str | os.PathLike):
        return Path(source).name
    name = getattr(source, "name", None)
    return Path(name).name if isinstance(name, str) and name else default


def _read_text(source: Source, label: str) -> str:
    if isinstance(source, str | os.PathLike):
        try:
            data: bytes | str = Path(source).read_bytes()
        except FileNotFoundError:
            raise RankingInputError(f"{os.fspath(source)}: no such file") from None
        except OSError as exc:
            raise RankingInputError(f"{os.fspath(source)}: cannot read it ({exc.strerror or exc})") from None
    elif isinstance(source, bytes):
        data = source
    else:
        try:
            data = source.read()
        except UnicodeDecodeError as exc:
            raise RankingInputError(_not_utf8(label, exc)) from None
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise RankingInputError(_not_utf8(label, exc)) from None
    return data.removeprefix("\ufeff")


def _not_utf8(label: str, exc: UnicodeDecodeError) -> str:
    bad = exc.object[exc.start : exc.start + 1]
    return (
        f"{label}: is not UTF-8 text (byte 0x{bad.hex()} at position {exc.start}); "
        "save it as 'CSV UTF-8' and try again"
    )


def _delimiter(text: str) -> str:
    lines = text[:65536].splitlines()
    first = next((line for line in lines[:-1] if line.strip()), None)  # the last may be cut short
    if first is None:
        first = next((line for line in text.splitlines() if line.strip()), "")
    if "," not in first:
        for candidate in (";", "\t"):
            if candidate in first:
                return candidate
    return ","


def _read_table(source: Source | Table, default_label: str) -> Table:
    if isinstance(source, Table):
        return source
    label = _source_label(source, default_label)
    return table_from_text(_read_text(source, label), label)


def table_from_text(text: str, label: str, bounds: Bounds | None = None) -> Table:
    """A CSV file's text as a Table (raises FileProblem if it is not one), read record by record within ``bounds``."""
    delimiter = _delimiter(text)
    try:
        records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return table_from_cells(records if bounds else list(records), label, delimiter != ",", bounds)
    except csv.Error as exc:
        raise FileProblem(label, Problem(None, f"is not a readable CSV file ({exc})")) from None


_parse_table = table_from_text  # the name tests/ranking/test_fast_paths.py uses


def table_from_cells(
    records: Iterable[Sequence[str]], label: str, decimal_comma: bool = True, bounds: Bounds | None = None
) -> Table:
    """Rows of text cells (the first is the header; a workbook's sheet, a
    CSV file's records) as a Table: blank rows dropped, cells stripped, a
    repeated column or a cell beyond the header refused (FileProblem).
    With ``bounds``, ``records`` is read lazily and no further than they allow."""
    cut_short = False
    if bounds is not None:
        records, cut_short = _bounded(records, label, bounds)
    numbered = [Row(n, tuple(cell.strip() for cell in cells)) for n, cells in enumerate(records, 1)]
    numbered = [r for r in numbered if any(r.cells)]
    if not numbered:
        raise FileProblem(label, Problem(None, "the file is empty"))
    head, *body = numbered
    header = head.cells
    while header and not header[-1]:
        header = header[:-1]
    keys = tuple(_column_key(h) for h in header)
    for i, key in enumerate(keys):
        if key and key in keys[:i]:
            raise FileProblem(label, Problem(head.number, f"column {header[i]!r} appears twice"))
    width = len(header)
    rows = []
    for row in body:
        cells = row.cells
        if any(cells[width:]):
            raise FileProblem(
                label, Problem(row.number, f"has {len(cells)} cells but the header has {width} columns")
            )
        rows.append(Row(row.number, cells[:width] + ("",) * (width - len(cells))))
    return Table(label, header, keys, tuple(rows), decimal_comma, cut_short)


# --------------------------------------------------------------------------- cells


class _Refused(Exception):
    """A row's problem, without the file's name or row (``_check_rows`` adds the row)."""


def _number(table: Table, row: Row, text: str, what: str) -> float:
    if not _NUMBER.fullmatch(text):
        raise table.error(row, f"{what} must be a number, not {text!r}")
    return float(text)


def _decimal(table: Table, text: str) -> float | None:
    """A weight or scale bound: a number, with a decimal comma where the file allows one; None if not a number."""
    if table.decimal_comma and text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    return float(text) if _NUMBER.fullmatch(text) else None


def _bound(table: Table, text: str, what: str) -> float:
    value = _decimal(table, text)
    if value is None:
        raise _Refused(f"{what} must be a number, not {text!r}")
    return value


def _name(table: Table, row: Row, index: int, what: str) -> str:
    name = row.cells[index]
    if not name:
        raise table.error(row, f"{what} is blank")
    return name


def _criterion_lookup(criteria: Sequence[Criterion]) -> dict[str, int]:
    """Criterion name → index; exact names, plus case-insensitive spellings
    where those are unambiguous."""
    lookup: dict[str, int] = {}
    folded: dict[str, list[int]] = {}
    for i, crit in enumerate(criteria):
        folded.setdefault(_column_key(crit.name), []).append(i)
    for key, indices in folded.items():
        if len(indices) == 1:
            lookup[key] = indices[0]
    for i, crit in enumerate(criteria):
        lookup[crit.name] = i
    return lookup


def _find_criterion(lookup: dict[str, int], name: str) -> int | None:
    if name in lookup:
        return lookup[name]
    return lookup.get(_column_key(name))


def _row_criterion(table: Table, row: Row, column: int, lookup: dict[str, int]) -> int:
    """The criterion a long file's row names in ``column``, or the row's error naming it."""
    name = _name(table, row, column, "criterion")
    c = _find_criterion(lookup, name)
    if c is None:
        raise table.error(row, f"unknown criterion {name!r}")
    return c


# --------------------------------------------------------------------------- criteria, priorities and groups
#
# The one parser of the setup files, used by the command line (which stops at
# the first problem) and by the workshop's import (which lists them all).


def _check_rows(
    source: Source | Table,
    default_label: str,
    what: str,
    plural: str,
    columns: tuple[str, ...],
    prepare: Callable[[Table], Callable[[Row, str], T]],
) -> Checked[T]:
    """Read the file, find its name column, then check every row: a name
    that is not blank and not repeated (ignoring case), then ``build(row, name)``
    from ``prepare(table)``, which finds the other columns.  A file with a header
    but no rows is refused: it would otherwise empty the list."""
    label = source.label if isinstance(source, Table) else _source_label(source, default_label)
    try:
        table = _read_table(source, default_label)
        name_col = table.column(*columns)
        build = prepare(table)
    except FileProblem as exc:
        return Checked(label, (), (), (exc.problem,))
    if not table.rows:
        message = (
            f"the file has no {plural}, only a header row; put one {what} per row under the {columns[0]!r} heading"
        )
        return Checked(table.label, (), (), (Problem(None, message),))
    items: list[T] = []
    numbers: list[int] = []
    problems: list[Problem] = []
    seen: dict[str, tuple[str, int]] = {}
    for row in table.rows:
        try:
            name = row.cells[name_col]
            if not name:
                raise _Refused(f"{what} name is blank")
            if name.casefold() in seen:
                first, at = seen[name.casefold()]
                spelt = "" if first == name else f" as {first!r}"
                raise _Refused(f"{what} {name!r} appears again (first at row {at}{spelt})")
            seen[name.casefold()] = (name, row.number)
            items.append(build(row, name))
            numbers.append(row.number)
        except (_Refused, RankingInputError) as exc:
            problems.append(Problem(row.number, str(exc)))
    return Checked(table.label, tuple(items), tuple(numbers), tuple(problems))


def check_criteria(
    source: Source | Table, default_scale: tuple[float, float] | None = None
) -> Checked[CriterionRow]:
    """Every row of a criteria file checked (see the module docstring).

    ``default_scale`` is the scale of a criterion given without ``min`` and
    ``max``: None (the command line) leaves it without a scale, so the
    observed range stands in; the workshop passes its 1..5.
    """

    def prepare(table: Table) -> Callable[[Row, str], CriterionRow]:
        weight_col = table.optional_column("weight")
        direction_col = table.optional_column("direction")
        min_col = table.optional_column("min", "scale_min")
        max_col = table.optional_column("max", "scale_max")
        if (min_col is None) != (max_col is None):
            raise table.error(None, "give both 'min' and 'max' columns or neither")
        description_col = table.optional_column("description")
        descriptor_cols = sorted(
            (int(m.group(1)), i) for i, k in enumerate(table.keys) if (m := _DESCRIPTOR.fullmatch(k))
        )
        weighted = weight_col is not None and any(row.cells[weight_col] for row in table.rows)
        blank_scale = "the observed range" if default_scale is None else (
            f"the default scale {default_scale[0]:g}..{default_scale[1]:g}"
        )

        def build(row: Row, name: str) -> CriterionRow:
            weight = 1.0
            if weighted:
                weight_text = row.cells[weight_col]
                if not weight_text:
                    raise _Refused(
                        "weight is blank; give every criterion a weight, or leave them all blank for equal weights"
                    )
                weight = _decimal(table, weight_text)
                if weight is None or weight < 0:
                    raise _Refused(f"weight must be a non-negative number, not {weight_text!r}")
            scale = default_scale
            lo_text, hi_text = (row.cells[min_col], row.cells[max_col]) if min_col is not None else ("", "")
            if bool(lo_text) != bool(hi_text):
                raise _Refused(f"give both min and max, or leave both blank to use {blank_scale}")
            if lo_text:
                scale = (_bound(table, lo_text, "min"), _bound(table, hi_text, "max"))
            direction = (row.cells[direction_col] if direction_col is not None else "") or "benefit"
            description = row.cells[description_col] if description_col is not None else ""
            lo, hi = scale if scale is not None else (None, None)
            criterion = Criterion(name, weight, direction, lo, hi, description)
            described = []
            for score, col in descriptor_cols:
                text = row.cells[col]
                if not text:
                    continue
                if criterion.has_scale and not criterion.scale_min <= score <= criterion.scale_max:
                    raise _Refused(
                        f"{table.header[col]} describes a score of {score}, outside the scale "
                        f"{criterion.scale_min:g}..{criterion.scale_max:g}"
                    )
                described.append(ScaleDescriptor(score, text))
            return CriterionRow(criterion, tuple(described), bool(lo_text))

        return build

    return _check_rows(source, "criteria", "criterion", "criteria", ("criterion", "name"), prepare)


def check_priorities(source: Source | Table) -> Checked[PriorityRow]:
    """Every row of a priorities file checked (see the module docstring)."""

    def prepare(table: Table) -> Callable[[Row, str], PriorityRow]:
        theme, description, evidence, plain_title, plain_sentence = (
            table.optional_column(c) for c in ("theme", "description", "evidence", "plain_title", "plain_sentence")
        )

        def cell(row: Row, col: int | None) -> str:
            return row.cells[col] if col is not None else ""

        return lambda row, name: PriorityRow(
            Priority(name, cell(row, theme), cell(row, description)),
            cell(row, evidence),
            cell(row, plain_title),
            cell(row, plain_sentence),
        )

    return _check_rows(source, "priorities", "priority", "priorities", ("priority", "name"), prepare)


def check_groups(source: Source | Table) -> Checked[StakeholderGroup]:
    """Every row of a groups file checked (see the module docstring)."""

    def prepare(table: Table) -> Callable[[Row, str], StakeholderGroup]:
        description = table.optional_column("description")
        return lambda row, name: StakeholderGroup(name, row.cells[description] if description is not None else "")

    return _check_rows(source, "groups", "group", "groups", ("group", "name"), prepare)


def read_criterion_rows(source: Source, default_scale: tuple[float, float] | None = None) -> tuple[CriterionRow, ...]:
    """Each criterion with its descriptors (sorted by score), the engine's criterion beside the
    descriptors it ignores but participants read while scoring; the first problem is raised
    (``check_criteria`` lists them all)."""
    return check_criteria(source, default_scale).or_raise()


def read_criteria(source: Source, default_scale: tuple[float, float] | None = None) -> tuple[Criterion, ...]:
    """The criteria of a criteria file (see ``read_criterion_rows``)."""
    return tuple(r.criterion for r in read_criterion_rows(source, default_scale))


def read_priority_rows(source: Source) -> tuple[PriorityRow, ...]:
    """Each priority (theme, description) with its evidence note and plain words; the first problem
    is raised (``check_priorities`` lists them all)."""
    return check_priorities(source).or_raise()


def read_priorities(source: Source) -> tuple[Priority, ...]:
    """The priorities of a priorities file (see ``read_priority_rows``)."""
    return tuple(r.priority for r in read_priority_rows(source))


def read_groups(source: Source) -> tuple[StakeholderGroup, ...]:
    """Stakeholder groups: ``group`` (or ``name``) and an optional description."""
    return check_groups(source).or_raise()


# --------------------------------------------------------------------------- scores


class _FirstSeen:
    """Names in first-seen order, each with one label from an optional column (a participant's
    stakeholder group, a priority's theme): the first label the rows give it ("" until one does);
    a row that gives another is refused with the message ``conflict`` (a format string of ``name``,
    ``label``, the ``first`` label and the row it was ``at``)."""

    def __init__(self, table: Table, col: int | None, conflict: str) -> None:
        self.table, self.col, self._conflict = table, col, conflict
        self.index: dict[str, int] = {}
        self.first_rows: list[int] = []
        self.labels: list[str] = []
        self._label_rows: list[int] = []

    def add(self, row: Row, name: str) -> int:
        label = row.cells[self.col] if self.col is not None else ""
        if name not in self.index:
            self.index[name] = len(self.index)
            self.first_rows.append(row.number)
            self.labels.append(label)
            self._label_rows.append(row.number)
        i = self.index[name]
        if label and not self.labels[i]:
            self.labels[i], self._label_rows[i] = label, row.number
        elif label and label != self.labels[i]:
            raise self.table.error(
                row, self._conflict.format(name=name, label=label, first=self.labels[i], at=self._label_rows[i])
            )
        return i


def _participant_index(table: Table, group_col: int | None) -> _FirstSeen:
    """Participants in first-seen order, each in one stakeholder group."""
    return _FirstSeen(table, group_col, "participant {name!r} is in group {label!r} here but {first!r} at row {at}")


def _priority_index(table: Table, theme_col: int | None) -> _FirstSeen:
    """Priorities in first-seen order, each with one theme."""
    return _FirstSeen(table, theme_col, "priority {name!r} has theme {label!r} here but {first!r} at row {at}")


def _priorities(index: _FirstSeen) -> tuple[Priority, ...]:
    return tuple(Priority(name, theme) for name, theme in zip(index.index, index.labels, strict=True))


def _score(table: Table, row: Row, text: str, criterion: Criterion) -> float:
    """A score cell: blank is "don't know" (NaN); otherwise a number on the scale."""
    if not text:
        return np.nan
    if not _NUMBER.fullmatch(text):
        raise table.error(row, f"score for criterion {criterion.name!r} must be a number or blank, not {text!r}")
    value = float(text)
    if not np.isfinite(value):
        raise table.error(row, f"score for criterion {criterion.name!r} is too large: {text!r}")
    if criterion.has_scale and not criterion.scale_min <= value <= criterion.scale_max:
        raise table.error(
            row,
            f"score {text} for criterion {criterion.name!r} is outside the scale "
            f"{criterion.scale_min:g}..{criterion.scale_max:g}",
        )
    return value


def read_scores(source: Source, criteria: Sequence[Criterion]) -> ScoreSet:
    """A ScoreSet from a wide (one matrix) or long (a room) scores file."""
    criteria = tuple(criteria)
    if not criteria:
        raise RankingInputError("there are no criteria to read scores against")
    label = _source_label(source, "scores")
    text = _read_text(source, label)
    fast = _read_long_scores_fast(text, criteria)
    if fast is not None:
        return fast
    table = table_from_text(text, label)
    if _is_long(table, criteria):
        return _read_long_scores(table, criteria)
    return _read_wide_scores(table, criteria)


def _is_long(table: Table, criteria: tuple[Criterion, ...]) -> bool:
    """Long if there is a ``criterion`` column, or a ``participant`` or
    ``score`` column that is not itself a criterion (so a long file missing
    a column is reported as such, not as a wide file with odd criteria)."""
    if "criterion" in table.keys:
        return True
    lookup = _criterion_lookup(criteria)
    return any(
        key in table.keys and _find_criterion(lookup, table.header[table.keys.index(key)]) is None
        for key in ("participant", "score")
    )


def _read_wide_scores(table: Table, criteria: tuple[Criterion, ...]) -> ScoreSet:
    priority_col = table.column("priority", "name")
    theme_col = table.optional_column("theme")
    lookup = _criterion_lookup(criteria)
    columns: dict[int, int] = {}  # criterion index → column
    for col, heading in enumerate(table.header):
        if col in (priority_col, theme_col):
            continue
        c = _find_criterion(lookup, heading)
        if c is None:
            shown = heading or f"(blank, column {col + 1})"
            raise RankingInputError(f"{table.label} row 1: unknown criterion {shown!r}")
        if c in columns:
            raise RankingInputError(f"{table.label} row 1: two columns for criterion {criteria[c].name!r}")
        columns[c] = col
    missing = [crit.name for c, crit in enumerate(criteria) if c not in columns]
    if missing:
        raise RankingInputError(f"{table.label}: missing column for criterion {missing[0]!r}")
    table.require_rows("scores")
    priorities = _priority_index(table, theme_col)
    values: list[list[float]] = []
    for row in table.rows:
        name = _name(table, row, priority_col, "priority name")
        if name in priorities.index:
            first = priorities.first_rows[priorities.index[name]]
            raise table.error(row, f"priority {name!r} appears again (first at row {first})")
        priorities.add(row, name)
        values.append([_score(table, row, row.cells[columns[c]], crit) for c, crit in enumerate(criteria)])
    return ScoreSet(_priorities(priorities), criteria, np.array(values, dtype=float)[None, :, :])


def _read_long_scores(table: Table, criteria: tuple[Criterion, ...]) -> ScoreSet:
    participant_col = table.column("participant")
    priority_col = table.column("priority")
    criterion_col = table.column("criterion")
    score_col = table.column("score")
    group_col = table.optional_column("group")
    theme_col = table.optional_column("theme")
    table.require_rows("scores")
    lookup = _criterion_lookup(criteria)
    priorities = _priority_index(table, theme_col)
    participants = _participant_index(table, group_col)
    cells: dict[tuple[int, int, int], tuple[float, int]] = {}
    for row in table.rows:
        participant = _name(table, row, participant_col, "participant")
        c = _row_criterion(table, row, criterion_col, lookup)
        i = priorities.add(row, _name(table, row, priority_col, "priority name"))
        p = participants.add(row, participant)
        key = (p, i, c)
        if key in cells:
            raise table.error(
                row,
                f"participant {participant!r} scored priority {row.cells[priority_col]!r} on criterion "
                f"{criteria[c].name!r} again (first at row {cells[key][1]})",
            )
        cells[key] = (_score(table, row, row.cells[score_col], criteria[c]), row.number)
    scores = np.full((len(participants.index), len(priorities.index), len(criteria)), np.nan)
    for (p, i, c), (value, _) in cells.items():
        scores[p, i, c] = value
    return ScoreSet(_priorities(priorities), criteria, scores, tuple(participants.index), tuple(participants.labels))


#: Scores files of at least this many characters (about 100,000 rows) are
#: split into columns by pandas' C parser; shorter ones by the csv module.
#: Importing pandas costs about 0.3 s, which a short file does not repay
#: (``python -m ranking sensitivity`` on a room of 300 starts without it).
PANDAS_FROM_CHARS = 4_000_000

#: A column of cells: its distinct stripped texts (sorted) and each row's index into them.
Column = tuple[np.ndarray, np.ndarray]


def _coded(texts: Iterable[object], codes: np.ndarray) -> Column:
    """A column from its distinct raw cell texts and each row's code into them (−1: ""), stripped."""
    stripped = np.array([str(t).strip() for t in texts] + [""], dtype=object)
    distinct, inverse = np.unique(stripped, return_inverse=True)
    return distinct, inverse[codes]


def _columns_by_csv(text: str, delimiter: str) -> list[Column] | None:
    """The file's cells column by column, read by the csv module as ``table_from_text`` reads them."""
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        return None
    columns = []
    for cells in zip_longest(*records, fillvalue=""):  # a short row's missing cells are ""
        index = {t: k for k, t in enumerate(dict.fromkeys(cells))}
        columns.append(_coded(index, np.fromiter(map(index.__getitem__, cells), np.intp, len(cells))))
    return columns


def _columns_by_pandas(text: str, delimiter: str) -> list[Column] | None:
    """The same by pandas' C parser, every column read as categorical (faster on a long file)."""
    import pandas as pd  # here, not at the top: see PANDAS_FROM_CHARS

    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=delimiter, header=None, dtype="category",
            na_filter=False, skip_blank_lines=True, engine="c",
        )
    except (ValueError, pd.errors.ParserError, pd.errors.EmptyDataError):
        return None
    # code −1 (a short row's missing cell) → ""
    return [_coded(column.cat.categories, column.cat.codes.to_numpy().astype(np.intp)) for _, column in frame.items()]


def _read_long_scores_fast(
    text: str, criteria: tuple[Criterion, ...], by_pandas: bool | None = None
) -> ScoreSet | None:
    """A valid long scores file read column by column, or None.

    The file is split into columns of integer codes into each column's
    distinct cell texts (a room's files repeat a few thousand names and a
    handful of score spellings), by the csv module or, for a long file
    (``PANDAS_FROM_CHARS``; ``by_pandas`` forces either), pandas' C parser;
    so each check runs once per distinct cell text and then over integer
    codes for the whole file.  It gives exactly what ``_read_long_scores``
    gives for a valid file.  For anything else (a wide file, a parse that is
    not plain, any cell that would be refused) it returns None and the
    row-by-row reader reads the file again, so every error message, with its
    row number, is that reader's.
    """
    if by_pandas is None:
        by_pandas = len(text) >= PANDAS_FROM_CHARS
    columns = (_columns_by_pandas if by_pandas else _columns_by_csv)(text, _delimiter(text))
    if not columns:
        return None
    blank = [np.flatnonzero(distinct == "") for distinct, _ in columns]
    filled = np.zeros(columns[0][1].size, dtype=bool)
    for (_, codes), empty in zip(columns, blank, strict=True):
        filled |= ~np.isin(codes, empty)
    rows = np.flatnonzero(filled)
    if rows.size < 2:
        return None
    header = [str(distinct[codes[rows[0]]]) for distinct, codes in columns]
    while header and not header[-1]:
        header.pop()
    keys = tuple(_column_key(h) for h in header)
    if any(key and key in keys[:i] for i, key in enumerate(keys)):
        return None
    body = rows[1:]
    for (_, codes), empty in zip(columns[len(header) :], blank[len(header) :], strict=True):
        if not np.isin(codes[body], empty).all():
            return None  # cells past the header's last column
    table = Table("", tuple(header), keys, ())
    if not _is_long(table, criteria):
        return None
    try:
        participant_col, priority_col = table.column("participant"), table.column("priority")
        criterion_col, score_col = table.column("criterion"), table.column("score")
        group_col, theme_col = table.optional_column("group"), table.optional_column("theme")
    except RankingInputError:
        return None

    def cells(col: int) -> tuple[np.ndarray, np.ndarray]:
        distinct, codes = columns[col]
        return distinct, codes[body]

    def first_seen(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Codes renumbered 0, 1, … in order of first appearance, and the original code of each."""
        first = np.full(int(codes.max()) + 1, codes.size)
        first[codes[::-1]] = np.arange(codes.size - 1, -1, -1)  # the earliest row's write lands last
        by_first = np.argsort(first)[: int((first < codes.size).sum())]
        renumber = np.empty(first.size, dtype=np.intp)
        renumber[by_first] = np.arange(by_first.size)
        return renumber[codes], by_first

    names = {}
    for what, col in (("participant", participant_col), ("priority", priority_col), ("criterion", criterion_col)):
        distinct, codes = cells(col)
        if (distinct[codes] == "").any():
            return None
        names[what] = (distinct, codes)
    lookup = _criterion_lookup(criteria)
    distinct, codes = names["criterion"]
    to_criterion = np.array([-1 if (c := _find_criterion(lookup, str(t))) is None else c for t in distinct])
    c = to_criterion[codes]
    if (c < 0).any():
        return None
    p, participant_codes = first_seen(names["participant"][1])
    i, priority_codes = first_seen(names["priority"][1])
    n_p, n_i, n_c = participant_codes.size, priority_codes.size, len(criteria)
    cell = (p * n_i + i) * n_c + c
    if np.bincount(cell, minlength=n_p * n_i * n_c).max() > 1:
        return None  # somebody scored a cell twice
    score_texts, score_codes = cells(score_col)
    values = np.full(score_texts.size, np.nan)
    for k, text_ in enumerate(score_texts):
        if text_:
            if not _NUMBER.fullmatch(text_) or not np.isfinite(float(text_)):
                if (score_codes == k).any():
                    return None
                continue
            values[k] = float(text_)
    value = values[score_codes]
    lo = np.array([crit.scale_min if crit.has_scale else -np.inf for crit in criteria])[c]
    hi = np.array([crit.scale_max if crit.has_scale else np.inf for crit in criteria])[c]
    if ((value < lo) | (value > hi)).any():
        return None

    def labels(col: int | None, owner: np.ndarray, n_owners: int) -> list[str] | None:
        """Each owner's one non-blank label (group of a participant, theme of a
        priority), "" if none, or None if some owner has two."""
        if col is None:
            return [""] * n_owners
        distinct, codes = cells(col)
        given = distinct[codes] != ""
        pairs = np.flatnonzero(np.bincount(owner[given] * distinct.size + codes[given]))
        owners = pairs // distinct.size
        if np.unique(owners).size != owners.size:
            return None
        out = [""] * n_owners
        for o, label in zip(owners, distinct[pairs % distinct.size], strict=True):
            out[o] = str(label)
        return out

    groups = labels(group_col, p, n_p)
    themes = labels(theme_col, i, n_i)
    if groups is None or themes is None:
        return None
    scores = np.full((n_p, n_i, n_c), np.nan)
    scores.reshape(-1)[cell] = value
    priority_names = names["priority"][0][priority_codes]
    priorities = tuple(Priority(str(name), theme) for name, theme in zip(priority_names, themes, strict=True))
    participants = tuple(str(name) for name in names["participant"][0][participant_codes])
    return ScoreSet(priorities, criteria, scores, participants, tuple(groups))


# --------------------------------------------------------------------------- pairwise and allocations


def _judgement(table: Table, row: Row, text: str, column: str) -> float:
    """A pairwise judgement: a number or a fraction such as ``1/3``."""
    where = f"judgement against {column!r}"
    if _NUMBER.fullmatch(text):
        return float(text)
    match = _FRACTION.fullmatch(text)
    if match is None:
        raise table.error(row, f"{where} must be a number or a fraction such as 1/3, not {text!r}")
    if float(match.group(2)) == 0:
        raise table.error(row, f"{where} divides by zero: {text!r}")
    return float(Fraction(match.group(1)) / Fraction(match.group(2)))


def read_pairwise(source: Source) -> tuple[tuple[str, ...], np.ndarray]:
    """Criterion names and the square matrix of an AHP pairwise file.

    Rows may come in any order; they are put in the header's order.  The
    matrix is not checked for reciprocity here (``ranking.weights.ahp`` does).
    """
    table = _read_table(source, "pairwise")
    names = table.header[1:]
    if not names:
        raise RankingInputError(f"{table.label}: the header needs a corner cell then one column per criterion")
    for col, name in enumerate(names, 2):
        if not name:
            raise RankingInputError(f"{table.label} row 1: column {col} has no criterion name")
        if name in names[: col - 2]:
            raise RankingInputError(f"{table.label} row 1: criterion {name!r} appears twice")
    matrix = np.full((len(names), len(names)), np.nan)
    found: dict[str, int] = {}
    for row in table.rows:
        name = _name(table, row, 0, "criterion name (first cell)")
        if name not in names:
            raise table.error(row, f"criterion {name!r} is not in the header row")
        if name in found:
            raise table.error(row, f"criterion {name!r} appears again (first at row {found[name]})")
        found[name] = row.number
        i = names.index(name)
        for j, column in enumerate(names):
            text = row.cells[j + 1]
            if not text:
                raise table.error(row, f"judgement against {column!r} is blank")
            matrix[i, j] = _judgement(table, row, text, column)
    missing = [name for name in names if name not in found]
    if missing:
        raise RankingInputError(f"{table.label}: no row for criterion {missing[0]!r}")
    return tuple(names), matrix


def _points(table: Table, row: Row, text: str, criterion: str) -> float:
    if not text:
        return 0.0
    if not _NUMBER.fullmatch(text) or float(text) < 0 or not np.isfinite(float(text)):
        raise table.error(row, f"points for criterion {criterion!r} must be a non-negative number, not {text!r}")
    return float(text)


def read_allocations(source: Source, criteria: Sequence[Criterion]) -> np.ndarray:
    """Participants' point allocations across the criteria: (participants, criteria).

    Rows are participants in first-seen order; columns follow ``criteria``.
    """
    criteria = tuple(criteria)
    table = _read_table(source, "allocations")
    participant_col = table.column("participant")
    table.require_rows("allocations")
    lookup = _criterion_lookup(criteria)
    participants: dict[str, int] = {}
    rows: list[list[float]] = []
    if "criterion" in table.keys:
        criterion_col = table.column("criterion")
        points_col = table.column("points")
        first: dict[tuple[int, int], int] = {}
        for row in table.rows:
            participant = _name(table, row, participant_col, "participant")
            c = _row_criterion(table, row, criterion_col, lookup)
            if participant not in participants:
                participants[participant] = len(rows)
                rows.append([0.0] * len(criteria))
            p = participants[participant]
            if (p, c) in first:
                raise table.error(
                    row,
                    f"participant {participant!r} allocated points to criterion {criteria[c].name!r} again "
                    f"(first at row {first[p, c]})",
                )
            first[p, c] = row.number
            rows[p][c] = _points(table, row, row.cells[points_col], criteria[c].name)
    else:
        columns: dict[int, int] = {}
        for col, heading in enumerate(table.header):
            if col == participant_col or table.keys[col] == "group":
                continue
            c = _find_criterion(lookup, heading)
            if c is None:
                raise RankingInputError(f"{table.label} row 1: unknown criterion {heading!r}")
            columns[c] = col
        for row in table.rows:
            participant = _name(table, row, participant_col, "participant")
            if participant in participants:
                raise table.error(row, f"participant {participant!r} appears again")
            participants[participant] = len(rows)
            rows.append(
                [_points(table, row, row.cells[columns[c]], crit.name) if c in columns else 0.0
                 for c, crit in enumerate(criteria)]
            )
    return np.array(rows, dtype=float)


__all__ = [
    "Bounds",
    "CriterionRow",
    "PriorityRow",
    "ScaleDescriptor",
    "Source",
    "StakeholderGroup",
    "read_allocations",
    "read_criteria",
    "read_criterion_rows",
    "read_groups",
    "read_pairwise",
    "read_priorities",
    "read_priority_rows",
    "read_scores",
]
