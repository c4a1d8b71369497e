"""The quarterly performance report's content: every figure it states, computed once from a plan and a period.

``performance_content`` reads a ``Plan`` (``workshop.models.plan``) as it stood at the end of one
reporting period: each indicator's status through the one rule (``workshop.progress.plan_status``,
so the report says what the facilitator's and the lead's pages say), its latest value against the
trajectory on that date, and the lead's commentary on it; then the same up to the period before,
so the report can put the changes since the last period first.  The HTML, Word and Excel files
render this content and compute nothing again (``performance_report``).

The period reported is the one asked for, else the latest period with any actual value.  "The
last period" is the period before it of the same kind (2012-Q1 → 2011-Q4).  A change is an
indicator whose status differs between the two, or one that had a value reported in the period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ranking.indicator_status import IndicatorStatus, StatusSettings, priority_status
from ranking.periods import Period
from workshop.models.plan import IndicatorProgress, Plan, PlanStatus
from workshop.plan_words import against_line, number_text
from workshop.progress import plan_status

#: The rule in words (README "Indicators and their status"), with the thresholds filled in.
RULE = (
    "On track: the latest value is at or beyond the straight line from the baseline to the target on its date{tol}. "
    "Behind: short of that line but moved the right way since the baseline{prog}. Off track: not moved, or moved "
    "the wrong way. No data: no value yet. A priority's status is the worst of its indicators' that have data."
)


def rule_text(settings: StatusSettings) -> str:
    tol = f" (allowing a shortfall of {settings.tolerance:.0%} of the planned change)" if settings.tolerance else ""
    prog = f" by more than {settings.progress:.0%} of the planned change" if settings.progress else ""
    return RULE.format(tol=tol, prog=prog)


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator at the end of the period reported, and at the end of the period before."""

    priority: str
    name: str
    unit: str
    better: str  # "lower is better"
    lead: str
    baseline: float
    baseline_date: date
    baseline_source: str
    target: float
    target_date: date
    period: str | None  # the latest period with a value, up to the one reported (None: no data)
    value: float | None
    expected: float | None  # the trajectory on that period's last day
    gap: float | None  # value − line, in the better direction (≥ 0: at or beyond it)
    status: IndicatorStatus
    previous_status: IndicatorStatus  # at the end of the period before
    previous_value: float | None
    reported_now: bool  # a value was reported for the period itself
    commentary: str  # the lead's commentary on the latest value

    @property
    def changed(self) -> bool:
        return self.status is not self.previous_status

    @property
    def against_line(self) -> str:
        """ "41.2 against 40.9 on the line (0.3 short)", or "No value yet" (``plan_words.against_line``)."""
        return against_line(self.value, self.expected, self.gap, self.unit)

    @property
    def change_text(self) -> str:
        """What changed since the last period, in one sentence."""
        value = f"{number_text(self.value, self.unit)} in {self.period}" if self.value is not None else "no value"
        if self.changed:
            return f"{self.previous_status.value} → {self.status.value} ({value})"
        return f"still {self.status.value}; new value {value}"


@dataclass(frozen=True)
class PriorityLine:
    name: str
    status: IndicatorStatus
    previous_status: IndicatorStatus
    indicators: tuple[IndicatorLine, ...]


@dataclass(frozen=True)
class PerformanceContent:
    title: str  # the workshop's
    organisation: str
    period: Period | None  # None: the plan has no actual value yet
    previous: Period | None
    generated_at: datetime
    rule: str
    priorities: tuple[PriorityLine, ...]

    @property
    def indicators(self) -> tuple[IndicatorLine, ...]:
        return tuple(i for p in self.priorities for i in p.indicators)

    @property
    def changes(self) -> tuple[IndicatorLine, ...]:
        """Indicators whose status changed since the last period, then those with a new value only."""
        moved = [i for i in self.indicators if i.changed]
        return (*moved, *(i for i in self.indicators if i.reported_now and not i.changed))

    def count(self, status: IndicatorStatus) -> int:
        return sum(1 for i in self.indicators if i.status is status)

    @property
    def period_label(self) -> str:
        return self.period.label if self.period is not None else "no period yet"


def _by_id(status: PlanStatus) -> dict[int, IndicatorProgress]:
    return {i.indicator.id: i for p in status.priorities for i in p.indicators}


def performance_content(
    plan: Plan, organisation: str, generated_at: datetime, period: Period | None = None
) -> PerformanceContent:
    """The report for ``period`` (None: the latest period with any actual value)."""
    if period is None and plan.periods:
        period = plan.periods[-1]
    previous = period.previous() if period is not None else None
    now = plan_status(plan, period) if period is not None else plan_status(plan)
    before = _by_id(plan_status(plan, previous)) if previous is not None else {}
    lines = []
    for progress in now.priorities:
        rows = []
        for item in progress.indicators:
            i, a = item.indicator, item.assessment
            was = before.get(i.id)
            rows.append(
                IndicatorLine(
                    priority=i.priority,
                    name=i.name,
                    unit=i.unit,
                    better=i.direction.label,
                    lead=i.lead,
                    baseline=i.baseline,
                    baseline_date=i.baseline_date,
                    baseline_source=i.baseline_source,
                    target=i.target,
                    target_date=i.target_date,
                    period=a.latest.period.label if a.latest is not None else None,
                    value=a.latest.value if a.latest is not None else None,
                    expected=a.expected,
                    gap=a.gap,
                    status=item.status,
                    previous_status=was.status if was is not None else IndicatorStatus.NO_DATA,
                    previous_value=(
                        was.assessment.latest.value if was is not None and was.assessment.latest is not None else None
                    ),
                    reported_now=a.latest is not None and a.latest.period == period,
                    commentary=item.commentary,
                )
            )
        before_status = priority_status([r.previous_status for r in rows]).status
        lines.append(PriorityLine(progress.priority.name, progress.status, before_status, tuple(rows)))
    return PerformanceContent(
        title=plan.title,
        organisation=organisation,
        period=period,
        previous=previous,
        generated_at=generated_at,
        rule=rule_text(plan.settings),
        priorities=tuple(lines),
    )
