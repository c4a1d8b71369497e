"""The annual review on the Agree page: this year's shortlist against last year's, and the reasons for dropping."""

from __future__ import annotations

import streamlit as st

from ui import state
from ui.plain import md
from ui.review_mark import review_basis
from ui.services import service
from ui.session import FacilitatorSession, guard
from ui.setup_widgets import done
from workshop.models import Plan, Workshop
from workshop.review import Change


def comparison(session: FacilitatorSession, workshop: Workshop) -> None:
    """For an annual review, on the Agree page: this year's shortlist against last year's, and a
    box for the reason each of last year's priorities was dropped (the board paper shows both)."""
    found = service().review_comparison(session.key, workshop.id)
    if found is None:
        return
    st.header("Compared with last year's decision")
    st.caption(md(f"This workshop reviews {found.basis.label}."))
    if not found.decided:
        st.markdown("Last year's board agreed:")
        for p in found.basis.agreed:
            st.markdown(f"{p.position}. **{md(p.name)}**: {md(p.rationale)}")
        st.caption("When you record this year's shortlist, this section says what was kept, dropped and added.")
        return
    st.markdown(md(found.summary))
    for row in found.rows:
        if row.change is Change.DROPPED:
            continue
        was = f" (last year {row.last_position})" if row.last_position else ""
        st.markdown(f"- **{row.change.value.capitalize()}**: {md(row.name)}{was}: {md(row.reason)}")
    dropped = found.of(Change.DROPPED)
    if not dropped:
        return
    st.subheader("Why last year's priorities were dropped")
    with st.form("review-dropped-reasons"):
        typed = {
            row.name: st.text_area(
                f"Reason for dropping '{md(row.name)}' (last year's place {row.last_position})",
                value=row.reason,
                key=f"review-dropped-{workshop.id}-{row.name}",
            )
            for row in dropped
        }
        if st.form_submit_button("Save the reasons"):
            with guard("Saving the reasons"):
                for name, reason in typed.items():
                    service().save_dropped_reason(session.key, workshop.id, name, reason)
                done("Reasons for dropping saved.")
    if found.missing_reasons:
        st.warning("Give a reason for every priority dropped: the board paper says which have none.")


def carry_offer(session: FacilitatorSession, plan: Plan) -> None:
    """In a review whose plan is still empty: start it from last year's indicators of the priorities kept."""
    basis = review_basis(session.workshop_id)
    if basis is None or plan.indicators or not basis.indicators:
        return
    st.info(
        f"Last year's plan had {len(basis.indicators)} indicators. Start this year's from those of the priorities "
        "kept: each starts from its latest value towards the same target (edit them afterwards).",
        icon="📌",
    )
    if st.button("Start from last year's indicators", key=state.PLAN_CARRY):
        with guard("Carrying last year's indicators over"):
            carried = service().carry_indicators(session.key, session.workshop_id)
            done(f"{len(carried.indicators)} indicators carried over from last year's plan.")
