"""An indicator's chart and the numbers beside it: the same points (baseline, each period's end, target)."""

from __future__ import annotations

from datetime import date

import pytest

from ranking.indicator_status import Better, IndicatorPlan, Reading
from ranking.periods import Period
from ui.figures.indicator import indicator_chart, indicator_points

PLAN = IndicatorPlan(40.0, date(2011, 3, 31), 30.0, date(2012, 3, 31), Better.LOWER)
READINGS = [Reading(Period.parse("2011-Q2"), 37.0), Reading(Period.parse("2011-Q3"), 36.0)]


def test_the_points_are_the_baseline_each_periods_end_and_the_target():
    points = indicator_points(PLAN, READINGS)
    assert [(p.label, p.on, p.actual) for p in points] == [
        ("Baseline", date(2011, 3, 31), None),
        ("2011-Q2", date(2011, 6, 30), 37.0),
        ("2011-Q3", date(2011, 9, 30), 36.0),
        ("Target", date(2012, 3, 31), None),
    ]
    # The line: 40 − 10 × days / 366 (91 days to the end of June, 183 to the end of September).
    assert [p.line for p in points] == pytest.approx([40.0, 40 - 910 / 366, 35.0, 30.0])


def test_the_chart_draws_those_points():
    fig = indicator_chart("NI 112 Under-18 conception rate", "per 1,000", PLAN, READINGS, "behind")
    line, marks, actual = fig.data
    assert list(line.y) == pytest.approx([p.line for p in indicator_points(PLAN, READINGS)])
    assert list(marks.y) == [40.0, 30.0] and list(actual.y) == [37.0, 36.0]
    assert "Status: behind · lower is better" in fig.layout.title.text
    assert fig.layout.yaxis.title.text == "per 1,000"
    without = indicator_chart("NI 56", "", PLAN, [], "no data")
    assert len(without.data) == 2 and without.layout.yaxis.title.text == "Value"
