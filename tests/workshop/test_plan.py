"""The plan's use cases: indicators for the agreed priorities, actual values, the status settings, imports.

Values are hand-worked on the fixtures' line (tests/workshop/planning.py): lower is better, 40 → 30
from 2011-03-31 to 2012-03-31, so 35 at the end of 2011-Q3 is exactly on the line."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tests.hostile.files import xlsx
from tests.workshop.conftest import Made, small_setup, snapshot
from tests.workshop.planning import decided_room, indicator, standard_plan
from workshop.errors import InvalidInput
from workshop.models import ActualSpec, Better, IndicatorSpec, StatusSettings
from workshop.progress import plan_status
from workshop.service import WorkshopService
from workshop.store import Store

HEADER = "indicator,priority,better,baseline,baseline_date,target,target_date,unit,lead,note\n"


@pytest.fixture
def room(service: WorkshopService) -> Made:
    return decided_room(service)


def test_indicators_belong_to_agreed_priorities_and_name_a_group(service: WorkshopService, room: Made):
    plan = service.set_indicators(room.key, room.id, standard_plan())
    assert [p.name for p in plan.agreed] == ["Priority A", "Priority B", "Priority C"]
    assert [(i.name, i.priority, i.lead, i.direction) for i in plan.indicators][:2] == [
        ("NI 112 Under-18 conception rate", "Priority A", "NHS", Better.LOWER),
        ("NI 117 16-18 year olds NEET", "Priority A", "Council", Better.LOWER),
    ]
    assert plan.indicators[0].spec() == standard_plan()[0]
    assert plan.groups == ("Council", "NHS")


def test_every_problem_with_the_indicators_is_named_and_nothing_changes(
    service: WorkshopService, store: Store, room: Made
):
    before = snapshot(store.engine)
    specs = [
        indicator("NI 112", "Priority D"),
        indicator("NI 117", "Priority A", lead="Police"),
        indicator("ni 112", "Priority A"),
        indicator("NI 56", "Priority B", lead=""),
    ]
    with pytest.raises(InvalidInput) as refused:
        service.set_indicators(room.key, room.id, specs)
    assert refused.value.problems == (
        "Indicator 'NI 112': 'Priority D' is not one of the agreed priorities (Priority A; Priority B; Priority C).",
        "Indicator 'NI 117': the lead partner 'Police' is not a stakeholder group (Council; NHS).",
        "Indicator 'ni 112' is given twice (indicator names are unique in a plan).",
        "Indicator 'NI 56': give the lead partner, one of the stakeholder groups (Council; NHS).",
    )
    assert snapshot(store.engine) == before


def test_a_spec_checks_its_own_fields_naming_the_indicator():
    with pytest.raises(InvalidInput, match="Indicator 'NI 112': the target \\(45\\) is worse than the baseline"):
        indicator("NI 112", "Priority A", target=45.0)
    with pytest.raises(InvalidInput, match="Indicator 'NI 112': which way is better must be 'higher' or 'lower'"):
        IndicatorSpec("NI 112", "Priority A", "sideways", 1.0, date(2011, 1, 1), 2.0, date(2012, 1, 1))  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match=r"target date .* must be after the baseline date"):
        IndicatorSpec("NI 112", "Priority A", Better.HIGHER, 1.0, date(2012, 1, 1), 2.0, date(2011, 1, 1))
    assert (
        IndicatorSpec("X", "P", "higher is better", 1, date(2011, 1, 1), 2, date(2012, 1, 1)).direction is Better.HIGHER
    )  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="a quarter such as '2012-Q1'"):
        ActualSpec(1, "Spring 2012", 1.0)
    assert ActualSpec(1, "2012q1", 1.0).period == "2012-Q1"


def test_there_is_no_plan_before_a_decision(service: WorkshopService):
    workshop, key = service.create_workshop(small_setup())
    with pytest.raises(InvalidInput, match="Record the agreed priorities first"):
        service.set_indicators(key, workshop.id, standard_plan())
    with pytest.raises(InvalidInput, match="Record the agreed priorities first"):
        service.import_indicators(key, workshop.id, (HEADER + "x,y,lower,1,2011-01-01,0,2012-01-01,,,\n").encode())
    assert service.plan(key, workshop.id).agreed == ()


def test_an_unchanged_name_keeps_its_actuals_and_a_removed_indicator_loses_them(service: WorkshopService, room: Made):
    plan = service.set_indicators(room.key, room.id, standard_plan())
    first, second = plan.indicators[0].id, plan.indicators[1].id
    service.save_actuals(room.key, room.id, [ActualSpec(first, "2011-Q3", 35.0), ActualSpec(second, "2011-Q3", 36.0)])
    changed = (replace(standard_plan()[0], target=25.0), *standard_plan()[2:])
    plan = service.set_indicators(room.key, room.id, changed)
    assert plan.indicators[0].id == first and plan.indicators[0].target == 25.0
    assert [(a.indicator_id, a.value) for a in plan.actuals] == [(first, 35.0)]


def test_actuals_are_replaced_per_period_and_periods_do_not_mix(service: WorkshopService, room: Made):
    plan = service.set_indicators(room.key, room.id, standard_plan())
    first = plan.indicators[0].id
    service.save_actuals(room.key, room.id, [ActualSpec(first, "2011-Q3", 37.0)])
    plan = service.save_actuals(room.key, room.id, [ActualSpec(first, "2011-Q3", 35.0, "Revised.")])
    assert [(a.period.label, a.value, a.commentary) for a in plan.actuals] == [("2011-Q3", 35.0, "Revised.")]
    with pytest.raises(InvalidInput, match="is reported by quarter; 2011-10 is a month"):
        service.save_actuals(room.key, room.id, [ActualSpec(first, "2011-10", 34.0)])
    with pytest.raises(InvalidInput, match="2011-Q4 is given twice"):
        service.save_actuals(room.key, room.id, [ActualSpec(first, "2011-Q4", 34.0), ActualSpec(first, "2011q4", 3)])
    with pytest.raises(InvalidInput, match="not part of this workshop's plan"):
        service.save_actuals(room.key, room.id, [ActualSpec(10**6, "2011-Q4", 34.0)])
    with pytest.raises(InvalidInput, match="has no value for 2011-Q4"):
        service.remove_actual(room.key, room.id, first, "2011-Q4")


def test_the_status_follows_the_rule_and_the_stored_settings(service: WorkshopService, room: Made):
    plan = service.set_indicators(room.key, room.id, standard_plan())
    ids = [i.id for i in plan.indicators]
    values = [
        ActualSpec(ids[0], "2011-Q3", 35.0),
        ActualSpec(ids[1], "2011-Q3", 36.0),
        ActualSpec(ids[2], "2011-Q3", 41.0),
    ]
    status = plan_status(service.save_actuals(room.key, room.id, values))
    assert [(p.priority.name, p.status.value) for p in status.priorities] == [
        ("Priority A", "behind"),  # on track and behind: the worse
        ("Priority B", "off track"),
        ("Priority C", "no data"),
    ]
    assert status.indicator(ids[1]).assessment.expected == 35.0  # type: ignore[union-attr]
    lenient = service.set_status_settings(room.key, room.id, StatusSettings(tolerance=0.1))
    assert lenient.settings == StatusSettings(tolerance=0.1)
    assert plan_status(lenient).priorities[0].status == "on track"  # 1 short of 35 is within 10% of 10
    forged = StatusSettings()
    object.__setattr__(forged, "tolerance", 2.0)  # past the dataclass's own check, as a caller could
    with pytest.raises(InvalidInput, match="between 0 and 1"):
        service.set_status_settings(room.key, room.id, forged)


def test_the_status_up_to_a_period_reads_only_the_values_until_then(service: WorkshopService, room: Made):
    plan = service.set_indicators(room.key, room.id, standard_plan())
    first = plan.indicators[0].id
    values = [ActualSpec(first, "2011-Q2", 38.0), ActualSpec(first, "2011-Q3", 39.5)]
    plan = service.save_actuals(room.key, room.id, values)
    q2, q3 = plan.periods
    assert plan.latest_period == q3
    # Q2 ends 91 of 366 days on: the line is at 40 - 10 * 91/366 = 37.51, so 38 is behind; 39.5 in Q3 is too.
    assert plan_status(plan, q2).indicator(first).status == "behind"  # type: ignore[union-attr]
    assert plan_status(plan, q2.previous()).indicator(first).status == "no data"  # type: ignore[union-attr]
    assert plan_status(plan).indicator(first).assessment.previous.value == 38.0  # type: ignore[union-attr]


# --------------------------------------------------------------------------- imports


def test_indicators_import_from_csv_and_xlsx(service: WorkshopService, room: Made):
    rows = [
        ["indicator", "priority", "better", "baseline", "baseline_date", "target", "target_date", "lead", "source"],
        ["NI 112", "priority a", "lower is better", "40", "31/03/2011", "30", "2012-03-31", "nhs", "ONS 2009"],
        ["NI 75", "Priority C", "higher", "50", date(2011, 3, 31), "60", date(2012, 3, 31), "Council", ""],
    ]
    csv = "\n".join(",".join(str(c) for c in r) for r in rows).encode()
    for data, name in ((csv, "plan.csv"), (xlsx(rows), "plan.xlsx")):
        result = service.import_indicators(room.key, room.id, data, name)
        assert (result.applied, result.count, result.errors) == (True, 2, ())
        plan = service.plan(room.key, room.id)
        assert [(i.name, i.priority, i.lead, i.baseline_date, i.baseline_source) for i in plan.indicators] == [
            ("NI 112", "Priority A", "NHS", date(2011, 3, 31), "ONS 2009"),
            ("NI 75", "Priority C", "Council", date(2011, 3, 31), ""),
        ]


def test_an_indicators_file_with_errors_names_each_row_and_changes_nothing(
    service: WorkshopService, store: Store, room: Made
):
    service.set_indicators(room.key, room.id, standard_plan())
    before = snapshot(store.engine)
    data = (
        HEADER
        + "NI 112,Priority A,lower,40,2011-03-31,30,2012-03-31,per 1000,NHS,\n"
        + "NI 117,Priority D,lower,10,2011-03-31,8,2012-03-31,%,Council,\n"
        + "NI 56,Priority B,down,20,2011-03-31,18,2012-03-31,%,NHS,\n"
        + "NI 75,Priority C,higher,50,31 March,60,2012-03-31,%,Council,\n"
        + "NI 111,Priority C,lower,5,2011-03-31,6,2012-03-31,%,Council,\n"
        + "ni 112,Priority B,lower,5,2011-03-31,4,2012-03-31,%,NHS,\n"
    ).encode()
    result = service.import_indicators(room.key, room.id, data, "plan.csv")
    assert not result.applied
    assert [str(e) for e in result.errors] == [
        "Row 3: Indicator 'NI 117': 'Priority D' is not one of the agreed priorities "
        "(Priority A; Priority B; Priority C).",
        "Row 4: better must be 'higher' or 'lower', not 'down'.",
        "Row 5: baseline_date must be a date such as 2011-03-31 or 31/03/2011, not '31 March'.",
        "Row 6: Indicator 'NI 111': the target (6) is worse than the baseline (5) when lower is better.",
        "Row 7: indicator 'ni 112' appears again (first at row 2 as 'NI 112').",
    ]
    assert snapshot(store.engine) == before


def test_a_header_only_file_changes_nothing_and_says_so(service: WorkshopService, store: Store, room: Made):
    plan = service.set_indicators(room.key, room.id, standard_plan())
    service.save_actuals(room.key, room.id, [ActualSpec(plan.indicators[0].id, "2011-Q3", 35.0)])
    before = snapshot(store.engine)
    indicators = service.import_indicators(room.key, room.id, HEADER.encode(), "plan.csv")
    actuals = service.import_actuals(room.key, room.id, b"indicator,period,value,commentary\n", "actuals.csv")
    assert not indicators.applied and not actuals.applied
    assert [str(e) for e in indicators.errors] == [
        "The file has no indicators, only a header row; put one indicator per row under the 'indicator' heading."
    ]
    assert [str(e) for e in actuals.errors] == [
        "The file has no actual values, only a header row, so nothing was changed."
    ]
    assert snapshot(store.engine) == before


def test_actuals_import_naming_each_bad_row(service: WorkshopService, store: Store, room: Made):
    plan = service.set_indicators(room.key, room.id, standard_plan())
    service.save_actuals(room.key, room.id, [ActualSpec(plan.indicators[0].id, "2011-Q3", 35.0)])
    before = snapshot(store.engine)
    bad = (
        b"indicator,period,value,commentary\n"
        b"NI 112 Under-18 conception rate,2011-Q4,33,Fine\n"
        b"NI 999,2011-Q4,1,\n"
        b"NI 117 16-18 year olds NEET,Winter,1,\n"
        b"NI 56 Obesity in Year 6,2011-Q4,,\n"
        b"NI 112 Under-18 conception rate,2011-12,33,\n"
        b"ni 112 under-18 conception rate,2011-Q4,31,\n"
    )
    result = service.import_actuals(room.key, room.id, bad, "actuals.csv")
    assert [str(e).split(" (")[0] for e in result.errors] == [
        "Row 3: 'NI 999' is not one of the plan's indicators",
        "Row 4: the period must be a quarter such as '2012-Q1' or a month such as '2012-03', not 'Winter'.",
        "Row 5: value is blank.",
        "Row 6: 'NI 112 Under-18 conception rate' is reported by quarter, and 2011-12 is a month.",
        "Row 7: 'ni 112 under-18 conception rate' 2011-Q4 is given again",
    ]
    assert snapshot(store.engine) == before
    good = b"indicator,period,value,commentary\nni 112 under-18 conception rate,2011q4,33,On course\n"
    result = service.import_actuals(room.key, room.id, good, "actuals.csv")
    assert (result.applied, result.count) == (True, 1)
    saved = service.plan(room.key, room.id).actuals_of(plan.indicators[0].id)
    assert [(a.period.label, a.value, a.commentary) for a in saved] == [
        ("2011-Q3", 35.0, ""),
        ("2011-Q4", 33.0, "On course"),
    ]


def test_a_new_decision_that_drops_a_priority_drops_its_indicators_from_the_status(
    service: WorkshopService, room: Made
):
    from tests.deciding import decide

    service.set_indicators(room.key, room.id, standard_plan())
    by_name = {p.name: p.id for p in room.workshop.priorities}
    decide(service, room.key, room.id, room.scoring_round, [by_name[f"Priority {c}"] for c in "ABD"])
    plan = service.plan(room.key, room.id)
    assert [p.priority.name for p in plan_status(plan).priorities] == ["Priority A", "Priority B", "Priority D"]
    assert [i.priority for i in plan.indicators].count("Priority C") == 1  # kept, out of the status
    with pytest.raises(InvalidInput, match="'Priority C' is not one of the agreed priorities"):
        service.set_indicators(room.key, room.id, [i.spec() for i in plan.indicators])
    kept = [i.spec() for i in plan.indicators if i.priority != "Priority C"]
    assert len(service.set_indicators(room.key, room.id, kept).indicators) == 3
