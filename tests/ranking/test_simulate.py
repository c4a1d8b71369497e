"""The simulated room: shapes, bounds, reproducibility and visible group disagreement."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ranking.model import Criterion, Priority, RankingInputError, ScoreSet
from ranking.simulate import (
    ALLOCATION_STEP,
    assign_groups,
    participant_names,
    simulate_allocations,
    simulate_room,
)

THEMES = ("Be healthy", "Stay safe", "Enjoy and achieve", "Make a positive contribution", "Achieve economic well-being")
PRIORITIES = tuple(Priority(f"Priority {i}", THEMES[i % 5]) for i in range(20))
CRITERIA = (
    Criterion("Need", 3),
    Criterion("Cost", 1, "cost"),
    Criterion("Evidence", 2, scale_min=0, scale_max=10),
)
GROUPS = ("Council", "Health", "Police", "Schools")


def room(seed: int = 0, participants: int = 40, **kwargs) -> ScoreSet:
    return simulate_room(PRIORITIES, CRITERIA, GROUPS, participants, np.random.default_rng(seed), **kwargs)


def group_f_statistics(score_set: ScoreSet) -> np.ndarray:
    """One-way ANOVA F per priority × criterion cell, groups as the factor
    (about 1 when groups do not differ beyond their members' noise)."""
    scores, labels = score_set.scores, np.array(score_set.groups)
    names = sorted(set(score_set.groups))
    sizes = np.array([(labels == g).sum() for g in names])
    means = np.stack([np.nanmean(scores[labels == g], axis=0) for g in names])
    grand = np.nanmean(scores, axis=0)
    between = (sizes[:, None, None] * (means - grand) ** 2).sum(axis=0) / (len(names) - 1)
    within = sum(np.nansum((scores[labels == g] - means[k]) ** 2, axis=0) for k, g in enumerate(names))
    return between / (within / (len(labels) - len(names)))


class TestRoom:
    def test_shape_names_and_groups(self):
        score_set = room(participants=30)
        assert score_set.scores.shape == (30, 20, 3)
        assert score_set.participants[:2] == ("P001", "P002")
        assert score_set.participants[-1] == "P030"
        assert set(score_set.groups) == set(GROUPS)
        assert score_set.priorities == PRIORITIES
        assert score_set.criteria == CRITERIA

    def test_scores_are_integers_within_each_scale(self):
        scores = room(dont_know=0.1).scores
        known = scores[~np.isnan(scores)]
        np.testing.assert_array_equal(known, np.round(known))
        for c, crit in enumerate(CRITERIA):
            column = scores[:, :, c]
            assert np.nanmin(column) >= crit.scale_min
            assert np.nanmax(column) <= crit.scale_max
        # the scales are used, not just their middles
        assert np.nanmin(scores[:, :, 0]) == 1 and np.nanmax(scores[:, :, 0]) == 5

    def test_dont_know_share(self):
        assert not np.isnan(room(dont_know=0.0).scores).any()
        share = np.isnan(room(participants=200, dont_know=0.2).scores).mean()
        assert 0.17 < share < 0.23

    def test_reproducible_with_a_seed(self):
        a, b, c = room(seed=7), room(seed=7), room(seed=8)
        np.testing.assert_array_equal(a.scores, b.scores)
        assert a.groups == b.groups
        assert not np.array_equal(np.nan_to_num(a.scores), np.nan_to_num(c.scores))

    def test_groups_disagree_more_than_their_members_noise(self):
        """Group means differ far more than within-group noise explains
        (median F well above 1), and without group leans they do not."""
        for seed in range(3):
            assert np.median(group_f_statistics(room(seed, dont_know=0.0))) > 3
            unbiased = room(seed, dont_know=0.0, theme_bias=0.0, priority_bias=0.0)
            assert np.median(group_f_statistics(unbiased)) < 2

    def test_home_theme_is_championed(self):
        home = [("Health", "Be healthy")]
        for seed in range(3):
            score_set = room(seed, participants=60, dont_know=0.0, home_themes=home)
            labels = np.array(score_set.groups)
            healthy = [i for i, p in enumerate(PRIORITIES) if p.theme == "Be healthy"]
            need = score_set.scores[:, healthy, 0].mean(axis=1)
            assert need[labels == "Health"].mean() > need[labels != "Health"].mean()

    def test_cost_criteria_are_scored_in_reverse(self):
        """The same room with a criterion turned into a cost scores it mirror-wise."""
        benefit = (Criterion("Need", scale_min=1, scale_max=5),)
        cost = (Criterion("Need", direction="cost", scale_min=1, scale_max=5),)
        a = simulate_room(PRIORITIES, benefit, GROUPS, 20, np.random.default_rng(4), dont_know=0.0)
        b = simulate_room(PRIORITIES, cost, GROUPS, 20, np.random.default_rng(4), dont_know=0.0)
        np.testing.assert_array_equal(a.scores + b.scores, 6)

    def test_no_groups(self):
        assert set(simulate_room(PRIORITIES, CRITERIA, (), 5, np.random.default_rng(0)).groups) == {""}

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"participants": 0}, "at least one participant"),
            ({"dont_know": 1.0}, "dont_know must be a probability below 1"),
            ({"home_themes": [("Nobody", "Stay safe")]}, "unknown group 'Nobody'"),
            ({"home_themes": [("Health", "Fun")]}, "home theme 'Fun' of group 'Health' is not a priority's theme"),
        ],
    )
    def test_bad_arguments(self, kwargs, message):
        arguments = {"participants": 10, **kwargs}
        with pytest.raises(RankingInputError, match=message):
            room(**arguments)

    def test_criteria_need_whole_number_scales(self):
        rng = np.random.default_rng(0)
        with pytest.raises(RankingInputError, match="needs a scale"):
            simulate_room(PRIORITIES, (Criterion("X", scale_min=None, scale_max=None),), GROUPS, 5, rng)
        with pytest.raises(RankingInputError, match="no two whole-number points"):
            simulate_room(PRIORITIES, (Criterion("X", scale_min=0.2, scale_max=0.8),), GROUPS, 5, rng)


class TestGroups:
    def test_every_group_has_two_members_when_there_are_enough_people(self):
        for seed in range(20):
            counts = Counter(assign_groups(GROUPS, 12, np.random.default_rng(seed)))
            assert sum(counts.values()) == 12
            assert min(counts[g] for g in GROUPS) >= 2

    def test_sizes_are_uneven(self):
        sizes = [max(Counter(assign_groups(GROUPS, 40, np.random.default_rng(s))).values()) for s in range(10)]
        assert max(sizes) > 10  # an even split would be 10 each

    def test_fewer_people_than_groups(self):
        assert len(assign_groups(GROUPS, 3, np.random.default_rng(0))) == 3

    def test_participant_names_widen_past_999(self):
        assert participant_names(3) == ("P001", "P002", "P003")
        assert participant_names(1200)[-1] == "P1200"


class TestAllocations:
    def test_shape_integers_and_totals(self):
        groups = room().groups
        points = simulate_allocations(CRITERIA, groups, np.random.default_rng(1))
        assert points.shape == (40, 3)
        assert np.issubdtype(points.dtype, np.integer)
        assert (points >= 0).all()
        assert (points.sum(axis=1) == 100).all()
        assert (points % ALLOCATION_STEP == 0).all()

    def test_reproducible(self):
        groups = room().groups
        a = simulate_allocations(CRITERIA, groups, np.random.default_rng(3))
        b = simulate_allocations(CRITERIA, groups, np.random.default_rng(3))
        np.testing.assert_array_equal(a, b)

    def test_centred_on_the_agreed_weights(self):
        groups = ("",) * 2000
        points = simulate_allocations(CRITERIA, groups, np.random.default_rng(0), group_spread=0.0)
        np.testing.assert_allclose(points.mean(axis=0) / 100, [0.5, 1 / 6, 1 / 3], atol=0.02)

    def test_groups_have_tendencies(self):
        groups = tuple(g for g in GROUPS for _ in range(50))
        points = simulate_allocations(CRITERIA, groups, np.random.default_rng(0), group_spread=0.5)
        labels = np.array(groups)
        means = np.stack([points[labels == g].mean(axis=0) for g in GROUPS])
        standard_error = points.std(axis=0) / np.sqrt(50)
        assert (means.max(axis=0) - means.min(axis=0) > 4 * standard_error).any()

    @settings(max_examples=50, deadline=None)
    @given(
        weights=st.lists(st.floats(0, 10), min_size=1, max_size=9),
        participants=st.integers(1, 12),
        concentration=st.floats(0.5, 200),
        seed=st.integers(0, 2**32 - 1),
    )
    def test_always_whole_points_summing_to_100(self, weights, participants, concentration, seed):
        criteria = tuple(Criterion(f"C{i}", w) for i, w in enumerate(weights))
        points = simulate_allocations(
            criteria, ("",) * participants, np.random.default_rng(seed), concentration=concentration
        )
        assert points.shape == (participants, len(criteria))
        assert (points >= 0).all()
        assert (points.sum(axis=1) == 100).all()

    def test_bad_arguments(self):
        with pytest.raises(RankingInputError):
            simulate_allocations((), ("a",), np.random.default_rng(0))
        with pytest.raises(RankingInputError):
            simulate_allocations(CRITERIA, (), np.random.default_rng(0))
