"""Criterion weights: normalisation, allocations, rank-order centroid and AHP."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ranking.model import RankingInputError
from ranking.weights import (
    CR_THRESHOLD,
    MAX_WEIGHT,
    SAATY_RANDOM_INDEX,
    ahp,
    allocation_weights,
    check_pairwise,
    combine_pairwise,
    normalize_weights,
    participant_weight_vectors,
    rank_order_centroid,
)

NAN = np.nan

# --------------------------------------------------------------------------- normalisation


def test_normalize_weights_sums_to_one_and_is_read_only():
    w = normalize_weights([2, 1, 1])
    np.testing.assert_allclose(w, [0.5, 0.25, 0.25])
    assert not w.flags.writeable


def test_negative_weight_names_the_criterion():
    message = r"weight of criterion 'Severity' must be a non-negative number, not -2$"
    with pytest.raises(RankingInputError, match=message):
        normalize_weights(np.array([1.0, -2.0]), ["Need", "Severity"])
    with pytest.raises(RankingInputError, match="weight of criterion '#2'"):
        normalize_weights([1.0, NAN])


def test_extreme_finite_weights_are_refused_naming_the_criterion():
    # Two weights of 1e308 add up to infinity: they used to normalise to 0, 0 and tie everything.
    message = r"weight of criterion 'Severity' is too large \(1e\+308\): weights are relative"
    with pytest.raises(RankingInputError, match=message):
        normalize_weights([1e308, 1e308], ["Severity", "Need"])
    np.testing.assert_allclose(normalize_weights([MAX_WEIGHT, 1.0]), np.array([MAX_WEIGHT, 1.0]) / (MAX_WEIGHT + 1))


WEIGHT_VALUES = st.one_of(st.floats(), st.floats(0, 2 * MAX_WEIGHT), st.floats(0, 1e-300))


@given(st.lists(WEIGHT_VALUES, min_size=1, max_size=30))
def test_property_accepted_weights_normalise_to_finite_values_summing_to_one(weights):
    try:
        w = normalize_weights(weights)
    except RankingInputError:
        return
    assert np.isfinite(w).all() and (w >= 0).all()
    assert w.sum() == pytest.approx(1.0, abs=1e-9)


def test_weights_must_fit_the_criteria():
    with pytest.raises(RankingInputError, match="2 weights for 3 criteria"):
        normalize_weights([1, 1], ["a", "b", "c"])
    with pytest.raises(RankingInputError, match="non-empty list"):
        normalize_weights([])
    with pytest.raises(RankingInputError, match="non-empty list"):
        normalize_weights([[1, 2]])
    with pytest.raises(RankingInputError, match="weights must be numbers"):
        normalize_weights(["heavy"])
    with pytest.raises(RankingInputError, match="at least one criterion needs a weight above zero"):
        normalize_weights([0, 0])


# --------------------------------------------------------------------------- allocations


def test_allocations_normalise_rows_then_average_ignoring_empty_rows():
    # Row 1 spent 100 points, row 2 only 90 (counts the same), rows 3-4 are empty.
    allocations = [[50, 30, 20], [0, 45, 45], [0, 0, 0], [NAN, NAN, NAN]]
    w = allocation_weights(allocations, ["Need", "Severity", "Evidence"])
    np.testing.assert_allclose(w, [(0.5 + 0) / 2, (0.3 + 0.5) / 2, (0.2 + 0.5) / 2])


def test_nan_allocation_counts_as_zero_points():
    np.testing.assert_allclose(allocation_weights([[60, NAN, 40]]), [0.6, 0, 0.4])


def test_participant_weight_vectors_drop_empty_rows():
    vectors = participant_weight_vectors([[1, 3], [0, 0], [5, 5]])
    np.testing.assert_allclose(vectors, [[0.25, 0.75], [0.5, 0.5]])


def test_negative_allocation_names_row_and_criterion():
    message = "row 2: points for criterion 'Evidence' must be a non-negative number, not -20"
    with pytest.raises(RankingInputError, match=message):
        allocation_weights([[50, 50], [120, -20]], ["Need", "Evidence"])
    with pytest.raises(RankingInputError, match="row 1: points for criterion '#1'"):
        participant_weight_vectors([[np.inf, 1]])


def test_allocations_are_validated():
    with pytest.raises(RankingInputError, match="no participant has allocated any points"):
        allocation_weights([[0, 0], [NAN, 0]])
    with pytest.raises(RankingInputError, match="participants × criteria"):
        allocation_weights([1, 2, 3])
    with pytest.raises(RankingInputError, match="3 allocation columns for 2 criteria"):
        allocation_weights([[1, 2, 3]], ["a", "b"])


# --------------------------------------------------------------------------- rank-order centroid


def test_rank_order_centroid_barron_barrett_1996():
    """Barron & Barrett (1996), Management Science 42(11): ROC weights."""
    np.testing.assert_allclose(rank_order_centroid([1, 2, 3]), [0.611, 0.278, 0.111], atol=5e-4)
    np.testing.assert_allclose(rank_order_centroid([1, 2, 3, 4]), [0.521, 0.271, 0.146, 0.063], atol=5e-4)
    np.testing.assert_allclose(rank_order_centroid([1, 2, 3]), [11 / 18, 5 / 18, 2 / 18])


def test_rank_order_centroid_follows_the_given_order():
    np.testing.assert_allclose(rank_order_centroid([3, 1, 2]), [2 / 18, 11 / 18, 5 / 18])


def test_rank_order_centroid_ties_share_their_positions():
    w = rank_order_centroid([1, 1, 3])
    np.testing.assert_allclose(w, [8 / 18, 8 / 18, 2 / 18])


@pytest.mark.parametrize("order", [[], [0, 1], [1, 3], [1.5, 2], [[1, 2]]])
def test_rank_order_centroid_rejects_bad_ranks(order):
    with pytest.raises(RankingInputError, match="criteria ranks must be whole numbers between 1 and"):
        rank_order_centroid(order)


# --------------------------------------------------------------------------- AHP

# Saaty (1990), "How to make a decision: the Analytic Hierarchy Process",
# European Journal of Operational Research 48, 9-26: the house example.
HOUSE_CRITERIA = [
    [1, 5, 3, 7, 6, 6, 1 / 3, 1 / 4],
    [1 / 5, 1, 1 / 3, 5, 3, 3, 1 / 5, 1 / 7],
    [1 / 3, 3, 1, 6, 3, 4, 6, 1 / 5],
    [1 / 7, 1 / 5, 1 / 6, 1, 1 / 3, 1 / 4, 1 / 7, 1 / 8],
    [1 / 6, 1 / 3, 1 / 3, 3, 1, 1 / 2, 1 / 5, 1 / 6],
    [1 / 6, 1 / 3, 1 / 4, 4, 2, 1, 1 / 5, 1 / 6],
    [3, 5, 1 / 6, 7, 5, 5, 1, 1 / 2],
    [4, 7, 5, 8, 6, 6, 2, 1],
]


def test_ahp_saaty_1990_house_criteria():
    """Published: priorities .173 .054 .188 .018 .031 .036 .167 .333;
    λmax = 9.669, C.I. = 0.238, C.R. = 0.169 (above 0.10: revisit)."""
    result = ahp(HOUSE_CRITERIA)
    np.testing.assert_allclose(result.weights, [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333], atol=5e-4)
    assert result.lambda_max == pytest.approx(9.669, abs=5e-4)
    assert result.ci == pytest.approx(0.238, abs=5e-4)
    assert result.ri == 1.41
    assert result.cr == pytest.approx(0.169, abs=5e-4)
    assert not result.consistent
    assert result.warning is not None and "0.169 is above 0.10" in result.warning


def test_ahp_saaty_1990_size_of_house():
    """Same paper, houses A, B, C compared on size: .754 .181 .065;
    λmax = 3.136, C.I. = 0.068, C.R. = 0.117."""
    result = ahp([[1, 6, 8], [1 / 6, 1, 4], [1 / 8, 1 / 4, 1]], ["A", "B", "C"])
    np.testing.assert_allclose(result.weights, [0.754, 0.181, 0.065], atol=5e-4)
    assert result.lambda_max == pytest.approx(3.136, abs=5e-4)
    assert result.ci == pytest.approx(0.068, abs=5e-4)
    assert result.cr == pytest.approx(0.117, abs=5e-4)
    assert result.criteria == ("A", "B", "C")
    assert result.warning is not None


def test_ahp_saaty_2008_drinks_consumption():
    """Saaty (2008), "Decision making with the analytic hierarchy process",
    Int. J. Services Sciences 1(1), 83-98: relative consumption of drinks in
    the US; derived .177 .019 .042 .116 .190 .129 .327 (acceptably consistent)."""
    matrix = [
        [1, 9, 5, 2, 1, 1, 1 / 2],
        [1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
        [1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9],
        [1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
        [1, 9, 4, 2, 1, 2, 1 / 2],
        [1, 9, 3, 1, 1 / 2, 1, 1 / 3],
        [2, 9, 9, 3, 2, 3, 1],
    ]
    result = ahp(matrix)
    np.testing.assert_allclose(result.weights, [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327], atol=5e-4)
    assert result.consistent and result.warning is None
    assert result.cr < CR_THRESHOLD


def test_saaty_random_index_is_the_1980_table():
    assert SAATY_RANDOM_INDEX == {
        1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49,
    }
    assert CR_THRESHOLD == 0.10


def test_cr_is_zero_for_two_or_fewer_criteria():
    two = ahp([[1, 9], [1 / 9, 1]])
    np.testing.assert_allclose(two.weights, [0.9, 0.1])
    assert (two.ci, two.cr) == (0.0, 0.0)
    one = ahp([[1]])
    assert one.weights.tolist() == [1.0] and one.cr == 0.0


def test_consistent_matrix_recovers_its_weights():
    w = np.array([0.5, 0.3, 0.15, 0.05])
    result = ahp(w[:, None] / w[None, :])
    np.testing.assert_allclose(result.weights, w)
    assert result.lambda_max == pytest.approx(4.0)
    assert result.cr == pytest.approx(0.0, abs=1e-12)


def test_reciprocity_error_names_the_pair():
    matrix = [[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 3, 1]]
    with pytest.raises(
        RankingInputError,
        match=r"not reciprocal: 'Severity' vs 'Evidence' is 2 but 'Evidence' vs 'Severity' is 0\.333333 "
        r"\(expected 0\.5\)",
    ):
        ahp(matrix, ["Need", "Severity", "Evidence"])


def test_judgements_written_to_three_decimals_are_reciprocal_enough():
    # Consistent with weights 18 : 3 : 2, reciprocals rounded to three decimals.
    result = ahp([[1, 6, 9], [0.167, 1, 1.5], [0.111, 0.667, 1]])
    np.testing.assert_allclose(result.weights, [18 / 23, 3 / 23, 2 / 23], atol=2e-3)
    assert result.cr < 0.01


def test_pairwise_matrix_is_validated():
    with pytest.raises(RankingInputError, match=r"pairwise judgement 'b' vs 'a' must be a positive number, not -2"):
        check_pairwise([[1, 2], [-2, 1]], ["a", "b"])
    with pytest.raises(RankingInputError, match="the diagonal entry for 'b' must be 1, not 2"):
        check_pairwise([[1, 1], [1, 2]], ["a", "b"])
    with pytest.raises(RankingInputError, match="must be square"):
        check_pairwise([[1, 2, 3], [1, 1, 1]])
    with pytest.raises(RankingInputError, match=r"3 names for a 2 × 2 pairwise matrix"):
        ahp([[1, 2], [0.5, 1]], ["a", "b", "c"])
    with pytest.raises(RankingInputError, match="at most 10 criteria"):
        ahp(np.ones((11, 11)))


def test_group_judgements_combine_by_geometric_mean_and_stay_reciprocal():
    a = np.array([[1, 2, 4], [1 / 2, 1, 3], [1 / 4, 1 / 3, 1]])
    b = np.array([[1, 8, 1], [1 / 8, 1, 1 / 3], [1, 3, 1]])
    group = combine_pairwise([a, b])
    np.testing.assert_allclose(group[0], [1, 4, 2])
    np.testing.assert_allclose(group[1, 2], 1.0)
    np.testing.assert_array_equal(np.diag(group), 1.0)
    np.testing.assert_allclose(group * group.T, 1.0, rtol=1e-15)
    ahp(group)  # a valid pairwise matrix


def test_combine_pairwise_is_validated():
    with pytest.raises(RankingInputError, match="no pairwise matrices"):
        combine_pairwise([])
    with pytest.raises(RankingInputError, match=r"same size, not \[2, 3\]"):
        combine_pairwise([np.ones((2, 2)), np.ones((3, 3))])
    with pytest.raises(RankingInputError, match="not reciprocal"):
        combine_pairwise([np.array([[1, 2], [2, 1]])])
