"""Live page: who may be in the room: the participant cap and removing a participant."""

from __future__ import annotations

import streamlit as st

from ui import state
from ui.services import service
from ui.session import FacilitatorSession, guard
from ui.setup_widgets import done
from workshop.models import Workshop

KEEP = "Keep their answers (they still count)"
DROP = "Drop their answers from every round"


def participant_cap(session: FacilitatorSession, workshop: Workshop) -> None:
    """An optional cap on how many people can join (0: no cap)."""
    cap = st.number_input(
        "Most participants (0: no cap)",
        min_value=0,
        max_value=100_000,
        value=workshop.participant_cap or 0,
        step=1,
        key=state.LIVE_CAP,
        help="Once this many people have joined, the join page refuses newcomers. Removed people do not count.",
    )
    if st.button("Set the cap", key=state.LIVE_CAP_SET):
        with guard("Setting the cap"):
            service().set_participant_cap(session.key, workshop.id, int(cap) or None)
            done("No cap on participants." if not cap else f"At most {int(cap)} participants can join.")


def remove_participant(session: FacilitatorSession, round_id: int) -> None:
    """Remove one participant: their link stops working; their answers kept or dropped."""
    people = {p.participant_id: p for p in service().progress(session.key, round_id).participants}
    if not people:
        st.caption("Nobody has joined yet.")
        return
    chosen = st.selectbox(
        "Participant",
        list(people),
        format_func=lambda pid: people[pid].label + (f" ({people[pid].group})" if people[pid].group else ""),
        key=state.LIVE_REMOVE_WHO,
    )
    answers = st.radio("Their answers", [KEEP, DROP], key=state.LIVE_REMOVE_ANSWERS)
    sure = st.checkbox("Yes, remove them: their link will stop working", key=state.LIVE_REMOVE_SURE)
    if st.button("Remove the participant", key=state.LIVE_REMOVE, disabled=not sure, type="primary"):
        label = people[chosen].label
        with guard(f"Removing {label}"):
            service().remove_participant(session.key, session.workshop_id, chosen, keep_answers=answers == KEEP)
            kept = "their answers kept" if answers == KEEP else "their answers dropped"
            done(f"{label} has been removed, {kept}.")


def room_controls(session: FacilitatorSession, workshop: Workshop, round_id: int | None) -> None:
    with st.expander("Remove a participant, or cap the room"):
        participant_cap(session, workshop)
        if round_id is not None:
            remove_participant(session, round_id)
