"""Reading a plan's indicators and their actual values from tables (CSV, or a workbook's cells), row by row.

The same pattern as ``ranking.io``'s setup files (``check_*`` returns every problem with its
spreadsheet row, the header being row 1; column names are matched ignoring case, spaces read as
underscores; a file with only a header row is refused, since it would change nothing):

* indicators: ``indicator`` (or ``name``), ``priority``, ``better`` (or ``direction``: higher or
  lower, "higher is better" too), ``baseline``, ``baseline_date``, ``target``, ``target_date``,
  ``[unit]``, ``[baseline_source]`` (or ``source``), ``[lead]`` (or ``lead_partner``), ``[note]``.
  Dates are ISO (2011-03-31) or day/month/year (31/03/2011).  Names are unique ignoring case.
* actuals: ``indicator``, ``period`` (2012-Q1 or 2012-03), ``value``, ``[commentary]``; one row per
  indicator and period.  A period given as a date (a spreadsheet turns "2012-03" into 1 March 2012)
  is that date's month.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from ranking.indicator_status import Better, IndicatorPlan
from ranking.io import Checked, FileProblem, Problem, Row, Source, Table, _check_rows, _decimal, _read_table, _Refused
from ranking.model import RankingInputError
from ranking.periods import Period

_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_DAY_OF_MONTH = re.compile(r"(\d{4})-(\d{2})-\d{2}(?:[T ][\d:.]*)?")  # a workbook's date cell, "2012-03-01T00:00:00"


@dataclass(frozen=True)
class IndicatorRow:
    """An indicator's fields, as a file's row gives them: the one list of them
    (``workshop.models.IndicatorSpec`` is these fields checked for a workshop)."""

    name: str
    priority: str
    direction: Better
    baseline: float
    baseline_date: date
    target: float
    target_date: date
    unit: str = ""
    baseline_source: str = ""
    lead: str = ""
    note: str = ""

    @property
    def plan(self) -> IndicatorPlan:
        """The indicator's line from baseline to target, for ``ranking.indicator_status.assess``."""
        return IndicatorPlan(self.baseline, self.baseline_date, self.target, self.target_date, self.direction)


@dataclass(frozen=True)
class ActualRow:
    indicator: str
    period: Period
    value: float
    commentary: str


def parse_date(text: str, what: str) -> date:
    """ISO (2011-03-31, a workbook's 2011-03-31T00:00:00) or day/month/year (31/03/2011)."""
    cleaned = text.strip()
    try:
        if m := _DMY.fullmatch(cleaned):
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return date.fromisoformat(cleaned.split("T", 1)[0].split(" ", 1)[0])
    except ValueError:
        raise _Refused(f"{what} must be a date such as 2011-03-31 or 31/03/2011, not {text!r}") from None


def _number(table: Table, text: str, what: str) -> float:
    if not text:
        raise _Refused(f"{what} is blank")
    value = _decimal(table, text)
    if value is None:
        raise _Refused(f"{what} must be a number, not {text!r}")
    return value


def _better(text: str) -> Better:
    try:
        return Better.parse(text)
    except RankingInputError:
        raise _Refused(f"better must be 'higher' or 'lower', not {text!r}") from None


def check_indicators(source: Source | Table) -> Checked[IndicatorRow]:
    """Every row of an indicators file checked (see the module docstring)."""

    def prepare(table: Table) -> Callable[[Row, str], IndicatorRow]:
        required = {
            "priority": table.column("priority"),
            "better": table.column("better", "direction"),
            "baseline": table.column("baseline"),
            "baseline_date": table.column("baseline_date"),
            "target": table.column("target"),
            "target_date": table.column("target_date"),
        }
        optional = {
            "unit": table.optional_column("unit"),
            "baseline_source": table.optional_column("baseline_source", "source"),
            "lead": table.optional_column("lead", "lead_partner"),
            "note": table.optional_column("note"),
        }

        def build(row: Row, name: str) -> IndicatorRow:
            cell = {k: row.cells[c] for k, c in required.items()}
            extra = {k: row.cells[c] if c is not None else "" for k, c in optional.items()}
            if not cell["priority"]:
                raise _Refused("priority is blank")
            return IndicatorRow(
                name,
                cell["priority"],
                _better(cell["better"]),
                _number(table, cell["baseline"], "baseline"),
                parse_date(cell["baseline_date"], "baseline_date"),
                _number(table, cell["target"], "target"),
                parse_date(cell["target_date"], "target_date"),
                **extra,
            )

        return build

    return _check_rows(source, "indicators", "indicator", "indicators", ("indicator", "name"), prepare)


def check_actuals(source: Source | Table) -> Checked[ActualRow]:
    """Every row of an actuals file checked (see the module docstring)."""
    label = source.label if isinstance(source, Table) else "actuals"
    try:
        table = _read_table(source, label)
        columns = (table.column("indicator", "name"), table.column("period"), table.column("value"))
        commentary = table.optional_column("commentary", "comment")
    except FileProblem as exc:
        return Checked(label, (), (), (exc.problem,))
    if not table.rows:
        message = "the file has no actual values, only a header row, so nothing was changed"
        return Checked(table.label, (), (), (Problem(None, message),))
    items: list[ActualRow] = []
    numbers: list[int] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, Period], int] = {}
    for row in table.rows:
        name, period_text, value_text = (row.cells[c] for c in columns)
        try:
            if not name:
                raise _Refused("indicator is blank")
            try:
                day = _DAY_OF_MONTH.fullmatch(period_text)
                period = Period.parse(f"{day[1]}-{day[2]}" if day else period_text)
            except RankingInputError as exc:
                raise _Refused(str(exc)) from None
            value = _number(table, value_text, "value")
            first = seen.setdefault((name.casefold(), period), row.number)
            if first != row.number:
                raise _Refused(f"{name!r} {period.label} is given again (first at row {first})")
            text = row.cells[commentary] if commentary is not None else ""
            items.append(ActualRow(name, period, value, text))
            numbers.append(row.number)
        except _Refused as exc:
            problems.append(Problem(row.number, str(exc)))
    return Checked(table.label, tuple(items), tuple(numbers), tuple(problems))
