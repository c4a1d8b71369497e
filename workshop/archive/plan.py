"""The plan in the archive (from format ``PLAN_SINCE``): indicators by name, their actuals, the status settings.

The document's ``"plan"`` is null (no indicators and the default settings) or::

    {"settings": {"tolerance", "progress"},
     "indicators": [{"name", "priority", "better", "unit", "baseline", "baseline_date": "YYYY-MM-DD",
                     "baseline_source", "target", "target_date", "lead", "note",
                     "actuals": [[period, value, commentary, updated_at: T, updated_by]]}]}

A priority and a lead are named by name; ``updated_by`` is "facilitator" or "lead".  Leads' links
are credentials, so like the facilitator key they are left out: a restored workshop's leads get new
links.  Checks (``check_plan``): every indicator as ``workshop.models.plan.indicator_problems``
checks it against the latest decision's shortlist and the groups, every actual's period and author,
no period twice and no mix of quarters and months in one indicator.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import msgspec

from ranking.indicator_status import DEFAULT_STATUS_SETTINGS, StatusSettings
from ranking.model import RankingInputError
from workshop.archive.document import PlanDoc, part_since
from workshop.archive.model import (
    FACILITATOR_ACTOR,
    LEAD_ACTOR,
    PLAN_SINCE,
    ArchivedActual,
    ArchivedIndicator,
    ArchivedPlan,
    ArchiveError,
)
from workshop.errors import InvalidInput
from workshop.models import ActualSpec, IndicatorSpec, Period, indicator_problems, parse_period

if TYPE_CHECKING:
    from collections.abc import Callable

    from workshop.archive.model import WorkshopArchive
    from workshop.store import Transaction

#: Who may have written an actual (``workshop.service.plan``).
ACTUAL_AUTHORS = (FACILITATOR_ACTOR, LEAD_ACTOR)


# --------------------------------------------------------------------------- the store's side


def read_plan(tx: Transaction, workshop_id: int) -> ArchivedPlan | None:
    """The workshop's plan for the archive; None when it has no indicators and the default settings."""
    indicators = tx.indicators(workshop_id)
    settings = tx.plan_settings(workshop_id)
    if not indicators and settings == DEFAULT_STATUS_SETTINGS:
        return None
    actuals = tx.actuals(workshop_id)
    return ArchivedPlan(
        settings,
        tuple(
            ArchivedIndicator(
                i.spec(),
                tuple(
                    ArchivedActual(a.period.label, a.value, a.commentary, a.updated_at, a.updated_by)
                    for a in sorted((a for a in actuals if a.indicator_id == i.id), key=lambda a: a.period)
                ),
            )
            for i in indicators
        ),
    )


def restore_plan(tx: Transaction, workshop_id: int, plan: ArchivedPlan | None) -> None:
    """Write the archive's plan into the restored workshop (checked already by ``check_plan``)."""
    if plan is None:
        return
    if plan.settings != DEFAULT_STATUS_SETTINGS:
        tx.set_plan_settings(workshop_id, plan.settings)
    priority = {p.name.casefold(): p.id for p in tx.priorities(workshop_id)}  # as ``indicator_problems`` matches
    group = {g.name.casefold(): g.id for g in tx.groups(workshop_id)}
    placed = [
        (s, priority[s.priority.casefold()], group[s.lead.casefold()] if s.lead else None)
        for s in (i.spec for i in plan.indicators)
    ]
    tx.save_indicators(workshop_id, placed)
    ids = {i.name: i.id for i in tx.indicators(workshop_id)}
    for item in plan.indicators:
        for a in item.actuals:
            tx.save_actual(
                ids[item.spec.name], Period.parse(a.period), a.value, a.commentary, a.updated_at, a.updated_by
            )


# --------------------------------------------------------------------------- checks


def check_plan(archive: WorkshopArchive) -> None:
    """Refuse a plan the service could not have written, naming the indicator."""
    plan = archive.plan
    if plan is None:
        return
    agreed = [c.priority for c in archive.decisions[-1].shortlist] if archive.decisions else []
    if plan.indicators and not agreed:
        raise ArchiveError("The plan: it has indicators but the archive records no decision.")
    specs = [i.spec for i in plan.indicators]
    # The shortlist's names are as recorded; the priorities' as they are now (the same while setup is locked).
    names = {p.name for p in archive.setup.priorities}
    for index, problem in indicator_problems(
        specs, [n for n in agreed if n in names], [g.name for g in archive.setup.groups]
    ):
        raise ArchiveError(f"Indicator {index + 1}: {problem}" if index >= 0 else f"The plan: {problem}")
    for n, item in enumerate(plan.indicators, start=1):
        kinds, seen = set(), set()
        for m, a in enumerate(item.actuals, start=1):
            where = f"Indicator {n}, actual {m}"
            with _naming(where):
                period = parse_period(a.period)
                ActualSpec(0, a.period, a.value, a.commentary)
            if a.updated_by not in ACTUAL_AUTHORS:
                authors = ", ".join(f"'{x}'" for x in ACTUAL_AUTHORS)
                raise ArchiveError(f"{where}: 'updated_by' must be one of {authors}, not '{a.updated_by[:40]}'.")
            if period in seen:
                raise ArchiveError(f"{where}: {period.label} is given twice.")
            seen.add(period)
            kinds.add(period.kind)
            if len(kinds) > 1:
                raise ArchiveError(f"{where}: an indicator's actuals are all quarters or all months.")
            if a.updated_at < archive.created_at:
                raise ArchiveError(f"{where}: it was updated before the workshop was created.")


class _naming:
    """Turn a model's InvalidInput into an ArchiveError saying where it is."""

    def __init__(self, where: str) -> None:
        self.where = where

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> bool:
        if isinstance(exc, InvalidInput) and not isinstance(exc, ArchiveError):
            raise ArchiveError(f"{self.where}: {exc.message}") from None
        return False


# --------------------------------------------------------------------------- the document


def plan_document(plan: ArchivedPlan | None) -> dict[str, object] | None:
    if plan is None:
        return None
    return {
        "settings": {"tolerance": plan.settings.tolerance, "progress": plan.settings.progress},
        "indicators": [
            {
                "name": s.name,
                "priority": s.priority,
                "better": s.direction.value,
                "unit": s.unit,
                "baseline": s.baseline,
                "baseline_date": s.baseline_date.isoformat(),
                "baseline_source": s.baseline_source,
                "target": s.target,
                "target_date": s.target_date.isoformat(),
                "lead": s.lead,
                "note": s.note,
                "actuals": [
                    [a.period, a.value, a.commentary, a.updated_at.isoformat(), a.updated_by] for a in i.actuals
                ],
            }
            for i, s in ((i, i.spec) for i in plan.indicators)
        ],
    }


def _day(text: str, where: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ArchiveError(f"{where} must be a date like 2011-03-31, not '{text[:20]}'.") from None


def plan_from_document(
    doc: PlanDoc | msgspec.UnsetType | None, version: int, time: Callable[[str, str], datetime]
) -> ArchivedPlan | None:
    """The archive's plan; None before format ``PLAN_SINCE``, which had none."""
    doc = part_since(doc, version, PLAN_SINCE, "The archive: 'plan' is missing (null when the workshop has no plan).")
    if doc is None:
        return None
    try:
        settings = StatusSettings(doc.settings.tolerance, doc.settings.progress)
    except RankingInputError as exc:
        raise ArchiveError(f"The plan's settings: {exc}.") from None
    indicators = []
    for n, i in enumerate(doc.indicators, start=1):
        where = f"Indicator {n}"
        with _naming(where):
            spec = IndicatorSpec(
                i.name,
                i.priority,
                i.better,  # type: ignore[arg-type]  (IndicatorSpec parses and names a bad one)
                i.baseline,
                _day(i.baseline_date, f"{where}: 'baseline_date'"),
                i.target,
                _day(i.target_date, f"{where}: 'target_date'"),
                i.unit,
                i.baseline_source,
                i.lead,
                i.note,
            )
        actuals = tuple(
            ArchivedActual(period, value, commentary, time(at, f"{where}, actual {m}: the time"), by)
            for m, (period, value, commentary, at, by) in enumerate(i.actuals, start=1)
        )
        indicators.append(ArchivedIndicator(spec, actuals))
    return ArchivedPlan(settings, tuple(indicators))
