"""The status rule of a plan's indicators: on track, behind, off track or no data; and the trajectory to chart.

The rule (README "Indicators and their status"; ARCHITECTURE.md §3).  An indicator has a
baseline (value, date), a target (value, date) and a direction (higher or lower is better).  Its
*trajectory* is the straight line from the baseline to the target: on a date ``d``

    expected(d) = baseline + (target − baseline) · clamp((d − baseline date) / (target date − baseline date), 0, 1)

so it holds at the baseline before the baseline date and at the target after the target date.
Its *latest* value is the actual of the latest period (read on the period's last day,
``ranking.periods.Period.end``).  With ``planned = |target − baseline|`` and every difference
taken in the better direction (higher-is-better as it is, lower-is-better with its sign turned):

* **on track** when the latest value is at or beyond the line on its date, allowing a shortfall of
  up to ``tolerance × planned`` (``StatusSettings.tolerance``, default 0: exactly on the line is on
  track, any shortfall is not);
* **behind** when it is short of that but has moved the right way *since the baseline* by more than
  ``progress × planned`` (``StatusSettings.progress``, default 0: any improvement at all);
* **off track** when it has not: no change from the baseline, or a change the wrong way;
* **no data** when the indicator has no actual value.

Progress is measured against the baseline, not against the previous period: the line starts at
the baseline, and one poor quarter after three good ones should read "behind", not "off track"
(the previous value is kept in the assessment, so a report can still say that it fell back).

A priority's status is the worst of its indicators' statuses (off track, then behind, then on
track), over the indicators that have data; it is "no data" only when none of them has any
(``priority_status``; ``PriorityStatusCount`` says how many had none).

Floating point: "at the line" allows ``1e-9 × max(1, |baseline|, |target|)``, so a value typed
exactly on the line is on track whatever the rounding of the line's arithmetic.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ranking.model import RankingInputError
from ranking.periods import Period

_RELATIVE_EPSILON = 1e-9


class Better(StrEnum):
    """Which way an indicator improves."""

    HIGHER = "higher"
    LOWER = "lower"

    @classmethod
    def parse(cls, value: object) -> Better:
        """ "higher", "lower", "Higher is better" (any case); else a RankingInputError."""
        text = str(value.value if isinstance(value, Better) else value or "").strip().lower()
        try:
            return cls(text.removesuffix(" is better").strip())
        except ValueError:
            raise RankingInputError(f"which way is better must be 'higher' or 'lower', not {value!r}") from None

    @property
    def sign(self) -> int:
        return 1 if self is Better.HIGHER else -1

    @property
    def label(self) -> str:
        return f"{self.value} is better"


class IndicatorStatus(StrEnum):
    ON_TRACK = "on track"
    BEHIND = "behind"
    OFF_TRACK = "off track"
    NO_DATA = "no data"

    @property
    def severity(self) -> int:
        """0 on track, 1 behind, 2 off track; no data is -1 (below them all: it never wins "worst of")."""
        return _SEVERITY[self]


_SEVERITY = {
    IndicatorStatus.NO_DATA: -1,
    IndicatorStatus.ON_TRACK: 0,
    IndicatorStatus.BEHIND: 1,
    IndicatorStatus.OFF_TRACK: 2,
}


@dataclass(frozen=True)
class StatusSettings:
    """The rule's thresholds, as shares of the planned change ``|target − baseline|``."""

    tolerance: float = 0.0  # how far short of the line a value may be and still be on track
    progress: float = 0.0  # how far it must have moved the right way from the baseline to be behind, not off track

    def __post_init__(self) -> None:
        for name in ("tolerance", "progress"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                raise RankingInputError(f"the {name} must be a number, not {value!r}")
            if not 0 <= value <= 1:
                raise RankingInputError(
                    f"the {name} must be between 0 and 1 (a share of the planned change), not {value:g}"
                )


DEFAULT_STATUS_SETTINGS = StatusSettings()


@dataclass(frozen=True)
class IndicatorPlan:
    """What the status rule needs of an indicator: its baseline, target and direction."""

    baseline: float
    baseline_date: date
    target: float
    target_date: date
    direction: Better

    def __post_init__(self) -> None:
        for name in ("baseline", "target"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                raise RankingInputError(f"the {name} must be a number, not {value!r}")
        if self.target_date <= self.baseline_date:
            raise RankingInputError(
                f"the target date ({self.target_date.isoformat()}) must be after the baseline date "
                f"({self.baseline_date.isoformat()})"
            )
        if self.direction.sign * (self.target - self.baseline) < 0:
            raise RankingInputError(
                f"the target ({self.target:g}) is worse than the baseline ({self.baseline:g}) when "
                f"{self.direction.label}"
            )

    @property
    def planned(self) -> float:
        """The planned change, baseline to target (never negative)."""
        return abs(self.target - self.baseline)

    @property
    def epsilon(self) -> float:
        return _RELATIVE_EPSILON * max(1.0, abs(self.baseline), abs(self.target))


@dataclass(frozen=True)
class Reading:
    """One period's actual value."""

    period: Period
    value: float


@dataclass(frozen=True)
class Assessment:
    """An indicator's status and the working behind it (every figure None when there is no data).

    ``gap``: the latest value minus the line, in the better direction (≥ 0: at or beyond the line);
    ``progress``: the change since the baseline in the better direction (> 0: moved the right way);
    ``previous``: the reading before the latest, if any."""

    status: IndicatorStatus
    latest: Reading | None
    expected: float | None
    gap: float | None
    progress: float | None
    previous: Reading | None
    readings: int  # how many readings were assessed (up to the period asked for)


@dataclass(frozen=True)
class TrajectoryPoint:
    on: date
    value: float


def expected(plan: IndicatorPlan, on: date) -> float:
    """The trajectory's value on a date: the straight line from baseline to target, held flat outside it."""
    span = (plan.target_date - plan.baseline_date).days
    share = min(1.0, max(0.0, (on - plan.baseline_date).days / span))
    if share == 1.0:
        return plan.target
    return plan.baseline + (plan.target - plan.baseline) * share


def trajectory(plan: IndicatorPlan, periods: Sequence[Period] = ()) -> tuple[TrajectoryPoint, ...]:
    """The line to chart: the baseline, the expected value at the end of each period, the target, by date."""
    points = {plan.baseline_date: plan.baseline, plan.target_date: plan.target}
    for period in periods:
        points.setdefault(period.end, expected(plan, period.end))
    return tuple(TrajectoryPoint(on, points[on]) for on in sorted(points))


def assess(
    plan: IndicatorPlan,
    readings: Sequence[Reading],
    settings: StatusSettings = DEFAULT_STATUS_SETTINGS,
    upto: Period | None = None,
) -> Assessment:
    """An indicator's status from its readings (those up to and including ``upto``, when given)."""
    kept = sorted((r for r in readings if upto is None or not upto < r.period), key=lambda r: r.period.sort_key())
    if not kept:
        return Assessment(IndicatorStatus.NO_DATA, None, None, None, None, None, 0)
    latest = kept[-1]
    previous = kept[-2] if len(kept) > 1 else None
    sign = plan.direction.sign
    line = expected(plan, latest.period.end)
    gap = sign * (latest.value - line)
    progress = sign * (latest.value - plan.baseline)
    if gap >= -(settings.tolerance * plan.planned) - plan.epsilon:
        status = IndicatorStatus.ON_TRACK
    elif progress > settings.progress * plan.planned + plan.epsilon:
        status = IndicatorStatus.BEHIND
    else:
        status = IndicatorStatus.OFF_TRACK
    return Assessment(status, latest, line, gap, progress, previous, len(kept))


@dataclass(frozen=True)
class PriorityStatusCount:
    """A priority's status (``priority_status``) and how many of its indicators had each status."""

    status: IndicatorStatus
    on_track: int
    behind: int
    off_track: int
    no_data: int


def priority_status(statuses: Sequence[IndicatorStatus]) -> PriorityStatusCount:
    """The worst of the indicators' statuses that have data; no data only when none has any."""
    worst = max(statuses, key=lambda s: s.severity, default=IndicatorStatus.NO_DATA)
    count = {s: sum(1 for x in statuses if x is s) for s in IndicatorStatus}
    return PriorityStatusCount(
        worst,
        count[IndicatorStatus.ON_TRACK],
        count[IndicatorStatus.BEHIND],
        count[IndicatorStatus.OFF_TRACK],
        count[IndicatorStatus.NO_DATA],
    )
