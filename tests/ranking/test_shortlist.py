"""The constrained shortlist: hand-worked examples for every rule, and
brute force over every k-subset for optimality."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ranking import Criterion, Priority, RankingInputError, ScoreSet, rank
from ranking.shortlist import (
    ADDED,
    DROPPED,
    EXCLUDED_REASON,
    MUST_INCLUDE_REASON,
    Adjustment,
    Cause,
    ShortlistConstraints,
    shortlist,
)


def room(values: dict[str, float], themes: dict[str, str] | None = None):
    """A one-criterion, one-participant room: weighted-sum score = value/100."""
    themes = themes or {}
    priorities = tuple(Priority(name, themes.get(name, "")) for name in values)
    criterion = Criterion("value", scale_min=0, scale_max=100)
    scores = [[[v] for v in values.values()]]
    return rank(ScoreSet(priorities, (criterion,), scores))


# A (x) 90, B (x) 80, C (x) 70, D (y) 60, E (-) 50, F (y) 40
SIX = room(
    {"A": 90, "B": 80, "C": 70, "D": 60, "E": 50, "F": 40},
    {"A": "x", "B": "x", "C": "x", "D": "y", "F": "y"},
)


def test_no_constraints_is_the_plain_top_k():
    result = shortlist(SIX, 3)
    assert result.chosen == ("A", "B", "C")
    assert result.plain_top == ("A", "B", "C")
    assert result.adjustments == ()
    assert result.total_score == pytest.approx(0.9 + 0.8 + 0.7)
    assert result.constraints == ShortlistConstraints()


def test_must_include_is_forced_in_and_takes_the_last_place():
    result = shortlist(SIX, 3, ShortlistConstraints(must_include=("F",)))
    assert result.chosen == ("A", "B", "F")  # rank order, not the order forced
    assert result.adjustments == (
        Adjustment("C", DROPPED, "places taken by must-include 'F'", Cause.NO_PLACE),
        Adjustment("F", ADDED, MUST_INCLUDE_REASON, Cause.MUST_INCLUDE),
    )
    assert result.total_score == pytest.approx(0.9 + 0.8 + 0.4)


def test_must_include_already_in_the_top_k_is_no_departure():
    assert shortlist(SIX, 3, ShortlistConstraints(must_include=("B",))).adjustments == ()


def test_must_exclude_frees_a_place_for_the_next_in_line():
    result = shortlist(SIX, 3, ShortlistConstraints(must_exclude=("B",)))
    assert result.chosen == ("A", "C", "D")
    assert result.adjustments == (
        Adjustment("B", DROPPED, EXCLUDED_REASON, Cause.EXCLUDED),
        Adjustment("D", ADDED, "next in line (rank 4) for a place freed by an exclusion", Cause.NEXT_IN_LINE),
    )


def test_excluding_a_priority_outside_the_top_k_changes_nothing():
    result = shortlist(SIX, 3, ShortlistConstraints(must_exclude=("F",)))
    assert result.chosen == ("A", "B", "C") and result.adjustments == ()


def test_theme_cap_skips_the_third_of_a_theme():
    result = shortlist(SIX, 3, ShortlistConstraints(max_per_theme=2))
    assert result.chosen == ("A", "B", "D")
    assert result.adjustments == (
        Adjustment("C", DROPPED, "theme 'x' already has 2 (cap 2): 'A', 'B'", Cause.THEME_CAP),
        Adjustment("D", ADDED, "next in line (rank 4) for a place freed by the cap of 2 per theme", Cause.NEXT_IN_LINE),
    )


def test_theme_cap_counts_must_includes_of_the_theme():
    # F (theme y) is forced in, so with a cap of 1 D (also y) is refused.
    result = shortlist(SIX, 3, ShortlistConstraints(max_per_theme=1, must_include=("F",)))
    assert result.chosen == ("A", "E", "F")
    reasons = {d.priority: d.reason for d in result.adjustments}
    assert reasons["B"] == "theme 'x' already has 1 (cap 1): 'A'"
    assert reasons["C"] == "theme 'x' already has 1 (cap 1): 'A'"
    assert reasons["E"] == "next in line (rank 5) for a place freed by the cap of 1 per theme"
    assert reasons["F"] == MUST_INCLUDE_REASON


def test_priorities_without_a_theme_are_not_capped():
    unthemed = room({"A": 90, "B": 80, "C": 70, "D": 60})
    assert shortlist(unthemed, 3, ShortlistConstraints(max_per_theme=1)).chosen == ("A", "B", "C")


def test_a_tie_across_the_cut_is_broken_by_name_and_recorded():
    tied = room({"A": 90, "B": 80, "D": 70, "C": 70, "E": 10})
    result = shortlist(tied, 3)
    assert result.plain_top == ("A", "B", "C", "D")  # both tied at rank 3
    assert result.chosen == ("A", "B", "C")
    assert result.adjustments == (
        Adjustment(
            "D",
            DROPPED,
            "tied at rank 3 with 'C' across the cut-off; tied priorities go in by name (use must-include to choose)",
            Cause.NO_PLACE,
        ),
    )


def test_a_must_include_settles_a_tie():
    tied = room({"A": 90, "B": 80, "C": 70, "D": 70})
    result = shortlist(tied, 3, ShortlistConstraints(must_include=("D",)))
    assert result.chosen == ("A", "B", "D")
    tied_out = Adjustment("C", DROPPED, "tied at rank 3 with 'D' across the cut-off", Cause.NO_PLACE)
    assert result.adjustments == (tied_out,)


def test_a_tie_inside_the_top_k_is_not_a_departure():
    tied = room({"A": 90, "B": 90, "C": 70, "D": 60})
    result = shortlist(tied, 3)
    assert result.plain_top == result.chosen == ("A", "B", "C")
    assert result.adjustments == ()


def test_must_include_and_a_tie_both_named():
    tied = room({"A": 90, "B": 80, "C": 80, "D": 10})
    result = shortlist(tied, 2, ShortlistConstraints(must_include=("D",)))
    assert result.chosen == ("A", "D")
    assert result.adjustments[0] == Adjustment(
        "B", DROPPED, "places taken by must-include 'D'; tied at rank 2 with 'C' across the cut-off", Cause.NO_PLACE
    )


def test_must_includes_from_a_tie_can_displace_a_higher_priority():
    # B, C, D tie at rank 2, so the plain top 2 is all four; forcing B and C in fills both places.
    tied = room({"A": 90, "B": 50, "C": 50, "D": 50})
    result = shortlist(tied, 2, ShortlistConstraints(must_include=("B", "C")))
    assert result.plain_top == ("A", "B", "C", "D")
    assert result.chosen == ("B", "C")
    assert result.adjustments == (
        Adjustment("A", DROPPED, "places taken by must-include 'B', 'C'", Cause.NO_PLACE),
        Adjustment("D", DROPPED, "tied at rank 2 with 'B', 'C' across the cut-off", Cause.NO_PLACE),
    )


# --------------------------------------------------------------------------- errors


def test_unknown_names_are_named():
    with pytest.raises(RankingInputError, match="unknown priority 'Z' in must-include"):
        shortlist(SIX, 3, ShortlistConstraints(must_include=("Z",)))
    with pytest.raises(RankingInputError, match="unknown priority 'Z' in must-exclude"):
        shortlist(SIX, 3, ShortlistConstraints(must_exclude=("Z",)))


def test_a_priority_cannot_be_both_included_and_excluded():
    with pytest.raises(RankingInputError, match="'A' is both a must-include and a must-exclude"):
        ShortlistConstraints(must_include=("A",), must_exclude=("A", "B"))


def test_repeated_names_are_refused():
    with pytest.raises(RankingInputError, match="'A' appears more than once in must-include"):
        ShortlistConstraints(must_include=("A", "A"))


def test_a_single_name_is_not_split_into_letters():
    assert ShortlistConstraints(must_include="AB").must_include == ("AB",)


def test_more_must_includes_than_places():
    with pytest.raises(RankingInputError, match="3 must-include priorities do not fit in a shortlist of 2"):
        shortlist(SIX, 2, ShortlistConstraints(must_include=("A", "D", "F")))


def test_must_includes_over_the_theme_cap():
    with pytest.raises(RankingInputError, match=r"2 must-include priorities are in theme 'y' \('D', 'F'\).*cap is 1"):
        shortlist(SIX, 3, ShortlistConstraints(max_per_theme=1, must_include=("D", "F")))


def test_infeasible_constraints():
    # Cap 1: at most one x, one y and the unthemed E = 3 < 4; excluding E leaves 2.
    with pytest.raises(RankingInputError, match=r"only 3 of the 4 places .* \(3 over the cap of 1 per theme\)"):
        shortlist(SIX, 4, ShortlistConstraints(max_per_theme=1))
    with pytest.raises(RankingInputError, match=r"only 2 of the 3 places .*1 excluded.*exclude fewer"):
        shortlist(SIX, 3, ShortlistConstraints(max_per_theme=1, must_exclude=("E",)))


@pytest.mark.parametrize("k", [0, 7, 2.5, True])
def test_k_must_be_a_whole_number_in_range(k):
    with pytest.raises(RankingInputError, match="shortlist size must be a whole number from 1 to 6"):
        shortlist(SIX, k)


@pytest.mark.parametrize("cap", [0, -1, 1.5, True])
def test_the_cap_must_be_a_positive_whole_number(cap):
    with pytest.raises(RankingInputError, match="most per theme"):
        ShortlistConstraints(max_per_theme=cap)


# --------------------------------------------------------------------------- optimality


@st.composite
def instances(draw):
    n = draw(st.integers(2, 7))
    names = [f"P{i}" for i in range(n)]
    values = draw(st.lists(st.integers(0, 6), min_size=n, max_size=n))  # small range: many ties
    themes = draw(st.lists(st.sampled_from(["", "a", "b", "c"]), min_size=n, max_size=n))
    k = draw(st.integers(1, n))
    cap = draw(st.none() | st.integers(1, 3))
    include = draw(st.lists(st.sampled_from(names), unique=True, max_size=3))
    exclude = draw(st.lists(st.sampled_from([m for m in names if m not in include] or ["P0"]), unique=True, max_size=3))
    exclude = [m for m in exclude if m not in include]
    result = room(dict(zip(names, (v * 10 for v in values), strict=True)), dict(zip(names, themes, strict=True)))
    return result, k, ShortlistConstraints(cap, tuple(include), tuple(exclude))


def feasible(result, subset, constraints) -> bool:
    names = {result.names[i] for i in subset}
    if not set(constraints.must_include) <= names or names & set(constraints.must_exclude):
        return False
    if constraints.max_per_theme is None:
        return True
    themes = [result.priorities[i].theme for i in subset if result.priorities[i].theme]
    return all(themes.count(t) <= constraints.max_per_theme for t in themes)


@settings(max_examples=400, deadline=None)
@given(instances())
def test_greedy_matches_brute_force_over_every_k_subset(instance):
    result, k, constraints = instance
    best = None
    for subset in combinations(range(len(result.names)), k):
        if feasible(result, subset, constraints):
            total = float(np.sum(result.scores[list(subset)]))
            best = total if best is None else max(best, total)
    if best is None:
        with pytest.raises(RankingInputError):
            shortlist(result, k, constraints)
        return
    chosen = shortlist(result, k, constraints)
    indices = [result.names.index(name) for name in chosen.chosen]
    assert len(indices) == k
    assert feasible(result, indices, constraints)
    assert chosen.total_score == pytest.approx(best)
    # chosen is in the room's order
    assert list(chosen.chosen) == [result.names[i] for i in result.order if i in indices]
    # every difference from the plain top k is explained, and nothing else is listed
    plain = set(chosen.plain_top)
    assert {d.priority for d in chosen.adjustments if d.change == ADDED} == set(chosen.chosen) - plain
    assert {d.priority for d in chosen.adjustments if d.change == DROPPED} == plain - set(chosen.chosen)
    assert all(d.reason for d in chosen.adjustments)


@settings(max_examples=200, deadline=None)
@given(instances())
def test_without_constraints_the_shortlist_is_the_first_k_of_the_plain_top(instance):
    result, k, _ = instance
    chosen = shortlist(result, k)
    assert chosen.plain_top == result.top(k)
    assert chosen.chosen == chosen.plain_top[:k]
    assert all("tied at rank" in d.reason for d in chosen.adjustments)
