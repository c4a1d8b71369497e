"""Converters between database rows and the frozen dataclasses of ``workshop.models``."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import Row

from ranking.methods import RankingOptions
from ranking.model import Direction
from ranking.robustness import RobustnessOptions
from workshop.decision import Measurement
from workshop.models import Criterion, Departure, Round, RoundKind, RoundState


def _ranking(row: Row[Any]) -> RankingOptions:
    return RankingOptions(
        method=row.ranking_method, aggregation=row.ranking_aggregation, balance_groups=bool(row.ranking_balanced)
    )


def _ranking_columns(ranking: RankingOptions) -> dict[str, Any]:
    """The workshops columns that hold its ranking options (normalisation follows the method)."""
    return {
        "ranking_method": ranking.method.value,
        "ranking_aggregation": ranking.aggregation.value,
        "ranking_balanced": ranking.balance_groups,
    }


#: RobustnessOptions field → its workshops column (migration 3).
_ROBUSTNESS_COLUMNS = {
    "sampling": "smaa_sampling",
    "samples": "smaa_samples",
    "seed": "smaa_seed",
    "concentration": "smaa_concentration",
    "resamples": "bootstrap_resamples",
    "bootstrap_seed": "bootstrap_seed",
}


def _robustness(row: Row[Any]) -> RobustnessOptions:
    return RobustnessOptions(**{name: getattr(row, column) for name, column in _ROBUSTNESS_COLUMNS.items()})


def _robustness_columns(robustness: RobustnessOptions) -> dict[str, Any]:
    values = {column: getattr(robustness, name) for name, column in _ROBUSTNESS_COLUMNS.items()}
    values["smaa_sampling"] = robustness.sampling.value
    return values


def _criterion(row: Row[Any]) -> Criterion:
    return Criterion(
        id=row.id,
        position=row.position,
        name=row.name,
        description=row.description,
        direction=Direction(row.direction),
        scale_min=row.scale_min,
        scale_max=row.scale_max,
        descriptors=tuple(json.loads(row.descriptors)),
        weight=row.weight,
    )


def _round(row: Row[Any], priority_ids: tuple[int, ...]) -> Round:
    return Round(
        id=row.id,
        workshop_id=row.workshop_id,
        number=row.number,
        title=row.title,
        kind=RoundKind(row.kind),
        state=RoundState(row.state),
        priority_ids=priority_ids,
        pick_count=row.pick_count,
        created_at=row.created_at,
        opened_at=row.opened_at,
        closed_at=row.closed_at,
        revealed_at=row.revealed_at,
    )


def _computed_order(measured: Measurement | None) -> Callable[[Departure], tuple[int, int, str]]:
    """Departures in the computed order (as ``workshop.decision.departures`` lists them), then from outside."""
    place = {p.priority_id: n for n, p in enumerate(measured.priorities)} if measured is not None else {}
    return lambda d: (place.get(d.priority_id, len(place)), d.computed_rank or 10**9, d.name)


def _item(
    decision_id: int, priority_id: int, name: str, position: int | None, rationale: str, departure: Departure | None
) -> dict[str, Any]:
    return dict(
        decision_id=decision_id,
        priority_id=priority_id,
        name=name,
        position=position,
        rationale=rationale,
        computed_rank=departure.computed_rank if departure else None,
        departure_reason=departure.reason if departure else None,
    )
