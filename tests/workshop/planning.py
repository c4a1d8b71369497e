"""A decided workshop with a plan, for the plan's tests: priorities A, B and C agreed (A 5, B 4, C 3 on Need)."""

from __future__ import annotations

from datetime import date

from tests.deciding import decide
from tests.workshop.conftest import Made, scored_room
from workshop.models import Better, IndicatorSpec
from workshop.service import WorkshopService

BASE, TARGET = date(2011, 3, 31), date(2012, 3, 31)  # 366 days: the end of 2011-Q3 is half way


def decided_room(service: WorkshopService) -> Made:
    """The small workshop, one scoring round answered by three people (``scored_room``), A, B and C agreed."""
    made = scored_room(service)
    by_name = {p.name: p.id for p in made.workshop.priorities}
    decide(service, made.key, made.id, made.scoring_round, [by_name[f"Priority {c}"] for c in "ABC"])
    return made


def indicator(
    name: str, priority: str, lead: str = "NHS", better: Better = Better.LOWER, **kw: object
) -> IndicatorSpec:
    """A lower-is-better indicator 40 → 30 (higher: 50 → 60) from 2011-03-31 to 2012-03-31."""
    low = better is Better.LOWER
    values = dict(baseline=40.0 if low else 50.0, target=30.0 if low else 60.0) | kw
    return IndicatorSpec(
        name,
        priority,
        better,
        values["baseline"],  # type: ignore[arg-type]
        BASE,
        values["target"],  # type: ignore[arg-type]
        TARGET,
        unit=str(kw.get("unit", "per 1,000")),
        baseline_source="Illustrative",
        lead=lead,
    )


def standard_plan() -> tuple[IndicatorSpec, ...]:
    return (
        indicator("NI 112 Under-18 conception rate", "Priority A"),
        indicator("NI 117 16-18 year olds NEET", "Priority A", lead="Council"),
        indicator("NI 56 Obesity in Year 6", "Priority B"),
        indicator("NI 75 Five good GCSEs", "Priority C", lead="Council", better=Better.HIGHER),
    )
