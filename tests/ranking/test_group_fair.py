"""ranking.group_fair: the James Lind Alliance's group-fair tally beside the pooled Borda tally."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ranking.group_fair import ballot_points, group_fair_ballots, group_fair_scores, position_scores
from ranking.model import Criterion, Priority, RankingInputError, ScoreSet

A, B, C = range(3)
NAMES = ("A", "B", "C")


def test_hand_worked_case_where_jla_and_pooled_borda_choose_different_winners():
    """Five members of one group rank A > B > C; one of a second group B > C > A, one of a third B > A > C.

    Pooled Borda (3, 2, 1 points): A = 5·3 + 1 + 2 = 18, B = 5·2 + 3 + 3 = 16, C = 5 + 2 + 1 = 8: A wins.
    JLA: the groups' lists re-scored by position are (A 3, B 2, C 1), (B 3, C 2, A 1), (B 3, A 2, C 1),
    so A = 6, B = 8, C = 4: B wins, and the note says they disagree on the top 1."""
    ballots = [[A, B, C]] * 5 + [[B, C, A], [B, A, C]]
    groups = ["Health"] * 5 + ["Police", "Schools"]
    result = group_fair_ballots(NAMES, ballots, groups, top=1)
    assert result.pooled.tolist() == [18, 16, 8]
    assert result.scores.tolist() == [6, 8, 4]
    assert result.shortlist == ("B",) and result.pooled_shortlist == ("A",)
    assert result.disagrees
    assert result.note == (
        "The group-fair and pooled tallies disagree on the top 1: only the group-fair top 1 has B, "
        "only the pooled one has A."
    )
    assert [(g.group, g.members) for g in result.groups] == [("Health", 5), ("Police", 1), ("Schools", 1)]


def test_a_short_ballot_gives_n_points_to_its_first_and_1_to_its_last():
    assert ballot_points(4, [2, 0]).tolist() == [1, 0, 2, 0]
    with pytest.raises(RankingInputError, match="distinct priorities from 0 to 3"):
        ballot_points(4, [1, 1])


def test_ties_in_a_groups_list_share_the_average_of_their_places():
    assert position_scores(np.array([5.0, 2.0, 2.0, 0.0])).tolist() == [4, 2.5, 2.5, 1]
    assert position_scores(np.array([1.0, np.nan, np.nan])).tolist() == [3, 1.5, 1.5]


def test_participants_without_a_group_form_one_group_and_agreement_gives_no_note():
    result = group_fair_ballots(NAMES, [[A, B], [A]], ["", ""], top=1)
    assert [g.group for g in result.groups] == ["(no group)"]
    assert result.note is None
    assert result.ranks.tolist() == [1, 2, 3]


def test_group_fair_scoring_ranks_each_group_on_its_own():
    criteria = (Criterion("Need", 1.0, scale_min=1, scale_max=5),)
    # Health (4 people) score A 5, B 2, C 1; Police (1) and Schools (1) score A 1, B 5, C 3.
    # Pooled means: A 22/6, B 18/6, C 10/6 → A.  JLA: (A 3, B 2, C 1) + 2 × (B 3, C 2, A 1) → A 5, B 8, C 5.
    scores = np.array([[[5], [2], [1]]] * 4 + [[[1], [5], [3]]] * 2, dtype=float)
    s = ScoreSet(tuple(Priority(n) for n in NAMES), criteria, scores, groups=("H",) * 4 + ("P", "S"))
    result = group_fair_scores(s, top=1)
    assert result.pooled_shortlist == ("A",)
    assert result.shortlist == ("B",)
    assert result.scores.tolist() == [5, 8, 5]
    assert result.ranks.tolist() == [2, 1, 2]


def test_bad_ballots_are_refused():
    with pytest.raises(RankingInputError, match="no ballots"):
        group_fair_ballots(NAMES, [], [], top=1)
    with pytest.raises(RankingInputError, match="1 groups for 2 ballots"):
        group_fair_ballots(NAMES, [[A], [B]], ["G"], top=1)
    with pytest.raises(RankingInputError, match="shortlist size"):
        group_fair_ballots(NAMES, [[A]], ["G"], top=4)


ballot = st.permutations(list(range(4))).flatmap(lambda p: st.integers(1, 4).map(lambda n: p[:n]))


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(ballot, st.sampled_from(["G1", "G2", "G3"])), min_size=1, max_size=12),
       st.sampled_from(["G1", "G2", "G3"]), st.integers(2, 4))
def test_jla_does_not_change_when_every_member_of_one_group_is_duplicated(cast, group, copies):
    names = ("A", "B", "C", "D")
    ballots = [b for b, _ in cast]
    groups = [g for _, g in cast]
    extra = [(b, g) for b, g in cast if g == group] * (copies - 1)
    more = group_fair_ballots(names, ballots + [b for b, _ in extra], groups + [g for _, g in extra], top=2)
    base = group_fair_ballots(names, ballots, groups, top=2)
    np.testing.assert_allclose(more.scores, base.scores)
    assert more.shortlist == base.shortlist
    # Each group's position scores are a list's places: L + (L − 1) + … + 1.
    for g in base.groups:
        assert g.position_scores.sum() == pytest.approx(4 * 5 / 2)
