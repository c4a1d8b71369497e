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
    robustness = workshop.robustness
    panels = [  # one per tab, in results_view.TABS order: what it is doing (for a refusal), and the drawing
        ("Ranking the priorities", lambda: results_view.ranking_tab(target, top)),
        ("Showing the working", lambda: results_view.working_tab(target, top)),
        ("Measuring disagreement", lambda: results_view.disagreement_tab(target, top)),
        ("The sensitivity analysis", lambda: results_view.sensitivity_tab(target, top, weights_round, robustness)),
        ("The what-if panel", lambda: results_view.what_if_tab(target, top, workshop.criteria, weights_round)),
    ]
    tabs = st.tabs(list(results_view.TABS), key=state.RESULTS_TAB, bind="query-params")
    for tab, (action, draw) in zip(tabs, panels, strict=True):
        with tab:
            if tab.open:  # lazy tabs: only the open one computes
                with guard(action):
                    draw()
else:
    with guard("Showing the results"):
        found = analysis.results(Target(session.key, rnd.id, workshop.version))
        if rnd.kind is RoundKind.RANKING:
            results_view.ranking_round_view(found, top)
        else:
            results_view.weighting_round_view(found)

with st.expander("Export the board paper and tables"):
    download_buttons(service(), session.key, workshop.id)
