"""Converters between database rows and the frozen dataclasses of ``workshop.models``."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from dataclasses import MISSING, fields
from typing import Any, TypeVar

from sqlalchemy import Row

from ranking.consensus_rule import Band
from ranking.methods import RankingOptions
from ranking.model import Direction
from ranking.robustness import RobustnessOptions
from workshop.decision import Measurement
from workshop.models import (
    BallotRule,
    ConsensusSettings,
    Criterion,
    Departure,
    FeedbackSettings,
    FeedbackSplit,
    Round,
    RoundKind,
    RoundState,
)

T = TypeVar("T")


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


def _band(start: float | None, end: float | None) -> Band | None:
    return None if start is None or end is None else Band(start, end)


def _consensus(row: Row[Any]) -> ConsensusSettings:
    """The workshop's consensus rule (migration FIRST_VERSION_WITH_CONSENSUS_RULE; NULL bands: the thirds)."""
    return ConsensusSettings(
        in_share=row.consensus_in_share,
        against_share=row.consensus_against_share,
        high_band=_band(row.consensus_high_from, row.consensus_high_to),
        low_band=_band(row.consensus_low_from, row.consensus_low_to),
    )


def _consensus_columns(consensus: ConsensusSettings) -> dict[str, Any]:
    high, low = consensus.high_band, consensus.low_band
    return {
        "consensus_in_share": consensus.in_share,
        "consensus_against_share": consensus.against_share,
        "consensus_high_from": high.low if high else None,
        "consensus_high_to": high.high if high else None,
        "consensus_low_from": low.low if low else None,
        "consensus_low_to": low.high if low else None,
    }


def _ballot_rule(row: Row[Any]) -> BallotRule:
    return BallotRule(row.ballot_rule)


def from_row(cls: type[T], row: Row[Any], **converted: Any) -> T:
    """A ``cls`` whose fields are the row's columns of the same name, except the ``converted`` ones;
    a field with a default that the row has no column for takes its default."""
    return _from_mapping(cls, row._mapping, **converted)


def _from_mapping(cls: type[T], mapping: Mapping[str, Any], **converted: Any) -> T:
    values = {
        f.name: converted[f.name] if f.name in converted else mapping[f.name]
        for f in fields(cls)
        if f.name in converted or f.name in mapping or f.default is MISSING
    }
    return cls(**values)


def _criterion(row: Row[Any]) -> Criterion:
    """The criterion a row holds, made once per distinct row (``_criterion_of``)."""
    return _criterion_of(tuple(row._fields), tuple(row))


@functools.lru_cache(maxsize=4096)
def _criterion_of(columns: tuple[str, ...], values: tuple[Any, ...]) -> Criterion:
    """Every save reads its workshop's criteria to check the score's scale, and building a Criterion (its
    descriptors' JSON, the engine's checks of it) was a sixth of a save's time in a room of 300
    (bench/RESULTS.md).  A row with the same columns and values makes the same frozen Criterion, so
    one is shared; the row itself is still read from the database every time."""
    row = dict(zip(columns, values, strict=True))
    descriptors = tuple(json.loads(row["descriptors"]))
    return _from_mapping(Criterion, row, direction=Direction(row["direction"]), descriptors=descriptors)


def _round(row: Row[Any], priority_ids: tuple[int, ...]) -> Round:
    feedback = FeedbackSettings(
        FeedbackSplit(row.feedback_split), bool(row.feedback_preselect), bool(row.ask_why_changed)
    )
    return from_row(
        Round, row, kind=RoundKind(row.kind), state=RoundState(row.state), priority_ids=priority_ids, feedback=feedback
    )


def _feedback_columns(settings: FeedbackSettings) -> dict[str, Any]:
    """The rounds columns that hold its feedback settings (migration FIRST_VERSION_WITH_FEEDBACK)."""
    return {
        "feedback_split": settings.split.value,
        "feedback_preselect": settings.preselect,
        "ask_why_changed": settings.ask_why,
    }


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
