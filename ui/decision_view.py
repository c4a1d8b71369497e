"""The recorded decision (the agreed shortlist with its reasons), as the
facilitator, the participants and the projector all see it: the names and
figures frozen with the decision, never recomputed (``workshop.decision``)."""

from __future__ import annotations

import streamlit as st

from ui.plain import md
from workshop.decision import Decision, Drift, drift_words, measured_words


def show_decision(decision: Decision | None, drift: Drift | None = None) -> None:
    """The decision; ``drift`` (the facilitator's view) warns when the basis round now ranks differently."""
    if decision is None:
        st.caption("No decision recorded yet.")
        return
    st.markdown(f"Agreed by **{md(decision.decided_by)}** on {decision.decided_at:%d %B %Y at %H:%M} UTC.")
    st.caption(md(measured_words(decision)))
    if drift is not None and not drift.current:
        st.warning(
            "Measured against an earlier state: the figures below are the ones the decision was taken on. "
            "Since then: " + " ".join(md(w) for w in drift_words(drift))
        )
    for place, entry in enumerate(decision.shortlist, start=1):
        st.markdown(f"{place}. **{md(entry.name)}**: {md(entry.rationale)}")
    if decision.departures:
        st.markdown("Departures from the computed ranking:")
        for departure in decision.departures:
            st.markdown(
                f"- {departure.change.capitalize()}: {md(departure.name)} ({departure.rank_words}): "
                f"{md(departure.reason)}"
            )
    if decision.note:
        st.markdown(f"Note: {md(decision.note)}")
