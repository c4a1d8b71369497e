"""Reporting periods of a plan's indicators: calendar quarters ("2012-Q1") and months ("2012-03").

A period's value is read as measured on the period's last day (``Period.end``): that is the date
the status rule (``ranking.indicator_status``) reads the trajectory at.  Quarters are calendar
quarters (Q1 = January to March); a plan that reports by financial year labels its quarters by
their calendar months.  Periods order by their end, then quarters before months (never needed
within one indicator: an indicator's actuals are all quarters or all months).
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ranking.model import RankingInputError

_QUARTER = re.compile(r"(\d{4})\s*-?\s*Q([1-4])", re.IGNORECASE)
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
MIN_YEAR = 1900
MAX_YEAR = 2200


class PeriodKind(StrEnum):
    QUARTER = "quarter"
    MONTH = "month"


@functools.total_ordering
@dataclass(frozen=True)
class Period:
    """One reporting period; ``number`` is the quarter (1..4) or the month (1..12)."""

    year: int
    kind: PeriodKind
    number: int

    def __post_init__(self) -> None:
        top = 4 if self.kind is PeriodKind.QUARTER else 12
        if not (MIN_YEAR <= self.year <= MAX_YEAR and 1 <= self.number <= top):
            raise RankingInputError(f"{self.year}, {self.kind.value} {self.number} is not a period")

    @classmethod
    def parse(cls, text: str) -> Period:
        """ "2012-Q1" (also "2012Q1", "2012 q1") or "2012-03"; anything else is a RankingInputError."""
        cleaned = str(text).strip()
        if m := _QUARTER.fullmatch(cleaned):
            year, number, kind = int(m.group(1)), int(m.group(2)), PeriodKind.QUARTER
        elif (m := _MONTH.fullmatch(cleaned)) and 1 <= int(m.group(2)) <= 12:
            year, number, kind = int(m.group(1)), int(m.group(2)), PeriodKind.MONTH
        else:
            raise RankingInputError(
                f"the period must be a quarter such as '2012-Q1' or a month such as '2012-03', not {cleaned!r}"
            )
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise RankingInputError(f"the period's year must be between {MIN_YEAR} and {MAX_YEAR}, not {year}")
        return cls(year, kind, number)

    @property
    def label(self) -> str:
        """How the period is written everywhere: "2012-Q1" or "2012-03"."""
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year}-Q{self.number}"
        return f"{self.year}-{self.number:02d}"

    @property
    def start(self) -> date:
        month = 3 * self.number - 2 if self.kind is PeriodKind.QUARTER else self.number
        return date(self.year, month, 1)

    @property
    def end(self) -> date:
        """The period's last day: the date its value is read at."""
        month = 3 * self.number if self.kind is PeriodKind.QUARTER else self.number
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    def previous(self) -> Period:
        """The period before, of the same kind (2012-Q1 → 2011-Q4; 2012-01 → 2011-12)."""
        if self.number > 1:
            return Period(self.year, self.kind, self.number - 1)
        return Period(self.year - 1, self.kind, 4 if self.kind is PeriodKind.QUARTER else 12)

    def __str__(self) -> str:
        return self.label

    def sort_key(self) -> tuple[date, int]:
        return (self.end, 0 if self.kind is PeriodKind.QUARTER else 1)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self.sort_key() < other.sort_key()
