"""Projector view (/present?code=CODE, public): the join code, QR code and
link while people join and answer, live progress, and the results only
after the facilitator reveals the round.  Large type, high contrast, no menu.

A facilitator's link opened here (/present?w=CODE&k=KEY, as an old menu
entry made) shows the same public view: the key leaves the address bar and
this tab, which is the room's screen now, not the facilitator's."""

import streamlit as st

from ui import present_widgets, state
from ui.qr import app_base_url, page_url
from workshop.security import clean_code

present_widgets.style()
code = clean_code(st.query_params.get(state.Q_CODE) or st.query_params.get(state.Q_WORKSHOP, ""))
if state.Q_KEY in st.query_params:
    st.query_params.from_dict({state.Q_CODE: code})
    st.session_state.pop(state.FACILITATOR, None)
if not code:
    st.error("This is the projector view. Open it from the Live page, or add the join code: /present?code=ABC234")
    st.stop()

base = app_base_url("present")
join_url = page_url(base, "join", {state.Q_CODE: code})
present_widgets.projector(code, join_url, absolute=base is not None)
