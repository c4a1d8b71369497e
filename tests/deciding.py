"""Recording a decision in tests: the reasons for whatever departures a chosen
shortlist makes from a round's computed top k, found from the round's
results as the facilitator sees them (not from ``workshop.decision``)."""

from __future__ import annotations

from collections.abc import Sequence

from workshop.models import DecisionDraft, DepartureReason, ShortlistEntry
from workshop.results import RankingRoundResults, ScoringResults
from workshop.service import WorkshopService


def computed_top(service: WorkshopService, key: str, round_id: int, k: int) -> set[int]:
    """Priority ids of every scored priority ranked k or better in the round."""
    found = service.results(key, round_id)
    if isinstance(found, RankingRoundResults):
        return {p.id for p, r in zip(found.tally.priorities, found.tally.ranks, strict=True) if r <= k}
    assert isinstance(found, ScoringResults)
    ids = {p.name: p.id for p in service.workshop_by_id(found.round.workshop_id).priorities}
    ranking = found.ranking
    return {
        ids[name]
        for name, rank, score in zip(ranking.names, ranking.ranks, ranking.scores, strict=True)
        if rank <= k and score == score
    }


def reasons_for(
    service: WorkshopService, key: str, round_id: int, chosen: Sequence[int], k: int, reason: str = "Agreed."
) -> tuple[DepartureReason, ...]:
    top = computed_top(service, key, round_id, k)
    return tuple(DepartureReason(pid, reason) for pid in sorted(top ^ set(chosen)))


def decide(
    service: WorkshopService,
    key: str,
    workshop_id: int,
    round_id: int,
    chosen: Sequence[int],
    decided_by: str = "Chair",
    rationale: str = "Most need.",
    note: str = "",
) -> DecisionDraft:
    """Record ``chosen`` against ``round_id`` with a reason for every departure; return the draft."""
    draft = DecisionDraft(
        tuple(ShortlistEntry(pid, rationale) for pid in chosen),
        decided_by=decided_by,
        reasons=reasons_for(service, key, round_id, chosen, len(chosen)),
        round_id=round_id,
        note=note,
    )
    service.record_decision(key, workshop_id, draft)
    return draft
