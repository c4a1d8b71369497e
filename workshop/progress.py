"""A plan's status by the one rule of ``ranking.indicator_status``: per indicator and agreed priority, up to a period.

Every screen and export that shows an indicator's status, its line or a priority's status reads it
from ``plan_status`` (ARCHITECTURE.md §3, "Readings"), so the lead's page, the facilitator's page and
the performance report cannot disagree.
"""

from __future__ import annotations

from ranking.indicator_status import Reading, assess, priority_status
from ranking.periods import Period
from workshop.models.plan import Indicator, IndicatorProgress, Plan, PlanStatus, PriorityProgress
from workshop.models.workshop import Priority


def indicator_progress(plan: Plan, indicator: Indicator, upto: Period | None = None) -> IndicatorProgress:
    """One indicator's actuals up to ``upto`` (all when None) and its assessment."""
    actuals = tuple(a for a in plan.actuals_of(indicator.id) if upto is None or not upto < a.period)
    readings = [Reading(a.period, a.value) for a in actuals]
    return IndicatorProgress(indicator, actuals, assess(indicator.plan, readings, plan.settings))


def priority_progress(plan: Plan, priority: Priority, upto: Period | None = None) -> PriorityProgress:
    """An agreed priority's indicators and its status: the worst of theirs (``priority_status``)."""
    indicators = tuple(indicator_progress(plan, i, upto) for i in plan.indicators_of(priority.id))
    return PriorityProgress(priority, indicators, priority_status([i.status for i in indicators]))


def plan_status(plan: Plan, upto: Period | None = None) -> PlanStatus:
    """Every agreed priority's progress, in the decision's order, up to ``upto`` (every actual when None)."""
    return PlanStatus(upto, plan.settings, tuple(priority_progress(plan, p, upto) for p in plan.agreed))
