"""Tallies of ranking ballots: the Borda count of participants' own orders.

A ballot lists priority positions (0..L−1), best first; it may stop short
(a "pick your top N" round), and the priorities it leaves out share the
points of the unused places equally.  Ranks follow the engine's one tie rule
(``ranking.ranks``).  Borda and Copeland over *scores* are in
``ranking.methods``.  The group-fair (James Lind Alliance) tally, and the
position points it and the ``ballots`` command use, are in ``ranking.group_fair``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ranking.model import RankingInputError, frozen_array
from ranking.ranks import min_ranks

BORDA_RULE = (
    "Borda count: with L priorities, a participant's k-th choice scores L − k points; "
    "priorities a participant left unranked share the points of the unused places equally; "
    "points are averaged over participants (0 to L − 1), and equal points share the better rank."
)


@dataclass(frozen=True, eq=False)
class BallotTally:
    """Per priority (in the order of the positions): mean Borda points, rank
    (1 = best, ties share the better rank) and first choices."""

    points: np.ndarray
    ranks: np.ndarray
    first_choices: np.ndarray
    ballots: int


def check_ballot(n: int, ballot: Sequence[int]) -> None:
    """RankingInputError unless ``ballot`` lists distinct priorities from 0 to n − 1."""
    if len(set(ballot)) != len(ballot) or any(not 0 <= i < n for i in ballot):
        raise RankingInputError(f"a ballot must list distinct priorities from 0 to {n - 1}, not {list(ballot)}")


def borda_tally(n: int, ballots: Sequence[Sequence[int]]) -> BallotTally:
    """Tally ``ballots`` (positions 0..n−1, best first) by ``BORDA_RULE``."""
    total = np.zeros(n)
    first = np.zeros(n, dtype=int)
    for ballot in ballots:
        check_ballot(n, ballot)
        points = np.full(n, (n - len(ballot) - 1) / 2)
        for k, i in enumerate(ballot, start=1):
            points[i] = n - k
        total += points
        if ballot:
            first[ballot[0]] += 1
    mean = total / len(ballots) if ballots else total
    return BallotTally(
        points=frozen_array(mean),
        ranks=frozen_array(min_ranks(mean), dtype=int),
        first_choices=frozen_array(first, dtype=int),
        ballots=len(ballots),
    )
