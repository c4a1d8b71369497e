"""Reading the priorities, criteria and groups a facilitator uploads (CSV or XLSX) into the workshop's specs.

The files' rules are ``ranking.io``'s (``check_criteria``, ``check_priorities``,
``check_groups``): one parser, used by ``python -m ranking`` too.  Here: reading
an upload (size limits, UTF-8, workbooks), the workshop's own rules (how many
rows, whole-number scales of at most 11 points, lengths of names and texts, in
the specs' validation), and every problem as a RowError with its spreadsheet
row (the header is row 1), so the facilitator can fix the file in one go.
Nothing is stored here; the service stores a list only when it has no errors.

The one default that differs from the command line: a criterion given without
``min`` and ``max`` is scored on ``APP_SCALE`` (1..5, a participant's slider
needs a scale) rather than the observed range, and the import says so in a note.

The sample workshop (``data/sample``) is read with the same parsers.
"""

from __future__ import annotations

import io
import tomllib
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Generic, TypeVar

from ranking.io import (
    Bounds,
    Checked,
    CriterionRow,
    FileProblem,
    Problem,
    Table,
    check_criteria,
    check_groups,
    check_priorities,
    table_from_cells,
    table_from_text,
)
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

# What an upload may cost (bench/hostile_uploads.py measures the worst cases): the work is bounded before it
# is done, so a small file cannot keep the Start page (which needs no key) busy for seconds or hundreds of MB.
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_SHEET_ROWS = 10_000  # rows read (blank ones included); the rest are not, and the file is refused as too long
MAX_SHEET_COLUMNS = 100  # a value past this column is refused
MAX_SHEET_CELLS = 100_000  # cells in the rows read
UPLOAD_BOUNDS = Bounds(rows=MAX_SHEET_ROWS + 1, columns=MAX_SHEET_COLUMNS, cells=MAX_SHEET_CELLS)  # + the header
MAX_UNZIPPED_BYTES = 20 * 1024 * 1024  # a workbook's parts, from its zip directory, before anything is inflated
MAX_WORKBOOK_PARTS = 1_000  # a list's workbook has a dozen or so
MAX_XML_TAGS = 250_000  # "<" in all the parts (sheet, shared strings...): openpyxl's work is about 1 µs a tag
MAX_STYLE_TAGS = 10_000  # in xl/styles.xml, which openpyxl reads whole at about 13 µs a cell format
STYLES = "xl/styles.xml"  # openpyxl's fixed path
NOT_A_WORKBOOK = "The file could not be read as an Excel workbook (.xlsx)."
SAMPLE_DIR = Path(__file__).resolve().parents[1] / "data" / "sample"
APP_SCALE = (1, 5)  # the scale of a criterion given without min and max

T = TypeVar("T")
S = TypeVar("S")


@dataclass(frozen=True)
class RowError:
    row: int | None  # spreadsheet row (header = 1); None for the file as a whole
    message: str

    def __str__(self) -> str:
        return self.message if self.row is None else f"Row {self.row}: {self.message}"


@dataclass(frozen=True)
class Parsed(Generic[T]):
    """A file's items, every error, and ``notes``: what the import assumed (e.g. a default scale)."""

    items: tuple[T, ...]
    errors: tuple[RowError, ...]
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class ImportResult:
    """What an import did: ``applied`` is False when there were errors, in
    which case nothing was changed; ``notes`` say what it assumed."""

    what: str  # "priorities" or "criteria"
    count: int
    errors: tuple[RowError, ...]
    applied: bool
    notes: tuple[str, ...] = ()


def _row_error(problem: Problem) -> RowError:
    """A parser's problem as a sentence: "Row 3: weight must be a number, not 'x'." """
    message = problem.message if problem.message.endswith(".") else problem.message + "."
    if problem.row is None:
        message = message[0].upper() + message[1:]
    return RowError(problem.row, message)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _row_text(values: tuple[object, ...]) -> list[str]:
    """A sheet's row as text, without the blank cells openpyxl pads it with up to ``max_col``."""
    end = len(values)
    while end and values[end - 1] is None:
        end -= 1
    return [_cell_text(value) for value in values[:end]]


def _read_csv(data: bytes, label: str) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"The file is not UTF-8 text (byte 0x{data[exc.start]:02x} at position {exc.start}). "
            "Save it as 'CSV UTF-8' and try again."
        ) from None
    return table_from_text(text, label, UPLOAD_BOUNDS)


def _tags(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limit: int) -> int:
    """The "<" in a part, inflated a MB at a time and no further than ``limit`` + 1."""
    count = 0
    with archive.open(member) as part:
        while count <= limit and (chunk := part.read(1 << 20)):
            count += chunk.count(b"<")
    return count


def _check_workbook(data: bytes) -> None:
    """Refuse a workbook whose parts would cost openpyxl seconds, before it opens them: their
    unzipped size (from the zip directory), their number, and the XML tags in them."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_WORKBOOK_PARTS:
                raise InvalidInput(
                    f"The workbook has {len(members):,} parts; the limit is {MAX_WORKBOOK_PARTS:,}. "
                    "Save only the sheet with the list in a new workbook and try again."
                )
            unzipped = sum(member.file_size for member in members)
            if unzipped > MAX_UNZIPPED_BYTES:  # a small file can inflate to a huge sheet
                raise InvalidInput(
                    f"The workbook unpacks to {unzipped / 1024 / 1024:.0f} MB; the limit is "
                    f"{MAX_UNZIPPED_BYTES // 1024 // 1024} MB. Save only the sheet with the list and try again."
                )
            tags = 0
            for member in members:
                if member.filename == STYLES and _tags(archive, member, MAX_STYLE_TAGS) > MAX_STYLE_TAGS:
                    raise InvalidInput(
                        f"The workbook's formatting ({STYLES}) has more than {MAX_STYLE_TAGS:,} XML tags; the "
                        f"limit is {MAX_STYLE_TAGS:,}. Copy the list into a new workbook and try again."
                    )
                tags += _tags(archive, member, MAX_XML_TAGS - tags)
                if tags > MAX_XML_TAGS:
                    raise InvalidInput(
                        f"The workbook has more than {MAX_XML_TAGS:,} XML tags (counted up to {member.filename}); "
                        f"the limit is {MAX_XML_TAGS:,}, about {MAX_XML_TAGS // 5:,} cells. "
                        "Save only the list in a new workbook and try again."
                    )
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError, RuntimeError, NotImplementedError):
        raise InvalidInput(NOT_A_WORKBOOK) from None  # not a zip, damaged, encrypted, an unknown compression


def _read_xlsx(data: bytes, label: str) -> Table:
    from openpyxl import load_workbook

    _check_workbook(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:  # one column past the bound, so that a value there is refused rather than dropped
            sheet = book.worksheets[0].iter_rows(max_col=MAX_SHEET_COLUMNS + 1, values_only=True)
            return table_from_cells((_row_text(r) for r in sheet), label, bounds=UPLOAD_BOUNDS)
        finally:
            book.close()
    except FileProblem:
        raise
    except Exception:  # openpyxl raises many kinds of error for a damaged workbook, while opening or reading
        raise InvalidInput(NOT_A_WORKBOOK) from None


def _read(data: bytes, filename: str) -> Table:
    """CSV or XLSX, told apart by content (an XLSX file is a zip archive)."""
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput(f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is 2 MB.")
    if not data.strip():
        raise InvalidInput("The file is empty.")
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(data, filename)
    return _read_csv(data, filename)


def _parse(
    data: bytes,
    filename: str,
    plural: str,
    limit: int,
    check: Callable[[Table], Checked[S]],
    spec: Callable[[S], T],
) -> Parsed[T]:
    """Read the upload, check its rows with ranking.io's parser, make each
    good row a spec (the spec's own validation adds the workshop's rules),
    and check the row count: every problem, in row order."""
    try:
        table = _read(data, filename)
    except InvalidInput as exc:
        return Parsed((), (RowError(None, exc.message),))
    except FileProblem as exc:
        return Parsed((), (_row_error(exc.problem),))
    checked = check(table)
    errors = [_row_error(p) for p in checked.problems]
    items: list[T] = []
    for number, item in zip(checked.rows, checked.items, strict=True):
        try:
            items.append(spec(item))
        except InvalidInput as exc:
            errors.append(RowError(number, exc.message))
    errors.sort(key=lambda e: e.row or 0)
    if len(table.rows) > limit:
        found = f"more than {MAX_SHEET_ROWS:,} rows" if table.cut_short else f"{len(table.rows)} {plural}"
        what = f"{limit} {plural}" if table.cut_short else f"{limit}"
        errors.insert(0, RowError(None, f"The file has {found}; the limit is {what}."))
    return Parsed(tuple(items), tuple(errors))


def _criterion_spec(row: CriterionRow) -> CriterionSpec:
    crit = row.criterion
    low, high = crit.scale_min, crit.scale_max
    descriptors: tuple[str, ...] = ()
    if low.is_integer() and high.is_integer() and high - low < MAX_SCALE_POINTS:  # else the spec refuses the scale
        by_score = {d.score: d.text for d in row.descriptors}
        descriptors = tuple(by_score.get(n, "") for n in range(int(low), int(high) + 1))
    return CriterionSpec(crit.name, crit.description, crit.direction, low, high, descriptors, crit.weight)


def parse_priorities(data: bytes, filename: str = "") -> Parsed[PrioritySpec]:
    return _parse(
        data, filename, "priorities", MAX_PRIORITIES, check_priorities,
        lambda row: PrioritySpec(
            row.priority.name,
            row.priority.theme,
            row.priority.description,
            row.evidence,
            row.plain_title,
            row.plain_sentence,
        ),
    )


def scale_note(names: list[str], scale: tuple[int, int] = APP_SCALE) -> str:
    """What the import assumed for the criteria given without min and max."""
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return (
        f"No min and max given for {listed}, so {'it is' if len(names) == 1 else 'they are'} scored on the "
        f"default scale {scale[0]}..{scale[1]}. To choose another scale, add min and max columns to the file."
    )


def parse_criteria(data: bytes, filename: str = "") -> Parsed[CriterionSpec]:
    """Criteria; those without min and max get ``APP_SCALE``, and a note says so."""
    assumed: list[str] = []

    def check(table: Table) -> Checked[CriterionRow]:
        checked = check_criteria(table, default_scale=APP_SCALE)
        assumed.extend(row.criterion.name for row in checked.items if not row.scale_given)
        return checked

    parsed = _parse(data, filename, "criteria", MAX_CRITERIA, check, _criterion_spec)
    return Parsed(parsed.items, parsed.errors, (scale_note(assumed),) if assumed and parsed.ok else ())


def parse_groups(data: bytes, filename: str = "") -> Parsed[GroupSpec]:
    """Stakeholder groups, one per row.  A file with a heading and no group is a
    mistake (a workshop without groups is made by giving no file), so it is refused."""
    return _parse(
        data, filename, "groups", MAX_GROUPS, check_groups, lambda group: GroupSpec(group.name, group.description)
    )


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
