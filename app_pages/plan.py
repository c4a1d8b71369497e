"""The plan after the workshop: for each agreed priority its indicators (an editable grid, or imported), their
values per period, the status and a chart per indicator, the leads' links and the quarterly performance report.
Facilitator only."""

import streamlit as st

from ui import plan_widgets
from ui.export_widgets import performance_buttons
from ui.plain import md
from ui.plan_view import status_overview
from ui.review_widgets import carry_offer
from ui.services import service
from ui.session import guard, require_facilitator
from ui.setup_widgets import flash

session = require_facilitator()
plan = service().plan(session.key, session.workshop_id)
flash()

st.title("Plan and performance")
st.caption(md(plan.title))
if not plan.agreed:
    st.info("Agree the shortlist first: the plan's indicators belong to the agreed priorities.")
    st.page_link("app_pages/agree.py", label="Agree the shortlist", icon="✅")
    st.stop()

status, indicators, values, imports, leads, report = st.tabs(
    [
        "Status",
        f"Indicators ({len(plan.indicators)})",
        f"Values ({len(plan.actuals)})",
        "Import",
        "Leads' links",
        "Performance report",
    ]
)
with status:
    status_overview(plan)
    with st.expander("How status is decided (thresholds)"):
        plan_widgets.status_settings(session, plan)
with indicators:
    carry_offer(session, plan)
    plan_widgets.indicators_editor(session, plan)
with values:
    plan_widgets.actuals_editor(session, plan)
with imports:
    plan_widgets.plan_imports(session)
with leads, guard("Reading the leads' links"):
    plan_widgets.lead_links(session, plan)
with report:
    performance_buttons(service(), session.key, session.workshop_id, [p.label for p in plan.periods])
