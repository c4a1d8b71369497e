"""ranking.ranks.check_top: one check of a top-k argument, the same wherever k is passed."""

from __future__ import annotations

import numpy as np
import pytest

from ranking import Criterion, Priority, RankingOptions, ScoreSet
from ranking.consensus import consensus
from ranking.methods import rank
from ranking.model import RankingInputError
from ranking.ranks import check_top
from ranking.sensitivity import method_agreement, one_way
from ranking.shortlist import shortlist
from ui.figures import contribution_bar, ranking_bar

ROOM = ScoreSet(
    tuple(Priority(name) for name in "ABCD"),
    (Criterion("need", scale_min=1, scale_max=5),),
    [[[5], [4], [2], [1]], [[4], [5], [2], [2]]],
)
RANKED = rank(ROOM)
#: Everything that takes a top k, as a function of k.
TAKERS = {
    "consensus": lambda k: consensus(ROOM, top=k),
    "shortlist": lambda k: shortlist(RANKED, k),
    "one_way": lambda k: one_way(ROOM, RankingOptions(), k),
    "method_agreement": lambda k: method_agreement(ROOM, k),
    "ranking_bar": lambda k: ranking_bar(RANKED, k),
    "contribution_bar": lambda k: contribution_bar(RANKED, k),
}


@pytest.mark.parametrize("k", [2, np.int64(2), np.int32(4)])
def test_a_whole_number_in_range_is_accepted_as_an_int(k):
    assert check_top(k, 4) == int(k) and type(check_top(k, 4)) is int


@pytest.mark.parametrize("k", [0, 5, -1, 2.0, 1.5, True, "2", None])
def test_anything_else_is_refused_saying_what_is_wanted(k):
    with pytest.raises(RankingInputError, match=r"the shortlist size must be a whole number from 1 to 4, not "):
        check_top(k, 4)


@pytest.mark.parametrize("taker", list(TAKERS), ids=list(TAKERS))
def test_every_function_taking_k_accepts_and_refuses_alike(taker):
    """They used to disagree: the shortlist refused np.int64(2), the sensitivity analyses took True and 2.0."""
    TAKERS[taker](np.int64(2))
    for bad in (True, 2.0, 0, 5):
        with pytest.raises(RankingInputError, match="shortlist size must be a whole number from 1 to 4"):
            TAKERS[taker](bad)
