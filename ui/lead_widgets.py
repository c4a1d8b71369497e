"""A lead's page: who the link is for (``?lead=<token>``, checked by the service), and the form that saves
their priority's values and commentary.  A lead has no key and the service lets them change nothing else."""

from __future__ import annotations

import streamlit as st

from ui import state
from ui.plain import md
from ui.services import service
from ui.session import guard
from ui.setup_widgets import done
from workshop.errors import WorkshopError
from workshop.models import ActualSpec, IndicatorProgress, LeadView, Period, PeriodKind


def lead_token() -> str:
    """The lead's token from the link, or a message and stop."""
    token = st.query_params.get(state.Q_LEAD, "")
    if not token:
        st.warning("This page opens from a lead's link. Ask the workshop's facilitator for yours.")
        st.stop()
    return token


def require_lead(token: str) -> LeadView:
    """What the lead's link shows, or the service's refusal and stop."""
    try:
        return service().lead_view(token)
    except WorkshopError as error:
        st.error(error.message)
        st.stop()
    raise AssertionError("unreachable")  # st.stop() raises


def _following(period: Period) -> Period:
    top = 4 if period.kind is PeriodKind.QUARTER else 12
    if period.number < top:
        return Period(period.year, period.kind, period.number + 1)
    return Period(period.year + 1, period.kind, 1)


def _suggested(progress: IndicatorProgress) -> str:
    """The period after the latest value (the one a lead usually reports next)."""
    return _following(progress.actuals[-1].period).label if progress.actuals else ""


def lead_form(token: str, view: LeadView) -> None:
    """One row per indicator: period, value, commentary.  Only rows with a value are saved."""
    indicators = view.progress.indicators
    if not indicators:
        st.info("The facilitator has not set any indicator for this priority yet.")
        return
    with st.form("lead-values"):
        entries = []
        for item in indicators:
            i = item.indicator
            st.markdown(f"**{md(i.name)}**" + (f" ({md(i.unit)})" if i.unit else ""))
            period, value = st.columns(2)
            field = f"{state.LEAD_FIELD_}{i.id}"
            typed_period = period.text_input(
                f"Period for {md(i.name)}", value=_suggested(item), key=f"{field}-period", help="2012-Q1 or 2012-03"
            )
            typed_value = value.number_input(f"Value for {md(i.name)}", value=None, key=f"{field}-value", format="%g")
            commentary = st.text_area(f"Commentary on {md(i.name)}", key=f"{field}-commentary", height=80)
            entries.append((i, typed_period, typed_value, commentary))
        if not st.form_submit_button("Save values", type="primary", key=state.LEAD_SAVE):
            return
    with guard("Saving your values"):
        specs = [
            ActualSpec(i.id, period, float(value), commentary)
            for i, period, value, commentary in entries
            if value is not None
        ]
        if not specs:
            st.warning("Nothing was saved: type a value for at least one indicator.")
            return
        service().lead_save_actuals(token, specs)
        done(f"{len(specs)} value{'s' if len(specs) > 1 else ''} saved. Thank you.")
