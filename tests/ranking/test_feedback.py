"""ranking.feedback: the earlier answers' lines (counts, "don't know", median), small groups, band crossings."""

from __future__ import annotations

import math

import pytest

from ranking.consensus_rule import bottom_third, top_third
from ranking.feedback import MIN_SHOWN, OTHER_GROUPS, WHOLE_ROOM, crossed_band, feedback_line, feedback_lines

NINE = tuple(float(x) for x in range(1, 10))
NAN = math.nan


def test_a_line_counts_each_point_and_dont_know_and_takes_the_median_of_the_answers():
    line = feedback_line("Police", [2, 7, 7, 9, NAN], NINE)
    assert line.counts == (0, 1, 0, 0, 0, 0, 2, 0, 1)
    assert (line.dont_know, line.answers, line.responses) == (1, 4, 5)
    assert line.median == 7.0  # 2, 7, 7, 9: halfway between 7 and 7
    assert feedback_line("x", [1, 2, 8, 9], NINE).median == 5.0  # halfway between the middle two
    assert feedback_line("x", [NAN, NAN, NAN], NINE).median is None


def test_split_by_group_shows_each_group_in_the_workshops_order():
    values = [1, 2, 3, 7, 8, 9, 9]
    groups = ["Schools", "Schools", "Schools", "Police", "Police", "Police", "Police"]
    reading = feedback_lines(values, groups, NINE, by_group=True, group_order=("Police", "Schools"))
    assert [line.label for line in reading.lines] == ["Police", "Schools"]
    assert reading.lines[0].median == 8.5 and reading.lines[1].median == 2.0
    assert reading.left_out == 0


def test_the_whole_room_is_one_line_of_everyone():
    values = [1, 2, 3, 7, 8, 9, NAN]
    reading = feedback_lines(values, ["A", "A", "A", "B", "B", "B", "B"], NINE, by_group=False)
    (line,) = reading.lines
    assert line.label == WHOLE_ROOM and line.responses == 7 and line.dont_know == 1 and line.median == 5.0


def test_small_groups_are_pooled_and_a_line_of_too_few_answers_is_never_shown():
    # Health has 3 answers (shown); Police 1 and Schools 2 (pooled: 3, shown as "Other groups").
    values = [5, 6, 7, 9, 1, 2]
    groups = ["Health", "Health", "Health", "Police", "Schools", "Schools"]
    reading = feedback_lines(values, groups, NINE, by_group=True, group_order=("Health", "Police", "Schools"))
    assert [line.label for line in reading.lines] == ["Health", OTHER_GROUPS]
    assert reading.lines[1].groups == ("Police", "Schools") and reading.lines[1].counts[0] == 1
    # Police alone (1 answer) would show that person's answer: left out, and counted as left out.
    reading = feedback_lines([5, 6, 7, 9], ["Health"] * 3 + ["Police"], NINE, by_group=True)
    assert [line.label for line in reading.lines] == ["Health"] and reading.left_out == 1
    # A whole room of fewer than MIN_SHOWN shows nothing.
    assert feedback_lines([5] * (MIN_SHOWN - 1), [None] * (MIN_SHOWN - 1), NINE, by_group=False).lines == ()


def test_a_workshop_without_groups_gets_the_whole_room_even_when_split_by_group():
    reading = feedback_lines([1, 5, 9], [None, None, None], NINE, by_group=True)
    assert [line.label for line in reading.lines] == [WHOLE_ROOM]


@pytest.mark.parametrize(
    ("before", "after", "crossed"),
    [
        (2, 8, True),  # bottom third (1–3) to the top third (7–9)
        (9, 1, True),
        (3, 7, True),  # the bands' own edges
        (3, 6, False),  # into the middle only
        (5, 9, False),
        (7, 9, False),
        (None, 9, False),  # "don't know" is no crossing
        (2, None, False),
        (NAN, 9, False),
    ],
)
def test_a_crossing_is_bottom_third_to_top_third_or_back_on_a_1_to_9_scale(before, after, crossed):
    assert crossed_band(before, after, 1, 9) is crossed


def test_the_crossing_uses_the_consensus_rules_bands_on_other_scales():
    # 1–5: the bottom third is 1–2, the top third 4–5 (ranking.consensus_rule).
    assert (bottom_third(1, 5).high, top_third(1, 5).low) == (2, 4)
    assert crossed_band(2, 4, 1, 5) and not crossed_band(3, 5, 1, 5)
    assert crossed_band(0, 7, 0, 10) and not crossed_band(4, 10, 0, 10)  # 0–3 and 7–10
