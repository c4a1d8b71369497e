"""The recorded decision (the agreed shortlist with its reasons), as the
facilitator, the participants and the projector all see it."""

from __future__ import annotations

import streamlit as st

from ui.results_view import md
from workshop.models import Decision, Workshop


def show_decision(decision: Decision | None, workshop: Workshop) -> None:
    if decision is None:
        st.caption("No decision recorded yet.")
        return
    names = {p.id: p.name for p in workshop.priorities}
    rounds = {r.id: r for r in workshop.rounds}
    basis = f", against the results of {rounds[decision.round_id].label}" if decision.round_id in rounds else ""
    st.markdown(f"Agreed by **{md(decision.decided_by)}** on {decision.decided_at:%d %B %Y at %H:%M} UTC{md(basis)}.")
    for place, entry in enumerate(decision.shortlist, start=1):
        st.markdown(f"{place}. **{md(names[entry.priority_id])}**: {md(entry.rationale)}")
    if decision.departures:
        st.markdown("Departures from the computed ranking:")
        for departure in sorted(decision.departures, key=lambda d: d.computed_rank or 0):
            rank = f" (computed rank {departure.computed_rank})" if departure.computed_rank else ""
            st.markdown(f"- {md(names[departure.priority_id])}{rank}: {md(departure.reason)}")
    if decision.note:
        st.markdown(f"Note: {md(decision.note)}")
