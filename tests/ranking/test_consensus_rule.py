"""ranking.consensus_rule: the stated consensus rule, the RAND/UCLA disagreement index and rule sensitivity."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ranking.consensus_rule import (
    Band,
    ConsensusRule,
    Status,
    assess,
    bottom_third,
    common_scale,
    consensus_report,
    ipras,
    rule_sensitivity,
    top_third,
)
from ranking.model import Criterion, Priority, RankingInputError, ScoreSet

NINE = (1.0, 9.0)
FIVE = (1.0, 5.0)


def room(values_by_priority: dict[str, list[float]], criteria: tuple[Criterion, ...] | None = None) -> ScoreSet:
    """One criterion (1–9 by default): participants × priorities from columns of answers (NaN = don't know)."""
    criteria = criteria or (Criterion("Need", 1.0, scale_min=1, scale_max=9),)
    names = list(values_by_priority)
    scores = np.array([values_by_priority[n] for n in names], dtype=float).T[:, :, None]
    return ScoreSet(tuple(Priority(n) for n in names), criteria, scores)


def rule9(**kwargs) -> ConsensusRule:
    return ConsensusRule.for_scale(*NINE, **kwargs)


# --------------------------------------------------------------------------- the RAND/UCLA manual


def test_rand_ucla_worked_ipras_example():
    """The RAND/UCLA Appropriateness Method User's Manual (Fitch et al. 2001, ch. 8): 15 panellists,
    median 7, P30 7, P70 8 → IPRCP 7.5, AI 2.5, IPRAS = 2.35 + 1.5 × 2.5 = 6.1 > IPR 1: no disagreement.
    The ratings are those of Table 1 of BMJ Open 2012;2:e001431 (one each at 4, 5, 6; five at 7 and 8; two at 9)."""
    ratings = [4, 5, 6] + [7] * 5 + [8] * 5 + [9] * 2
    result = assess("criterion one", np.array(ratings, dtype=float), rule9(), NINE)
    assert (result.answers, result.median, result.p30, result.p70) == (15, 7.0, 7.0, 8.0)
    assert result.ipr == 1.0
    assert result.ipras == pytest.approx(6.1)
    assert not result.disagreement


def test_rand_ucla_disagreement_on_a_split_panel():
    """A panel split between the ends: P30 2, P70 8 → IPR 6 > IPRAS 2.35 (symmetric, AI 0): disagreement."""
    ratings = np.array([1, 1, 2, 2, 2, 8, 8, 8, 9, 9], dtype=float)
    result = assess("split", ratings, rule9(), NINE)
    assert (result.p30, result.p70) == (2.0, 8.0)
    assert result.ipras == pytest.approx(2.35)
    assert result.disagreement
    assert result.status is Status.NONE


def test_ipras_on_another_scale_is_the_1_to_9_index_in_the_scales_units():
    """On 1–5, x ↦ 1 + 2(x − 1) puts the answers on 1–9: IPRAS there, halved back."""
    assert ipras(4.0, 4.5, *FIVE) == pytest.approx(ipras(7.0, 8.0) / 2) == pytest.approx(3.05)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=1, max_size=25))
def test_disagreement_is_the_same_read_on_1_to_5_or_rescaled_onto_1_to_9(answers):
    five = np.array(answers, dtype=float)
    nine = 1 + 2 * (five - 1)
    on_five = assess("p", five, ConsensusRule.for_scale(*FIVE), FIVE)
    on_nine = assess("p", nine, rule9(), NINE)
    assert on_five.disagreement == on_nine.disagreement
    assert on_five.ipras * 2 == pytest.approx(on_nine.ipras)
    assert on_five.ipr * 2 == pytest.approx(on_nine.ipr)


# --------------------------------------------------------------------------- the bands


@pytest.mark.parametrize(
    ("scale", "high", "low"),
    [((1, 9), (7, 9), (1, 3)), ((1, 5), (4, 5), (1, 2)), ((0, 10), (7, 10), (0, 3)), ((1, 7), (5, 7), (1, 3))],
)
def test_the_default_bands_are_the_top_and_bottom_thirds(scale, high, low):
    assert top_third(*scale) == Band(*high)
    assert bottom_third(*scale) == Band(*low)


def test_a_weighted_score_between_bands_is_in_neither():
    assert not Band(7, 9).contains(np.array([6.9]))[0]
    assert Band(7, 9).contains(np.array([7.0, 9.0])).all()


# --------------------------------------------------------------------------- 70/15 boundary cases


def test_exactly_70_percent_high_with_fewer_than_15_percent_low_is_in():
    answers = [8] * 7 + [5] * 2 + [2]  # 70% high, 10% low
    assert assess("p", np.array(answers, float), rule9(), NINE).status is Status.IN


def test_exactly_15_percent_low_blocks_consensus():
    answers = [8] * 14 + [2] * 3 + [5] * 3  # 70% high but 15% low: not "fewer than 15%"
    result = assess("p", np.array(answers, float), rule9(), NINE)
    assert (result.share_high, result.share_low) == (0.7, 0.15)
    assert result.status is Status.NONE
    two_low = [8] * 14 + [2] * 2 + [5] * 4  # 10% low
    assert assess("p", np.array(two_low, float), rule9(), NINE).status is Status.IN


def test_just_below_70_percent_is_no_consensus_and_the_mirror_is_out():
    assert assess("p", np.array([8] * 13 + [5] * 7, float), rule9(), NINE).status is Status.NONE
    out = assess("p", np.array([2] * 14 + [8] * 2 + [5] * 4, float), rule9(), NINE)
    assert out.status is Status.OUT


def test_dont_know_is_left_out_of_the_denominator_and_its_share_reported():
    answers = [8] * 7 + [5] * 3 + [math.nan] * 5  # 7 of 10 answers high; 7 of 15 people
    result = assess("p", np.array(answers, float), rule9(), NINE)
    assert (result.answers, result.dont_know) == (10, 5)
    assert result.share_high == 0.7
    assert result.dont_know_share == pytest.approx(1 / 3)
    assert result.status is Status.IN


def test_nobody_answering_is_no_consensus_with_nothing_measured():
    result = assess("p", np.array([math.nan] * 3), rule9(), NINE)
    assert (result.answers, result.dont_know, result.status, result.disagreement) == (0, 3, Status.NONE, False)
    assert math.isnan(result.share_high) and math.isnan(result.median)


def test_strict_in_turns_at_least_into_more_than():
    answers = np.array([8] * 7 + [5] * 3, float)
    assert assess("p", answers, rule9(strict_in=True), NINE).status is Status.NONE


def test_on_a_1_to_5_scale_the_bands_are_4_5_and_1_2():
    s = room({"A": [4, 5, 4, 5, 4, 5, 4, 3, 3, 1]}, (Criterion("Need", 1.0, scale_min=1, scale_max=5),))
    report = consensus_report(s)
    assert (report.rule.high_band, report.rule.low_band) == (Band(4, 5), Band(1, 2))
    assert report.priorities[0].status is Status.IN  # 70% in 4–5, 10% in 1–2


# --------------------------------------------------------------------------- several criteria


def test_several_criteria_use_each_participants_weighted_score_and_show_each_criterion():
    criteria = (
        Criterion("Need", 3.0, scale_min=1, scale_max=9),
        Criterion("Cost", 1.0, "cost", scale_min=1, scale_max=9),
    )
    # Everyone: Need 9, Cost 1 (cheap) → weighted score 9; half say Need 5, Cost 9 → (3·5 + 1·1)/4 = 4.
    scores = np.array([[[9, 1]]] * 7 + [[[5, 9]]] * 3, dtype=float)
    report = consensus_report(ScoreSet((Priority("A"),), criteria, scores))
    assert report.values[:, 0].tolist() == pytest.approx([9] * 7 + [4] * 3)
    assert report.priorities[0].status is Status.IN
    need, cost = (working[0] for working in report.by_criterion)
    assert need.share_high == 0.7 and need.status is Status.IN
    # A cost criterion reads inverted: a cost of 1 is "for" the priority, a cost of 9 against it.
    assert (cost.share_high, cost.share_low, cost.status) == (0.7, 0.3, Status.NONE)


def test_a_participant_who_answered_only_some_criteria_counts_on_those():
    criteria = (Criterion("Need", 1.0, scale_min=1, scale_max=9), Criterion("Reach", 1.0, scale_min=1, scale_max=9))
    scores = np.array([[[8, np.nan]], [[np.nan, np.nan]], [[7, 9]]], dtype=float)
    report = consensus_report(ScoreSet((Priority("A"),), criteria, scores))
    assert report.values[:, 0].tolist()[0] == pytest.approx(8)
    assert (report.priorities[0].answers, report.priorities[0].dont_know) == (2, 1)


def test_the_rule_needs_one_common_scale():
    criteria = (Criterion("Need", 1.0, scale_min=1, scale_max=9), Criterion("Cost", 1.0, scale_min=1, scale_max=5))
    with pytest.raises(RankingInputError, match=re.escape("'Cost' is scored on 1..5 but 'Need' on 1..9")):
        common_scale(criteria)
    with pytest.raises(RankingInputError, match="'Need' has no scale"):
        common_scale((Criterion("Need", 1.0, scale_min=None, scale_max=None),))


# --------------------------------------------------------------------------- the rule refuses nonsense


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"in_share": 0.1, "against_share": 0.2}, "must not be above the share needed"),
        ({"in_share": 0.0}, "above 0%"),
        ({"in_share": 1.5}, "at most 100%"),
        ({"high_band": Band(7, 12)}, "the high band 7–12 is not on the scale 1..9"),
        ({"low_band": Band(1, 7)}, "the low band (1–7) must lie below the high band (7–9)"),
    ],
)
def test_a_rule_that_cannot_work_is_refused(kwargs, message):
    with pytest.raises(RankingInputError) as info:
        rule9(**kwargs)
    assert message in str(info.value)


def test_a_band_must_run_low_to_high():
    with pytest.raises(RankingInputError, match="from low to high"):
        Band(9, 7)


# --------------------------------------------------------------------------- rule sensitivity


def test_rule_sensitivity_names_the_priorities_that_change_under_75_80_and_strict():
    s = room(
        {
            "seventy": [8] * 14 + [5] * 6,  # in only under ≥ 70%
            "seventy-five": [8] * 15 + [5] * 5,  # in at 75%, not 80%
            "ninety": [8] * 18 + [5] * 2,  # in under all
        }
    )
    outcomes = {o.variant.label: o for o in rule_sensitivity(consensus_report(s))}
    changed = {label: [(c.priority, c.before.value, c.after.value) for c in o.changes] for label, o in outcomes.items()}
    assert changed == {
        "75% / 15%": [("seventy", "in", "none")],
        "80% / 15%": [("seventy", "in", "none"), ("seventy-five", "in", "none")],
        "70% / 15% with > for ≥": [("seventy", "in", "none")],
    }


# --------------------------------------------------------------------------- properties


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.one_of(st.integers(1, 9).map(float), st.just(math.nan)), min_size=3, max_size=3),
             min_size=1, max_size=15),
    st.randoms(use_true_random=False),
)
def test_statuses_do_not_depend_on_the_order_of_the_participants(rows, random):
    scores = np.array(rows, dtype=float)
    permuted = scores[random.sample(range(len(rows)), len(rows))]
    a = consensus_report(room({n: list(scores[:, i]) for i, n in enumerate("ABC")}))
    b = consensus_report(room({n: list(permuted[:, i]) for i, n in enumerate("ABC")}))
    assert a.statuses == b.statuses
    assert [p.disagreement for p in a.priorities] == [p.disagreement for p in b.priorities]
    for p in a.priorities:
        assert p.status is Status.NONE or p.answers > 0
        if p.status is Status.IN:
            assert p.share_high >= 0.7 and p.share_low < 0.15
