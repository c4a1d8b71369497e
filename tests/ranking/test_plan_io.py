"""The one parser of the plan's files (ranking/plan_io.py): columns, synonyms, dates, periods, every row's problem."""

from __future__ import annotations

from datetime import date

from ranking.indicator_status import Better
from ranking.io import Problem, table_from_cells, table_from_text
from ranking.periods import Period
from ranking.plan_io import check_actuals, check_indicators


def test_indicators_with_synonyms_day_month_year_dates_and_a_decimal_comma():
    text = (
        "Name;Priority;Direction;Baseline;Baseline date;Target;Target date;Lead partner;Source\n"
        "NI 112;Health;Lower is better;40,5;31/03/2011;30;2012-03-31;NHS;ONS\n"
    )
    checked = check_indicators(table_from_text(text, "plan.csv"))
    assert checked.problems == ()
    (row,) = checked.items
    assert (row.name, row.priority, row.direction, row.baseline, row.baseline_date) == (
        "NI 112", "Health", Better.LOWER, 40.5, date(2011, 3, 31)
    )  # fmt: skip
    assert (row.lead, row.baseline_source, row.unit, row.note) == ("NHS", "ONS", "", "")


def test_every_bad_indicator_row_is_named_and_a_missing_column_is_the_only_problem():
    text = (
        "indicator,priority,better,baseline,baseline_date,target,target_date\n"
        "A,P,higher,x,2011-01-01,2,2012-01-01\n"
        "B,,higher,1,2011-01-01,2,2012-01-01\n"
        "C,P,higher,1,2011-02-30,2,2012-01-01\n"
        "D,P,higher,1,2011-01-01,,2012-01-01\n"
    )
    checked = check_indicators(table_from_text(text, "plan.csv"))
    assert checked.problems == (
        Problem(2, "baseline must be a number, not 'x'"),
        Problem(3, "priority is blank"),
        Problem(4, "baseline_date must be a date such as 2011-03-31 or 31/03/2011, not '2011-02-30'"),
        Problem(5, "target is blank"),
    )
    missing = check_indicators(table_from_text("indicator,priority\nA,P\n", "plan.csv"))
    assert [p.message for p in missing.problems] == ["the file needs a 'better' column (found: indicator, priority)"]


def test_actuals_read_quarters_months_and_a_workbooks_date_cell_as_its_month():
    cells = [
        ["indicator", "period", "value", "commentary"],
        ["NI 112", "2011q3", "35", "On course"],
        ["NI 117", "2012-03-01T00:00:00", "5.5", ""],
        ["NI 117", "2012-04", "5.4", ""],
    ]
    checked = check_actuals(table_from_cells(cells, "actuals.xlsx"))
    assert checked.problems == ()
    assert [(a.indicator, a.period, a.value, a.commentary) for a in checked.items] == [
        ("NI 112", Period.parse("2011-Q3"), 35.0, "On course"),
        ("NI 117", Period.parse("2012-03"), 5.5, ""),
        ("NI 117", Period.parse("2012-04"), 5.4, ""),
    ]
    assert checked.rows == (2, 3, 4)
