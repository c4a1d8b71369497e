"""Results page: every tab renders for a room that scored, the method switch
reorders what is shown, SMAA shows (and takes) its seed, the what-if sliders
and the per-group what-if show the engine's rankings, and the page is for the
facilitator only."""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from ranking.consensus import consensus
from ranking.methods import Method, RankingOptions, rank
from ranking.readings import agreement_reading
from tests.app.conftest import Answered, Made, app, facilitator_app
from ui import state
from ui.plain import md
from ui.results.shared import TABS
from ui.services import service
from workshop.results import ScoringResults

RESULTS = "app_pages/results.py"


def results_app(answered: Answered, tab: str | None = None) -> AppTest:
    at = facilitator_app(answered.made)
    if tab is not None:
        at.query_params[state.RESULTS_TAB] = tab
    at.switch_page(RESULTS).run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def room(answered: Answered, options: RankingOptions | None = None) -> ScoringResults:
    found = service().results(answered.made.key, answered.scoring_round, options)
    assert isinstance(found, ScoringResults)
    return found


def shown_order(at: AppTest) -> list[str]:
    return list(at.dataframe[0].value["Priority"])


def text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def button(at: AppTest, label: str):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.label == label)


#: Something only each tab shows, and how many charts it draws.
TAB_SIGNS = {
    "Ranking": ("each criterion's room score is rescaled", 2),
    "Show the working": ("Score = the sum of the weighted column", 2),
    "Disagreement": ("W compares the 12 participants' own orders", 2),
    "Consensus": ("at least 70% of the answers in 4–5", 1),
    "Sensitivity": ("10,000 samples", 5),
    "What if": ("Top 5 with these weights", 2),
}


@pytest.mark.parametrize("tab", TABS)
def test_every_tab_renders_its_charts(answered: Answered, tab: str):
    at = results_app(answered, tab)
    assert at.selectbox(key=state.RESULTS_ROUND).value == answered.scoring_round
    sign, charts = TAB_SIGNS[tab]
    assert sign in text(at)
    assert len(at.get("plotly_chart")) == charts


def test_the_ranking_tab_lists_every_priority_best_first_with_the_top_k_marked(answered: Answered):
    at = results_app(answered)
    table = at.dataframe[0].value
    expected = room(answered).ranking
    assert list(table["Priority"]) == [expected.names[i] for i in expected.order]
    assert list(table["Top 5"]) == [int(expected.ranks[i]) <= 5 for i in expected.order]
    assert "equal scores share the better rank" in "\n".join(c.value for c in at.caption)


def test_switching_the_method_changes_the_order_shown(answered: Answered):
    at = results_app(answered)
    weighted_sum = shown_order(at)
    at.selectbox(key=state.RESULTS_METHOD).set_value(Method.BORDA).run()
    assert not at.exception
    borda = room(answered, RankingOptions(method=Method.BORDA)).ranking
    assert shown_order(at) == [borda.names[i] for i in borda.order]
    assert shown_order(at) != weighted_sum
    assert "Borda count" in text(at)


def test_the_disagreement_tab_reads_kendalls_w(answered: Answered):
    at = results_app(answered, "Disagreement")
    found = room(answered)
    w = consensus(found.score_set, RankingOptions(), 5).kendall_w
    assert at.metric[0].value == f"{w:.2f}"
    assert agreement_reading(w).capitalize() in text(at)


def test_the_disagreement_tab_says_how_non_response_is_treated(answered: Answered):
    """Each group's ρ is shown with the priorities it is measured over, and the page says that a
    priority a group did not score, or a participant's "don't know", is left out."""
    at = results_app(answered, "Disagreement")
    found = consensus(room(answered).score_set, RankingOptions(), 5)
    table = next(d.value for d in at.dataframe if "Priorities compared" in d.value.columns)
    assert list(table["Group"]) == [g.group for g in found.groups]
    assert list(table["Priorities compared"]) == [g.compared for g in found.groups]
    assert list(table["Agreement with the room (ρ)"]) == [f"{g.spearman:.2f}" for g in found.groups]
    captions = "\n".join(c.value for c in at.caption)
    assert "measured over the priorities the group scored: one it did not score is left out" in captions
    assert "a 'don't know' is left out, never filled in from the room" in text(at)


def test_smaa_shows_its_seed_and_samples_again_with_a_new_one(answered: Answered):
    at = results_app(answered, "Sensitivity")
    assert "10,000 samples, around the agreed weights (concentration 50), seed 0" in text(at)
    at.number_input(key=state.RESULTS_SMAA_SEED).set_value(42)
    at.radio(key=state.RESULTS_SMAA_SAMPLING).set_value(at.radio(key=state.RESULTS_SMAA_SAMPLING).options[2])
    button(at, "Sample again").click().run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert "participants' own weights, seed 42" in text(at)


def test_the_what_if_sliders_rank_with_the_weights_set(answered: Answered):
    at = results_app(answered, "What if")
    workshop = service().workshop_by_id(answered.made.workshop.id)
    for criterion in workshop.criteria:
        weight = 100 if criterion is workshop.criteria[-1] else 0
        at.slider(key=f"{state.RESULTS_WHATIF_WEIGHT_}{answered.scoring_round}-{criterion.id}").set_value(weight)
    at.run()
    assert not at.exception
    only_last = rank(room(answered).score_set, weights=np.eye(len(workshop.criteria))[-1])
    assert f"**Top 5 with these weights:** {'; '.join(md(n) for n in only_last.top(5))}" in text(at)

    button(at, "Back to the agreed weights").click().run()
    assert f"**Top 5 with these weights:** {'; '.join(md(n) for n in room(answered).ranking.top(5))}" in text(at)
    assert "The same priorities make the shortlist." in text(at)


def test_a_groups_what_if_ranks_that_groups_scores(answered: Answered):
    at = results_app(answered, "What if")
    found = room(answered)
    group = found.score_set.group_names[1]
    at.selectbox(key=state.RESULTS_WHATIF_GROUP).set_value(group).run()
    assert not at.exception
    members = np.flatnonzero(np.array(found.score_set.groups) == group)
    theirs = rank(found.score_set.subset(members))
    top = "; ".join(md(n) for n in theirs.top(5))
    assert f"**Top 5 for {md(group)}** (the group's scores, the agreed weights): {top}" in text(at)


def test_a_weighting_round_shows_the_rooms_weights(answered: Answered):
    at = results_app(answered)
    at.selectbox(key=state.RESULTS_ROUND).set_value(answered.weighting_round).run()
    assert not at.exception
    table = at.dataframe[0].value
    weights = service().results(answered.made.key, answered.weighting_round).room.weights
    assert np.allclose(table["Room's weight"], weights)


def test_before_anyone_answers_the_page_says_so(sample: Made):
    at = facilitator_app(sample, RESULTS)
    assert not at.exception
    assert "once somebody has answered a round" in at.info[0].value


def test_without_the_facilitator_key_the_page_is_refused(answered: Answered):
    at = app()
    at.run()
    at.switch_page(RESULTS).run()
    assert not at.exception
    assert "for the workshop's facilitator" in at.warning[0].value
    assert not at.get("plotly_chart")


# --------------------------------------------------------------------------- the workshop's ranking method


def test_the_page_opens_with_the_workshops_stored_method(answered: Answered):
    made = answered.made
    service().set_ranking_options(made.key, made.workshop.id, RankingOptions(Method.TOPSIS, aggregation="median"))
    at = results_app(answered)
    assert at.selectbox(key=state.RESULTS_METHOD).value == Method.TOPSIS
    assert at.radio(key=state.RESULTS_AGGREGATION).value == "median"
    topsis = room(answered).ranking  # the service's default is the stored method
    assert topsis.method is Method.TOPSIS
    assert shown_order(at) == [topsis.names[i] for i in topsis.order]
    assert any(
        "changes it for the projector, participants' results, the Agree page and every export" in c.value
        for c in at.caption
    )


def test_changing_the_method_on_the_page_stores_it_for_everyone(answered: Answered):
    made = answered.made
    at = results_app(answered)
    at.selectbox(key=state.RESULTS_METHOD).set_value(Method.COPELAND).run()
    at.toggle(key=state.RESULTS_BALANCED).set_value(True).run()
    assert not at.exception and not at.error
    stored = service().workshop_by_id(made.workshop.id).ranking
    assert stored == RankingOptions(Method.COPELAND, balance_groups=True)
    assert [e.action for e in service().audit_log(made.key, made.workshop.id)][-2:] == ["ranking method set"] * 2
    agree = facilitator_app(made, "app_pages/agree.py")
    assert not agree.exception
    captions = "\n".join(c.value for c in agree.caption)
    assert "Copeland of the room's mean scores, each stakeholder group counting equally" in captions


def test_the_controls_follow_a_change_made_in_another_tab(answered: Answered):
    made = answered.made
    at = results_app(answered)
    assert at.selectbox(key=state.RESULTS_METHOD).value == Method.WEIGHTED_SUM
    service().set_ranking_options(made.key, made.workshop.id, RankingOptions(Method.BORDA))
    at.run()
    assert not at.exception
    assert at.selectbox(key=state.RESULTS_METHOD).value == Method.BORDA
    assert "Borda count" in text(at)
    assert service().workshop_by_id(made.workshop.id).ranking.method is Method.BORDA  # not written back
