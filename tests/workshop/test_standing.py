"""workshop.standing: the departures of an agreed shortlist, what a decision
still lacks, and the constrained shortlist of any round's computed order
(the follow-up suggestion and Kendall's W are tests/ranking/test_readings.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from ranking.model import Priority
from ranking.shortlist import ADDED, DROPPED, EXCLUDED_REASON, ShortlistConstraints
from workshop.decision import Departure, MeasuredPriority, Measurement
from workshop.errors import InvalidInput
from workshop.models import Round, RoundKind, RoundState
from workshop.standing import (
    Standing,
    changes,
    decision_problems,
    proposal,
)

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
    assert (proposed.adjustments[0].priority, proposed.adjustments[0].reason) == (NAMES[0], EXCLUDED_REASON)


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
    assert [(d.priority, d.change) for d in found.adjustments] == [(NAMES[2], DROPPED), (NAMES[4], ADDED)]


def test_constraints_that_cannot_be_met_are_refused_with_the_engines_reason():
    computed = standing(list(range(1, 5)))
    with pytest.raises(InvalidInput, match="No shortlist fits those constraints: only 2 of the 3 places"):
        proposal(computed, 3, ShortlistConstraints(must_exclude=(NAMES[0], NAMES[1])))
