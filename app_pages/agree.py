"""Agree the shortlist: narrow a round's list for another round, then agree
the final k with a reason for every choice and every departure from the
computed ranking, and show the recorded decision.  Facilitator only."""

import streamlit as st

from ui import agree_view, analysis
from ui.decision_view import show_decision
from ui.export_widgets import download_buttons, performance_panel
from ui.plain import md
from ui.review_widgets import comparison
from ui.services import service
from ui.session import guard, require_facilitator
from ui.setup_widgets import flash

session = require_facilitator()
workshop = service().workshop_by_id(session.workshop_id, session.key)
flash()

st.title("Agree the shortlist")
st.caption(md(workshop.title))
answered = ()
with guard("Finding the answered rounds"):
    answered = analysis.rounds_answered(session.key, workshop)

st.header("The agreed shortlist")
with guard("Reading the decision"):
    show_decision(
        analysis.latest_decision(session.key, workshop.id, workshop.version),
        analysis.decision_drift(session.key, workshop.id, workshop.version),
    )

comparison(session, workshop)

st.header("Narrow the list for another round")
with guard("Suggesting the priorities for another round"):
    agree_view.narrowing(session, workshop, answered)

st.header(f"Agree the {workshop.shortlist_size}")
with guard("Proposing the shortlist"):
    agree_view.agreeing(session, workshop, answered)

st.header("Export for the board")
download_buttons(service(), session.key, workshop.id)
with guard("Preparing the performance report"):
    performance_panel(service(), session.key, workshop.id)
