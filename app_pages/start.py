"""Start: create a workshop (sample, spreadsheet or blank) or open one as its
facilitator; a participant who lands here is pointed to the join page."""

import streamlit as st

from ui import start_widgets, state
from ui.session import facilitator, show_refusal
from ui.setup_widgets import flash

flash()
st.title("Prioritise")
st.write(
    "Run a live priority-setting workshop: participants score the candidate priorities against agreed criteria "
    "on their own phones or laptops, and the room sees the combined ranking when you reveal it."
)

created = st.session_state.get(state.NEW_KEY)
session = facilitator()
if created is not None and session is not None:
    start_widgets.new_key_panel(created)
    start_widgets.next_steps(session)
    st.stop()
if session is not None:
    start_widgets.next_steps(session)
else:
    show_refusal()

create, existing = st.columns([3, 2], gap="large")
with create:
    start_widgets.create_section()
with existing:
    start_widgets.sign_in_section()
    st.divider()
    start_widgets.join_section()
