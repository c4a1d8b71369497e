"""ranking.sensitivity: one-way thresholds, SMAA-2, bootstrap, method agreement.

Most rooms here are built from *normalised* values n in [0, 1] scored on a
1–5 scale as x = 1 + 4n, so that the weighted-sum score of a priority is
simply Σ_c w_c·n_c and the algebra in the docstrings can be checked by hand.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import beta

from ranking.methods import Method, RankingOptions, rank, weighted_sum_scores
from ranking.model import Criterion, Direction, Priority, RankingInputError, ScoreSet
from ranking.normalize import Normalization, normalize
from ranking.ranks import top_k_mask
from ranking.resample import resample_counts, top_masks, top_masks_loop
from ranking.sensitivity import (
    DEFAULT_CONCENTRATION,
    SEARCH_TOLERANCE,
    WeightSampling,
    bootstrap,
    method_agreement,
    one_way,
    sample_weights,
    smaa,
    vary_weight,
)

WS = RankingOptions(method=Method.WEIGHTED_SUM)


def room_from_normalized(values, weights, names: str = "ABCDEFGH") -> ScoreSet:
    n = np.asarray(values, dtype=float)
    priorities = tuple(Priority(names[i]) for i in range(n.shape[0]))
    criteria = tuple(Criterion(f"c{c}", w) for c, w in enumerate(weights))
    return ScoreSet(priorities, criteria, 1 + 4 * n)


def top_set(score_set: ScoreSet, options: RankingOptions, weights: np.ndarray, k: int) -> set[str]:
    return set(rank(score_set, options, weights=weights).top(k))


def small_room(seed: int, participants: int = 6, priorities: int = 6, criteria: int = 3) -> ScoreSet:
    """A noisy integer-scored room with two groups and a few "don't know"s."""
    rng = np.random.default_rng(seed)
    scores = rng.integers(1, 6, size=(participants, priorities, criteria)).astype(float)
    scores[rng.random(scores.shape) < 0.1] = np.nan
    weights = rng.dirichlet(np.full(criteria, 3.0))
    return ScoreSet(
        tuple(Priority(f"P{i}") for i in range(priorities)),
        tuple(Criterion(f"c{c}", float(w)) for c, w in enumerate(weights)),
        scores,
        groups=tuple("xy"[p % 2] for p in range(participants)),
    )


# --------------------------------------------------------------------------- vary_weight


def test_vary_weight_rescales_the_others_proportionally():
    w = vary_weight([0.5, 0.3, 0.2], 0, 0.4)
    np.testing.assert_allclose(w, [0.4, 0.6 * 0.6, 0.6 * 0.4])
    np.testing.assert_allclose(vary_weight([0.5, 0.3, 0.2], 2, np.array([0.2]))[0], [0.5, 0.3, 0.2])


def test_vary_weight_when_the_criterion_has_all_the_weight_the_others_share_equally():
    np.testing.assert_allclose(vary_weight([1.0, 0.0, 0.0], 0, 0.4), [0.4, 0.3, 0.3])


def test_vary_weight_of_a_lone_criterion_is_always_one():
    np.testing.assert_array_equal(vary_weight([2.0], 0, np.array([0.0, 0.3])), [[1.0], [1.0]])


def test_vary_weight_refuses_a_weight_outside_0_1():
    with pytest.raises(RankingInputError, match="between 0 and 1"):
        vary_weight([0.5, 0.5], 0, 1.5)


# --------------------------------------------------------------------------- one-way


# Normalised values of the hand example: A is all c0, B all c1 and c2, C middling.
HAND = [[1.0, 0.0, 0.0], [0.0, 1.0, 1.0], [0.5, 0.5, 0.75]]
HAND_WEIGHTS = [0.5, 0.3, 0.2]


def test_one_way_thresholds_match_the_hand_algebra():
    """Weights (0.5, 0.3, 0.2), top 1.  Today A = 0.5, B = 0.5, C = 0.55: C first.

    c0 at t, c1 = 0.6(1−t), c2 = 0.4(1−t):
        A = t, B = 1 − t, C = 0.5t + 0.6(1−t) = 0.6 − 0.1t.
        C > A ⇔ t < 6/11;  C > B ⇔ t > 4/9.  Below 4/9 B leads, above 6/11 A.
    c1 at t, c0 = (5/7)(1−t), c2 = (2/7)(1−t):
        A = (5/7)(1−t), B = t + (2/7)(1−t), C = 0.5t + (4/7)(1−t).
        C > A ⇔ 0.5t > (1/7)(1−t) ⇔ t > 2/9;  C > B ⇔ (2/7)(1−t) > 0.5t ⇔ t < 4/11.
    c2 at t, c0 = 0.625(1−t), c1 = 0.375(1−t):
        A = 0.625(1−t), B = 0.375(1−t) + t, C = 0.75t + 0.5(1−t).
        C > A ⇔ 0.875t > 0.125 ⇔ t > 1/7;  C > B ⇔ 0.125 > 0.375t ⇔ t < 1/3.
    """
    result = one_way(room_from_normalized(HAND, HAND_WEIGHTS), WS, top=1)
    assert result.exact and result.current_top == ("C",)
    expected = {"c0": (4 / 9, 6 / 11, "B", "A"), "c1": (2 / 9, 4 / 11, "A", "B"), "c2": (1 / 7, 1 / 3, "A", "B")}
    for interval in result.thresholds:
        lower, upper, below, above = expected[interval.criterion]
        assert interval.lower == pytest.approx(lower, abs=1e-8)
        assert interval.upper == pytest.approx(upper, abs=1e-8)
        assert interval.top_below == (below,) and interval.top_above == (above,)
    assert list(result.table()["criterion"]) == ["c0", "c1", "c2"]


@pytest.mark.parametrize("method", list(Method))
def test_one_way_just_inside_is_unchanged_and_just_outside_changes(method):
    """Recompute the ranking with ``rank`` at each bound ± ε.  The weighted
    sum is solved to rounding (ε = 1e-7), the others are searched to
    SEARCH_TOLERANCE (ε = 10× that)."""
    score_set = (
        small_room(seed=3) if method in (Method.BORDA, Method.COPELAND) else room_from_normalized(HAND, HAND_WEIGHTS)
    )
    options = RankingOptions(method=method)
    k = 2 if method in (Method.BORDA, Method.COPELAND) else 1
    result = one_way(score_set, options, top=k)
    current = set(result.current_top)
    assert current == set(rank(score_set, options).top(k))
    eps = 1e-7 if method is Method.WEIGHTED_SUM else 10 * SEARCH_TOLERANCE
    checked = 0
    for c, interval in enumerate(result.thresholds):
        for bound, inward in ((interval.lower, +1), (interval.upper, -1)):
            if bound is None:
                continue
            inside = vary_weight(score_set.weights, c, bound + inward * eps)
            outside = vary_weight(score_set.weights, c, bound - inward * eps)
            assert top_set(score_set, options, inside, k) == current
            assert top_set(score_set, options, outside, k) != current
            checked += 1
    assert checked >= 2


def test_one_way_bound_is_none_where_the_set_never_changes():
    """Two criteria, weights (0.6, 0.4), top 2.  With c0 at t:
    A = t, B = 1 − t, C = 0.75t + 0.5(1−t) = 0.5 + 0.25t; at t = 0.6 the top 2
    is {C, A}.  B passes A only for t < 0.5 (and C for t < 0.4), and nothing
    passes A or C for t > 0.5, so c0's interval is (0.5, None)."""
    room = room_from_normalized([[1.0, 0.0], [0.0, 1.0], [0.75, 0.5]], [0.6, 0.4])
    interval = one_way(room, WS, top=2).interval("c0")
    assert interval.lower == pytest.approx(0.5, abs=1e-8)
    assert interval.upper is None and interval.top_above == ()
    assert set(interval.top_below) == {"B", "C"}  # B replaces A


def test_one_way_tie_at_the_cut_gives_a_hair_wide_interval():
    """Weights (0.5, 0.5), top 2: A = B = 0.5 tie behind C = 0.625, so the
    min-rank rule puts all three in the top 2.  Any real move of a weight
    breaks the tie, so the interval is the tie tolerance around 0.5."""
    room = room_from_normalized([[1.0, 0.0], [0.0, 1.0], [0.75, 0.5]], [0.5, 0.5])
    result = one_way(room, WS, top=2)
    assert set(result.current_top) == {"A", "B", "C"}
    for interval in result.thresholds:
        assert interval.lower == pytest.approx(0.5, abs=1e-8) and interval.upper == pytest.approx(0.5, abs=1e-8)


def test_one_way_with_all_weight_on_one_criterion_shares_the_rest_equally():
    """Weights (1, 0, 0), top 1, the hand example's values.
    c0 at t, the others (1−t)/2 each: A = t, B = 1−t, C = 0.5t + 0.625(1−t).
    A leads B for t > 1/2 and C for t > 5/9: interval (5/9, None).
    c1 (weight 0) at t, c0 = 1−t, c2 = 0: A = 1−t, B = t, C = 0.5; all three
    tie at t = 1/2, beyond which B leads: interval (None, 1/2)."""
    result = one_way(room_from_normalized(HAND, [1.0, 0.0, 0.0]), WS, top=1)
    c0, c1 = result.interval("c0"), result.interval("c1")
    assert c0.lower == pytest.approx(5 / 9, abs=1e-8) and c0.upper is None and c0.top_below == ("C",)
    assert c1.lower is None and c1.upper == pytest.approx(0.5, abs=1e-8) and c1.top_above == ("B",)


def test_one_way_lone_criterion_never_changes():
    result = one_way(room_from_normalized([[0.2], [0.9]], [1.0]), WS, top=1)
    assert (result.thresholds[0].lower, result.thresholds[0].upper) == (None, None)


@pytest.mark.parametrize("method", [Method.WEIGHTED_SUM, Method.TOPSIS, Method.BORDA])
def test_one_way_sweep_scores_are_the_methods_scores(method):
    room = small_room(seed=5)
    options = RankingOptions(method=method)
    result = one_way(room, options, top=2, grid=11)
    assert result.sweep_scores.shape == (3, 11, 6) and result.grid.shape == (11,)
    for c in range(3):
        for g in (0, 4, 10):
            expected = rank(room, options, weights=vary_weight(room.weights, c, result.grid[g])).scores
            np.testing.assert_allclose(result.sweep_scores[c, g], expected, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    data=st.data(),
    n=st.integers(3, 6),
    c=st.integers(2, 4),
)
def test_exact_interval_agrees_with_a_dense_sweep(data, n, c):
    """Every point of a 4001-point sweep strictly inside the solved interval
    keeps the current set, and the set has changed just past each bound."""
    values = np.array(data.draw(st.lists(st.floats(0, 1), min_size=n * c, max_size=n * c))).reshape(n, c)
    raw = data.draw(st.lists(st.floats(0.05, 1), min_size=c, max_size=c))
    k = data.draw(st.integers(1, n - 1))
    room = room_from_normalized(values, raw)
    result = one_way(room, WS, top=k)
    normalized = normalize(np.asarray(1 + 4 * values), room.criteria, Normalization.SCALE)
    ts = np.linspace(0, 1, 4001)
    current = top_k_mask(weighted_sum_scores(normalized, room.weights), k)
    for ci, interval in enumerate(result.thresholds):
        sets = top_k_mask(weighted_sum_scores(normalized, vary_weight(room.weights, ci, ts)), k)
        lower = -np.inf if interval.lower is None else interval.lower + 1e-9
        upper = np.inf if interval.upper is None else interval.upper - 1e-9
        inside = (ts > lower) & (ts < upper)
        assert (sets[inside] == current).all()
        for bound, step in ((interval.lower, -1e-7), (interval.upper, 1e-7)):
            if bound is not None and 0 <= bound + step <= 1:
                beyond = top_k_mask(weighted_sum_scores(normalized, vary_weight(room.weights, ci, bound + step)), k)
                assert (beyond != current).any()


def test_one_way_refuses_a_bad_top_or_grid():
    room = room_from_normalized(HAND, HAND_WEIGHTS)
    with pytest.raises(RankingInputError, match="shortlist size must be a whole number from 1 to 3"):
        one_way(room, WS, top=0)
    with pytest.raises(RankingInputError, match="shortlist size must be a whole number from 1 to 3"):
        one_way(room, WS, top=4)
    with pytest.raises(RankingInputError, match="grid"):
        one_way(room, WS, top=1, grid=1)


# --------------------------------------------------------------------------- SMAA-2

TWO = [[1.0, 0.0], [0.5, 0.75]]  # A = t, B = 0.75 − 0.25t with w = (t, 1 − t)


def test_smaa_uniform_two_criteria_matches_the_winning_interval():
    """Lahdelma & Salminen (2001) SMAA-2 on a case with a closed form.  With
    two criteria a uniform weight vector is (t, 1 − t), t ~ U(0, 1).
    A = t, B = 0.5t + 0.75(1−t) = 0.75 − 0.25t, so A is first iff t > 0.6:
    P(A first) = 0.4, and the central weights are the interval midpoints:
    A (0.8, 0.2), B (0.3, 0.7).  20,000 samples: sd of a share ≈ 0.0035."""
    result = smaa(room_from_normalized(TWO, [0.5, 0.5]), WS, top=1, samples=20000, seed=7)
    assert result.p_first == pytest.approx([0.4, 0.6], abs=0.015)
    np.testing.assert_allclose(result.p_top, result.p_first)
    np.testing.assert_allclose(result.central_weights, [[0.8, 0.2], [0.3, 0.7]], atol=0.01)
    np.testing.assert_allclose(result.rank_acceptability.sum(axis=1), 1.0)
    assert (result.seed, result.samples, result.sampling) == (7, 20000, WeightSampling.UNIFORM)
    assert list(result.table()["priority"]) == ["B", "A"]


def test_smaa_around_the_agreed_weights_matches_the_beta_distribution():
    """Dirichlet(κ·(0.5, 0.5)) with κ = 50: w_0 ~ Beta(25, 25), so
    P(A first) = P(w_0 > 0.6) = Beta(25, 25).sf(0.6)."""
    result = smaa(room_from_normalized(TWO, [0.5, 0.5]), WS, top=1, samples=20000, sampling="around", seed=3)
    assert result.concentration == DEFAULT_CONCENTRATION
    assert result.p_first[0] == pytest.approx(beta.sf(0.6, 25, 25), abs=0.01)


def test_sample_weights_around_keeps_a_switched_off_criterion_at_zero():
    w = sample_weights(np.random.default_rng(0), 500, WeightSampling.AROUND, [0.7, 0.0, 0.3], concentration=20)
    assert (w[:, 1] == 0).all()
    np.testing.assert_allclose(w.sum(axis=1), 1.0)
    assert w[:, 0].mean() == pytest.approx(0.7, abs=0.02)


def test_sample_weights_uniform_is_on_the_simplex():
    w = sample_weights(np.random.default_rng(0), 1000, "uniform", [1, 1, 1, 1])
    assert w.shape == (1000, 4) and (w >= 0).all()
    np.testing.assert_allclose(w.sum(axis=1), 1.0)
    assert w.mean(axis=0) == pytest.approx([0.25] * 4, abs=0.02)


def test_sample_weights_from_participants_uses_only_their_vectors():
    vectors = [[30, 10], [0, 0], [0, 50]]  # the empty allocation is dropped
    w = sample_weights(np.random.default_rng(1), 400, "participants", [0.5, 0.5], participant_vectors=vectors)
    rows = {tuple(row) for row in w}
    assert rows == {(0.75, 0.25), (0.0, 1.0)}


def test_sample_weights_from_participants_refuses_bad_vectors():
    rng = np.random.default_rng(0)
    with pytest.raises(RankingInputError, match="needs the participants"):
        sample_weights(rng, 10, "participants", [0.5, 0.5])
    with pytest.raises(RankingInputError, match="'Severity'"):
        sample_weights(rng, 10, "participants", [0.5, 0.5], participant_vectors=[[1, -1]], names=("Need", "Severity"))
    with pytest.raises(RankingInputError, match="any weight"):
        sample_weights(rng, 10, "participants", [0.5, 0.5], participant_vectors=[[0, 0]])
    with pytest.raises(RankingInputError, match="weight sampling"):
        sample_weights(rng, 10, "bogus", [0.5, 0.5])
    with pytest.raises(RankingInputError, match="concentration"):
        sample_weights(rng, 10, "around", [0.5, 0.5], concentration=0)


def test_smaa_with_participant_vectors_reflects_their_share():
    """Half the vectors are (1, 0) (A first: A = 1 > B = 0.5), half (0, 1)
    (B first): P(A first) ≈ 0.5 and A's central weights are exactly (1, 0)."""
    result = smaa(
        room_from_normalized(TWO, [0.5, 0.5]),
        WS,
        top=1,
        samples=4000,
        sampling="participants",
        participant_vectors=[[1, 0], [0, 1]],
        seed=2,
    )
    assert result.p_first[0] == pytest.approx(0.5, abs=0.03)
    np.testing.assert_array_equal(result.central_weights[0], [1.0, 0.0])


def test_smaa_dominated_priority_never_ranks_first():
    """D is worse than A on every criterion, so no weights put it first; its
    central-weight row is NaN."""
    room = room_from_normalized([[1.0, 0.0, 0.5], [0.0, 1.0, 0.5], [0.5, 0.5, 1.0], [0.4, 0.0, 0.25]], [1, 1, 1])
    result = smaa(room, RankingOptions(method=Method.TOPSIS), top=1, samples=5000)
    assert result.rank_acceptability[3, 0] == 0 and result.p_top[3] == 0
    assert np.isnan(result.central_weights[3]).all()


def test_smaa_symmetric_priorities_get_equal_acceptability():
    """A = (1, 0) and B = (0, 1) are mirror images and the uniform simplex is
    symmetric, so their rank acceptabilities agree up to sampling error."""
    room = room_from_normalized([[1.0, 0.0], [0.0, 1.0], [0.3, 0.3]], [1, 1])
    result = smaa(room, WS, top=1, samples=20000, seed=11)
    np.testing.assert_allclose(result.rank_acceptability[0], result.rank_acceptability[1], atol=0.02)
    assert result.p_first[0] == pytest.approx(0.5, abs=0.02)


def test_smaa_is_reproducible_with_the_same_seed():
    room = small_room(seed=1)
    first = smaa(room, WS, top=2, samples=3000, seed=42)
    again = smaa(room, WS, top=2, samples=3000, seed=42)
    other = smaa(room, WS, top=2, samples=3000, seed=43)
    np.testing.assert_array_equal(first.rank_acceptability, again.rank_acceptability)
    np.testing.assert_array_equal(first.central_weights, again.central_weights)
    assert not np.array_equal(first.rank_acceptability, other.rank_acceptability)


@pytest.mark.parametrize("method", list(Method))
def test_vectorised_smaa_equals_ranking_each_sample(method):
    """The batch scoring must rank every sample exactly as ``rank`` does."""
    room = small_room(seed=9)
    options = RankingOptions(method=method)
    result = smaa(room, options, top=2, samples=150, seed=4)
    weights = sample_weights(np.random.default_rng(4), 150, "uniform", room.weights)
    ranks = np.stack([rank(room, options, weights=w).ranks for w in weights])
    expected = np.stack([(ranks == r + 1).mean(axis=0) for r in range(6)], axis=1)
    np.testing.assert_array_equal(result.rank_acceptability, expected)
    np.testing.assert_array_equal(result.p_top, (ranks <= 2).mean(axis=0))


# --------------------------------------------------------------------------- bootstrap


@pytest.mark.parametrize(
    "options",
    [WS, RankingOptions(method=Method.TOPSIS), RankingOptions(aggregation="median"), RankingOptions(method="borda")],
)
def test_bootstrap_of_identical_participants_is_certain(options):
    one = small_room(seed=2, participants=1).scores
    room = ScoreSet(small_room(seed=2).priorities, small_room(seed=2).criteria, np.repeat(one, 8, axis=0))
    result = bootstrap(room, options, top=2, resamples=200, seed=1)
    expected = [name in rank(room, options).top(2) for name in room.priority_names]
    np.testing.assert_array_equal(result.p_top, np.array(expected, dtype=float))


def awkward_room() -> ScoreSet:
    """Missing answers, a cell only one participant scored (so many resamples
    leave it empty), a cost criterion and a criterion with no scale."""
    rng = np.random.default_rng(12)
    scores = rng.integers(1, 6, size=(7, 5, 3)).astype(float)
    scores[:, :, 2] = rng.uniform(0, 40, size=(7, 5))
    scores[rng.random(scores.shape) < 0.15] = np.nan
    scores[1:, 3, 0] = np.nan
    scores[:, 4, 2] = np.nan  # nobody scored P4 on "cost": its midpoint comes from each resample's range
    criteria = (
        Criterion("need", 0.5),
        Criterion("cost", 0.2, Direction.COST),
        Criterion("hours", 0.3, scale_min=None, scale_max=None),
    )
    return ScoreSet(tuple(Priority(f"P{i}") for i in range(5)), criteria, scores)


@pytest.mark.parametrize(
    "options",
    [
        WS,
        RankingOptions(method=Method.TOPSIS),
        RankingOptions(normalization="minmax"),
        RankingOptions(method=Method.TOPSIS, normalization="max"),
        RankingOptions(aggregation="median"),
        RankingOptions(method=Method.TOPSIS, aggregation="median"),
        RankingOptions(aggregation="median", normalization="minmax"),
    ],
)
def test_vectorised_bootstrap_equals_the_loop_on_the_same_resamples(options):
    room = awkward_room()
    indices = np.random.default_rng(5).integers(0, 7, size=(300, 7))
    np.testing.assert_array_equal(
        top_masks(room, options, 2, indices), top_masks_loop(room, options, 2, indices)
    )


def test_resampled_medians_are_nanmedians_of_the_draws(monkeypatch):
    """Even and odd numbers of answers, cells nobody drawn answered, chunks of one resample."""
    import ranking.resample as resample

    room = awkward_room()
    indices = np.random.default_rng(6).integers(0, 7, size=(50, 7))
    monkeypatch.setattr(resample, "MEDIAN_CELLS", 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = np.stack([np.nanmedian(room.scores[row], axis=0) for row in indices])
    np.testing.assert_array_equal(resample.resampled_medians(room.scores, indices), expected)


def test_vectorised_bootstrap_refuses_a_resample_with_no_scores_on_an_unscaled_criterion():
    scores = np.full((3, 2, 2), 3.0)
    scores[1:, :, 1] = np.nan  # only participant 0 scored "hours"
    room = ScoreSet(
        (Priority("A"), Priority("B")), (Criterion("need"), Criterion("hours", scale_min=None, scale_max=None)), scores
    )
    indices = np.array([[1, 2, 1]])
    for masks in (top_masks, top_masks_loop):
        with pytest.raises(RankingInputError, match="'hours'"):
            masks(room, WS, 1, indices)


def test_resample_counts_are_multinomial_counts():
    counts = resample_counts(np.array([[0, 0, 2], [1, 2, 1]]), 3)
    np.testing.assert_array_equal(counts, [[2, 0, 1], [0, 2, 1]])


def test_bootstrap_is_reproducible_and_records_its_seed():
    room = small_room(seed=4, participants=10)
    first, again = bootstrap(room, WS, top=3, resamples=300, seed=9), bootstrap(room, WS, top=3, resamples=300, seed=9)
    np.testing.assert_array_equal(first.p_top, again.p_top)
    assert (first.seed, first.resamples, first.top) == (9, 300, 3)
    assert ((first.p_top >= 0) & (first.p_top <= 1)).all()
    assert first.p_top.sum() >= 3  # at least k priorities are in every resample's top k


# --------------------------------------------------------------------------- method agreement


def test_method_agreement_shapes_and_intersection():
    """Two criteria, weights (0.5, 0.5); raw scores A (5, 1), B (1, 5), C (4, 3).
    Weighted sum, Borda and Copeland (one participant): C = 0.625 first, A and
    B tied at 0.5, so their top 2 is all three.  TOPSIS (vector norms √42,
    √35): closeness A 0.477, B 0.523, C 0.607, so its top 2 is C, B.
    Agreed: C then B (mean ranks 1 and 2)."""
    room = room_from_normalized([[1.0, 0.0], [0.0, 1.0], [0.75, 0.5]], [0.5, 0.5])
    result = method_agreement(room, top=2)
    assert result.methods == tuple(Method)
    assert result.ranks.shape == (4, 3)
    assert len(result.tops) == 4
    assert set(result.tops[0]) == {"A", "B", "C"}
    assert result.tops[1] == ("C", "B")
    np.testing.assert_array_equal(result.ranks[1], [3, 2, 1])
    assert result.agreed == ("C", "B")
    for top in result.tops:
        assert set(result.agreed) <= set(top)
