"""ui.analysis rules: the follow-up suggestion, the reading of Kendall's W,
the departures of an agreed shortlist, what a decision still lacks, and the
constrained shortlist of any round's computed order."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import numpy as np
import pytest

from ranking.model import Priority
from ranking.shortlist import ADDED, DROPPED, EXCLUDED_REASON, ShortlistConstraints
from ui.analysis import (
    Standing,
    agreement_reading,
    changes,
    decision_problems,
    proposal,
    suggest_followup,
    suggested_size,
)
from ui.results_view import md
from workshop.decision import Departure, MeasuredPriority, Measurement
from workshop.errors import InvalidInput
from workshop.models import Round, RoundKind, RoundState

NAMES = tuple(f"Priority {c}" for c in "ABCDEFGHIJKLMNOP")  # 16, already in rank order below


def standing(ranks: list[int], themes: list[str] | None = None, spread: list[bool] | None = None) -> Standing:
    n = len(ranks)
    rnd = Round(1, 1, 1, "Scoring", RoundKind.SCORING, RoundState.CLOSED, tuple(range(1, n + 1)), None,
                datetime(2011, 3, 1, tzinfo=UTC), None, None, None)  # fmt: skip
    measured = tuple(MeasuredPriority(101 + i, NAMES[i], r, float(n - r), 3) for i, r in enumerate(ranks))
    return Standing(
        round=rnd,
        priority_ids=tuple(range(101, 101 + n)),
        priorities=tuple(Priority(name, (themes or [""] * n)[i]) for i, name in enumerate(NAMES[:n])),
        ranks=np.array(ranks),
        scores=np.array([float(n - r) for r in ranks]),
        high_spread=tuple(spread or [False] * n),
        basis="test",
        measurement=Measurement(rnd.id, rnd.label, "test", None, (), 3, 1, measured),
    )


def out(i: int, rank: int) -> Departure:
    return Departure(101 + i, NAMES[i], rank, added=False)


def brought(i: int, rank: int) -> Departure:
    return Departure(101 + i, NAMES[i], rank, added=True)


# --------------------------------------------------------------------------- follow-up suggestion


def test_the_suggestion_is_the_top_n_when_the_room_agrees_below_the_cut():
    found = suggest_followup(NAMES, list(range(1, 17)), [False] * 16, size=10)
    assert found.names == NAMES[:10]
    assert found.reasons[0] == "rank 1: in the top 10"


def test_divided_priorities_just_below_the_cut_are_added_and_said_why():
    spread = [False] * 16
    spread[10] = spread[11] = spread[12] = True  # ranks 11, 12, 13
    spread[2] = True  # inside the top 10 anyway
    found = suggest_followup(NAMES, list(range(1, 17)), spread, size=10)
    assert found.names == (*NAMES[:10], NAMES[10], NAMES[11])
    assert found.reasons[10] == "rank 11: just below the top 10, and the room is divided on it"
    assert NAMES[12] not in found.names  # three places below: too far


def test_a_tie_at_the_cut_brings_every_member_in():
    ranks = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 12, 13, 14, 15, 16]
    found = suggest_followup(NAMES, ranks, [False] * 16, size=10)
    assert found.names == NAMES[:11]


def test_the_suggestion_comes_in_rank_order_whatever_the_input_order():
    ranks = [3, 1, 2, 4]
    found = suggest_followup(NAMES[:4], ranks, [False] * 4, size=2)
    assert found.names == (NAMES[1], NAMES[2])


@pytest.mark.parametrize("size", [0, 17])
def test_the_suggestion_size_must_fit_the_list(size: int):
    with pytest.raises(ValueError, match="from 1 to 16"):
        suggest_followup(NAMES, list(range(1, 17)), [False] * 16, size=size)


@pytest.mark.parametrize(("n", "k", "expected"), [(32, 5, 10), (8, 5, 8), (12, 12, 12), (40, 15, 15), (10, 3, 10)])
def test_the_suggested_size_is_ten_within_the_list_and_never_below_the_shortlist(n: int, k: int, expected: int):
    assert suggested_size(n, k) == expected


# --------------------------------------------------------------------------- Kendall's W


@pytest.mark.parametrize(
    ("w", "words"),
    [
        (0.0, "very weak"),
        (0.099, "very weak"),
        (0.1, "weak agreement"),
        (0.29, "weak agreement"),
        (0.3, "moderate"),
        (0.5, "strong agreement"),
        (0.69, "strong agreement"),
        (0.7, "very strong"),
        (1.0, "very strong"),
    ],
)
def test_kendalls_w_reads_on_schmidts_scale(w: float, words: str):
    assert agreement_reading(w).startswith(words)


def test_an_undefined_w_says_why():
    assert agreement_reading(math.nan).startswith("no reading")


# --------------------------------------------------------------------------- departures and problems


def test_accepting_the_computed_top_k_departs_from_nothing():
    computed = standing(list(range(1, 9)))
    assert changes(NAMES[:5], computed, 5) == ()


def test_a_swap_is_one_priority_brought_in_and_one_left_out_in_computed_order():
    computed = standing(list(range(1, 9)))
    agreed = [*NAMES[:4], NAMES[6]]
    assert changes(agreed, computed, 5) == (out(4, 5), brought(6, 7))


def test_leaving_out_one_of_a_tie_at_the_cut_is_a_departure():
    computed = standing([1, 2, 3, 4, 5, 5, 7, 8])  # E and F tie for 5th: both are in the computed top 5
    assert changes(NAMES[:5], computed, 5) == (out(5, 5),)


def test_the_proposals_departures_are_the_services_departures():
    computed = standing(list(range(1, 9)))
    proposed = proposal(computed, 5, ShortlistConstraints(must_exclude=(NAMES[0],)))
    found = changes(proposed.chosen, computed, 5)
    assert found == (out(0, 1), brought(5, 6))
    assert (proposed.departures[0].priority, proposed.departures[0].reason) == (NAMES[0], EXCLUDED_REASON)


def test_a_complete_decision_has_no_problems():
    departures = (out(4, 5),)
    agreed = [*NAMES[:4], NAMES[6]]
    rationales = {n: "Needs analysis shows it." for n in agreed}
    assert decision_problems(agreed, 5, rationales, departures, {NAMES[4]: "Covered by B."}, "Chair") == ()


def test_every_missing_reason_is_listed():
    departures = (out(4, 5), brought(6, 7))
    agreed = [*NAMES[:3], NAMES[6]]
    rationales = {NAMES[0]: "Yes.", NAMES[1]: "   "}
    problems = decision_problems(agreed, 5, rationales, departures, {NAMES[6]: "Evidence."}, " ")
    assert problems == (
        "The shortlist has 4 priorities; it needs exactly 5.",
        f"Give the reason for choosing '{NAMES[1]}'.",
        f"Give the reason for choosing '{NAMES[2]}'.",
        f"Give the reason for choosing '{NAMES[6]}'.",
        f"Give the reason for leaving out '{NAMES[4]}' (computed rank 5).",
        "Say who made the decision.",
    )


# --------------------------------------------------------------------------- proposal


def test_any_rounds_order_is_shortlisted_under_a_theme_cap():
    computed = standing(list(range(1, 9)), themes=["Safe", "Safe", "Safe", "Health", "Health", "Achieve", "", ""])
    found = proposal(computed, 4, ShortlistConstraints(max_per_theme=2))
    assert found.chosen == (NAMES[0], NAMES[1], NAMES[3], NAMES[4])
    assert [(d.priority, d.change) for d in found.departures] == [(NAMES[2], DROPPED), (NAMES[4], ADDED)]


def test_constraints_that_cannot_be_met_are_refused_with_the_engines_reason():
    computed = standing(list(range(1, 5)))
    with pytest.raises(InvalidInput, match="No shortlist fits those constraints: only 2 of the 3 places"):
        proposal(computed, 3, ShortlistConstraints(must_exclude=(NAMES[0], NAMES[1])))


# --------------------------------------------------------------------------- people's text in markdown


def test_peoples_text_is_shown_as_typed_not_as_markdown():
    assert md("£5m *new* money [see](x) for 0-5s: $2 a_b") == (
        "£5m \\*new\\* money \\[see\\]\\(x\\) for 0\\-5s\\: \\$2 a\\_b"
    )
