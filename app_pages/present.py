"""Projector view (/present?code=CODE, public): the join code, QR code and
link while people join and answer, live progress, and the results only
after the facilitator reveals the round.  Large type, high contrast, no menu.

A facilitator's link opened here (/present?w=CODE&k=KEY, as an old menu
entry made) shows the same public view: the key leaves the address bar and
this tab, which is the room's screen now, not the facilitator's."""

import streamlit as st

from ui import present_widgets, state
from ui.qr import app_base_url, page_url

present_widgets.style()
code = present_widgets.code_from_address()
if not code:
    st.error("This is the projector view. Open it from the Live page, or add the join code: /present?code=ABC234")
    st.stop()

base = app_base_url("present")
join_url = page_url(base, "join", {state.Q_CODE: code})
present_widgets.projector(code, join_url, absolute=base is not None)
