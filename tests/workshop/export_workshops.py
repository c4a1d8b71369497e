"""Workshops for the export tests, built through the service as a room would
build them: participants join, rounds open, simulated scores are saved
cell by cell, rounds close, a decision is recorded.

``sample_room`` is the sample Children's Trust workshop (32 priorities,
5 criteria, 6 groups) with a weighting round, a scoring round, a follow-up
scoring round on the top 10 and a decision that departs from the computed
top 5.  The follow-up round is scored so that its order is known by
construction (``_score_in_order``), not read back from the engine: the
decision leaves out the priority ranked 5 and brings in the one ranked 7.
``hostile_room`` is a small workshop whose names are attacks: a spreadsheet
formula and a script tag.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ranking.simulate import simulate_allocations, simulate_room
from tests.deciding import reasons_for
from tests.workshop.conftest import small_setup
from workshop.imports import sample_setup
from workshop.models import (
    CriterionPoints,
    DecisionDraft,
    DepartureReason,
    PrioritySpec,
    RoundKind,
    ShortlistEntry,
    Workshop,
    WorkshopDetails,
)
from workshop.service import WorkshopService

FORMULA = '=HYPERLINK("http://x","y")'
SCRIPT = "<script>alert(1)</script>"


@dataclass(frozen=True)
class Room:
    workshop: Workshop
    key: str

    @property
    def id(self) -> int:
        return self.workshop.id


def _score_round(
    service: WorkshopService,
    key: str,
    workshop: Workshop,
    round_id: int,
    tokens: list[str],
    groups: list[str],
    seed: int,
) -> None:
    """Open the round, save a simulated room's scores cell by cell, close it."""
    rnd = next(r for r in service.workshop_by_id(workshop.id).rounds if r.id == round_id)
    priorities = [p for p in workshop.priorities if p.id in rnd.priority_ids]
    room = simulate_room(
        priorities,
        workshop.criteria,
        sorted(set(groups)),
        len(tokens),
        np.random.default_rng(seed),
        dont_know=0.05,
    )
    service.open_round(key, round_id)
    for p, token in enumerate(tokens):
        for i, priority in enumerate(priorities):
            for c, criterion in enumerate(workshop.criteria):
                value = room.scores[p, i, c]
                service.save_score(token, round_id, priority.id, criterion.id, None if np.isnan(value) else value)
    service.close_round(key, round_id)


def _score_in_order(
    service: WorkshopService, key: str, workshop: Workshop, round_id: int, tokens: list[str], ordered: list[int]
) -> None:
    """Open the round and score it so that ``ordered[j]`` ranks j + 1 under any weights and any
    method that respects the room's mean: participant q scores priority j as the scale's top minus
    ``(j + q) // n`` (n participants) on every criterion (mirrored on cost criteria), so each
    participant's scores never rise down the list and the room's total falls by exactly one a place."""
    service.open_round(key, round_id)
    n = len(tokens)
    for q, token in enumerate(tokens):
        for j, priority_id in enumerate(ordered):
            for criterion in workshop.criteria:
                value = criterion.scale_max - (j + q) // n
                if criterion.direction.value == "cost":
                    value = criterion.scale_min + criterion.scale_max - value
                service.save_score(token, round_id, priority_id, criterion.id, value)
    service.close_round(key, round_id)


def _join(service: WorkshopService, workshop: Workshop, count: int, seed: int) -> tuple[list[str], list[str]]:
    """``count`` participants spread over the groups; every third gives a name."""
    rng = np.random.default_rng(seed)
    names = [g.name for g in workshop.groups]
    groups = [names[n % len(names)] for n in rng.permutation(count)] if names else [""] * count
    tokens = [
        service.join(workshop.code, f"Real Name {n}" if n % 3 == 0 else None, group or None).token
        for n, group in enumerate(groups)
    ]
    return tokens, groups


def sample_room(service: WorkshopService, participants: int = 12, decide: bool = True) -> Room:
    workshop, key = service.create_workshop(sample_setup(weighting_round=True))
    tokens, groups = _join(service, workshop, participants, seed=3)
    weighting, scoring = workshop.rounds[0].id, workshop.rounds[1].id

    service.open_round(key, weighting)
    points = simulate_allocations(workshop.criteria, groups, np.random.default_rng(4))
    for token, row in zip(tokens, points, strict=True):
        service.save_allocation(
            token, weighting, [CriterionPoints(c.id, int(n)) for c, n in zip(workshop.criteria, row, strict=True)]
        )
    service.close_round(key, weighting)
    service.adopt_room_weights(key, weighting)

    _score_round(service, key, workshop, scoring, tokens, groups, seed=5)
    first = service.results(key, scoring)
    top10 = [p.id for p in workshop.priorities if p.name in first.ranking.top(10)][:10]
    followup = service.create_followup_round(key, scoring, top10)
    order = [p.name for p in workshop.priorities if p.id in top10][::-1]  # the follow-up's order, by construction
    by_name = {p.name: p.id for p in workshop.priorities}
    _score_in_order(service, key, workshop, followup.id, tokens, [by_name[n] for n in order])
    service.reveal_round(key, followup.id)

    if decide:
        chosen = [*order[:4], order[6]]  # ranks 1-4 and 7: rank 5 left out, rank 7 brought in
        service.record_decision(
            key,
            workshop.id,
            DecisionDraft(
                shortlist=tuple(ShortlistEntry(by_name[n], f"Chosen because {n} matters.") for n in chosen),
                decided_by="Chair of the Children's Trust board",
                reasons=(
                    DepartureReason(by_name[order[6]], "Partners agreed it is the route to the others."),
                    DepartureReason(by_name[order[4]], "Already resourced through the health plan."),
                ),
                round_id=followup.id,
                note="Vulnerable groups cut across all five.",
            ),
        )
    return Room(service.workshop_by_id(workshop.id), key)


def hostile_room(service: WorkshopService, participants: int = 6) -> Room:
    """A workshop whose names attack the exports, scored and decided."""
    base = small_setup(title=f"Board {SCRIPT} & =1+1")
    priorities = (
        PrioritySpec(FORMULA, theme="@theme", description="-2+3", evidence="+44 1234"),
        PrioritySpec(SCRIPT, theme="Theme <b>", description=f"Description {SCRIPT}", evidence='"quoted" & <i>'),
        *base.priorities[2:],
    )
    setup = type(base)(
        details=WorkshopDetails(base.details.title, "Org <img src=x onerror=alert(2)>", description=SCRIPT),
        priorities=priorities,
        criteria=base.criteria,
        groups=base.groups,
        shortlist_size=3,
    )
    workshop, key = service.create_workshop(setup)
    tokens, groups = _join(service, workshop, participants, seed=7)
    scoring = next(r.id for r in workshop.rounds if r.kind is RoundKind.SCORING)
    _score_round(service, key, workshop, scoring, tokens, groups, seed=8)
    by_name = {p.name: p.id for p in workshop.priorities}
    chosen = (by_name[FORMULA], by_name[SCRIPT], by_name["Priority C"])
    service.record_decision(
        key,
        workshop.id,
        DecisionDraft(
            shortlist=(
                ShortlistEntry(chosen[0], f"=cmd|' /C calc'!A0 {SCRIPT}"),
                ShortlistEntry(chosen[1], SCRIPT),
                ShortlistEntry(chosen[2], "Plain reason."),
            ),
            decided_by=f"@chair {SCRIPT}",
            reasons=reasons_for(service, key, scoring, chosen, 3, f"=HYPERLINK(1) {SCRIPT}"),
            round_id=scoring,
        ),
    )
    return Room(service.workshop_by_id(workshop.id), key)
