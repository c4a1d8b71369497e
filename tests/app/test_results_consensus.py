"""Results, Consensus tab: every priority's status, shares and flag as the service's one reading has them and
as the board paper's content states them; changing the rule in the tab stores it and redraws the statuses
and the rule-sensitivity table."""

from __future__ import annotations

import math

from streamlit.testing.v1 import AppTest

from tests.app.conftest import Answered, error_texts, facilitator_app
from ui import state
from ui.plain import md
from ui.services import service
from workshop.converging import ConsensusSummary
from workshop.exports import build_content

RESULTS = "app_pages/results.py"


def consensus_app(answered: Answered) -> AppTest:
    at = facilitator_app(answered.made)
    at.query_params[state.RESULTS_TAB] = "Consensus"
    at.switch_page(RESULTS).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    return at


def text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b)
    return (a is None and isinstance(b, float) and math.isnan(b)) or a == b


def assert_screen_shows(at: AppTest, summary: ConsensusSummary) -> None:
    table = at.dataframe[0].value
    assert list(table["Priority"]) == [r.priority for r in summary.rows]
    assert list(table["Status"]) == [r.status_words for r in summary.rows]
    for column, field in [("In the high band", "share_high"), ("In the low band", "share_low"), ("Median", "median")]:
        for shown, row in zip(table[column], summary.rows, strict=True):
            assert _same(getattr(row, field), float(shown)), (column, row.priority)
    assert list(table["Disagreement"]) == ["yes" if r.disagreement else "no" for r in summary.rows]
    assert md(summary.rule) in text(at) and md(summary.sensitivity_words) in text(at)
    if summary.changes:
        sensitivity = at.dataframe[1].value
        assert list(sensitivity.columns) == ["Priority", "Stated rule", *summary.variants]
        assert list(sensitivity["Priority"]) == [c.priority for c in summary.changes]


def test_the_screen_shows_the_same_statuses_as_the_board_paper(answered: Answered):
    made = answered.made
    at = consensus_app(answered)
    summary = service().consensus(made.key, answered.scoring_round)
    content = build_content(service(), made.key, made.workshop.id)
    assert content.consensus == summary  # the board paper's rows are the screen's
    assert_screen_shows(at, summary)
    assert summary.weighted and "each participant's own weighted score" in "\n".join(c.value for c in at.caption)
    assert len(at.get("plotly_chart")) == 1


def test_changing_the_rule_in_the_tab_stores_it_and_redraws_the_statuses(answered: Answered):
    made = answered.made
    at = consensus_app(answered)
    before = service().consensus(made.key, answered.scoring_round)
    at.number_input(key=state.RESULTS_RULE_IN).set_value(40)
    at.number_input(key=state.RESULTS_RULE_AGAINST).set_value(20)
    at.button(key=f"FormSubmitter:{state.RESULTS_RULE_FORM}-Use this rule").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    stored = service().workshop_by_id(made.workshop.id, made.key).consensus
    assert (stored.in_share, stored.against_share, stored.high_band, stored.low_band) == (0.4, 0.2, None, None)
    after = service().consensus(made.key, answered.scoring_round)
    assert "In: at least 40% of the answers in 4–5 and fewer than 20% in 1–2" in after.rule
    assert [r.status for r in after.rows] != [r.status for r in before.rows]  # the rule changes the answer
    assert after.variants == ("75% / 20%", "80% / 20%", "40% / 20% with > for ≥")
    assert_screen_shows(at, after)
    assert at.number_input(key=state.RESULTS_RULE_IN).value == 40


def test_a_rule_that_does_not_work_is_refused_on_screen_and_nothing_changes(answered: Answered):
    made = answered.made
    at = consensus_app(answered)
    at.checkbox(key=state.RESULTS_RULE_THIRDS).uncheck()
    at.number_input(key=state.RESULTS_RULE_HIGH_FROM).set_value(2.0)
    at.number_input(key=state.RESULTS_RULE_LOW_TO).set_value(3.0)
    at.button(key=f"FormSubmitter:{state.RESULTS_RULE_FORM}-Use this rule").click().run()
    assert not at.exception
    assert any("must lie below the high band" in e for e in error_texts(at))
    assert service().workshop_by_id(made.workshop.id, made.key).consensus.is_default
