"""Readings shown in more than one place (ranking.readings): the follow-up
round's suggestion, Kendall's W in words (Schmidt 1997), "not scored" and
the tie rule."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ranking.ranks import TIE_RULE
from ranking.readings import (
    DIVIDED,
    NEAR_LINE,
    NOT_SCORED,
    SUGGESTED_SIZE,
    TIE_SENTENCE,
    agreement_reading,
    change_words,
    contested_words,
    rank_label,
    suggest_followup,
    suggested_size,
    swap,
)

NAMES = tuple(f"Priority {c}" for c in "ABCDEFGHIJKLMNOP")  # 16, already in rank order below
NAMES_200 = tuple(f"Priority {n}" for n in range(1, 201))


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


@pytest.mark.parametrize(
    ("n", "places", "expected"),
    [(32, 5, 10), (8, 5, 8), (12, 12, 12), (40, 15, 30), (10, 3, 10), (32, 12, 24), (12, 5, 10)],
)
def test_the_suggested_size_is_ten_or_twice_the_places_within_the_list(n: int, places: int, expected: int):
    assert suggested_size(n, places) == expected


@given(n=st.integers(1, 200), data=st.data())
def test_the_suggestion_never_holds_fewer_than_the_places(n: int, data: st.DataObject):
    places = data.draw(st.integers(1, n))
    size = suggested_size(n, places)
    assert places <= size <= n and size >= min(SUGGESTED_SIZE, n)
    found = suggest_followup(NAMES_200[:n], list(range(1, n + 1)), [False] * n, size)
    assert len(found.names) >= places


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


def test_an_undefined_or_missing_w_says_why():
    assert agreement_reading(None) == agreement_reading(math.nan)


# --------------------------------------------------------------------------- not scored, ties


def test_a_priority_nobody_scored_is_labelled_not_scored():
    assert rank_label("Play", 3) == "3. Play"
    assert rank_label("Play", None) == f"Play ({NOT_SCORED})" == "Play (not scored)"


def test_the_tie_sentence_is_the_engines_rule_in_words():
    assert TIE_SENTENCE == "Ties: equal scores share the better rank (1, 2, 2, 4)."
    assert "min: " + TIE_SENTENCE.removeprefix("Ties: ").removesuffix(".") == TIE_RULE


# --------------------------------------------------------------------------- contested, and a changed top k


def test_contested_words_name_each_reason_once():
    assert contested_words(False, False) == ""
    assert contested_words(True, False) == DIVIDED == "the room is divided on it"
    assert contested_words(False, True) == NEAR_LINE
    assert contested_words(True, True) == f"{DIVIDED}; {NEAR_LINE}"


def test_swap_and_change_words_say_who_comes_in_and_who_drops_out():
    def quoted(names):
        return " and ".join(f"'{n}'" for n in names)

    assert swap(("A", "B", "C"), ("A", "D", "C")) == (("D",), ("B",))
    assert change_words(("D",), ("B",), quoted) == "'D' comes in and 'B' drops out"
    assert change_words(("D", "E"), (), quoted) == "'D' and 'E' come in"
    assert change_words((), ("B", "C"), quoted) == "'B' and 'C' drop out"
    assert change_words((), (), quoted) == "the top changes through a tie at the cut-off"
