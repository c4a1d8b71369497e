"""Domain objects: validation names the offending criterion, priority or participant."""

from __future__ import annotations

import re

import numpy as np
import pytest

from ranking.model import Criterion, Direction, Priority, RankingInputError, ScoreSet, frozen_array


def make_set(scores, criteria=None, **kwargs) -> ScoreSet:
    array = np.asarray(scores, dtype=float)
    n_priorities, n_criteria = array.shape[-2:]
    criteria = criteria or [Criterion(f"C{c + 1}") for c in range(n_criteria)]
    priorities = [Priority(f"P{i + 1}") for i in range(n_priorities)]
    return ScoreSet(priorities, criteria, array, **kwargs)


# --------------------------------------------------------------------------- Criterion


def test_criterion_defaults_and_direction_parsing():
    crit = Criterion("Severity", direction=" Cost ")
    assert crit.direction is Direction.COST
    assert crit.is_cost
    assert crit.has_scale and (crit.scale_min, crit.scale_max) == (1.0, 5.0)
    assert not Criterion("Need").is_cost


def test_criterion_rejects_unknown_direction_naming_it():
    with pytest.raises(RankingInputError, match=r"criterion 'Trend'.*'benefit' or 'cost'.*'up'"):
        Criterion("Trend", direction="up")


def test_negative_weight_names_the_criterion():
    message = r"criterion 'Feasibility': weight must be a non-negative number, not -1$"
    with pytest.raises(RankingInputError, match=message):
        Criterion("Feasibility", weight=np.float64(-1))


@pytest.mark.parametrize("weight", [float("nan"), float("inf")])
def test_non_finite_weight_is_rejected(weight):
    with pytest.raises(RankingInputError, match="criterion 'Need'"):
        Criterion("Need", weight=weight)


def test_non_numeric_weight_names_the_criterion():
    with pytest.raises(RankingInputError, match="criterion 'Need': weight must be a number, not 'heavy'"):
        Criterion("Need", weight="heavy")


def test_scale_bounds_are_validated():
    with pytest.raises(RankingInputError, match="criterion 'Need': give both scale bounds or neither"):
        Criterion("Need", scale_min=None)
    message = r"criterion 'Need': scale maximum must be above the minimum \(got 5\.\.5\)"
    with pytest.raises(RankingInputError, match=message):
        Criterion("Need", scale_min=5, scale_max=5)
    with pytest.raises(RankingInputError, match="criterion 'Need': scale minimum must be a number"):
        Criterion("Need", scale_min="low", scale_max=5)
    unscaled = Criterion("Rate", scale_min=None, scale_max=None)
    assert not unscaled.has_scale


def test_names_are_required():
    with pytest.raises(RankingInputError, match="a criterion has no name"):
        Criterion("  ")
    with pytest.raises(RankingInputError, match="a priority has no name"):
        Priority("")


# --------------------------------------------------------------------------- ScoreSet


def test_two_dimensional_scores_are_one_evaluation_matrix():
    ss = make_set([[1, 2], [3, 4]])
    assert ss.scores.shape == (1, 2, 2)
    assert ss.participants == ("P1",)
    assert ss.groups == ("",)


def test_scores_are_read_only_copies():
    source = np.array([[[1.0, 2.0]]])
    ss = make_set(source)
    source[0, 0, 0] = 5.0
    assert ss.scores[0, 0, 0] == 1.0
    with pytest.raises(ValueError, match="read-only"):
        ss.scores[0, 0, 0] = 3.0


def test_duplicate_priority_names_are_rejected():
    with pytest.raises(RankingInputError, match="priority 'Keeping Children Safe' appears more than once"):
        ScoreSet(
            [Priority("Keeping Children Safe"), Priority("Keeping Children Safe")],
            [Criterion("Need")],
            [[3], [4]],
        )


def test_duplicate_criterion_names_are_rejected():
    with pytest.raises(RankingInputError, match="criterion 'Need' appears more than once"):
        ScoreSet([Priority("A")], [Criterion("Need"), Criterion("Need")], [[3, 4]])


def test_duplicate_participant_names_are_rejected():
    with pytest.raises(RankingInputError, match="participant 'Ann' appears more than once"):
        make_set([[[1]], [[2]]], participants=("Ann", "Ann"))


def test_out_of_scale_score_names_participant_priority_and_criterion():
    criteria = [Criterion("Need"), Criterion("Evidence", scale_min=0, scale_max=10)]
    scores = np.full((2, 3, 2), 3.0)
    scores[1, 2, 1] = 11
    message = "score 11 from participant 'Bob' for priority 'P3' on criterion 'Evidence' is outside the scale 0..10"
    with pytest.raises(RankingInputError, match=re.escape(message)):
        make_set(scores, criteria, participants=("Ann", "Bob"))


def test_out_of_scale_ignores_dont_know_and_unscaled_criteria():
    criteria = [Criterion("Need"), Criterion("Rate", scale_min=None, scale_max=None)]
    ss = make_set([[np.nan, 250.0], [5.0, -3.0]], criteria)
    assert np.isnan(ss.scores[0, 0, 0])


@pytest.mark.parametrize(
    "shape",
    [(3,), (2, 3), (1, 2, 3), (1, 3, 2, 1)],
)
def test_wrong_shape_is_rejected_with_the_expected_shape(shape):
    with pytest.raises(RankingInputError, match=r"participants × 3 priorities × 2 criteria, not \("):
        ScoreSet([Priority(n) for n in "ABC"], [Criterion("x"), Criterion("y")], np.ones(shape))


def test_other_bad_scores_are_rejected():
    with pytest.raises(RankingInputError, match="scores must be numbers"):
        ScoreSet([Priority("A")], [Criterion("x"), Criterion("y")], [["high", 2]])
    with pytest.raises(RankingInputError, match="finite"):
        make_set([[np.inf, 2]])
    with pytest.raises(RankingInputError, match="no participants"):
        ScoreSet([Priority("A")], [Criterion("x")], np.ones((0, 1, 1)))
    with pytest.raises(RankingInputError, match="no priorities"):
        ScoreSet([], [Criterion("x")], np.ones((1, 0, 1)))
    with pytest.raises(RankingInputError, match="no criteria"):
        ScoreSet([Priority("A")], [], np.ones((1, 1, 0)))


def test_participant_and_group_lengths_must_match():
    with pytest.raises(RankingInputError, match="1 participant names for 2 participants"):
        make_set(np.ones((2, 1, 1)), participants=("Ann",))
    with pytest.raises(RankingInputError, match="3 groups for 2 participants"):
        make_set(np.ones((2, 1, 1)), groups=("NHS", "NHS", "Police"))


def test_weights_are_normalised_and_with_weights_validates():
    ss = make_set([[1, 2, 3]], [Criterion("a", 2), Criterion("b", 1), Criterion("c", 1)])
    np.testing.assert_allclose(ss.weights, [0.5, 0.25, 0.25])
    reweighted = ss.with_weights([0, 1, 3])
    np.testing.assert_allclose(reweighted.weights, [0, 0.25, 0.75])
    assert np.array_equal(reweighted.scores, ss.scores)
    with pytest.raises(RankingInputError, match="2 weights for 3 criteria"):
        ss.with_weights([1, 1])
    with pytest.raises(RankingInputError, match="criterion 'b': weight must be a non-negative number, not -2"):
        ss.with_weights([1, -2, 1])
    with pytest.raises(RankingInputError, match="at least one criterion needs a weight above zero"):
        _ = ss.with_weights([0, 0, 0]).weights


def test_subset_keeps_groups_and_allows_repeats():
    ss = make_set([[[1]], [[2]], [[3]]], participants=("a", "b", "c"), groups=("NHS", "", "NHS"))
    boot = ss.subset(np.array([2, 2, 0]))
    assert boot.scores[:, 0, 0].tolist() == [3, 3, 1]
    assert boot.groups == ("NHS", "NHS", "NHS")
    assert len(set(boot.participants)) == 3
    assert ss.group_names == ("NHS",)


def test_lookups_name_unknown_items():
    ss = make_set([[1, 2]])
    assert ss.priority_index("P1") == 0
    assert ss.criterion_index("C2") == 1
    with pytest.raises(RankingInputError, match="unknown priority 'Z'"):
        ss.priority_index("Z")
    with pytest.raises(RankingInputError, match="unknown criterion 'Z'"):
        ss.criterion_index("Z")


def test_frozen_array_is_a_read_only_copy():
    source = [1, 2]
    array = frozen_array(source)
    assert array.dtype == float and not array.flags.writeable
