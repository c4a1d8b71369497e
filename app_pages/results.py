"""Results: the ranking, how it was worked out, where the room disagrees, how
robust the top k is, and what would change it.  Facilitator only; the
projector view shows the room what the facilitator reveals."""

import streamlit as st

from ui import analysis, feedback_widgets, state
from ui.analysis import Target
from ui.export_widgets import download_buttons
from ui.plain import md
from ui.results import (
    consensus_tab,
    disagreement_tab,
    options,
    other_rounds,
    ranking_tab,
    said_tab,
    sensitivity_tab,
    whatif_tab,
    working_tab,
)
from ui.results.shared import BALLOT_LEAVES_OUT, TABS
from ui.services import service
from ui.session import guard, require_facilitator
from workshop.models import RoundKind

session = require_facilitator()
workshop = service().workshop_by_id(session.workshop_id, session.key)

st.title("Results")
st.caption(md(workshop.title))
answered = ()
with guard("Finding the answered rounds"):
    answered = analysis.rounds_answered(session.key, workshop)
rnd = options.pick_round(answered)
if rnd is None:
    st.stop()
top = workshop.shortlist_places(rnd)

if rnd.kind is RoundKind.SCORING:
    chosen = options.ranking_options(workshop)
    target = Target(session.key, rnd.id, workshop.version, chosen)
    weights_round = analysis.weighting_round(answered)
    robustness = workshop.robustness
    panels = [  # one per tab, in TABS order: what it is doing (for a refusal), and the drawing
        ("Ranking the priorities", lambda: ranking_tab.ranking_tab(target, top)),
        ("Showing the working", lambda: working_tab.working_tab(target, top)),
        ("Measuring disagreement", lambda: disagreement_tab.disagreement_tab(target, top)),
        ("Reading the consensus rule", lambda: consensus_tab.consensus_tab(target, workshop)),
        ("The sensitivity analysis", lambda: sensitivity_tab.sensitivity_tab(target, top, weights_round, robustness)),
        ("The what-if panel", lambda: whatif_tab.what_if_tab(target, top, workshop.criteria, weights_round)),
    ]
    names = list(TABS)
    if rnd.is_consultation:  # what the consultation said, as its own view first
        # a ballot's one question on its own scale has no consensus rule and no what-if
        kept = [
            (name, panel)
            for name, panel in zip(names, panels, strict=True)
            if not (rnd.young_ballot and name in BALLOT_LEAVES_OUT)
        ]
        panels = [("Showing what the consultation said", lambda: said_tab.said_tab(target, workshop))]
        panels += [panel for _, panel in kept]
        names = [said_tab.tab_name(rnd, workshop), *(name for name, _ in kept)]
    tabs = st.tabs(names, key=state.RESULTS_TAB, bind="query-params")
    for tab, (action, draw) in zip(tabs, panels, strict=True):
        with tab:
            if tab.open:  # lazy tabs: only the open one computes
                with guard(action):
                    draw()
    feedback_widgets.results_feedback(session, workshop, rnd)
else:
    with guard("Showing the results"):
        found = analysis.results(Target(session.key, rnd.id, workshop.version))
        if rnd.kind is RoundKind.RANKING and rnd.is_consultation:  # a pick ballot's or consultation's view first
            said_tab.picks_said(found, workshop)
        if rnd.kind is RoundKind.RANKING:
            other_rounds.ranking_round_view(found, top, workshop)
        else:
            other_rounds.weighting_round_view(found)

with st.expander("Export the board paper and tables"):
    download_buttons(service(), session.key, workshop.id)
