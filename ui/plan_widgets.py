"""The facilitator's Plan page parts: the indicators' editable grid, the actuals' grid, imports, the status rule's
thresholds and the leads' links.

Each grid is an ``st.data_editor`` keyed by a tag of the saved content (as on the Setup page), so a
save starts a fresh editor and a refused save keeps the edits on screen.  A grid's rows are checked
here first, each problem naming its row ("Row 3: …"), then by the service, which refuses anything
the grid let through and names the indicator; either way nothing is saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from ui import state
from ui.qr import app_base_url, page_url
from ui.services import service
from ui.session import FacilitatorSession, guard
from ui.setup_widgets import (
    UPLOAD_TYPES,
    Rows,
    _number,
    _rows,
    _text,
    content_tag,
    done,
    list_editor,
    refused,
    save_rows,
    show_row_errors,
)
from workshop.errors import InvalidInput
from workshop.models import (
    LEAD_PATH,
    ActualSpec,
    Better,
    IndicatorSpec,
    Plan,
    StatusSettings,
    indicator_problems,
)

INDICATOR_COLUMNS = (
    "name",
    "priority",
    "unit",
    "better",
    "baseline",
    "baseline_date",
    "baseline_source",
    "target",
    "target_date",
    "lead",
    "note",
)
ACTUAL_COLUMNS = ("indicator", "period", "value", "commentary")


def _blank(value: object) -> bool:
    """An empty cell: None, NaN, NaT or only spaces."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return True
    return not _text(value)


def _date(value: object, what: str) -> dt.date:
    if _blank(value):
        raise InvalidInput(f"Give the {what}.")
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not text:
        raise InvalidInput(f"Give the {what}.")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"The {what} must be a date such as 2011-03-31, not {text!r}.") from None


def _required(value: object, what: str) -> float:
    number = None if _blank(value) else _number(value)
    if number is None:
        raise InvalidInput(f"Give the {what}.")
    return number


def _filled(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """The rows with anything in them, so a row's number in a message is its place among them."""
    keep = [not all(_blank(row.get(c)) for c in columns) for _, row in frame.iterrows()]
    return frame[keep].reset_index(drop=True)


def indicator_rows(frame: pd.DataFrame, plan: Plan) -> Rows[IndicatorSpec]:
    """The grid's indicators, or every problem naming its row (its own checks, then the plan's)."""
    filled = _filled(frame, INDICATOR_COLUMNS)

    def build(c: dict[str, object]) -> IndicatorSpec:
        name = _text(c["name"]) or "(no name)"
        return IndicatorSpec(
            _text(c["name"]),
            _text(c["priority"]),
            _text(c["better"]) or Better.LOWER,  # type: ignore[arg-type]  (the spec reads "higher"/"lower")
            _required(c["baseline"], f"baseline of '{name}'"),
            _date(c["baseline_date"], f"baseline date of '{name}'"),
            _required(c["target"], f"target of '{name}'"),
            _date(c["target_date"], f"target date of '{name}'"),
            unit=_text(c["unit"]),
            baseline_source=_text(c["baseline_source"]),
            lead=_text(c["lead"]),
            note=_text(c["note"]),
        )

    rows = _rows(filled, INDICATOR_COLUMNS, build)
    if rows.problems:
        return rows
    found = indicator_problems(rows.specs, [p.name for p in plan.agreed], plan.groups)
    return Rows(rows.specs, tuple(f"Row {n + 1}: {text}" if n >= 0 else text for n, text in found))


def _indicator_grid_columns(plan: Plan) -> dict[str, object]:
    """The indicators' grid's columns (``INDICATOR_COLUMNS``): titles, choices and limits."""
    return {
        "name": st.column_config.TextColumn("Indicator", required=True, max_chars=200),
        "priority": st.column_config.SelectboxColumn(
            "Agreed priority", options=[p.name for p in plan.agreed], required=True
        ),
        "unit": st.column_config.TextColumn("Unit", max_chars=60),
        "better": st.column_config.SelectboxColumn("Better", options=["lower", "higher"], default="lower"),
        "baseline": st.column_config.NumberColumn("Baseline"),
        "baseline_date": st.column_config.DateColumn("Baseline date", format="YYYY-MM-DD"),
        "baseline_source": st.column_config.TextColumn("Baseline source", max_chars=200),
        "target": st.column_config.NumberColumn("Target"),
        "target_date": st.column_config.DateColumn("Target date", format="YYYY-MM-DD"),
        "lead": st.column_config.SelectboxColumn("Lead partner", options=list(plan.groups)),
        "note": st.column_config.TextColumn("Note", width="medium"),
    }


def indicators_editor(session: FacilitatorSession, plan: Plan) -> None:
    frame = pd.DataFrame(
        [
            (
                i.name,
                i.priority,
                i.unit,
                i.direction.value,
                i.baseline,
                i.baseline_date,
                i.baseline_source,
                i.target,
                i.target_date,
                i.lead,
                i.note,
            )
            for i in plan.indicators
        ],
        columns=list(INDICATOR_COLUMNS),
    )
    frame["baseline_date"] = pd.to_datetime(frame["baseline_date"])
    frame["target_date"] = pd.to_datetime(frame["target_date"])
    st.caption(
        "One row per indicator: which agreed priority it measures, which way is better, its baseline and target, "
        "and the lead partner (a stakeholder group). Renaming an indicator starts its values afresh."
    )
    tag = content_tag(plan.indicators)
    edited = list_editor(frame, f"{state.PLAN_INDICATORS_EDITOR_}{tag}", False, _indicator_grid_columns(plan))
    if st.button("Save indicators", key=state.PLAN_SAVE_INDICATORS, type="primary"):
        rows = indicator_rows(edited, plan)
        save_rows(rows, "indicators", service().set_indicators, session, "{} indicators saved.")


def actual_rows(frame: pd.DataFrame, plan: Plan) -> Rows[ActualSpec]:
    """The grid's actual values, or every problem naming its row."""
    ids = {i.name.casefold(): i.id for i in plan.indicators}

    def build(c: dict[str, object]) -> ActualSpec:
        name = _text(c["indicator"])
        if name.casefold() not in ids:
            raise InvalidInput(
                f"there is no indicator named '{name}' in the plan." if name else "choose the indicator."
            )
        return ActualSpec(
            ids[name.casefold()], _text(c["period"]), _required(c["value"], "value"), _text(c["commentary"])
        )

    return _rows(_filled(frame, ACTUAL_COLUMNS), ACTUAL_COLUMNS, build)


def _actual_grid_columns(names: dict[int, str]) -> dict[str, object]:
    """The actual values' grid's columns (``ACTUAL_COLUMNS``); ``names``: the indicators' by id."""
    return {
        "indicator": st.column_config.SelectboxColumn("Indicator", options=list(names.values()), required=True),
        "period": st.column_config.TextColumn("Period", help="2012-Q1 or 2012-03", required=True),
        "value": st.column_config.NumberColumn("Value", required=True),
        "commentary": st.column_config.TextColumn("Lead's commentary", width="large"),
    }


def actuals_editor(session: FacilitatorSession, plan: Plan) -> None:
    names = {i.id: i.name for i in plan.indicators}
    frame = pd.DataFrame(
        [(names[a.indicator_id], a.period.label, a.value, a.commentary) for a in plan.actuals],
        columns=list(ACTUAL_COLUMNS),
    )
    st.caption(
        "One row per indicator and period (a quarter such as 2012-Q1 or a month such as 2012-03). A row for a "
        "period already entered replaces its value; deleting a row removes that value."
    )
    tag = content_tag(plan.actuals)
    edited = list_editor(frame, f"{state.PLAN_ACTUALS_EDITOR_}{tag}", False, _actual_grid_columns(names))
    if not st.button("Save values", key=state.PLAN_SAVE_ACTUALS, type="primary"):
        return
    rows = actual_rows(edited, plan)
    if refused(rows):
        return
    kept = {(a.indicator_id, a.period) for a in rows.specs}
    with guard("Saving the values"):
        for a in plan.actuals:
            if (a.indicator_id, a.period.label) not in kept:
                service().remove_actual(session.key, session.workshop_id, a.indicator_id, a.period.label)
        if rows.specs:
            service().save_actuals(session.key, session.workshop_id, rows.specs)
        done(f"{len(rows.specs)} values saved.")


def plan_imports(session: FacilitatorSession) -> None:
    st.caption(
        "Indicators: columns indicator, priority, unit, better (higher or lower), baseline, baseline date, "
        "baseline source, target, target date, lead, note. Values: indicator, period, value and, optionally, "
        "commentary. A file with any problem changes nothing; every problem is listed with its row."
    )
    indicators = st.file_uploader("Indicators file", type=UPLOAD_TYPES, key=state.PLAN_IMPORT_INDICATORS)
    actuals = st.file_uploader("Values file", type=UPLOAD_TYPES, key=state.PLAN_IMPORT_ACTUALS)
    if not st.button("Import", key=state.PLAN_IMPORT, disabled=not (indicators or actuals)):
        return
    with guard("Importing"):
        results = []
        if indicators is not None:
            results.append(
                service().import_indicators(session.key, session.workshop_id, indicators.getvalue(), indicators.name)
            )
        if actuals is not None and all(r.applied for r in results):
            results.append(service().import_actuals(session.key, session.workshop_id, actuals.getvalue(), actuals.name))
        for result in results:
            show_row_errors(f"{result.what} file", result.errors)
        if results and all(r.applied for r in results):
            done("Imported " + " and ".join(f"{r.count} {r.what}" for r in results) + ".")


def status_settings(session: FacilitatorSession, plan: Plan) -> None:
    """The status rule's two thresholds (shares of the planned change)."""
    with st.form("plan-status-settings"):
        tolerance, progress = (
            st.number_input(label, min_value=0.0, max_value=1.0, value=float(value), step=0.05, key=key)
            for label, value, key in (
                (
                    "On track allows a shortfall of (share of the planned change)",
                    plan.settings.tolerance,
                    state.PLAN_TOLERANCE,
                ),
                (
                    "Behind, not off track, needs progress of more than (share of the planned change)",
                    plan.settings.progress,
                    state.PLAN_PROGRESS,
                ),
            )
        )
        if st.form_submit_button("Save the thresholds"):
            with guard("Saving the thresholds"):
                service().set_status_settings(session.key, session.workshop_id, StatusSettings(tolerance, progress))
                done("Status thresholds saved.")


def lead_links(session: FacilitatorSession, plan: Plan) -> None:
    """Issue (or replace) each agreed priority's lead link; a new link is shown until another is issued."""
    issued = {link.priority_id: link for link in service().lead_links(session.key, session.workshop_id)}
    st.caption(
        "A lead's link opens a page where they can enter values and commentary for their own priority's "
        "indicators, and nothing else. Issuing a new link stops the old one working."
    )
    shown = st.session_state.get(state.PLAN_LEAD_LINK)
    for priority in plan.agreed:
        link = issued.get(priority.id)
        when = f"link issued {link.issued_at:%d %b %Y %H:%M} UTC" if link else "no link yet"
        left, right = st.columns([3, 1])
        left.markdown(f"**{priority.name}** · {when}")
        if right.button("Issue a new link" if link else "Issue a link", key=f"{state.PLAN_ISSUE_LINK_}{priority.id}"):
            with guard("Issuing the link"):
                made = service().issue_lead_link(session.key, session.workshop_id, priority.id)
                url = page_url(app_base_url(LEAD_PATH), LEAD_PATH, {state.Q_LEAD: made.token})
                st.session_state[state.PLAN_LEAD_LINK] = (priority.id, url)
                st.rerun()
        if shown and shown[0] == priority.id:
            st.code(shown[1], language=None)
            st.caption("Send this link to the priority's lead. It is shown here once: copy it now.")
