"""Results: the ranking, how it was worked out, where the room disagrees, how
robust the top k is, and what would change it.  Facilitator only; the
projector view shows the room what the facilitator reveals."""

import streamlit as st

from ui import analysis, results_view, state
from ui.analysis import Target
from ui.export_widgets import download_buttons
from ui.results_view import md
from ui.services import service
from ui.session import guard, require_facilitator
from workshop.models import RoundKind

session = require_facilitator()
workshop = service().workshop_by_id(session.workshop_id)

st.title("Results")
st.caption(md(workshop.title))
answered = ()
with guard("Finding the answered rounds"):
    answered = analysis.rounds_answered(session.key, workshop)
rnd = results_view.pick_round(answered)
if rnd is None:
    st.stop()
top = min(workshop.shortlist_size, len(rnd.priority_ids))

if rnd.kind is RoundKind.SCORING:
    options = results_view.ranking_options(workshop)
    target = Target(session.key, rnd.id, workshop.version, options)
    weights_round = analysis.weighting_round(answered)
    ranking, working, disagreement, sensitivity, what_if = st.tabs(
        list(results_view.TABS), key=state.RESULTS_TAB, bind="query-params"
    )
    with ranking:
        if ranking.open:
            with guard("Ranking the priorities"):
                results_view.ranking_tab(target, top)
    with working:
        if working.open:
            with guard("Showing the working"):
                results_view.working_tab(target, top)
    with disagreement:
        if disagreement.open:
            with guard("Measuring disagreement"):
                results_view.disagreement_tab(target, top)
    with sensitivity:
        if sensitivity.open:
            with guard("The sensitivity analysis"):
                results_view.sensitivity_tab(target, top, weights_round)
    with what_if:
        if what_if.open:
            with guard("The what-if panel"):
                results_view.what_if_tab(target, top, workshop.criteria, weights_round)
else:
    with guard("Showing the results"):
        found = analysis.results(Target(session.key, rnd.id, workshop.version))
        if rnd.kind is RoundKind.RANKING:
            results_view.ranking_round_view(found, top)
        else:
            results_view.weighting_round_view(found)

with st.expander("Export the board paper and tables"):
    download_buttons(service(), session.key, workshop.id)
