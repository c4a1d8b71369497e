"""The plan after the workshop: agreed priorities' indicators, their actuals per period, leads' links.

``IndicatorSpec`` and ``ActualSpec`` are what a facilitator (or a lead) types or imports; they
check their own fields and raise ``InvalidInput`` naming the indicator.  ``Indicator``, ``Actual``
and ``LeadLink`` are what the store hands back; ``Plan`` is a workshop's whole plan, and
``PlanStatus`` its status by the one rule of ``ranking.indicator_status`` (made by
``workshop.progress.plan_status``).  ARCHITECTURE.md §3 ("The plan").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from ranking.indicator_status import (
    DEFAULT_STATUS_SETTINGS,
    Assessment,
    Better,
    IndicatorPlan,
    IndicatorStatus,
    PriorityStatusCount,
    StatusSettings,
)
from ranking.model import RankingInputError
from ranking.periods import Period, PeriodKind
from ranking.plan_io import IndicatorRow
from workshop.errors import InvalidInput
from workshop.models.setup import _name, _set, _text, finite_number, plain_text
from workshop.models.workshop import MAX_NAME_LENGTH, Priority

MAX_INDICATORS = 100  # in one workshop's plan
#: A lead's link is the app's ``LEAD_PATH`` page with the token as ``LEAD_TOKEN_PARAMETER``:
#: ``lead?lead=TOKEN`` (the app's page reads the same parameter, ``ui.state.Q_LEAD``).
LEAD_PATH = "lead"
LEAD_TOKEN_PARAMETER = "lead"
MAX_UNIT_LENGTH = 60


def _better(value: object, what: str) -> Better:
    try:
        return Better.parse(value)
    except RankingInputError as exc:
        raise InvalidInput(f"{what}: {exc}.") from None


def _date(value: object, what: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidInput(f"The {what} must be a date, not {value!r}.")
    return value


def parse_period(text: object, what: str = "period") -> Period:
    """A period label ("2012-Q1", "2012-03") as a Period, or InvalidInput saying what is wrong."""
    try:
        return Period.parse(str(text if text is not None else ""))
    except RankingInputError as exc:
        raise InvalidInput(f"The {what}: {exc}.") from None


@dataclass(frozen=True)
class IndicatorSpec(IndicatorRow):
    """An indicator as typed or imported: ``ranking.plan_io.IndicatorRow``'s fields, each checked.
    ``priority`` names an agreed priority and ``lead`` one of the workshop's stakeholder groups
    (checked by the service, which knows them); names are unique in a workshop's plan (ignoring
    case), so a file of actuals can name the indicator alone."""

    def __post_init__(self) -> None:
        name = _name(self.name, "indicator")
        what = f"Indicator '{name}'"
        _set(self, "name", name)
        priority = plain_text(self.priority, f"priority of '{name}'")
        if not priority:
            raise InvalidInput(f"{what}: give the agreed priority it measures.")
        _set(self, "priority", priority)
        _set(self, "direction", _better(self.direction, what))
        _set(self, "baseline", finite_number(self.baseline, f"baseline of '{name}'"))
        _set(self, "target", finite_number(self.target, f"target of '{name}'"))
        _set(self, "baseline_date", _date(self.baseline_date, f"baseline date of '{name}'"))
        _set(self, "target_date", _date(self.target_date, f"target date of '{name}'"))
        _set(self, "unit", _text(self.unit, f"unit of '{name}'", MAX_UNIT_LENGTH))
        _set(self, "baseline_source", _text(self.baseline_source, f"baseline source of '{name}'", MAX_NAME_LENGTH))
        _set(self, "lead", _text(self.lead, f"lead partner of '{name}'"))
        _set(self, "note", _text(self.note, f"note on '{name}'"))
        try:
            _ = self.plan
        except RankingInputError as exc:
            raise InvalidInput(f"{what}: {exc}.") from None


def indicator_problems(
    specs: Sequence[IndicatorSpec], agreed: Sequence[str], groups: Sequence[str]
) -> list[tuple[int, str]]:
    """What is wrong with a list of indicators in a workshop: (index in ``specs``, sentence) for a
    name given twice (ignoring case), a priority that is not agreed, a lead that is not one of the
    workshop's groups (or none, when it has groups), and a list longer than ``MAX_INDICATORS``."""
    problems: list[tuple[int, str]] = []
    if len(specs) > MAX_INDICATORS:
        problems.append((-1, f"The plan has {len(specs)} indicators; the limit is {MAX_INDICATORS}."))
    agreed_names = {name.casefold(): name for name in agreed}
    group_names = {name.casefold(): name for name in groups}
    seen: dict[str, int] = {}
    for index, spec in enumerate(specs):
        what = f"Indicator '{spec.name}'"
        first = seen.setdefault(spec.name.casefold(), index)
        if first != index:
            problems.append((index, f"{what} is given twice (indicator names are unique in a plan)."))
        if spec.priority.casefold() not in agreed_names:
            listed = "; ".join(agreed) or "none has been recorded yet"
            problems.append((index, f"{what}: '{spec.priority}' is not one of the agreed priorities ({listed})."))
        if spec.lead and spec.lead.casefold() not in group_names:
            listed = "; ".join(groups) or "this workshop has none"
            problems.append((index, f"{what}: the lead partner '{spec.lead}' is not a stakeholder group ({listed})."))
        elif not spec.lead and groups:
            problems.append(
                (index, f"{what}: give the lead partner, one of the stakeholder groups ({'; '.join(groups)}).")
            )
    return problems


@dataclass(frozen=True)
class ActualSpec:
    """One period's value of an indicator, with the lead's optional commentary.  ``period`` is kept
    as its label ("2012-Q1", "2012-03"), normalised (``2012q1`` → ``2012-Q1``)."""

    indicator_id: int
    period: str
    value: float
    commentary: str = ""

    def __post_init__(self) -> None:
        _set(self, "period", parse_period(self.period).label)
        _set(self, "value", finite_number(self.value, f"value for {self.period}"))
        _set(self, "commentary", _text(self.commentary, f"commentary for {self.period}"))

    @property
    def parsed_period(self) -> Period:
        return Period.parse(self.period)


@dataclass(frozen=True)
class Indicator:
    id: int
    priority_id: int
    priority: str  # the priority's name
    position: int
    name: str
    unit: str
    direction: Better
    baseline: float
    baseline_date: date
    baseline_source: str
    target: float
    target_date: date
    lead_group_id: int | None
    lead: str  # the lead partner's group name ("" when none)
    note: str

    @property
    def plan(self) -> IndicatorPlan:
        return IndicatorPlan(self.baseline, self.baseline_date, self.target, self.target_date, self.direction)

    def spec(self) -> IndicatorSpec:
        """The indicator as a spec again (for the editable grid and the archive)."""
        return IndicatorSpec(
            self.name,
            self.priority,
            self.direction,
            self.baseline,
            self.baseline_date,
            self.target,
            self.target_date,
            self.unit,
            self.baseline_source,
            self.lead,
            self.note,
        )


@dataclass(frozen=True)
class Actual:
    indicator_id: int
    period: Period
    value: float
    commentary: str
    updated_at: datetime
    updated_by: str  # "facilitator" or "lead:<priority id>"


@dataclass(frozen=True)
class LeadLink:
    """A lead's link for one agreed priority: ``token`` only when just issued (the store keeps a hash)."""

    priority_id: int
    priority: str
    issued_at: datetime
    token: str = field(default="", repr=False)


@dataclass(frozen=True)
class Plan:
    """A workshop's plan: its agreed priorities (in the decision's order), their indicators and
    actuals, the status rule's settings, and the stakeholder groups a lead may be."""

    workshop_id: int
    title: str
    agreed: tuple[Priority, ...]
    indicators: tuple[Indicator, ...]
    actuals: tuple[Actual, ...]
    settings: StatusSettings = DEFAULT_STATUS_SETTINGS
    groups: tuple[str, ...] = ()

    def indicators_of(self, priority_id: int) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.priority_id == priority_id)

    def actuals_of(self, indicator_id: int) -> tuple[Actual, ...]:
        """The indicator's actuals, oldest period first."""
        return tuple(sorted((a for a in self.actuals if a.indicator_id == indicator_id), key=lambda a: a.period))

    @property
    def periods(self) -> tuple[Period, ...]:
        """Every period with an actual, oldest first."""
        return tuple(sorted({a.period for a in self.actuals}))

    @property
    def latest_period(self) -> Period | None:
        """The latest period with any actual (None: no actuals yet)."""
        return max((a.period for a in self.actuals), default=None)

    def indicator(self, indicator_id: int) -> Indicator | None:
        return next((i for i in self.indicators if i.id == indicator_id), None)


@dataclass(frozen=True)
class IndicatorProgress:
    indicator: Indicator
    actuals: tuple[Actual, ...]  # up to the period assessed, oldest first
    assessment: Assessment

    @property
    def status(self) -> IndicatorStatus:
        return self.assessment.status

    @property
    def commentary(self) -> str:
        """The lead's commentary on the latest period assessed ("" if none)."""
        return self.actuals[-1].commentary if self.actuals else ""


@dataclass(frozen=True)
class PriorityProgress:
    priority: Priority
    indicators: tuple[IndicatorProgress, ...]
    count: PriorityStatusCount

    @property
    def status(self) -> IndicatorStatus:
        return self.count.status


@dataclass(frozen=True)
class PlanStatus:
    """The plan's status up to a period (None: every actual), by ``ranking.indicator_status``."""

    upto: Period | None
    settings: StatusSettings
    priorities: tuple[PriorityProgress, ...]

    def indicator(self, indicator_id: int) -> IndicatorProgress | None:
        found = (i for p in self.priorities for i in p.indicators if i.indicator.id == indicator_id)
        return next(found, None)


@dataclass(frozen=True)
class LeadView:
    """What a lead's link shows: the workshop, their one priority and its indicators' progress."""

    workshop_id: int
    workshop_title: str
    progress: PriorityProgress
    settings: StatusSettings


__all__ = [
    "LEAD_PATH",
    "LEAD_TOKEN_PARAMETER",
    "MAX_INDICATORS",
    "MAX_UNIT_LENGTH",
    "Actual",
    "ActualSpec",
    "Assessment",
    "Better",
    "Indicator",
    "IndicatorProgress",
    "IndicatorSpec",
    "IndicatorStatus",
    "LeadLink",
    "LeadView",
    "Period",
    "PeriodKind",
    "Plan",
    "PlanStatus",
    "PriorityProgress",
    "StatusSettings",
    "indicator_problems",
    "parse_period",
]
