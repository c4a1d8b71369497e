"""Aggregation of the room's scores (docs/ARCHITECTURE.md §3), hand-computed."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from ranking.aggregate import Aggregation, aggregate, participant_weights
from ranking.model import Criterion, Priority, RankingInputError, ScoreSet

NAN = np.nan


def room(scores, groups=(), criteria=None) -> ScoreSet:
    array = np.asarray(scores, dtype=float)
    criteria = criteria or [Criterion(f"C{c + 1}") for c in range(array.shape[2])]
    return ScoreSet([Priority(f"P{i + 1}") for i in range(array.shape[1])], criteria, array, groups=groups)


# Four participants, two priorities, one criterion (1..5); P2 has "don't know"s.
FOUR = [
    [[1], [5]],
    [[2], [NAN]],
    [[4], [3]],
    [[5], [NAN]],
]


def test_mean_ignores_dont_know():
    agg = aggregate(room(FOUR))
    np.testing.assert_allclose(agg.matrix[:, 0], [(1 + 2 + 4 + 5) / 4, (5 + 3) / 2])
    assert agg.how is Aggregation.MEAN and not agg.balanced


def test_median_ignores_dont_know():
    agg = aggregate(room(FOUR), "median")
    np.testing.assert_allclose(agg.matrix[:, 0], [3.0, 4.0])


def test_response_counts_and_low_response_flag():
    agg = aggregate(room(FOUR), min_responses=3)
    assert agg.counts[:, 0].tolist() == [4, 2]
    assert agg.low_response[:, 0].tolist() == [False, True]
    assert agg.min_responses == 3
    assert not agg.empty_cells.any()


def test_group_balanced_mean_averages_within_then_across_groups():
    # NHS sent three people, Police one: plain mean lets the NHS outvote.
    scores = [[[1]], [[1]], [[1]], [[5]]]
    groups = ("NHS", "NHS", "NHS", "Police")
    plain = aggregate(room(scores, groups))
    balanced = aggregate(room(scores, groups), balance_groups=True)
    assert plain.matrix[0, 0] == pytest.approx((1 + 1 + 1 + 5) / 4)  # 2.0
    assert balanced.matrix[0, 0] == pytest.approx((1 + 5) / 2)  # 3.0
    assert balanced.balanced
    assert balanced.counts[0, 0] == 4


def test_group_balanced_mean_hand_computed_with_dont_know():
    # Cell P1: NHS (2, 4) → 3, Police (5) → 5, Schools (1, NaN, 3) → 2: mean of groups = 10/3.
    # Cell P2: NHS (3, NaN) → 3, Police (NaN) → no answer, Schools (5, 5, 2) → 4: mean = 3.5.
    scores = [
        [[2], [3]],
        [[4], [NAN]],
        [[5], [NAN]],
        [[1], [5]],
        [[NAN], [5]],
        [[3], [2]],
    ]
    groups = ("NHS", "NHS", "Police", "Schools", "Schools", "Schools")
    agg = aggregate(room(scores, groups), balance_groups=True)
    np.testing.assert_allclose(agg.matrix[:, 0], [10 / 3, 3.5])
    assert agg.counts[:, 0].tolist() == [5, 4]


def test_group_balanced_median_takes_within_group_medians():
    # NHS (1, 2, 5) → median 2; Police (4) → 4: mean of groups = 3.
    scores = [[[1]], [[2]], [[5]], [[4]]]
    agg = aggregate(room(scores, ("NHS", "NHS", "NHS", "Police")), "median", balance_groups=True)
    assert agg.matrix[0, 0] == pytest.approx(3.0)


def test_balanced_without_groups_is_the_plain_mean():
    plain = aggregate(room(FOUR))
    balanced = aggregate(room(FOUR), balance_groups=True)
    np.testing.assert_allclose(balanced.matrix, plain.matrix)


def test_all_dont_know_cell_takes_the_scale_midpoint_without_warnings():
    criteria = [Criterion("Need"), Criterion("Evidence", scale_min=0, scale_max=10)]
    scores = [
        [[4, NAN], [2, 6]],
        [[NAN, NAN], [3, 8]],
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        agg = aggregate(room(scores, criteria=criteria))
    np.testing.assert_allclose(agg.matrix, [[4, 5], [2.5, 7]])
    assert agg.counts.tolist() == [[1, 0], [2, 2]]
    assert agg.empty_cells.tolist() == [[False, True], [False, False]]
    assert agg.low_response.tolist() == [[True, True], [True, True]]


def test_unscaled_empty_cell_takes_the_observed_midpoint():
    criteria = [Criterion("Need"), Criterion("Rate", scale_min=None, scale_max=None)]
    agg = aggregate(room([[[3, NAN], [4, 10], [2, 30]]], criteria=criteria))
    assert agg.matrix[0, 1] == pytest.approx(20.0)


def test_a_priority_nobody_scored_keeps_a_row_of_nan_not_midpoints():
    criteria = [Criterion("Need"), Criterion("Rate", scale_min=None, scale_max=None)]
    scores = [
        [[NAN, NAN], [4, 10], [2, NAN]],
        [[NAN, NAN], [5, 30], [1, NAN]],
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        agg = aggregate(room(scores, criteria=criteria))
    assert np.isnan(agg.matrix[0]).all()
    np.testing.assert_allclose(agg.matrix[1:], [[4.5, 20], [1.5, 20]])
    assert agg.scored.tolist() == [False, True, True]
    assert agg.counts[0].tolist() == [0, 0]


def test_unscaled_criterion_with_no_scores_is_named():
    criteria = [Criterion("Need"), Criterion("Rate", scale_min=None, scale_max=None)]
    with pytest.raises(RankingInputError, match="criterion 'Rate' has no scores at all"):
        aggregate(room([[[3, NAN]]], criteria=criteria))


def test_aggregate_results_are_read_only():
    agg = aggregate(room(FOUR))
    for array in (agg.matrix, agg.counts, agg.low_response):
        assert not array.flags.writeable


def test_participant_weights_give_every_group_the_same_total():
    groups = ("NHS", "NHS", "NHS", "Police", "")
    w = participant_weights(groups, balanced=True)
    np.testing.assert_allclose(w, [1 / 9, 1 / 9, 1 / 9, 1 / 3, 1 / 3])
    np.testing.assert_allclose(participant_weights(groups, balanced=False), [0.2] * 5)


def test_unknown_aggregation_is_rejected():
    with pytest.raises(RankingInputError, match="aggregation must be 'mean' or 'median', not 'mode'"):
        aggregate(room(FOUR), "mode")
