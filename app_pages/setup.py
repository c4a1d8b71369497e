"""Setup: the workshop's details, candidate priorities, criteria with their
scales and weights, stakeholder groups and rounds, with good-practice checks.
Locked (read-only) once a round has opened; the details stay editable."""

import streamlit as st

from ui import setup_weights, setup_widgets
from ui.plain import md
from ui.readability_view import readability_panel
from ui.services import service
from ui.session import require_facilitator

session = require_facilitator()
workshop = service().workshop_by_id(session.workshop_id, session.key)
locked = workshop.setup_locked
setup_widgets.flash()

st.title("Setup")
st.caption(f"{md(workshop.title)} · join code **{workshop.code}**")
if locked:
    setup_widgets.locked_note(workshop)

details, priorities, criteria, groups, reading, imports = st.tabs(
    [
        "Details",
        f"Priorities ({len(workshop.priorities)})",
        f"Criteria ({len(workshop.criteria)})",
        "Groups and rounds",
        "Readability",
        "Import",
    ]
)
with details:
    setup_widgets.details_form(session, workshop)

with priorities:
    setup_widgets.priorities_editor(session, workshop, locked)

with criteria:
    setup_widgets.good_practice(session, workshop)
    setup_widgets.criteria_editor(session, workshop, locked)
    st.subheader("Scale descriptors")
    st.caption("Describe what each point on each criterion's scale means, so everyone scores alike.")
    tag = setup_widgets.content_tag(workshop.criteria)
    setup_widgets.descriptors_form(session, workshop, tag, locked)
    st.subheader("Weights")
    setup_weights.weights_section(session, workshop, tag, locked)

with groups:
    st.subheader("Stakeholder groups")
    setup_widgets.groups_editor(session, workshop, locked)
    st.subheader("Shortlist")
    setup_widgets.shortlist_form(session, workshop, locked)
    st.subheader("Weighting round")
    setup_widgets.weighting_round_control(session, workshop, locked)

with reading:
    readability_panel(workshop)

with imports:
    setup_widgets.imports_section(session, locked)
