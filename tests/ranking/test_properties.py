"""Properties of the engine (hypothesis).  Example counts are kept modest:
the suite shares two cores with other work."""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ranking.methods import (
    Method,
    RankingOptions,
    borda_points,
    copeland_points,
    pairwise_preferences,
    rank,
    topsis_scores,
)
from ranking.model import Criterion, Priority, ScoreSet
from ranking.normalize import normalize
from ranking.ranks import TIE_TOLERANCE, min_ranks
from ranking.weights import ahp, combine_pairwise

SETTINGS = settings(max_examples=40, deadline=None)
METHODS = st.sampled_from(list(Method))
CRITERIA = (Criterion("Need"), Criterion("Cost", direction="cost"), Criterion("Evidence", scale_min=0, scale_max=10))


def score_arrays(max_participants: int = 4, max_priorities: int = 6, dont_know: bool = True):
    """participants × priorities × 3 criteria on the criteria's scales (Evidence 0..10)."""
    values = st.integers(1, 5).map(float)
    if dont_know:
        values = st.one_of(values, values, values, st.just(np.nan))
    shape = st.tuples(st.integers(1, max_participants), st.integers(2, max_priorities), st.just(3))
    return arrays(float, shape, elements=values)


def score_set(scores: np.ndarray, weights=(1.0, 1.0, 1.0)) -> ScoreSet:
    criteria = tuple(
        Criterion(c.name, w, c.direction, c.scale_min, c.scale_max) for c, w in zip(CRITERIA, weights, strict=True)
    )
    priorities = tuple(Priority(f"P{i}") for i in range(scores.shape[-2]))
    return ScoreSet(priorities, criteria, scores)


weight_vectors = arrays(float, 3, elements=st.integers(0, 10).map(float)).filter(lambda w: w.sum() > 0)


@SETTINGS
@given(score_arrays(), weight_vectors, st.floats(0.01, 100), METHODS)
def test_scaling_every_weight_changes_nothing(scores, weights, factor, method):
    ss = score_set(scores)
    options = RankingOptions(method=method)
    base = rank(ss, options, weights=weights)
    scaled = rank(ss, options, weights=weights * factor)
    np.testing.assert_allclose(scaled.weights, base.weights)
    np.testing.assert_allclose(scaled.scores, base.scores, atol=1e-12)
    np.testing.assert_array_equal(scaled.ranks, base.ranks)


@SETTINGS
@given(score_arrays(), METHODS, st.randoms(use_true_random=False))
def test_permuting_priorities_permutes_ranks(scores, method, random):
    perm = list(range(scores.shape[1]))
    random.shuffle(perm)
    options = RankingOptions(method=method)
    base = rank(score_set(scores), options)
    permuted = rank(score_set(scores[:, perm, :]), options)
    np.testing.assert_array_equal(permuted.ranks, base.ranks[perm])
    np.testing.assert_allclose(permuted.scores, base.scores[perm], atol=1e-12)


@SETTINGS
@given(score_arrays(), arrays(float, (1, 1, 3), elements=st.integers(1, 5).map(float)), weight_vectors)
def test_adding_a_priority_never_reorders_the_others_under_scale_weighted_sum(scores, extra, weights):
    participants = scores.shape[0]
    before = rank(score_set(scores, weights))
    after = rank(score_set(np.concatenate([scores, np.repeat(extra, participants, axis=0)], axis=1), weights))
    # Scale normalisation ignores the data, so the old priorities keep their exact scores...
    np.testing.assert_allclose(after.scores[:-1], before.scores, atol=1e-12)
    # ...and therefore their pairwise order.
    old = before.scores
    for i in range(len(old)):
        for j in range(len(old)):
            if old[i] > old[j] + TIE_TOLERANCE:
                assert after.ranks[i] < after.ranks[j]


@SETTINGS
@given(score_arrays(max_participants=1), st.integers(2, 5), METHODS, weight_vectors)
def test_a_room_in_full_agreement_equals_the_single_evaluation_matrix(matrix, copies, method, weights):
    options = RankingOptions(method=method)
    single = rank(score_set(matrix[0], weights), options)
    room = rank(score_set(np.repeat(matrix, copies, axis=0), weights), options)
    np.testing.assert_allclose(room.matrix, single.matrix)
    np.testing.assert_allclose(room.scores, single.scores, atol=1e-12)
    np.testing.assert_array_equal(room.ranks, single.ranks)


@SETTINGS
@given(arrays(float, st.integers(1, 12), elements=st.sampled_from([0.0, 0.25, 0.5, 1.0, np.pi])))
def test_ranks_are_in_one_to_n_and_equal_scores_share_the_better_rank(scores):
    ranks = min_ranks(scores)
    n = len(scores)
    assert ((ranks >= 1) & (ranks <= n)).all()
    assert ranks.min() == 1
    for i in range(n):
        assert ranks[i] == 1 + int((scores > scores[i]).sum())
        for j in range(n):
            assert (ranks[i] == ranks[j]) == (scores[i] == scores[j])


@SETTINGS
@given(score_arrays(max_participants=1, dont_know=False), weight_vectors, st.sampled_from(["vector", "minmax", "max"]))
def test_topsis_closeness_lies_in_zero_one(matrix, weights, how):
    closeness = topsis_scores(normalize(matrix[0], CRITERIA, how), weights / weights.sum())
    assert ((closeness >= 0) & (closeness <= 1)).all()


@SETTINGS
@given(
    arrays(float, st.tuples(st.integers(2, 8), st.integers(2, 5), st.integers(1, 3)), elements=st.integers(0, 9)),
    weight_vectors,
)
def test_topsis_cost_reflection_matches_the_textbook_cost_ideal(raw, weights):
    """Hwang & Yoon's TOPSIS takes the cost ideal as the column minimum of v;
    we reflect cost columns instead.  Both must give the same closeness."""
    matrix = raw[:, :, 0].T.astype(float)  # priorities × criteria, C in 2..8
    n_criteria = matrix.shape[1]
    cost = np.arange(n_criteria) % 2 == 1
    criteria = [
        Criterion(f"c{c}", direction="cost" if cost[c] else "benefit", scale_min=None, scale_max=None)
        for c in range(n_criteria)
    ]
    w = np.resize(weights, n_criteria)
    assume(w.sum() > 0)
    w = w / w.sum()
    norm = np.sqrt((matrix**2).sum(axis=0))
    assume((norm > 0).all())
    v = matrix / norm * w
    ideal = np.where(cost, v.min(axis=0), v.max(axis=0))
    anti = np.where(cost, v.max(axis=0), v.min(axis=0))
    d_plus = np.sqrt(((v - ideal) ** 2).sum(axis=1))
    d_minus = np.sqrt(((v - anti) ** 2).sum(axis=1))
    total = d_plus + d_minus
    textbook = np.where(total > 0, d_minus / np.where(total > 0, total, 1), 0.5)
    np.testing.assert_allclose(topsis_scores(normalize(matrix, criteria, "vector"), w), textbook, atol=1e-12)


@SETTINGS
@given(
    arrays(float, st.tuples(st.integers(1, 6), st.integers(2, 7)), elements=st.integers(1, 4).map(float)),
    st.data(),
)
def test_borda_and_copeland_points_sum_to_n_choose_2(utilities, data):
    voters = data.draw(arrays(float, utilities.shape[0], elements=st.integers(1, 5).map(float)))
    prefer = pairwise_preferences(utilities, voters)
    n = utilities.shape[1]
    points = borda_points(prefer)
    assert np.isclose(points.sum(), n * (n - 1) / 2)
    assert ((points >= -1e-12) & (points <= n - 1 + 1e-12)).all()
    assert np.isclose(copeland_points(prefer).sum(), n * (n - 1) / 2)


@SETTINGS
@given(arrays(float, st.integers(1, 8), elements=st.floats(0.05, 1.0)))
def test_ahp_of_a_consistent_matrix_recovers_the_weights(w):
    result = ahp(w[:, None] / w[None, :])
    np.testing.assert_allclose(result.weights, w / w.sum(), rtol=1e-8)
    assert abs(result.cr) < 1e-8


@SETTINGS
@given(
    st.integers(2, 6).flatmap(
        lambda n: st.lists(
            arrays(float, n * (n - 1) // 2, elements=st.sampled_from([1 / 9, 1 / 5, 1 / 3, 1.0, 2.0, 3.0, 7.0, 9.0])),
            min_size=1,
            max_size=5,
        )
    )
)
def test_group_geometric_mean_stays_reciprocal(uppers):
    n = int((1 + np.sqrt(1 + 8 * len(uppers[0]))) / 2)
    matrices = []
    for upper in uppers:
        m = np.ones((n, n))
        m[np.triu_indices(n, 1)] = upper
        m.T[np.triu_indices(n, 1)] = 1 / upper
        matrices.append(m)
    group = combine_pairwise(matrices)
    np.testing.assert_allclose(group * group.T, 1.0, rtol=1e-14)
    np.testing.assert_allclose(group[np.triu_indices(n, 1)], np.exp(np.log(np.stack(uppers)).mean(axis=0)))
    ahp(group)
