"""Group-fair aggregation (the James Lind Alliance's rule) beside the pooled tally, for ranking ballots and scores.

**Ballot points** (``POSITION_POINTS_RULE``): a ballot ranking N priorities
(position 1 = most important; a ballot may rank only its top N) gives N points
to its first, N − 1 to its second, … 1 to its last, and 0 to every priority it
leaves out.  The **pooled** tally adds every ballot's points (the ``borda``
method of ``python -m ranking ballots``).  Today's Borda tally of the app's
ranking rounds, which shares the unused places among the unranked priorities,
is ``ranking.ballots.borda_tally``; on complete ballots the two order the
priorities alike (every ballot's points differ by one).

**Group-fair** (``GROUP_FAIR_RULE``; the JLA Guidebook's interim
prioritisation): each stakeholder group's answers are tallied on their own
(its members' ballot points added, or for scores the group ranked by
``ranking.methods.rank`` on its members alone), each group's list is ranked
and re-scored by position: with L priorities the top gets L points, the next
L − 1, … the last 1, and priorities the group ties (within ``TIE_TOLERANCE``)
share the average of the points of the places they occupy (mid-ranks,
``ranking.consensus.mid_ranks``); a priority nobody in the group ranked or
scored ties at the bottom of its list.  The groups' position scores are added.
So a group that sent two people counts as much as one that sent twenty, and
duplicating every member of a group changes nothing.  Participants without a
group form one group, as in ``ranking.aggregate``.  Final ranks follow the
engine's one tie rule (``ranking.ranks.min_ranks``).

Beside it the pooled tally, and a note (``GroupFairResult.note``) when the two
disagree on the top k (tie-inclusive, as ``RankingResult.top``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ranking.ballots import check_ballot
from ranking.consensus import mid_ranks
from ranking.methods import RankingOptions, rank
from ranking.model import RankingInputError, ScoreSet, frozen_array
from ranking.ranks import check_top, display_order, min_ranks

POSITION_POINTS_RULE = (
    "A ballot ranking N priorities gives N points to its first, N − 1 to its second, … 1 to its last, "
    "and none to a priority it leaves out."
)
GROUP_FAIR_RULE = (
    "Group-fair (James Lind Alliance): each stakeholder group's answers are tallied on their own; each group's "
    "list is re-scored by position (the top gets as many points as there are priorities, the last 1, ties share "
    "the average) and the groups' position scores are added, so every group counts the same however many it sent."
)
#: How participants without a stakeholder group are named as a group.
NO_GROUP = "(no group)"


def ballot_points(n: int, ballot: Sequence[int]) -> np.ndarray:
    """The points of one ballot (positions 0..n−1, best first) by ``POSITION_POINTS_RULE``."""
    check_ballot(n, ballot)
    points = np.zeros(n)
    points[list(ballot)] = np.arange(len(ballot), 0, -1, dtype=float)
    return points


def position_scores(tally: np.ndarray) -> np.ndarray:
    """A list re-scored by position: L points for the top of L, 1 for the last, ties sharing the average;
    NaN (not ranked or scored) ties at the bottom."""
    t = np.asarray(tally, dtype=float)
    return t.shape[-1] + 1 - mid_ranks(t)


@dataclass(frozen=True, eq=False)
class GroupList:
    """One group's own tally (ballot points added, or its ranking's scores), and its list re-scored by position."""

    group: str
    members: int
    tally: np.ndarray
    position_scores: np.ndarray


@dataclass(frozen=True, eq=False)
class GroupFairResult:
    """The group-fair scores and ranks beside the pooled ones, per priority in ``names``' order.

    ``basis`` is "ballots" or "scores".  ``pooled`` is the sum of all ballot
    points (ballots) or the room's score under the ranking options (scores).
    A priority nobody answered (scores only) has NaN scores and no place."""

    basis: str
    names: tuple[str, ...]
    groups: tuple[GroupList, ...]
    scores: np.ndarray
    ranks: np.ndarray
    pooled: np.ndarray
    pooled_ranks: np.ndarray
    top: int

    @property
    def order(self) -> list[int]:
        return display_order(self.ranks, self.names)

    @property
    def pooled_order(self) -> list[int]:
        return display_order(self.pooled_ranks, self.names)

    def _top(self, ranks: np.ndarray, scores: np.ndarray, order: list[int]) -> tuple[str, ...]:
        return tuple(self.names[i] for i in order if ranks[i] <= self.top and not np.isnan(scores[i]))

    @property
    def shortlist(self) -> tuple[str, ...]:
        """The group-fair top k (ties at the cut all in)."""
        return self._top(self.ranks, self.scores, self.order)

    @property
    def pooled_shortlist(self) -> tuple[str, ...]:
        return self._top(self.pooled_ranks, self.pooled, self.pooled_order)

    @property
    def disagrees(self) -> bool:
        return set(self.shortlist) != set(self.pooled_shortlist)

    @property
    def note(self) -> str | None:
        """A sentence when the group-fair and pooled top k differ, else None."""
        if not self.disagrees:
            return None
        fair_only = [n for n in self.shortlist if n not in self.pooled_shortlist]
        pooled_only = [n for n in self.pooled_shortlist if n not in self.shortlist]
        return (
            f"The group-fair and pooled tallies disagree on the top {self.top}: only the group-fair top {self.top} "
            f"has {'; '.join(fair_only) or 'nothing else'}, "
            f"only the pooled one has {'; '.join(pooled_only) or 'nothing else'}."
        )


def _group_indices(groups: Sequence[str]) -> dict[str, list[int]]:
    members: dict[str, list[int]] = {}
    for i, group in enumerate(groups):
        members.setdefault(group or NO_GROUP, []).append(i)
    return members


def _combine(lists: list[GroupList], n: int) -> np.ndarray:
    return np.sum([g.position_scores for g in lists], axis=0) if lists else np.zeros(n)


def group_fair_ballots(
    names: Sequence[str], ballots: Sequence[Sequence[int]], groups: Sequence[str], top: int
) -> GroupFairResult:
    """The group-fair rule over ranking ``ballots`` (positions into ``names``, best first), ``groups[b]`` the
    stakeholder group of ballot b, beside the pooled tally; ``top`` is k for the note."""
    names = tuple(names)
    n = len(names)
    if n == 0:
        raise RankingInputError("there are no priorities to rank")
    if len(groups) != len(ballots):
        raise RankingInputError(f"{len(groups)} groups for {len(ballots)} ballots")
    if not ballots:
        raise RankingInputError("there are no ballots to count")
    top = check_top(top, n)
    points = np.stack([ballot_points(n, ballot) for ballot in ballots])
    lists = []
    for group, members in _group_indices(groups).items():
        tally = points[members].sum(axis=0)
        lists.append(GroupList(group, len(members), frozen_array(tally), frozen_array(position_scores(tally))))
    scores = _combine(lists, n)
    pooled = points.sum(axis=0)
    return GroupFairResult(
        basis="ballots",
        names=names,
        groups=tuple(lists),
        scores=frozen_array(scores),
        ranks=frozen_array(min_ranks(scores), dtype=int),
        pooled=frozen_array(pooled),
        pooled_ranks=frozen_array(min_ranks(pooled), dtype=int),
        top=top,
    )


def group_fair_scores(
    score_set: ScoreSet, options: RankingOptions | None = None, top: int = 5, *, weights: np.ndarray | None = None
) -> GroupFairResult:
    """The group-fair rule over a scoring round: each group ranked by ``rank`` on its members alone (same
    options, the room's weights), its list re-scored by position and the groups' position scores added; the
    pooled tally is the room's own ranking.  A priority nobody scored stays unscored (NaN, never in the top k)."""
    options = options or RankingOptions()
    room = rank(score_set, options, weights=weights)
    n = len(room.names)
    top = check_top(top, n)
    lists = []
    for group, members in _group_indices(score_set.groups).items():
        try:
            result = rank(score_set.subset(np.array(members)), options, weights=room.weights)
        except RankingInputError as exc:
            raise RankingInputError(f"group {group!r}: {exc}") from None
        tally = np.where(result.scored, result.scores, np.nan)
        lists.append(GroupList(group, len(members), frozen_array(tally), frozen_array(position_scores(tally))))
    scores = np.where(room.scored, _combine(lists, n), np.nan)
    return GroupFairResult(
        basis="scores",
        names=room.names,
        groups=tuple(lists),
        scores=frozen_array(scores),
        ranks=frozen_array(min_ranks(scores), dtype=int),
        pooled=frozen_array(np.where(room.scored, room.scores, np.nan)),
        pooled_ranks=frozen_array(room.ranks, dtype=int),
        top=top,
    )


__all__ = [
    "GROUP_FAIR_RULE",
    "NO_GROUP",
    "POSITION_POINTS_RULE",
    "GroupFairResult",
    "GroupList",
    "ballot_points",
    "group_fair_ballots",
    "group_fair_scores",
    "position_scores",
]
