"""The indicator status rule (ranking/indicator_status.py) on hand-worked cases.

Source: the rule as the module and the README state it (a straight-line trajectory from
baseline to target, the way the plans of the time set quarterly milestones for National
Indicator Set targets).  The dates are chosen so the arithmetic is exact: the baseline on
2011-03-31 and the target on 2012-03-31 are 366 days apart (2012 is a leap year), so the
end of 2011-Q3 (2011-09-30, 183 days on) is exactly half way and the end of July 2011
(122 days on) exactly a third of the way.
"""

from __future__ import annotations

from datetime import date

import pytest

from ranking.indicator_status import (
    DEFAULT_STATUS_SETTINGS,
    Better,
    IndicatorPlan,
    IndicatorStatus,
    Reading,
    StatusSettings,
    assess,
    expected,
    priority_status,
    trajectory,
)
from ranking.model import RankingInputError
from ranking.periods import Period, PeriodKind

ON, BEHIND, OFF, NONE = (
    IndicatorStatus.ON_TRACK,
    IndicatorStatus.BEHIND,
    IndicatorStatus.OFF_TRACK,
    IndicatorStatus.NO_DATA,
)
BASE, TARGET = date(2011, 3, 31), date(2012, 3, 31)
Q3 = Period.parse("2011-Q3")  # half way

# NI 112 under-18 conception rate (lower is better): 40 → 30 per 1,000, so 35 half way.
CONCEPTIONS = IndicatorPlan(40.0, BASE, 30.0, TARGET, Better.LOWER)
# A higher-is-better indicator (a share achieving a level): 50% → 60%, so 55 half way.
ATTAINMENT = IndicatorPlan(50.0, BASE, 60.0, TARGET, Better.HIGHER)


def status(plan: IndicatorPlan, value: float, settings: StatusSettings = DEFAULT_STATUS_SETTINGS, period: Period = Q3):
    return assess(plan, [Reading(period, value)], settings).status


def test_the_line_is_straight_from_baseline_to_target_and_flat_outside():
    assert expected(CONCEPTIONS, Q3.end) == 35.0
    assert expected(ATTAINMENT, Q3.end) == 55.0
    assert expected(ATTAINMENT, date(2010, 1, 1)) == 50.0  # before the baseline: the baseline
    assert expected(ATTAINMENT, date(2013, 6, 30)) == 60.0  # after the target date: the target
    assert expected(ATTAINMENT, TARGET) == 60.0


@pytest.mark.parametrize(
    ("value", "want"),
    [(35.0, ON), (34.0, ON), (30.0, ON), (36.0, BEHIND), (39.9, BEHIND), (40.0, OFF), (41.0, OFF)],
)
def test_lower_is_better(value, want):
    assert status(CONCEPTIONS, value) is want


@pytest.mark.parametrize(
    ("value", "want"),
    [(55.0, ON), (56.0, ON), (54.0, BEHIND), (50.1, BEHIND), (50.0, OFF), (49.0, OFF)],
)
def test_higher_is_better(value, want):
    assert status(ATTAINMENT, value) is want


def test_exactly_on_the_line_is_on_track_despite_rounding():
    plan = IndicatorPlan(0.3, BASE, 0.6, TARGET, Better.HIGHER)
    july = Period.parse("2011-07")  # a third of the way: 0.3 + 0.3/3 = 0.4, which floats make 0.39999999999999997
    assert expected(plan, july.end) != 0.4
    assert assess(plan, [Reading(july, 0.4)]).status is ON
    assert assess(plan, [Reading(july, 0.3999)]).status is BEHIND


def test_the_tolerance_is_a_share_of_the_planned_change_and_its_boundary_is_on_track():
    lenient = StatusSettings(tolerance=0.1)  # 10% of the planned 10 points: 1 point short is allowed
    assert status(ATTAINMENT, 54.0, lenient) is ON
    assert status(ATTAINMENT, 53.99, lenient) is BEHIND
    assert status(CONCEPTIONS, 36.0, lenient) is ON
    assert status(CONCEPTIONS, 36.01, lenient) is BEHIND


def test_the_progress_threshold_decides_behind_against_off_track():
    strict = StatusSettings(progress=0.2)  # must have moved 2 points the right way to be behind
    assert status(ATTAINMENT, 52.0, strict) is OFF
    assert status(ATTAINMENT, 52.01, strict) is BEHIND
    assert status(CONCEPTIONS, 38.0, strict) is OFF
    assert status(CONCEPTIONS, 37.9, strict) is BEHIND


def test_no_readings_is_no_data_with_no_figures():
    found = assess(CONCEPTIONS, [])
    assert found.status is NONE
    assert (found.latest, found.expected, found.gap, found.progress, found.readings) == (None, None, None, None, 0)


def test_the_latest_period_counts_and_progress_is_against_the_baseline_not_the_previous_value():
    readings = [Reading(Period.parse("2011-Q4"), 36.0), Reading(Period.parse("2011-Q2"), 37.0), Reading(Q3, 34.0)]
    found = assess(CONCEPTIONS, readings)
    # Q4 ends 2011-12-31, 275 of 366 days on: the line is at 40 - 10 * 275/366 = 32.486...
    assert found.latest == readings[0]
    assert found.expected == pytest.approx(40 - 10 * 275 / 366)
    assert found.previous == readings[2]
    assert found.gap == pytest.approx(-(36.0 - (40 - 10 * 275 / 366)))
    assert found.progress == pytest.approx(4.0)
    assert found.status is BEHIND  # worse than Q3, but still better than the baseline
    at_q3 = assess(CONCEPTIONS, readings, upto=Q3)
    assert (at_q3.status, at_q3.latest, at_q3.readings) == (ON, readings[2], 2)


def test_a_target_already_reached_after_its_date_stays_on_track():
    assert status(ATTAINMENT, 60.0, period=Period.parse("2012-Q3")) is ON
    assert status(ATTAINMENT, 59.0, period=Period.parse("2012-Q3")) is BEHIND


def test_a_target_that_holds_the_baseline():
    steady = IndicatorPlan(20.0, BASE, 20.0, TARGET, Better.LOWER)
    assert status(steady, 20.0) is ON
    assert status(steady, 19.0) is ON
    assert status(steady, 20.5) is OFF


def test_a_priority_is_the_worst_of_its_indicators_with_data():
    assert priority_status([ON, BEHIND, NONE]).status is BEHIND
    assert priority_status([ON, OFF, BEHIND]).status is OFF
    assert priority_status([ON, ON]).status is ON
    assert priority_status([NONE, NONE]).status is NONE
    assert priority_status([]).status is NONE
    count = priority_status([ON, BEHIND, NONE, ON])
    assert (count.on_track, count.behind, count.off_track, count.no_data) == (2, 1, 0, 1)


def test_the_trajectory_to_chart_runs_baseline_periods_target():
    points = trajectory(ATTAINMENT, [Q3, Period.parse("2011-Q2")])
    assert [(p.on, p.value) for p in points] == [
        (BASE, 50.0),
        (date(2011, 6, 30), pytest.approx(50 + 10 * 91 / 366)),
        (Q3.end, 55.0),
        (TARGET, 60.0),
    ]


def test_a_plan_refuses_a_target_the_wrong_way_or_before_the_baseline():
    with pytest.raises(RankingInputError, match="worse than the baseline"):
        IndicatorPlan(40.0, BASE, 45.0, TARGET, Better.LOWER)
    with pytest.raises(RankingInputError, match="must be after the baseline date"):
        IndicatorPlan(40.0, BASE, 30.0, BASE, Better.LOWER)
    with pytest.raises(RankingInputError, match="between 0 and 1"):
        StatusSettings(tolerance=1.5)
    with pytest.raises(RankingInputError, match="must be a number"):
        StatusSettings(progress=float("nan"))


def test_periods_parse_end_and_order():
    assert Period.parse("2012-Q1") == Period(2012, PeriodKind.QUARTER, 1)
    assert Period.parse(" 2012q4 ").label == "2012-Q4"
    assert Period.parse("2012-3").label == "2012-03"
    assert Period.parse("2012-02").end == date(2012, 2, 29)
    assert Period.parse("2011-Q4").end == date(2011, 12, 31)
    assert Period.parse("2012-Q1").start == date(2012, 1, 1)
    assert Period.parse("2012-Q1").previous().label == "2011-Q4"
    assert Period.parse("2012-01").previous().label == "2011-12"
    assert Period.parse("2011-Q4") < Period.parse("2012-01") < Period.parse("2012-Q1")
    for bad in ("2012-Q5", "2012-13", "Q1 2012", "", "1800-Q1"):
        with pytest.raises(RankingInputError):
            Period.parse(bad)
