"""Priorities nobody has scored: never ranked above a scored one, never in
the top k, not a contender in any analysis (ranking.methods docstring)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ranking.consensus import consensus
from ranking.methods import Method, RankingOptions, rank
from ranking.model import Criterion, Direction, Priority, RankingInputError, ScoreSet
from ranking.resample import top_masks, top_masks_loop
from ranking.sensitivity import (
    bootstrap,
    method_agreement,
    one_way,
    smaa,
)
from ranking.shortlist import MUST_INCLUDE_REASON, ShortlistConstraints, shortlist

NAN = np.nan
CRITERIA = (
    Criterion("Need", 2),
    Criterion("Cost", 1, Direction.COST),
    Criterion("Evidence", 1, scale_min=0, scale_max=10),
)
ALL_OPTIONS = [
    RankingOptions(method=method, aggregation=how, balance_groups=balanced)
    for method in Method
    for how in ("mean", "median")
    for balanced in (False, True)
]


def half_answered() -> ScoreSet:
    """Four priorities: B scored low by everyone, D by nobody at all."""
    scores = np.array(
        [
            [[5, 1, 9], [1, 5, 0], [4, 2, 7], [NAN, NAN, NAN]],
            [[4, 2, 8], [1, 4, 1], [3, NAN, 6], [NAN, NAN, NAN]],
            [[5, 1, 10], [2, 5, 2], [3, 3, NAN], [NAN, NAN, NAN]],
        ],
        dtype=float,
    )
    priorities = tuple(Priority(name, theme) for name, theme in zip("ABCD", ("x", "x", "y", "y"), strict=True))
    return ScoreSet(priorities, CRITERIA, scores, groups=("NHS", "NHS", "Police"))


def without_d(room: ScoreSet) -> ScoreSet:
    return ScoreSet(room.priorities[:3], room.criteria, room.scores[:, :3], room.participants, room.groups)


@pytest.mark.parametrize("options", ALL_OPTIONS, ids=lambda o: f"{o.method}-{o.aggregation}-{o.balance_groups}")
def test_a_priority_nobody_scored_comes_last_and_the_others_rank_as_without_it(options):
    room = half_answered()
    result = rank(room, options)
    alone = rank(without_d(room), options)
    assert np.isnan(result.scores[3])
    assert result.scored.tolist() == [True, True, True, False]
    assert result.unscored == ("D",)
    assert result.ranks[3] == 5 and result.ranks[:3].max() <= 3  # N + 1: past every place
    np.testing.assert_allclose(result.scores[:3], alone.scores)
    np.testing.assert_array_equal(result.ranks[:3], alone.ranks)
    assert [result.names[i] for i in result.order][-1] == "D"
    assert "D" not in result.top(4)
    assert result.top(4) == alone.top(3)
    assert np.isnan(result.matrix[3]).all() and np.isnan(result.normalized[3]).all()
    table = result.table()
    assert table["scored"].tolist() == [True, True, True, False]
    if result.pairwise is not None:
        assert np.isnan(result.pairwise[3]).all() and np.isnan(result.pairwise[:, 3]).all()
        np.testing.assert_allclose(result.pairwise[:3, :3], alone.pairwise)


def test_topsis_ideals_leave_the_unscored_priority_out():
    room = half_answered()
    options = RankingOptions(method=Method.TOPSIS)
    result, alone = rank(room, options), rank(without_d(room), options)
    np.testing.assert_allclose(result.ideal, alone.ideal)
    np.testing.assert_allclose(result.anti_ideal, alone.anti_ideal)


def test_a_room_in_which_nobody_scored_anything_ranks_nothing():
    scores = np.full((2, 3, 3), np.nan)
    room = ScoreSet(tuple(Priority(n) for n in "ABC"), CRITERIA, scores)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for method in Method:
            result = rank(room, RankingOptions(method=method))
            assert np.isnan(result.scores).all()
            assert result.top(3) == ()
            assert result.unscored == ("A", "B", "C")
    sampled = smaa(room, RankingOptions(), 2, samples=50)
    assert (sampled.p_top == 0).all() and (sampled.rank_acceptability == 0).all()
    assert one_way(room, RankingOptions(), 2).current_top == ()
    assert (bootstrap(room, RankingOptions(), 2, resamples=20).p_top == 0).all()


def test_unscored_priority_is_no_contender_in_smaa_or_the_bootstrap():
    room = half_answered()
    for method in Method:
        options = RankingOptions(method=method)
        sampled = smaa(room, options, top=4, samples=300, seed=3)
        assert sampled.p_top[3] == 0 and (sampled.rank_acceptability[3] == 0).all()
        assert np.isnan(sampled.central_weights[3]).all()
        np.testing.assert_allclose(sampled.rank_acceptability[:3].sum(axis=1), 1.0)
        assert (sampled.p_top[:3] == 1).all()  # k = 4 takes every scored priority
        boot = bootstrap(room, options, top=4, resamples=50, seed=3)
        assert boot.p_top[3] == 0


def test_one_way_and_method_agreement_never_put_it_in_the_top():
    room = half_answered()
    for method in Method:
        moved = one_way(room, RankingOptions(method=method), top=3, grid=11)
        assert "D" not in moved.current_top
        assert all("D" not in t.top_below and "D" not in t.top_above for t in moved.thresholds)
        assert np.isnan(moved.sweep_scores[:, :, 3]).all()
    agreed = method_agreement(room, 4)
    assert "D" not in agreed.agreed and all("D" not in top for top in agreed.tops)


def test_a_resample_in_which_nobody_drawn_scored_a_priority_leaves_it_out():
    """Only participant 0 scored C: resamples without participant 0 leave C
    unscored, and the vectorised bootstrap agrees with the loop."""
    scores = np.array(
        [
            [[1, 5, 0], [2, 4, 1], [5, 1, 10]],
            [[3, 3, 5], [2, 2, 5], [NAN, NAN, NAN]],
            [[3, 2, 6], [4, 1, 4], [NAN, NAN, NAN]],
        ],
        dtype=float,
    )
    room = ScoreSet(tuple(Priority(n) for n in "ABC"), CRITERIA, scores)
    indices = np.array([[1, 2, 1], [0, 0, 0], [0, 1, 2], [2, 2, 2]])
    for options in (RankingOptions(), RankingOptions(method=Method.TOPSIS), RankingOptions(normalization="minmax")):
        vectorised = top_masks(room, options, 3, indices)
        np.testing.assert_array_equal(vectorised, top_masks_loop(room, options, 3, indices))
        assert not vectorised[0, 2] and not vectorised[3, 2] and vectorised[1, 2]


def test_consensus_leaves_the_unscored_priority_uncontested():
    room = half_answered()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        found = consensus(room, RankingOptions(), top=2, spread_floor=0.0)
    alone = consensus(without_d(room), RankingOptions(), top=2, spread_floor=0.0)
    assert not found.contested[3] and not found.high_spread[3] and not found.near_cutoff[3]
    assert np.isnan(found.std[3])
    assert found.concordance.n == 3
    assert found.kendall_w == pytest.approx(alone.kendall_w)
    assert found.contested[:3].tolist() == alone.contested.tolist()
    assert [g.spearman for g in found.groups] == pytest.approx([g.spearman for g in alone.groups], nan_ok=True)


def test_the_shortlist_passes_over_unscored_priorities_and_says_so_when_short():
    room = half_answered()
    result = rank(room)
    assert "D" not in shortlist(result, 3).chosen
    with pytest.raises(RankingInputError, match=r"only 3 of the 4 places .*1 nobody has scored: 'D'"):
        shortlist(result, 4)
    forced = shortlist(result, 4, ShortlistConstraints(must_include=("D",)))
    assert set(forced.chosen) == {"A", "B", "C", "D"}
    assert [(d.priority, d.reason) for d in forced.adjustments] == [("D", MUST_INCLUDE_REASON)]
    assert np.isfinite(forced.total_score)


# --------------------------------------------------------------------------- property


def rooms_with_an_empty_priority():
    """A room (1–4 participants × 2–6 priorities × 3 criteria, some "don't
    know") and the index of one priority made empty for everyone."""
    values = st.one_of(st.integers(1, 5).map(float), st.just(np.nan))
    shape = st.tuples(st.integers(1, 4), st.integers(2, 6), st.just(3))
    return shape.flatmap(
        lambda s: st.tuples(
            arrays(float, s, elements=values),
            st.integers(0, s[1] - 1),
            st.lists(st.sampled_from(["NHS", "Police", ""]), min_size=s[0], max_size=s[0]),
        )
    )


@settings(max_examples=60, deadline=None)
@given(rooms_with_an_empty_priority(), st.sampled_from(ALL_OPTIONS), st.integers(1, 6))
def test_an_empty_priority_never_ranks_above_one_with_answers(case, options, k):
    scores, empty, groups = case
    scores = scores.copy()
    scores[:, empty, :] = np.nan
    criteria = (Criterion("Need"), Criterion("Cost", direction="cost"), Criterion("Evidence"))
    room = ScoreSet(tuple(Priority(f"P{i}") for i in range(scores.shape[1])), criteria, scores, groups=tuple(groups))
    result = rank(room, options)
    answered = ~np.isnan(scores).all(axis=(0, 2))
    for i in np.flatnonzero(answered):
        assert result.ranks[i] < result.ranks[empty]
        assert result.order.index(i) < result.order.index(empty)
    assert f"P{empty}" not in result.top(min(k, scores.shape[1]))


@pytest.mark.parametrize("how", ["minmax", "scale", "max", "vector"])
def test_unscored_priority_stays_out_beside_a_constant_column(how):
    """One scored priority gives minmax a zero span: its column normalises to
    0, and the priority nobody scored stays NaN (it was 0 and tied for first)."""
    room = ScoreSet(
        (Priority("A"), Priority("B")),
        (Criterion("Need", 2), Criterion("Cost", 1, Direction.COST)),
        np.array([[[NAN, NAN], [3.0, 2.0]]]),
    )
    for method in Method:
        result = rank(room, RankingOptions(method=method, normalization=how))
        assert result.top(1) == ("B",) and np.isnan(result.scores[0])
