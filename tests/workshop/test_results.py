"""Turning stored answers into results (pure functions, no database)."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from ranking.model import Direction
from workshop.models import Criterion, Participant, Priority, ScoreTable
from workshop.results import borda, build_score_set, unique_labels

NOW = datetime(2011, 3, 1, tzinfo=UTC)


def priorities(n: int) -> list[Priority]:
    return [Priority(id=100 + i, position=i + 1, name=f"P{i}", evidence="") for i in range(n)]


def person(pid: int, name: str | None, group: str | None = None) -> Participant:
    return Participant(pid, 1, pid, name, group, NOW, NOW)


ballots = st.integers(2, 7).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(
            st.permutations(range(n)).flatmap(lambda order: st.integers(1, n).map(lambda k: order[:k])), max_size=12
        ),
    )
)


@given(ballots)
def test_every_ballot_hands_out_the_same_borda_points(case: tuple[int, list[list[int]]]):
    n, orders = case
    ps = priorities(n)
    tally = borda(ps, [[ps[i].id for i in order] for order in orders])
    assert tally.ballots == len(orders)
    if orders:
        assert math.isclose(tally.points.sum(), n * (n - 1) / 2)  # the mean ballot's points
        assert tally.first_choices.sum() == len(orders)
    assert ((tally.points >= 0) & (tally.points <= n - 1)).all()
    assert tally.ranks.min() == 1


def test_a_unanimous_room_ranks_in_its_order_and_ties_share_the_better_rank():
    ps = priorities(4)
    ids = [p.id for p in ps]
    unanimous = borda(ps, [[ids[2], ids[0], ids[3], ids[1]]] * 3)
    assert list(unanimous.points) == [2, 0, 3, 1] and list(unanimous.ranks) == [2, 4, 1, 3]
    assert [ps[i].name for i in unanimous.order] == ["P2", "P0", "P3", "P1"]
    split = borda(ps, [[ids[0], ids[1]], [ids[1], ids[0]]])
    assert list(split.points) == [2.5, 2.5, 0.5, 0.5] and list(split.ranks) == [1, 1, 3, 3]


def test_the_score_set_has_nan_for_dont_know_and_unanswered_cells():
    ps = priorities(2)
    criteria = [
        Criterion(id=7, position=1, name="Need", weight=2.0, scale_min=1, scale_max=5, descriptors=("",) * 5),
        Criterion(
            id=8, position=2, name="Cost", direction=Direction.COST, scale_min=0, scale_max=10, descriptors=("",) * 11
        ),
    ]
    people = [person(1, "Sam", "NHS"), person(2, None)]
    table = ScoreTable(  # participant, priority, criterion, value in columns
        participant_ids=np.array([1, 1, 2, 2, 3]),
        priority_ids=np.array([100, 101, 101, 999, 100]),  # 999: a priority outside the round is left out
        criterion_ids=np.array([7, 8, 7, 7, 7]),
        values=np.array([4.0, np.nan, 2.5, 5.0, 1.0]),  # participant 3 is not among those asked for
    )
    s = build_score_set(ps, criteria, people, table)
    expected = np.array([[[4, np.nan], [np.nan, np.nan]], [[np.nan, np.nan], [2.5, np.nan]]])
    assert np.array_equal(s.scores, expected, equal_nan=True)
    assert s.participants == ("Sam", "Anonymous 2") and s.groups == ("NHS", "")
    assert [(c.name, c.weight, c.scale_min, c.scale_max, c.is_cost) for c in s.criteria] == [
        ("Need", 2.0, 1, 5, False),
        ("Cost", 1.0, 0, 10, True),
    ]


def test_shared_display_names_are_told_apart():
    assert unique_labels([person(1, "Sam"), person(2, "Alex"), person(3, "Sam")]) == ("Sam (#1)", "Alex", "Sam (#3)")
