"""Last year's mark on a priority's card in an annual review: agreed then (place, reason, indicators) or not."""

from __future__ import annotations

import streamlit as st

from ui.plain import md
from ui.services import service
from workshop.review import ReviewBasis


def review_basis(workshop_id: int) -> ReviewBasis | None:
    """What a workshop reviews (None: it is not a review).  Frozen when the review starts, so one
    read per process serves every participant's cards (ReviewBasis is frozen: safe to share); the
    cache is the service's (a new service, on another database, reads afresh)."""
    return _review_basis(id(service()), workshop_id)


@st.cache_resource(max_entries=1000, show_spinner=False)
def _review_basis(service_id: int, workshop_id: int) -> ReviewBasis | None:
    return service().review_basis(workshop_id)


def carried_mark(workshop_id: int, priority_name: str) -> None:
    """On a priority's card in an annual review: whether last year's board agreed it, and why."""
    basis = review_basis(workshop_id)
    if basis is None:
        return
    agreed = basis.agreed_entry(priority_name)
    if agreed is None:
        st.caption("Not on last year's agreed list.")
        return
    st.info(
        f"**Agreed last year** (place {agreed.position} of {len(basis.agreed)}): {md(agreed.rationale)}",
        icon="📌",
    )
    indicators = basis.indicators_of(priority_name)
    if indicators:
        st.markdown("**Last year's indicators** (the latest values when the review started):")
        for indicator in indicators:
            st.markdown(f"- {md(indicator.evidence)}")
