"""ranking.ballots: the Borda count of ranking ballots."""

from __future__ import annotations

import numpy as np
import pytest

from ranking.ballots import borda_tally
from ranking.model import RankingInputError

MEMPHIS, NASHVILLE, CHATTANOOGA, KNOXVILLE = range(4)


def test_the_tennessee_capital_example():
    """Wikipedia's "Borda count" article, Tennessee capital example (100 voters, points L − k):
    Nashville 194, Chattanooga 173, Memphis 126, Knoxville 107."""
    ballots = (
        [[MEMPHIS, NASHVILLE, CHATTANOOGA, KNOXVILLE]] * 42
        + [[NASHVILLE, CHATTANOOGA, KNOXVILLE, MEMPHIS]] * 26
        + [[CHATTANOOGA, KNOXVILLE, NASHVILLE, MEMPHIS]] * 15
        + [[KNOXVILLE, CHATTANOOGA, NASHVILLE, MEMPHIS]] * 17
    )
    tally = borda_tally(4, ballots)
    np.testing.assert_allclose(tally.points * 100, [126, 194, 173, 107])
    assert tally.ranks.tolist() == [3, 1, 2, 4]
    assert tally.first_choices.tolist() == [42, 26, 15, 17]
    assert tally.ballots == 100


def test_unranked_priorities_share_the_unused_places_and_ties_share_the_better_rank():
    tally = borda_tally(4, [[0], [1]])  # each ranks one: the other three share 2 + 1 + 0
    np.testing.assert_allclose(tally.points, [2, 2, 1, 1])
    assert tally.ranks.tolist() == [1, 1, 3, 3]


@pytest.mark.parametrize("ballot", [[0, 0], [4], [-1]])
def test_a_ballot_naming_a_priority_twice_or_out_of_range_is_refused(ballot):
    with pytest.raises(RankingInputError, match="distinct priorities from 0 to 3"):
        borda_tally(4, [ballot])
