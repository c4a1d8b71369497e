"""Turning a round's stored answers into results (pure functions).

* Scoring rounds become an engine ``ScoreSet`` (participants who answered
  × the round's priorities × all criteria; NaN where a participant has not
  answered or said "don't know") ranked by ``ranking.rank``.
* Weighting rounds give the room's weights (``ranking.weights.
  allocation_weights``: each participant's allocation normalised, then
  averaged) and every participant's own weight vector.
* Ranking rounds are tallied by the workshop's ballot rule
  (``workshop.models.BallotRule``): the Borda count of ``ranking.ballots``
  (``BORDA_RULE``) or the group-fair rule of ``ranking.group_fair``
  (``GROUP_FAIR_RULE``); the other tally is kept beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np

from ranking.ballots import BORDA_RULE, borda_tally
from ranking.group_fair import GROUP_FAIR_RULE, GroupFairResult, group_fair_ballots
from ranking.methods import RankingOptions, RankingResult, rank
from ranking.model import ScoreSet, frozen_array
from ranking.ranks import display_order
from ranking.weights import allocation_weights, participant_weight_vectors
from workshop.decision import MeasuredPriority, Measurement
from workshop.errors import InvalidInput
from workshop.models import (
    AllocationRecord,
    BallotRule,
    Criterion,
    MyAllocation,
    MyRanking,
    MyScores,
    Participant,
    Priority,
    RankingRecord,
    Round,
    ScoreTable,
)


@dataclass(frozen=True, eq=False)
class ScoringResults:
    round: Round
    participants: tuple[Participant, ...]  # row p of score_set.scores is participants[p]
    score_set: ScoreSet
    ranking: RankingResult


@dataclass(frozen=True, eq=False)
class RoomWeights:
    criteria: tuple[Criterion, ...]
    weights: np.ndarray  # sums to 1, in the order of criteria
    responses: int


@dataclass(frozen=True, eq=False)
class WeightingResults:
    round: Round
    room: RoomWeights
    participants: tuple[Participant, ...]
    points: np.ndarray  # participants × criteria, as allocated
    own_weights: np.ndarray  # participants × criteria, each row summing to 1


@dataclass(frozen=True, eq=False)
class BordaTally:
    priorities: tuple[Priority, ...]
    points: np.ndarray  # mean Borda points per priority
    ranks: np.ndarray  # 1 = best; ties share the better rank
    first_choices: np.ndarray  # how many participants put each priority first
    ballots: int
    rule: str = BORDA_RULE
    score_label: str = "Mean Borda points"

    @property
    def order(self) -> list[int]:
        """Priority indices best first (ties by name)."""
        return display_order(self.ranks, tuple(p.name for p in self.priorities))


@dataclass(frozen=True, eq=False)
class RankingRoundResults:
    round: Round
    tally: BordaTally
    participants: tuple[Participant, ...]
    orderings: tuple[tuple[int, ...], ...]  # each participant's priority ids, best first
    #: The rule ``tally`` follows; the pooled Borda tally and the group-fair one, whichever is in use.
    ballot_rule: BallotRule = BallotRule.BORDA
    pooled: BordaTally | None = None
    group_fair: GroupFairResult | None = None


@dataclass(frozen=True, eq=False)
class ScoringView:
    """What a participant sees of a revealed scoring round."""

    round: Round
    ranking: RankingResult
    mine: MyScores


@dataclass(frozen=True, eq=False)
class WeightingView:
    round: Round
    room: RoomWeights
    mine: MyAllocation


@dataclass(frozen=True, eq=False)
class RankingView:
    round: Round
    tally: BordaTally
    mine: MyRanking


RoundResults = ScoringResults | WeightingResults | RankingRoundResults
ParticipantView = ScoringView | WeightingView | RankingView


def unique_labels(participants: Sequence[Participant]) -> tuple[str, ...]:
    """Participants' labels, with the join number added where two share a name."""
    labels = [p.label for p in participants]
    return tuple(
        f"{label} (#{p.number})" if labels.count(label) > 1 else label
        for label, p in zip(labels, participants, strict=True)
    )


def _positions(ids: np.ndarray, wanted: Sequence[int]) -> np.ndarray:
    """Each of ``ids``' position in ``wanted``, or -1 where it is not there."""
    if not wanted:
        return np.full(len(ids), -1)
    order = np.argsort(wanted)
    ordered = np.asarray(wanted)[order]
    at = np.searchsorted(ordered, ids).clip(max=len(wanted) - 1)
    return np.where(ordered[at] == ids, order[at], -1)


def build_score_set(
    priorities: Sequence[Priority],
    criteria: Sequence[Criterion],
    participants: Sequence[Participant],
    table: ScoreTable,
) -> ScoreSet:
    """The engine's participants × priorities × criteria array (NaN = no
    answer); cells of other participants or priorities are left out."""
    scores = np.full((len(participants), len(priorities), len(criteria)), np.nan)
    rows = _positions(table.participant_ids, [p.id for p in participants])
    columns = _positions(table.priority_ids, [p.id for p in priorities])
    layers = _positions(table.criterion_ids, [c.id for c in criteria])
    keep = (rows >= 0) & (columns >= 0) & (layers >= 0)
    scores[rows[keep], columns[keep], layers[keep]] = table.values[keep]
    return ScoreSet(
        priorities=tuple(priorities),
        criteria=tuple(criteria),
        scores=scores,
        participants=unique_labels(participants),
        groups=tuple(p.group or "" for p in participants),
    )


def scoring_results(
    rnd: Round,
    priorities: Sequence[Priority],
    criteria: Sequence[Criterion],
    participants: Sequence[Participant],
    table: ScoreTable,
    options: RankingOptions,
) -> ScoringResults:
    score_set = build_score_set(priorities, criteria, participants, table)
    if rnd.share is not None:  # a cell's answers are flagged as few below the share's minimum
        options = replace(options, min_responses=rnd.share.minimum)
    return ScoringResults(rnd, tuple(participants), score_set, rank(score_set, options))


def thin_priorities(results: ScoringResults) -> tuple[str, ...]:
    """The priorities of a round that gave each participant part of the list with fewer answers than its
    minimum on some criterion (in the computed order): too few to rank with confidence.  Empty for a round
    everyone answered in full, where a missing answer is a "don't know", not a planned gap."""
    if results.round.share is None:
        return ()
    ranking = results.ranking
    few = (ranking.aggregate.counts.min(axis=1) < results.round.share.minimum) & ranking.scored  # unscored: noted apart
    return tuple(ranking.names[i] for i in ranking.order if few[i])


def weighting_results(
    rnd: Round, criteria: Sequence[Criterion], participants: Sequence[Participant], records: Sequence[AllocationRecord]
) -> WeightingResults:
    """Room and individual weights.  ``participants`` are those who allocated
    (the service refuses allocations of zero points in total)."""
    p_index = {p.id: n for n, p in enumerate(participants)}
    c_index = {c.id: n for n, c in enumerate(criteria)}
    points = np.zeros((len(participants), len(criteria)))
    for r in records:
        points[p_index[r.participant_id], c_index[r.criterion_id]] = r.points
    names = tuple(c.name for c in criteria)
    room = RoomWeights(tuple(criteria), allocation_weights(points, names), len(participants))
    return WeightingResults(
        rnd, room, tuple(participants), frozen_array(points), frozen_array(participant_weight_vectors(points))
    )


def group_weights(result: WeightingResults, group: str) -> np.ndarray | None:
    """A stakeholder group's weights: the mean of its members' own (normalised)
    allocations, as the room's are of everyone's; None if nobody from it allocated."""
    rows = [n for n, p in enumerate(result.participants) if (p.group or "") == group]
    return result.own_weights[rows].mean(axis=0) if rows else None


class Basis(StrEnum):
    """What a stakeholder group's what-if ranking rests on."""

    SCORES = "the group's scores, the agreed weights"
    WEIGHTS = "everyone's scores, the group's weights"
    BOTH = "the group's scores and weights"


def group_ranking(
    scoring: ScoringResults, group: str, basis: Basis, weighting: WeightingResults | None
) -> RankingResult:
    """The ranking as one stakeholder group would have it (the room's options):
    on its members' scores, its weights (``group_weights``), or both."""
    score_set = scoring.score_set
    weights = None
    if basis is not Basis.SCORES:
        if weighting is None:
            raise InvalidInput("A group's own weights come from a weighting round that somebody answered.")
        weights = group_weights(weighting, group)
        if weights is None:
            raise InvalidInput(f"Nobody from {group} shared points in the weighting round.")
    if basis is not Basis.WEIGHTS:
        members = np.flatnonzero(np.array(score_set.groups, dtype=object) == group)
        if not members.size:
            raise InvalidInput(f"Nobody from {group} scored this round.")
        score_set = score_set.subset(members)
    return rank(score_set, scoring.ranking.options, weights=weights)


def orderings(participants: Sequence[Participant], records: Sequence[RankingRecord]) -> tuple[tuple[int, ...], ...]:
    """Each participant's ranked priority ids, best first."""
    by_participant: dict[int, list[RankingRecord]] = {p.id: [] for p in participants}
    for r in records:
        by_participant[r.participant_id].append(r)
    return tuple(
        tuple(r.priority_id for r in sorted(by_participant[p.id], key=lambda r: r.position)) for p in participants
    )


def borda(priorities: Sequence[Priority], ballots: Sequence[Sequence[int]]) -> BordaTally:
    """Tally ballots (priority ids, best first) by ``BORDA_RULE`` (``ranking.ballots``)."""
    index = {p.id: i for i, p in enumerate(priorities)}
    tally = borda_tally(len(priorities), [[index[pid] for pid in ballot] for ballot in ballots])
    return BordaTally(tuple(priorities), tally.points, tally.ranks, tally.first_choices, tally.ballots)


GROUP_FAIR_LABEL = "Group-fair points"


def group_fair(
    priorities: Sequence[Priority], participants: Sequence[Participant], ballots: Sequence[Sequence[int]], top: int
) -> GroupFairResult:
    """The group-fair (JLA) tally of ballots (priority ids, best first), each participant in their group."""
    index = {p.id: i for i, p in enumerate(priorities)}
    return group_fair_ballots(
        [p.name for p in priorities],
        [[index[pid] for pid in ballot] for ballot in ballots],
        [p.group or "" for p in participants],
        min(top, len(priorities)),
    )


def ranking_results(
    rnd: Round,
    priorities: Sequence[Priority],
    participants: Sequence[Participant],
    records: Sequence[RankingRecord],
    rule: BallotRule = BallotRule.BORDA,
    top: int = 5,
) -> RankingRoundResults:
    """The round's tally under ``rule``, with the pooled Borda and the group-fair tallies beside it
    (``top``: the shortlist's places, for the note when the two disagree)."""
    ballots = orderings(participants, records)
    pooled = borda(priorities, ballots)
    fair = group_fair(priorities, participants, ballots, top)
    tally = pooled
    if rule is BallotRule.GROUP_FAIR:
        tally = BordaTally(
            tuple(priorities),
            fair.scores,
            fair.ranks,
            pooled.first_choices,
            pooled.ballots,
            GROUP_FAIR_RULE,
            GROUP_FAIR_LABEL,
        )
    return RankingRoundResults(rnd, tally, tuple(participants), ballots, rule, pooled, fair)


def basis_words(results: ScoringResults | RankingRoundResults) -> str:
    """How a round's computed ranking was reached, in words (the Agree page, the decision, the board paper)."""
    if isinstance(results, RankingRoundResults):
        if results.ballot_rule is BallotRule.GROUP_FAIR:
            return "group-fair (James Lind Alliance) tally of the participants' rankings"
        return "Borda count of the participants' rankings"
    ranking = results.ranking
    balanced = ", each stakeholder group counting equally" if ranking.aggregate.balanced else ""
    return f"{ranking.method.label} of the room's {ranking.aggregate.how.value} scores{balanced}"


def measurement(
    results: ScoringResults | RankingRoundResults, priorities: Sequence[Priority], workshop_version: int
) -> Measurement:
    """The round's computed ranking as a decision freezes it (``workshop.decision``):
    every priority's rank (None when nobody scored it), score and answer count, in the computed order."""
    ids = {p.name: p.id for p in priorities}
    rnd = results.round
    if isinstance(results, RankingRoundResults):
        tally = results.tally
        names = tuple(p.name for p in tally.priorities)
        scores = np.asarray(tally.points, dtype=float)
        ranks = np.asarray(tally.ranks)
        answers = np.array([sum(p.id in ballot for ballot in results.orderings) for p in tally.priorities])
        options, weights = None, ()
    else:
        ranking = results.ranking
        names = ranking.names
        scores = np.asarray(ranking.scores, dtype=float)
        ranks = np.asarray(ranking.ranks)
        answers = (~np.isnan(results.score_set.scores)).any(axis=2).sum(axis=0)
        options = ranking.options
        weights = tuple((c.name, float(w)) for c, w in zip(ranking.criteria, ranking.weights, strict=True))
    scored = ~np.isnan(scores)
    return Measurement(
        round_id=rnd.id,
        round_label=rnd.label,
        basis=basis_words(results),
        options=options,
        weights=weights,
        answers=len(results.participants),
        workshop_version=workshop_version,
        priorities=tuple(
            MeasuredPriority(
                ids[names[i]],
                names[i],
                int(ranks[i]) if scored[i] else None,
                float(scores[i]) if scored[i] else None,
                int(answers[i]),
            )
            for i in display_order(ranks, names)
        ),
    )
