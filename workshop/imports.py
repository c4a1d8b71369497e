"""Reading priorities, criteria and groups from CSV or XLSX files.

Parsing never stops at the first problem: every row is checked and every
problem is reported with its spreadsheet row number (the header is row 1),
so the facilitator can fix the file in one go.  Nothing is stored here; the
service stores a list only when it has no errors.

Columns (header names are case-insensitive; spaces count as underscores):

* priorities: ``priority`` (or ``name``), ``theme``, ``description``, ``evidence``
* criteria: ``criterion`` (or ``name``), ``weight`` (default 1), ``direction``
  (benefit/cost, default benefit), ``min``/``max`` (whole numbers, default
  1..5), ``description``, ``descriptor_1`` … (one per scale point, from the
  minimum up)
* groups: ``group`` (or ``name``), ``description``

The sample workshop (``data/sample``) is read with the same parsers.
"""

from __future__ import annotations

import csv
import io
import tomllib
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import Generic, TypeVar

from workshop.errors import InvalidInput
from workshop.models import (
    DEFAULT_SHORTLIST_SIZE,
    MAX_CRITERIA,
    MAX_GROUPS,
    MAX_PRIORITIES,
    MAX_SCALE_POINTS,
    CriterionSpec,
    GroupSpec,
    PrioritySpec,
    WorkshopDetails,
    WorkshopSetup,
)

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_SHEET_ROWS = 10_000
MAX_SHEET_COLUMNS = 100
MAX_UNZIPPED_BYTES = 20 * 1024 * 1024
NOT_A_WORKBOOK = "The file could not be read as an Excel workbook (.xlsx)."
SAMPLE_DIR = Path(__file__).resolve().parents[1] / "data" / "sample"

T = TypeVar("T")


@dataclass(frozen=True)
class RowError:
    row: int | None  # spreadsheet row (header = 1); None for the file as a whole
    message: str

    def __str__(self) -> str:
        return self.message if self.row is None else f"Row {self.row}: {self.message}"


@dataclass(frozen=True)
class Parsed(Generic[T]):
    items: tuple[T, ...]
    errors: tuple[RowError, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class ImportResult:
    """What an import did: ``applied`` is False when there were errors, in
    which case nothing was changed."""

    what: str  # "priorities" or "criteria"
    count: int
    errors: tuple[RowError, ...]
    applied: bool


@dataclass(frozen=True)
class _Table:
    header: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]  # (row number, column -> text), blank rows dropped


def _column_name(text: str) -> str:
    return "_".join(str(text).strip().lower().split())


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _table(header: list[object], body: list[tuple[int, list[object]]]) -> _Table:
    names = tuple(_column_name(_cell_text(h)) for h in header)
    rows = []
    for number, cells in body:
        texts = [_cell_text(c) for c in cells]
        if any(texts):
            rows.append((number, {name: text for name, text in zip(names, texts, strict=False) if name}))
    return _Table(names, tuple(rows))


def _read_csv(data: bytes) -> _Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"The file is not UTF-8 text (byte 0x{data[exc.start]:02x} at position {exc.start}). "
            "Save it as 'CSV UTF-8' and try again."
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)  # a tie (none of them) means a comma
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise InvalidInput(f"The file could not be read as CSV: {exc}.") from None
    if not records:
        raise InvalidInput("The file is empty.")
    return _table(list(records[0]), [(n, list(r)) for n, r in enumerate(records[1:], start=2)])


def _unzipped_size(data: bytes) -> int:
    """What a workbook holds once unzipped, read from the zip directory
    without inflating anything."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise InvalidInput(NOT_A_WORKBOOK) from None


def _read_xlsx(data: bytes) -> _Table:
    from openpyxl import load_workbook

    if _unzipped_size(data) > MAX_UNZIPPED_BYTES:  # a small file can inflate to a huge sheet
        raise InvalidInput(
            f"The workbook unpacks to more than {MAX_UNZIPPED_BYTES // 1024 // 1024} MB; "
            "save only the sheet with the list and try again."
        )
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0].iter_rows(max_col=MAX_SHEET_COLUMNS, values_only=True)
            rows = [list(r) for r in islice(sheet, MAX_SHEET_ROWS + 1)]
        finally:
            book.close()
    except Exception:  # openpyxl raises many kinds of error for a damaged workbook, while opening or reading
        raise InvalidInput(NOT_A_WORKBOOK) from None
    if not rows:
        raise InvalidInput("The workbook's first sheet is empty.")
    return _table(rows[0], [(n, r) for n, r in enumerate(rows[1:], start=2)])


def _read(data: bytes, filename: str) -> _Table:
    """CSV or XLSX, told apart by content (an XLSX file is a zip archive)."""
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput(f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is 2 MB.")
    if not data.strip():
        raise InvalidInput("The file is empty.")
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(data)
    return _read_csv(data)


def _parse(
    data: bytes,
    filename: str,
    what: str,
    plural: str,
    name_columns: tuple[str, ...],
    limit: int,
    build: Callable[[dict[str, str], list[str]], T | None],
) -> Parsed[T]:
    """Shared frame: read, find the name column, build each row, then check
    duplicates and the row count."""
    try:
        table = _read(data, filename)
    except InvalidInput as exc:
        return Parsed((), (RowError(None, exc.message),))
    name_column = next((c for c in name_columns if c in table.header), None)
    if name_column is None:
        found = ", ".join(h for h in table.header if h) or "none"
        return Parsed((), (RowError(None, f"The file needs a '{name_columns[0]}' column (found: {found})."),))
    items: list[T] = []
    errors: list[RowError] = []
    first_row: dict[str, int] = {}
    for number, cells in table.rows:
        cells = {**cells, "name": cells.get(name_column, "")}
        name = cells["name"]
        if not name:
            errors.append(RowError(number, f"the {what} has no name."))
            continue
        key = name.casefold()
        if key in first_row:
            errors.append(RowError(number, f"'{name}' is already on row {first_row[key]}."))
            continue
        first_row[key] = number
        problems: list[str] = []
        try:
            item = build(cells, problems)
        except InvalidInput as exc:
            problems.append(exc.message)
            item = None
        errors += [RowError(number, p) for p in problems]
        if item is not None and not problems:
            items.append(item)
    if len(table.rows) > limit:
        errors.insert(0, RowError(None, f"The file has {len(table.rows)} {plural}; the limit is {limit}."))
    return Parsed(tuple(items), tuple(errors))


def _priority(cells: dict[str, str], problems: list[str]) -> PrioritySpec | None:
    return PrioritySpec(cells["name"], cells.get("theme", ""), cells.get("description", ""), cells.get("evidence", ""))


def _number(cells: dict[str, str], columns: tuple[str, ...], default: float, problems: list[str]) -> float:
    """The number in the first of ``columns`` present (a decimal comma is
    accepted), ``default`` when blank; a problem is recorded if it is not a number."""
    column = next((c for c in columns if c in cells), columns[0])
    text = cells.get(column, "")
    if not text:
        return default
    try:
        return float(text.replace(",", ".") if "." not in text else text)
    except ValueError:
        problems.append(f"{column}: '{text}' is not a number.")
        return default


def _whole(cells: dict[str, str], columns: tuple[str, ...], default: int, problems: list[str]) -> int:
    value = _number(cells, columns, float(default), problems)
    if not value.is_integer():
        problems.append(f"{columns[0]}: '{value:g}' is not a whole number.")
        return default
    return int(value)


def _criterion(cells: dict[str, str], problems: list[str]) -> CriterionSpec | None:
    weight = _number(cells, ("weight",), 1.0, problems)
    low = _whole(cells, ("min", "scale_min"), 1, problems)
    high = _whole(cells, ("max", "scale_max"), 5, problems)
    direction = cells.get("direction", "").lower() or "benefit"
    if direction not in ("benefit", "cost"):
        problems.append(f"direction: '{cells['direction']}' should be 'benefit' or 'cost'.")
    descriptors = {
        int(k.removeprefix("descriptor_")): v
        for k, v in cells.items()
        if k.startswith("descriptor_") and k.removeprefix("descriptor_").isdigit()
    }
    points = high - low + 1
    if points > MAX_SCALE_POINTS:
        problems.append(
            f"Criterion '{cells['name']}': a scale of {low}..{high} has {points} points; "
            f"the limit is {MAX_SCALE_POINTS}."
        )
        return None
    beyond = sorted(n for n, text in descriptors.items() if text and n > points)
    if beyond and high > low:
        problems.append(f"descriptor_{beyond[0]} is filled in, but the scale {low}..{high} has only {points} points.")
    if problems:
        return None
    return CriterionSpec(
        cells["name"],
        cells.get("description", ""),
        direction,
        low,
        high,
        tuple(descriptors.get(n, "") for n in range(1, points + 1)),
        weight,
    )


def _group(cells: dict[str, str], problems: list[str]) -> GroupSpec | None:
    return GroupSpec(cells["name"], cells.get("description", ""))


def parse_priorities(data: bytes, filename: str = "") -> Parsed[PrioritySpec]:
    return _parse(data, filename, "priority", "priorities", ("priority", "name"), MAX_PRIORITIES, _priority)


def parse_criteria(data: bytes, filename: str = "") -> Parsed[CriterionSpec]:
    return _parse(data, filename, "criterion", "criteria", ("criterion", "name"), MAX_CRITERIA, _criterion)


def parse_groups(data: bytes, filename: str = "") -> Parsed[GroupSpec]:
    """Stakeholder groups, one per row.  A file with a heading and no group is a
    mistake (a workshop without groups is made by giving no file), so it is refused."""
    parsed = _parse(data, filename, "group", "groups", ("group", "name"), MAX_GROUPS, _group)
    if parsed.ok and not parsed.items:
        return Parsed((), (RowError(None, "The file lists no groups: put one group per row under a 'group' heading."),))
    return parsed


def sample_setup(folder: Path = SAMPLE_DIR, weighting_round: bool = False) -> WorkshopSetup:
    """The sample workshop: ``priorities.csv``, ``criteria.csv``,
    ``groups.csv`` and ``workshop.toml`` (title, organisation,
    shortlist_size, description, optional date) from ``folder``."""
    names = ("workshop.toml", "priorities.csv", "criteria.csv", "groups.csv")
    missing = [n for n in names if not (folder / n).is_file()]
    if missing:
        raise InvalidInput(f"The sample workshop in {folder} is incomplete: {', '.join(missing)} missing.")
    try:
        meta = tomllib.loads((folder / "workshop.toml").read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{folder / 'workshop.toml'} could not be read: {exc}") from None
    priorities = parse_priorities((folder / "priorities.csv").read_bytes(), "priorities.csv")
    criteria = parse_criteria((folder / "criteria.csv").read_bytes(), "criteria.csv")
    groups = parse_groups((folder / "groups.csv").read_bytes(), "groups.csv")
    problems = tuple(
        f"{name}: {error}"
        for name, parsed in (("priorities.csv", priorities), ("criteria.csv", criteria), ("groups.csv", groups))
        for error in parsed.errors
    )
    if problems:
        raise InvalidInput(f"The sample workshop in {folder} has errors: {problems[0]}", problems)
    event_date = meta.get("date")
    return WorkshopSetup(
        details=WorkshopDetails(
            title=str(meta.get("title", "")),
            organisation=str(meta.get("organisation", "")),
            date=event_date if isinstance(event_date, date) else None,
            description=str(meta.get("description", "")),
        ),
        priorities=priorities.items,
        criteria=criteria.items,
        groups=groups.items,
        shortlist_size=meta.get("shortlist_size", DEFAULT_SHORTLIST_SIZE),
        weighting_round=weighting_round,
    )
