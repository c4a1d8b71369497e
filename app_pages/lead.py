"""A lead's page, opened by their lead link: their one agreed priority's indicators, each with its status and
chart, and a form to enter this period's values and commentary.  No facilitator key; nothing else to change."""

import streamlit as st

from ui.lead_widgets import lead_form, lead_token, require_lead
from ui.plain import md
from ui.plan_view import priority_panel
from ui.setup_widgets import flash

token = lead_token()
view = require_lead(token)
flash()

st.title(f"Update: {md(view.progress.priority.name)}")
st.caption(md(view.workshop_title))
st.header("Enter values")
lead_form(token, view)
st.header("Progress")
priority_panel(view.progress, "lead")
