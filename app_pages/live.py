"""Live control: share the join code, open, close and reveal rounds, watch
the room's progress (refreshing by itself), keep time, and start a
follow-up round on a shortlist."""

import streamlit as st

from ui import consultation_widgets, feedback_widgets, live_widgets, room_widgets
from ui.plain import md
from ui.services import service
from ui.session import require_facilitator
from ui.setup_widgets import flash
from workshop.models import RoundState

session = require_facilitator()
workshop = service().workshop_by_id(session.workshop_id, session.key)
flash()

st.title("Live control")
st.caption(workshop.title)
live_widgets.share_links(workshop)

rounds, room = st.columns([2, 3], gap="large")
with rounds:
    st.subheader("Rounds")
    live_widgets.rounds_list(session, workshop)
    live_widgets.add_round_form(session, workshop)
    st.subheader("Follow-up round on a shortlist")
    live_widgets.followup_form(session, workshop)

with room:
    focus = consultation_widgets.watched_round(workshop, live_widgets.focus_round(workshop))
    if focus is None:
        st.info("Add a round to see who has joined and how far they have got.")
    else:
        st.subheader(f"Progress: {focus.labelled(md(focus.title))}")
        if focus.state is RoundState.OPEN:
            live_widgets.timer_controls(focus)
        live_widgets.live_progress(session, focus.id)
        feedback_widgets.attrition_panel(session, focus.id)
        consultation_widgets.coverage_panel(session, focus)
    room_widgets.room_controls(session, workshop, None if focus is None else focus.id)
