"""ranking.resample: the vectorised participant bootstrap gives the very
top-k masks of ranking every resample with ``rank`` (``top_masks_loop``),
for every method, aggregation, normalisation and group balance.

Hypothesis draws small rooms with "don't know" (NaN), a priority nobody
scored, a participant who scored nothing, integer scores (so exact ties in
the medians, the Borda points and the Copeland majorities), a cost criterion,
a criterion without a scale and uneven groups; resamples repeat participants
and often leave some out.  The reference is Efron & Tibshirani (1993), *An
Introduction to the Bootstrap*, ch. 6: each resample is the room's
participants drawn with replacement and ranked as the room is.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ranking.resample as resample
from ranking.methods import Method, RankingOptions
from ranking.model import Criterion, Direction, Priority, ScoreSet
from ranking.normalize import Normalization
from ranking.resample import counted_medians, resampled_medians, top_masks, top_masks_loop
from ranking.sensitivity import bootstrap

some = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def rooms(draw) -> ScoreSet:
    participants = draw(st.integers(1, 9))
    priorities = draw(st.integers(2, 7))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    criteria = [Criterion("need", 2.0), Criterion("cost", 1.0, Direction.COST)]
    if draw(st.booleans()):
        criteria.append(Criterion("hours", 1.0, scale_min=None, scale_max=None))
    scores = rng.integers(1, 6, size=(participants, priorities, len(criteria))).astype(float)
    scores[rng.random(scores.shape) < draw(st.sampled_from([0.0, 0.2, 0.5]))] = np.nan
    if len(criteria) == 3:  # an unscaled criterion needs an answer in every resample to take its range from
        scores[:, 0, 2] = rng.integers(0, 40, size=participants)
    if draw(st.booleans()):
        scores[:, -1] = np.nan  # a priority nobody scored
    if participants > 2 and draw(st.booleans()):
        scores[1] = np.nan  # a participant who scored nothing
    return ScoreSet(
        tuple(Priority(f"P{i}") for i in range(priorities)),
        tuple(criteria),
        scores,
        groups=tuple(draw(st.lists(st.sampled_from("abc"), min_size=participants, max_size=participants))),
    )


options = st.builds(
    RankingOptions,
    method=st.sampled_from(list(Method)),
    normalization=st.sampled_from([None, *Normalization]),
    aggregation=st.sampled_from(["mean", "median"]),
    balance_groups=st.booleans(),
)


@some
@given(rooms(), options, st.integers(0, 2**32 - 1), st.data())
def test_vectorised_masks_equal_ranking_every_resample(room, chosen, seed, data):
    n_participants, n, _ = room.scores.shape
    top = data.draw(st.integers(1, n))
    indices = np.random.default_rng(seed).integers(0, n_participants, size=(40, n_participants))
    np.testing.assert_array_equal(top_masks(room, chosen, top, indices), top_masks_loop(room, chosen, top, indices))


@pytest.mark.parametrize("method", list(Method))
@pytest.mark.parametrize("how", ["mean", "median"])
@pytest.mark.parametrize("balanced", [False, True])
def test_bootstrap_equals_the_per_resample_loop_for_a_fixed_seed(method, how, balanced, monkeypatch):
    """A room like the sample workshop's (60 participants, 12 priorities,
    5 criteria weighted 25/25/20/15/15, so that many utilities are equal but
    for rounding, 4 groups), the seeded resamples ``bootstrap`` draws, in
    chunks smaller than the resamples so that chunk boundaries are crossed."""
    rng = np.random.default_rng(17)
    scores = np.clip(np.rint(rng.normal(3, 1.1, size=(60, 12, 5)) + rng.normal(0, 0.6, size=(1, 12, 5))), 1, 5)
    scores[rng.random(scores.shape) < 0.08] = np.nan
    room = ScoreSet(
        tuple(Priority(f"P{i}") for i in range(12)),
        tuple(Criterion(f"c{c}", w) for c, w in enumerate((0.25, 0.25, 0.2, 0.15, 0.15))),
        scores,
        groups=tuple(f"g{g}" for g in rng.integers(0, 4, size=60)),
    )
    chosen = RankingOptions(method=method, aggregation=how, balance_groups=balanced)
    monkeypatch.setattr(resample, "RESAMPLE_CHUNK", 70)
    monkeypatch.setattr(resample, "BALLOT_CELLS", 5000)
    result = bootstrap(room, chosen, top=4, resamples=200, seed=3)
    indices = np.random.default_rng(3).integers(0, 60, size=(200, 60))
    np.testing.assert_array_equal(result.p_top, top_masks_loop(room, chosen, 4, indices).mean(axis=0))


@some
@given(rooms(), st.integers(0, 2**32 - 1))
def test_counted_and_sorted_medians_are_the_nanmedians_of_the_draws(room, seed):
    scores = room.scores
    indices = np.random.default_rng(seed).integers(0, scores.shape[0], size=(20, scores.shape[0]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = np.stack([np.nanmedian(scores[row], axis=0) for row in indices])
    values = np.unique(scores[~np.isnan(scores)])
    counts = resample.resample_counts(indices, scores.shape[0]).astype(float)
    onehot = (scores[..., None] == values).astype(float)
    np.testing.assert_array_equal(counted_medians(onehot, values, counts), expected)
    np.testing.assert_array_equal(resampled_medians(scores, indices), expected)


def test_counted_medians_of_a_room_in_which_nobody_answered():
    """No answer values at all (hypothesis found it: the histogram's reshape failed): NaN everywhere."""
    scores = np.full((1, 2, 2), np.nan)
    values = np.unique(scores[~np.isnan(scores)])
    counts = np.ones((3, 1))
    medians = counted_medians((scores[..., None] == values).astype(float), values, counts)
    assert medians.shape == (3, 2, 2) and np.isnan(medians).all()


@pytest.mark.parametrize("balanced", [False, True])
def test_many_distinct_values_take_the_sorted_median(balanced, monkeypatch):
    rng = np.random.default_rng(4)
    room = ScoreSet(
        tuple(Priority(f"P{i}") for i in range(6)),
        (Criterion("need", 1.0, scale_min=0, scale_max=100), Criterion("cost", 1.0, Direction.COST)),
        np.where(rng.random((8, 6, 2)) < 0.2, np.nan, rng.uniform(1, 5, size=(8, 6, 2))),
        groups=tuple("aabbbccc"),
    )
    indices = rng.integers(0, 8, size=(60, 8))
    chosen = RankingOptions(aggregation="median", balance_groups=balanced)
    expected = top_masks_loop(room, chosen, 2, indices)
    assert len(np.unique(room.scores[~np.isnan(room.scores)])) > resample.MEDIAN_VALUES
    np.testing.assert_array_equal(top_masks(room, chosen, 2, indices), expected)


@pytest.mark.parametrize("method", [Method.BORDA, Method.COPELAND])
def test_more_priorities_than_a_mask_holds_are_ranked_one_resample_at_a_time(method):
    rng = np.random.default_rng(8)
    room = ScoreSet(
        tuple(Priority(f"P{i}") for i in range(70)),
        (Criterion("a", 1.0), Criterion("b", 2.0)),
        rng.integers(1, 6, size=(5, 70, 2)).astype(float),
    )
    indices = rng.integers(0, 5, size=(6, 5))
    chosen = RankingOptions(method=method)
    np.testing.assert_array_equal(top_masks(room, chosen, 10, indices), top_masks_loop(room, chosen, 10, indices))
