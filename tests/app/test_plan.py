"""The plan's pages: the facilitator's Plan page (status and charts, the indicators' grid refusing a bad row
by its number, values saved from the grid), a lead's page opened by their link (saving a value for their
priority only), and the annual review on the Agree page and a participant's card."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.app.conftest import Made, app, error_texts, facilitator_app, participant_app
from tests.app.test_setup import edit, texts
from tests.workshop.reviewing import LAST_YEAR, decided_review, last_year
from tests.workshop.test_performance import planned
from ui import state
from ui.plain import md
from ui.plan_widgets import INDICATOR_COLUMNS, indicator_rows
from workshop.exports.performance import build_performance
from workshop.models import IndicatorStatus
from workshop.service import WorkshopService

PLAN = "app_pages/plan.py"
LEAD = "app_pages/lead.py"
AGREE = "app_pages/agree.py"


def plan_app(svc: WorkshopService) -> tuple[AppTest, Made]:
    room = planned(svc)
    made = Made(svc.workshop_by_id(room.id), room.key)
    at = facilitator_app(made, PLAN)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at, made


def test_the_plan_page_shows_each_priority_and_indicator_with_its_status(svc: WorkshopService):
    at, _ = plan_app(svc)
    shown = [h.value for h in at.subheader]
    assert "Priority A: 🟠 behind" in shown and "Priority C: 🟢 on track" in shown
    words = texts(at)
    assert f"**{md('NI 112 Under-18 conception rate')}**: 🟠 behind" in words
    assert "Lead's commentary: " + md("Clinic hours were cut in August.") in words
    assert len(at.get("plotly_chart")) == 4  # one chart per indicator


def test_the_plan_page_and_the_performance_report_state_the_same_figures(svc: WorkshopService):
    at, made = plan_app(svc)
    report = build_performance(svc, made.key, made.workshop.id)
    words = texts(at)
    for line in report.indicators:
        shown = f"Latest ({line.period}): {line.against_line}." if line.period else f"{line.against_line}."
        assert md(shown) in words, shown
    chart = {c.proto.spec for c in at.get("plotly_chart")}
    assert len(chart) == 4


def test_the_indicators_grid_names_the_row_it_refuses_and_saves_nothing(svc: WorkshopService):
    at, made = plan_app(svc)
    before = svc.plan(made.key, made.workshop.id).indicators
    edit(at, state.PLAN_INDICATORS_EDITOR_, edited={1: {"target": 45.0}})  # NEET: lower is better, 40 → 45
    at.button(key=state.PLAN_SAVE_INDICATORS).click().run()
    errors = error_texts(at)
    assert len(errors) == 1 and "Nothing was saved" in errors[0]
    assert "Row 2: Indicator 'NI 117 16-18 year olds NEET'" in errors[0] and "worse than the baseline" in errors[0]
    assert svc.plan(made.key, made.workshop.id).indicators == before


def test_values_entered_in_the_grid_are_saved_and_change_the_status(svc: WorkshopService):
    at, made = plan_app(svc)
    at.tabs[2]  # the Values tab is drawn with the others
    edit(
        at,
        state.PLAN_ACTUALS_EDITOR_,
        added=[{"indicator": "NI 56 Obesity in Year 6", "period": "2011-Q3", "value": 35.0}],
    )
    at.button(key=state.PLAN_SAVE_ACTUALS).click().run()
    assert not at.error, [e.value for e in at.error]
    plan = svc.plan(made.key, made.workshop.id)
    assert any(a.value == 35.0 and a.period.label == "2011-Q3" for a in plan.actuals)
    assert "Priority B: 🟢 on track" in [h.value for h in at.subheader]


def test_a_lead_updates_only_their_priority_through_their_link(svc: WorkshopService):
    room = planned(svc)
    plan = svc.plan(room.key, room.id)
    priority_b = next(p for p in plan.agreed if p.name == "Priority B")
    link = svc.issue_lead_link(room.key, room.id, priority_b.id)
    at = app()
    at.query_params[state.Q_LEAD] = link.token
    at.run()
    at.switch_page(LEAD).run()
    assert not at.exception and not at.error
    assert at.title[0].value == "Update: Priority B"
    indicator = plan.indicators_of(priority_b.id)[0]
    field = f"{state.LEAD_FIELD_}{indicator.id}"
    assert at.text_input(key=f"{field}-period").value == "2011-Q3"  # the period after the latest value
    at.number_input(key=f"{field}-value").set_value(34.0)
    at.text_area(key=f"{field}-commentary").set_value("New school meals.")
    at.button(key=state.LEAD_SAVE).click().run()
    assert not at.error, [e.value for e in at.error]
    view = svc.lead_view(link.token)
    assert view.progress.indicators[0].status is IndicatorStatus.ON_TRACK
    assert view.progress.indicators[0].commentary == "New school meals."
    assert "Priority B: 🟢 on track" in [h.value for h in at.subheader]

    # A period that is not one: the lead is told, and nothing is saved.
    at.text_input(key=f"{field}-period").set_value("2011-Q5")
    at.number_input(key=f"{field}-value").set_value(30.0)
    at.button(key=state.LEAD_SAVE).click().run()
    assert error_texts(at) and "2011-Q5" in error_texts(at)[0]
    assert [a.period.label for a in svc.lead_view(link.token).progress.indicators[0].actuals] == ["2011-Q2", "2011-Q3"]

    refused = app()
    refused.query_params[state.Q_LEAD] = "not-a-lead-link"
    refused.run()
    refused.switch_page(LEAD).run()
    assert refused.error and not refused.exception


def test_the_agree_page_of_a_review_compares_with_last_year_and_saves_a_reason(svc: WorkshopService):
    last = last_year(svc)
    review, key = decided_review(svc, last)
    at = facilitator_app(Made(review, key), AGREE)
    assert not at.exception, at.exception
    assert "Compared with last year's decision" in [h.value for h in at.header]
    words = texts(at)
    assert md("2 kept, 1 dropped, 1 new.") in words and f"**New**: {md('Priority G')}" in words
    (box,) = [t for t in at.text_area if t.label.startswith("Reason for dropping 'Priority C'")]
    box.set_value("Met its target; now business as usual.")
    at.button(key="FormSubmitter:review-dropped-reasons-Save the reasons").click().run()
    assert not at.error, [e.value for e in at.error]
    comparison = svc.review_comparison(key, review.id)
    assert comparison is not None and comparison.missing_reasons == ()


def test_a_participants_card_in_a_review_marks_last_years_agreed_priorities(svc: WorkshopService):
    last = last_year(svc)
    review, key = svc.start_review(last.key, last.id)
    person = svc.join(review.code, "Sam", "Council")
    rid = review.rounds[0].id
    svc.open_round(key, rid)
    at = participant_app(person.token)
    marks = {}
    for n, _ in enumerate(review.priorities):  # every card, Next by Next (each participant has their own order)
        if n:
            at.button(key=f"{state.CARD_POSITION}-{rid}-next").click().run()
        assert not at.exception, at.exception
        name = next(h.value for h in at.subheader if h.value.startswith("Priority"))
        agreed = [i.value for i in at.info if "Agreed last year" in i.value]
        others = [c.value for c in at.caption if c.value == "Not on last year's agreed list."]
        marks[name] = agreed[0] if agreed else others[0] if others else None
    assert marks["Priority A"] == "**Agreed last year** (place 1 of 3): " + md("Chosen for its need.")
    assert marks["Priority C"].startswith("**Agreed last year** (place 3 of 3)")
    assert {n for n, m in marks.items() if m == "Not on last year's agreed list."} == {
        p.name for p in review.priorities if p.name not in LAST_YEAR
    }


def test_the_agree_page_offers_the_performance_report_beside_the_other_exports(svc: WorkshopService):
    room = planned(svc)
    at = facilitator_app(Made(svc.workshop_by_id(room.id), room.key), AGREE)
    assert not at.exception, at.exception
    assert "Quarterly performance report" in [h.value for h in at.subheader]
    assert at.selectbox(key=state.PERFORMANCE_PERIOD).value == "2011-Q3"  # the latest period first
    labels = [b.proto.label for b in at.get("download_button")]
    assert {"Performance report (HTML, prints to PDF)", "Performance report (Word)"} <= set(labels)


def test_a_reviews_plan_page_starts_this_years_plan_from_last_years_indicators(svc: WorkshopService):
    last = planned(svc)
    review, key = decided_review(svc, last)
    at = facilitator_app(Made(review, key), PLAN)
    assert not at.exception, at.exception
    at.button(key=state.PLAN_CARRY).click().run()
    assert not at.error, [e.value for e in at.error]
    assert len(svc.plan(key, review.id).indicators) == 3  # A's two and B's one; C was dropped
    assert not [b for b in at.button if b.key == state.PLAN_CARRY]  # offered only while the plan is empty


def test_the_indicators_grid_names_each_rows_problem(svc: WorkshopService):
    room = planned(svc)
    plan = svc.plan(room.key, room.id)
    frame = pd.DataFrame(
        [
            ("NI 1", "Priority A", "%", "lower", 10.0, pd.Timestamp("2011-03-31"), "", 8.0, pd.NaT, "NHS", ""),
            (None, None, None, None, None, pd.NaT, None, None, pd.NaT, None, None),  # an empty row is ignored
            ("NI 2", "Priority F", "%", "higher", 10.0, "2011-03-31", "", 12.0, "2012-03-31", "NHS", ""),
        ],
        columns=list(INDICATOR_COLUMNS),
    )
    assert indicator_rows(frame, plan).problems == ("Row 1: Give the target date of 'NI 1'.",)
    frame.loc[0, "target_date"] = pd.Timestamp("2012-03-31")
    (problem,) = indicator_rows(frame, plan).problems
    assert problem.startswith("Row 2: Indicator 'NI 2': 'Priority F' is not one of the agreed priorities")
