"""Ranking methods, normalisation and the tie rule, checked against published
worked examples and hand computation."""

from __future__ import annotations

import numpy as np
import pytest
from pymcdm import normalizations
from pymcdm.methods import TOPSIS

from ranking.methods import (
    Method,
    RankingOptions,
    borda_points,
    copeland_points,
    pairwise_preferences,
    participant_utilities,
    rank,
    topsis_parts,
    topsis_scores,
    weighted_sum_scores,
)
from ranking.model import Criterion, Priority, RankingInputError, ScoreSet
from ranking.normalize import Normalization, normalize
from ranking.ranks import TIE_RULE, display_order, min_ranks, top_k_mask

NAN = np.nan


def unscaled(names, cost=()) -> list[Criterion]:
    return [
        Criterion(n, direction="cost" if n in cost else "benefit", scale_min=None, scale_max=None) for n in names
    ]


# --------------------------------------------------------------------------- TOPSIS references

# Hwang & Yoon (1981), Multiple Attribute Decision Making, pp. 133-134: fighter aircraft.
# Criteria: max speed, ferry range, max payload, acquisition cost (cost), reliability, manoeuvrability.
AIRCRAFT = np.array(
    [
        [2.0, 1500, 20000, 5.5, 5, 9],
        [2.5, 2700, 18000, 6.5, 3, 5],
        [1.8, 2000, 21000, 4.5, 7, 7],
        [2.2, 1800, 20000, 5.0, 5, 5],
    ]
)
AIRCRAFT_WEIGHTS = np.array([0.2, 0.1, 0.1, 0.1, 0.2, 0.3])
AIRCRAFT_CRITERIA = unscaled(["speed", "range", "payload", "cost", "reliability", "manoeuvrability"], cost={"cost"})


def test_topsis_hwang_yoon_1981_fighter_aircraft_closeness():
    parts = topsis_parts(normalize(AIRCRAFT, AIRCRAFT_CRITERIA, "vector"), AIRCRAFT_WEIGHTS)
    # Published relative closeness C*, to the published three decimals (the
    # book divides its rounded separations: 0.0920/0.1500 = 0.613 for our 0.6135).
    np.testing.assert_allclose(parts.closeness, [0.643, 0.268, 0.613, 0.312], atol=1e-3)
    assert min_ranks(parts.closeness).tolist() == [1, 4, 2, 3]
    # Published separation measures (four decimals; the book rounded its
    # intermediate tables, hence one unit of slack in the last place).
    np.testing.assert_allclose(parts.dist_ideal, [0.0545, 0.1197, 0.0580, 0.1009], atol=1e-4)
    np.testing.assert_allclose(parts.dist_anti, [0.0983, 0.0439, 0.0920, 0.0458], atol=1e-4)


def test_topsis_hwang_yoon_1981_fighter_aircraft_through_rank():
    """The same example end to end: one evaluation matrix, unscaled criteria."""
    criteria = [
        Criterion(c.name, w, c.direction, None, None)
        for c, w in zip(AIRCRAFT_CRITERIA, AIRCRAFT_WEIGHTS, strict=True)
    ]
    ss = ScoreSet([Priority(f"A{i + 1}") for i in range(4)], criteria, AIRCRAFT)
    result = rank(ss, RankingOptions(method=Method.TOPSIS))
    assert result.options.normalization is Normalization.VECTOR
    np.testing.assert_allclose(result.scores, [0.643, 0.268, 0.613, 0.312], atol=1e-3)
    assert result.top(2) == ("A1", "A3")
    assert result.ideal is not None and result.dist_anti is not None


def test_topsis_matches_pymcdm_vector_topsis_including_a_cost_criterion():
    ours = topsis_scores(normalize(AIRCRAFT, AIRCRAFT_CRITERIA, "vector"), AIRCRAFT_WEIGHTS)
    types = np.array([1, 1, 1, -1, 1, 1])
    theirs = TOPSIS(normalizations.vector_normalization)(AIRCRAFT, AIRCRAFT_WEIGHTS, types)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def test_min_max_topsis_differs_so_the_default_is_vector():
    """docs/ARCHITECTURE.md §3: min–max TOPSIS gives other numbers on the same data; it
    is only used when asked for."""
    assert RankingOptions(method=Method.TOPSIS).normalization is Normalization.VECTOR
    minmax = topsis_scores(normalize(AIRCRAFT, AIRCRAFT_CRITERIA, "minmax"), AIRCRAFT_WEIGHTS)
    vector = topsis_scores(normalize(AIRCRAFT, AIRCRAFT_CRITERIA, "vector"), AIRCRAFT_WEIGHTS)
    assert not np.allclose(minmax, vector, atol=1e-3)
    np.testing.assert_allclose(minmax, TOPSIS()(AIRCRAFT, AIRCRAFT_WEIGHTS, np.array([1, 1, 1, -1, 1, 1])))


def test_topsis_tzeng_huang_2011_closeness():
    """Tzeng & Huang (2011), Multiple Attribute Decision Making: Methods and
    Applications, CRC Press, TOPSIS example (as reproduced in scikit-criteria's
    test suite): closeness 0.5037, 0.6581, 0.7482, 0.3340."""
    matrix = np.array([[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]], dtype=float)
    closeness = topsis_scores(normalize(matrix, unscaled("abc"), "vector"), np.array([0.3, 0.4, 0.3]))
    np.testing.assert_allclose(closeness, [0.5037, 0.6581, 0.7482, 0.3340], atol=1e-4)


def test_topsis_of_identical_priorities_is_one_half():
    parts = topsis_parts(np.ones((3, 2)), np.array([0.5, 0.5]))
    np.testing.assert_allclose(parts.closeness, [0.5, 0.5, 0.5])


def test_topsis_and_weighted_sum_batch_over_weight_samples():
    normalized = normalize(AIRCRAFT, AIRCRAFT_CRITERIA, "vector")
    samples = np.array([AIRCRAFT_WEIGHTS, np.full(6, 1 / 6)])
    batch = topsis_scores(normalized, samples)
    assert batch.shape == (2, 4)
    np.testing.assert_allclose(batch[1], topsis_scores(normalized, samples[1]))
    sums = weighted_sum_scores(normalized, samples)
    np.testing.assert_allclose(sums[0], normalized @ AIRCRAFT_WEIGHTS)


# --------------------------------------------------------------------------- weighted sum


def test_weighted_sum_with_scale_normalisation_hand_computed():
    """Need 1..5 (weight 2), Cost 1..5 (cost, weight 1), Evidence 0..10 (weight 1).

    A = (4, 2, 5) → (0.75, 0.75, 0.5) → 0.5·0.75 + 0.25·0.75 + 0.25·0.5 = 0.6875
    B = (5, 5, 10) → (1, 0, 1)        → 0.5 + 0 + 0.25                  = 0.75
    C = (2, 1, 0) → (0.25, 1, 0)      → 0.125 + 0.25 + 0                = 0.375
    D = (3, 3, 5) → (0.5, 0.5, 0.5)   →                                   0.5
    """
    criteria = [
        Criterion("Need", 2),
        Criterion("Cost", 1, "cost"),
        Criterion("Evidence", 1, scale_min=0, scale_max=10),
    ]
    ss = ScoreSet([Priority(n) for n in "ABCD"], criteria, [[4, 2, 5], [5, 5, 10], [2, 1, 0], [3, 3, 5]])
    result = rank(ss)
    assert result.method is Method.WEIGHTED_SUM
    np.testing.assert_allclose(result.weights, [0.5, 0.25, 0.25])
    np.testing.assert_allclose(result.normalized[0], [0.75, 0.75, 0.5])
    np.testing.assert_allclose(result.scores, [0.6875, 0.75, 0.375, 0.5])
    assert result.ranks.tolist() == [2, 1, 4, 3]
    table = result.table()
    assert table["priority"].tolist() == ["B", "A", "D", "C"]
    assert table["rank"].tolist() == [1, 2, 3, 4]
    working = result.working("A")
    np.testing.assert_allclose(working["weighted"], [0.375, 0.1875, 0.125])
    assert working["weighted"].sum() == pytest.approx(0.6875)


def test_rank_weights_override_is_normalised_and_validated():
    criteria = [Criterion("Need"), Criterion("Cost", direction="cost")]
    ss = ScoreSet([Priority("A"), Priority("B")], criteria, [[5, 5], [1, 1]])
    result = rank(ss, weights=[3, 1])
    np.testing.assert_allclose(result.weights, [0.75, 0.25])
    np.testing.assert_allclose(result.scores, [0.75, 0.25])
    with pytest.raises(RankingInputError, match="3 weights for 2 criteria"):
        rank(ss, weights=[1, 1, 1])
    with pytest.raises(RankingInputError, match="weight of criterion 'Cost' must be a non-negative number"):
        rank(ss, weights=[1, -1])


def test_working_of_unknown_priority_is_named():
    ss = ScoreSet([Priority("A")], [Criterion("Need")], [[3]])
    with pytest.raises(RankingInputError, match="unknown priority 'Z'"):
        rank(ss).working("Z")


def test_top_k_keeps_ties_at_the_cut():
    ss = ScoreSet([Priority(n) for n in "ABCD"], [Criterion("Need")], [[5], [3], [3], [1]])
    result = rank(ss)
    assert result.ranks.tolist() == [1, 2, 2, 4]
    assert result.top(2) == ("A", "B", "C")
    assert result.tie_rule == TIE_RULE


# --------------------------------------------------------------------------- Borda and Copeland

# Wikipedia, "Borda count" and "Copeland's method": the Tennessee capital
# election.  Shares of 100 voters and their rankings (best first).
TENNESSEE = ("Memphis", "Nashville", "Chattanooga", "Knoxville")
BALLOTS = [
    (42, ("Memphis", "Nashville", "Chattanooga", "Knoxville")),
    (26, ("Nashville", "Chattanooga", "Knoxville", "Memphis")),
    (15, ("Chattanooga", "Knoxville", "Nashville", "Memphis")),
    (17, ("Knoxville", "Chattanooga", "Nashville", "Memphis")),
]


def ballot_utilities() -> tuple[np.ndarray, np.ndarray]:
    counts = np.array([n for n, _ in BALLOTS], dtype=float)
    utilities = np.array([[3 - order.index(city) for city in TENNESSEE] for _, order in BALLOTS], dtype=float)
    return utilities, counts


def test_borda_tennessee_capital_example():
    utilities, counts = ballot_utilities()
    prefer = pairwise_preferences(utilities, counts)
    # Published Borda scores per 100 voters: Memphis 126, Nashville 194, Chattanooga 173, Knoxville 107.
    np.testing.assert_allclose(borda_points(prefer) * 100, [126, 194, 173, 107])
    # Pairwise: 58 % prefer Nashville to Memphis, 68 % Nashville to Chattanooga.
    assert prefer[1, 0] == pytest.approx(0.58)
    assert prefer[1, 2] == pytest.approx(0.68)


def test_copeland_tennessee_capital_example():
    utilities, counts = ballot_utilities()
    points = copeland_points(pairwise_preferences(utilities, counts))
    # Nashville beats all three (Condorcet winner), Chattanooga two, Knoxville one, Memphis none.
    np.testing.assert_allclose(points, [0, 3, 2, 1])


def tennessee_room() -> ScoreSet:
    """The election as a workshop: 100 participants score each city 1..4."""
    rows = [[[4 - order.index(city)] for city in TENNESSEE] for n, order in BALLOTS for _ in range(n)]
    return ScoreSet([Priority(c) for c in TENNESSEE], [Criterion("Preference", scale_min=1, scale_max=4)], rows)


def test_borda_and_copeland_tennessee_through_rank():
    ss = tennessee_room()
    borda = rank(ss, RankingOptions(method="borda"))
    np.testing.assert_allclose(borda.scores * 100, [126, 194, 173, 107])
    assert borda.ranks.tolist() == [3, 1, 2, 4]
    assert borda.pairwise is not None
    copeland = rank(ss, RankingOptions(method="copeland"))
    np.testing.assert_allclose(copeland.scores, [0, 3, 2, 1])
    # The weighted sum of the mean score agrees with Borda here (same points).
    np.testing.assert_array_equal(rank(ss).ranks, borda.ranks)


def test_borda_gives_half_a_point_for_a_tie():
    utilities = np.array([[1.0, 1.0, 0.0]])  # A ties B, both beat C
    np.testing.assert_allclose(borda_points(pairwise_preferences(utilities, np.ones(1))), [1.5, 1.5, 0])


def test_copeland_gives_half_a_point_for_a_pairwise_tie():
    utilities = np.array([[2.0, 1.0, 0.0], [1.0, 2.0, 0.0]])  # A vs B split 1-1
    points = copeland_points(pairwise_preferences(utilities, np.ones(2)))
    np.testing.assert_allclose(points, [1.5, 1.5, 0])


def test_voter_weights_must_fit_the_participants():
    with pytest.raises(RankingInputError, match="3 voter weights for 2 participants"):
        pairwise_preferences(np.zeros((2, 3)), np.ones(3))
    with pytest.raises(RankingInputError, match="not all zero"):
        pairwise_preferences(np.zeros((2, 3)), np.zeros(2))


def test_a_participant_who_scored_nothing_casts_no_ballot():
    """Regression: blank participants used to vote for the room's ranking."""
    criteria = [Criterion("Need"), Criterion("Cost", direction="cost")]
    voters = [[[5, 1], [1, 5], [3, 3]], [[1, 5], [5, 1], [3, 3]], [[1, 5], [5, 1], [3, 3]]]
    blank = [[[NAN, NAN]] * 3] * 3
    priorities = [Priority(n) for n in "ABC"]
    with_blanks = rank(ScoreSet(priorities, criteria, voters + blank), RankingOptions(method="borda"))
    without = rank(ScoreSet(priorities, criteria, voters), RankingOptions(method="borda"))
    # A wins for one voter of three, B for two; C is everyone's second.
    np.testing.assert_allclose(without.scores, [2 / 3, 4 / 3, 1])
    np.testing.assert_allclose(with_blanks.scores, without.scores)


def test_dont_know_takes_the_room_value_in_a_participants_ranking():
    criteria = [Criterion("Need")]
    scores = [[[5], [NAN]], [[1], [3]], [[3], [5]]]
    ss = ScoreSet([Priority("A"), Priority("B")], criteria, scores)
    room = np.array([[3.0], [4.0]])
    utilities = participant_utilities(ss, np.array([1.0]), room)
    np.testing.assert_allclose(utilities, [[1.0, 0.75], [0.0, 0.5], [0.5, 1.0]])
    batch = participant_utilities(ss, np.array([[1.0], [1.0]]), room)
    assert batch.shape == (2, 3, 2)


def test_group_balanced_borda_gives_each_group_one_voice():
    # Three NHS participants prefer A; one Police participant prefers B.
    scores = [[[5], [1]]] * 3 + [[[1], [5]]]
    ss = ScoreSet([Priority("A"), Priority("B")], [Criterion("Need")], scores, groups=("NHS",) * 3 + ("Police",))
    plain = rank(ss, RankingOptions(method="borda"))
    balanced = rank(ss, RankingOptions(method="borda", balance_groups=True))
    np.testing.assert_allclose(plain.scores, [0.75, 0.25])
    np.testing.assert_allclose(balanced.scores, [0.5, 0.5])
    assert balanced.ranks.tolist() == [1, 1]


def test_method_and_options_are_validated():
    with pytest.raises(RankingInputError, match="method must be one of weighted-sum, topsis, borda, copeland"):
        RankingOptions(method="electre")
    with pytest.raises(RankingInputError, match="normalization must be one of"):
        RankingOptions(normalization="zscore")
    with pytest.raises(RankingInputError, match="min_responses must not be negative"):
        RankingOptions(min_responses=-1)
    assert Method.TOPSIS.label == "TOPSIS"
    # Every closed set of options parses the same way: case and spaces do not matter.
    assert Method.parse(" TOPSIS ") is Method.TOPSIS
    assert Normalization.parse("Vector") is Normalization.VECTOR
    assert Method.parse(Method.BORDA) is Method.BORDA
    assert f"{Method.BORDA}" == "borda"


# --------------------------------------------------------------------------- normalisation


def test_scale_normalisation_ignores_the_observed_data():
    crit = [Criterion("Need"), Criterion("Cost", direction="cost")]
    out = normalize(np.array([[2.0, 2.0], [3.0, 3.0]]), crit, "scale")
    np.testing.assert_allclose(out, [[0.25, 0.75], [0.5, 0.5]])


def test_constant_columns_contribute_nothing_and_never_divide_by_zero():
    crit = unscaled(["benefit", "cost"], cost={"cost"})
    x = np.array([[3.0, 3.0], [3.0, 3.0]])
    with np.errstate(all="raise"):
        np.testing.assert_allclose(normalize(x, crit, "minmax"), 0.0)
        np.testing.assert_allclose(normalize(np.zeros((2, 2)), crit, "vector"), 0.0)
        np.testing.assert_allclose(normalize(np.zeros((2, 2)), crit, "max"), 0.0)
    vector = normalize(x, crit, "vector")
    assert np.ptp(vector, axis=0).tolist() == [0.0, 0.0]


def test_minmax_vector_and_max_hand_computed():
    crit = unscaled(["b", "c"], cost={"c"})
    x = np.array([[1.0, 3.0], [3.0, 4.0]])
    np.testing.assert_allclose(normalize(x, crit, "minmax"), [[0, 1], [1, 0]])
    expected_vector = [[1 / np.sqrt(10), 1 - 3 / 5], [3 / np.sqrt(10), 1 - 4 / 5]]
    np.testing.assert_allclose(normalize(x, crit, "vector"), expected_vector)
    np.testing.assert_allclose(normalize(x, crit, "max"), [[1 / 3, 1 - 3 / 4], [1, 0]])


def test_unscaled_criterion_in_scale_mode_uses_the_observed_range_of_all_participants():
    crit = [Criterion("Rate", scale_min=None, scale_max=None)]
    x = np.array([[[10.0], [20.0]], [[30.0], [NAN]]])
    np.testing.assert_allclose(normalize(x, crit, "scale")[:, :, 0], [[0, 0.5], [1, NAN]])


def test_normalize_validates_its_input():
    crit = [Criterion("Need"), Criterion("Rate", scale_min=None, scale_max=None)]
    with pytest.raises(RankingInputError, match="priorities × 2 criteria"):
        normalize(np.ones((2, 3)), crit)
    with pytest.raises(RankingInputError, match="priorities × 2 criteria"):
        normalize(np.ones(2), crit)
    with pytest.raises(RankingInputError, match="criterion 'Rate' has no scale and no scores"):
        normalize(np.array([[3.0, NAN]]), crit)


# --------------------------------------------------------------------------- ranks


def test_min_ranks_share_the_better_rank_and_skip():
    assert min_ranks([0.2, 0.9, 0.5, 0.9]).tolist() == [4, 1, 3, 1]


def test_min_ranks_tolerate_floating_point_noise():
    assert min_ranks([0.1 + 0.2, 0.3, 0.2]).tolist() == [1, 1, 3]


def test_min_ranks_put_nan_past_every_place_and_never_in_the_top_k():
    assert min_ranks([0.5, NAN, 0.7, NAN]).tolist() == [2, 5, 1, 5]
    assert top_k_mask([0.5, NAN, 0.7, NAN], 4).tolist() == [True, False, True, False]


def test_min_ranks_batch_and_top_k():
    scores = np.array([[1.0, 2.0, 3.0], [3.0, 3.0, 1.0]])
    assert min_ranks(scores).tolist() == [[3, 2, 1], [1, 1, 3]]
    assert top_k_mask(scores, 1).tolist() == [[False, False, True], [True, True, False]]


def test_display_order_is_rank_then_name():
    assert display_order(np.array([2, 1, 1]), ("c", "b", "a")) == [2, 1, 0]
