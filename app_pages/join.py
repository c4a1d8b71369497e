"""Join a workshop: by the link or QR code (the code comes prefilled), or by typing the code."""

import streamlit as st

from ui.participant_widgets import enter_workshop, join_form, workshop_for_code
from ui.theme import statement_link

st.title("Join a workshop", anchor=False)
statement_link()
workshop = workshop_for_code()
if workshop is not None:
    participant = join_form(workshop)
    if participant is not None:
        enter_workshop(participant)
