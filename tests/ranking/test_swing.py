"""ranking.swing: swing weights as the DCLG multi-criteria manual (2009, §6.2.10) describes them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ranking.model import RankingInputError
from ranking.swing import swing_weights


def test_the_swings_relative_to_the_first_are_normalised():
    result = swing_weights([("Need", 100), ("Reach", 50), ("Evidence", 50), ("Cost", 0)])
    assert result.weights.tolist() == [0.5, 0.25, 0.25, 0.0]
    assert result.criteria == ("Need", "Reach", "Evidence", "Cost")
    assert result.weight_of("Reach") == 0.25


@pytest.mark.parametrize(
    ("swings", "message"),
    [
        ([("Need", 90), ("Reach", 50)], "the first criterion ('Need') is the one whose swing matters most "
                                        "and must be given 100, not 90"),
        ([("Need", 100), ("Reach", 120)], "the swing of criterion 'Reach' must be from 0 to 100, not 120"),
        ([("Need", 100), ("Reach", -5)], "the swing of criterion 'Reach' must be from 0 to 100, not -5"),
        ([("Need", 100), ("Reach", 40), ("Cost", 60)],
         "criterion 'Cost' (60) is listed after 'Reach' (40) but given a larger swing"),
        ([("Need", 100), ("need", 50)], "criterion 'need' is given a swing twice"),
        ([("Need", 100), ("Reach", "lots")],
         "the swing of criterion 'Reach' must be a number from 0 to 100, not 'lots'"),
        ([], "at least one criterion"),
    ],
)
def test_swings_that_break_the_method_are_refused_with_the_reason(swings, message):
    with pytest.raises(RankingInputError) as info:
        swing_weights(swings)
    assert message in str(info.value)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.floats(0, 100, allow_nan=False), min_size=0, max_size=8))
def test_swing_weights_sum_to_1_and_keep_the_swings_proportions(rest):
    values = [100.0, *sorted(rest, reverse=True)]
    result = swing_weights([(f"C{i}", v) for i, v in enumerate(values)])
    assert result.weights.sum() == pytest.approx(1.0)
    for v, w in zip(values, result.weights, strict=True):
        assert w == pytest.approx(result.weights[0] * v / 100)
