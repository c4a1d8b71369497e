"""The Results page's Consensus tab: the workshop's stated rule (set here), every priority's status, and the rule's
sensitivity; every number is the service's one reading (``workshop.converging.consensus_summary``)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ranking.consensus_rule import Band, Status
from ui import analysis, state
from ui.analysis import Target, cached_figure
from ui.figures import consensus_bars
from ui.plain import md
from ui.results.shared import chart
from ui.services import service
from ui.session import facilitator, guard
from workshop.converging import DISAGREEMENT_RULE, STATUS_WORDS, WEIGHTED_NOTE, ConsensusRow, ConsensusSummary
from workshop.models import ConsensusSettings, Workshop, scale_problem, workshop_scale

RULE_CAPTION = (
    "This is the workshop's consensus rule: the projector and the board paper use it too "
    "(the audit log records each change)."
)
#: Status → row tint (the figures' palette, faded): IN blue, OUT vermilion.
STATUS_TINT = {
    Status.IN: "background-color: rgba(0, 114, 178, 0.12)",
    Status.OUT: "background-color: rgba(213, 94, 0, 0.12)",
}
PERCENT = st.column_config.NumberColumn(format="percent")


def consensus_frame(rows: tuple[ConsensusRow, ...]) -> pd.DataFrame:
    """The statuses as the screen lists them: the rows' own numbers (shares as fractions), nothing recomputed."""
    return pd.DataFrame(
        {
            "Priority": [r.priority for r in rows],
            "Status": [r.status_words for r in rows],
            "Answers": [r.answers for r in rows],
            "In the high band": [r.share_high for r in rows],
            "In the low band": [r.share_low for r in rows],
            "Don't know": [r.dont_know for r in rows],
            "Median": [r.median for r in rows],
            "Disagreement": ["yes" if r.disagreement else "no" for r in rows],
        }
    )


def sensitivity_frame(summary: ConsensusSummary) -> pd.DataFrame:
    """The priorities another common rule changes: their status under the stated rule and each other one."""
    columns: dict[str, list[str]] = {"Priority": [c.priority for c in summary.changes]}
    columns["Stated rule"] = [STATUS_WORDS[c.stated] for c in summary.changes]
    for n, variant in enumerate(summary.variants):
        columns[variant] = [STATUS_WORDS[c.under[n]] for c in summary.changes]
    return pd.DataFrame(columns)


def _show_rule(workshop: Workshop) -> None:
    """Put the stored rule in the form's controls (so a change made elsewhere shows here)."""
    rule = workshop.consensus
    scale = workshop_scale(workshop.criteria) or (1.0, 9.0)
    shown = rule.rule(scale) if workshop_scale(workshop.criteria) else None
    st.session_state[state.RESULTS_RULE_IN] = round(rule.in_share * 100)
    st.session_state[state.RESULTS_RULE_AGAINST] = round(rule.against_share * 100)
    st.session_state[state.RESULTS_RULE_THIRDS] = rule.high_band is None and rule.low_band is None
    high = shown.high_band if shown else rule.high_band or Band(scale[1], scale[1])
    low = shown.low_band if shown else rule.low_band or Band(scale[0], scale[0])
    st.session_state[state.RESULTS_RULE_HIGH_FROM], st.session_state[state.RESULTS_RULE_HIGH_TO] = high.low, high.high
    st.session_state[state.RESULTS_RULE_LOW_FROM], st.session_state[state.RESULTS_RULE_LOW_TO] = low.low, low.high


def chosen_rule() -> ConsensusSettings:
    """The rule the form's controls hold (the service checks it)."""
    get = st.session_state.__getitem__
    bands = (None, None)
    if not get(state.RESULTS_RULE_THIRDS):
        bands = (
            Band(get(state.RESULTS_RULE_HIGH_FROM), get(state.RESULTS_RULE_HIGH_TO)),
            Band(get(state.RESULTS_RULE_LOW_FROM), get(state.RESULTS_RULE_LOW_TO)),
        )
    return ConsensusSettings(get(state.RESULTS_RULE_IN) / 100, get(state.RESULTS_RULE_AGAINST) / 100, *bands)


def _save_rule() -> None:
    """Store the form's rule as the workshop's (a form's submit callback: it runs before the page)."""
    session = facilitator()
    if session is None:
        return
    with guard("Saving the consensus rule"):
        service().set_consensus_rule(session.key, session.workshop_id, chosen_rule())
        st.toast("Consensus rule saved for the workshop, the projector and the board paper.", icon="✅")


def rule_form(workshop: Workshop) -> None:
    _show_rule(workshop)
    lo, hi = workshop_scale(workshop.criteria) or (1.0, 9.0)
    with st.form(state.RESULTS_RULE_FORM):
        left, right = st.columns(2)
        left.number_input("IN when at least this % of answers are in the high band", 1, 100, key=state.RESULTS_RULE_IN)
        right.number_input("…and fewer than this % in the low band", 0, 100, key=state.RESULTS_RULE_AGAINST)
        st.checkbox("Bands: the top and bottom third of the scale", key=state.RESULTS_RULE_THIRDS)
        columns = st.columns(4)
        for column, (label, key) in zip(
            columns,
            [
                ("High band from", state.RESULTS_RULE_HIGH_FROM),
                ("High band to", state.RESULTS_RULE_HIGH_TO),
                ("Low band from", state.RESULTS_RULE_LOW_FROM),
                ("Low band to", state.RESULTS_RULE_LOW_TO),
            ],
            strict=True,
        ):
            column.number_input(label, min_value=lo, max_value=hi, step=1.0, format="%g", key=key)
        st.caption("The band ends count only when the box above is unticked. OUT is the mirror image of IN.")
        st.form_submit_button("Use this rule", on_click=_save_rule)
    st.caption(RULE_CAPTION)


def consensus_tab(target: Target, workshop: Workshop) -> None:
    problem = scale_problem(workshop.criteria)
    rule_form(workshop)
    if problem is not None:
        st.info(md(problem))
        return
    summary = analysis.consensus_rule(target)
    st.markdown(f"**The rule.** {md(summary.rule)}")
    st.markdown(f"**{md(summary.round_label)}:** {summary.counts_words}")
    if summary.weighted:
        st.caption(WEIGHTED_NOTE)
    chart(_bars(target, workshop.consensus.in_share), "results-consensus-bars", numbers=False)  # the table has them
    tint = {STATUS_WORDS[s]: colour for s, colour in STATUS_TINT.items()}
    st.dataframe(
        consensus_frame(summary.rows).style.apply(lambda row: [tint.get(row["Status"], "")] * len(row), axis=1),
        hide_index=True,
        width="stretch",
        column_config={
            "In the high band": PERCENT,
            "In the low band": PERCENT,
            "Don't know": PERCENT,
            "Median": st.column_config.NumberColumn(format="%.2f"),
        },
    )
    st.caption(f"“Don't know” is left out of the shares and reported on its own. {DISAGREEMENT_RULE}")
    st.subheader("Rule sensitivity")
    st.markdown(md(summary.sensitivity_words))
    if summary.changes:
        st.dataframe(sensitivity_frame(summary), hide_index=True, width="stretch")
    if summary.weighted:
        with st.expander("The working: the rule on each criterion alone"):
            working = {"Priority": [r.priority for r in summary.rows]}
            for c, name in enumerate(summary.criteria):
                working[name] = [r.status_words for r in summary.by_criterion[c]]
            st.dataframe(pd.DataFrame(working), hide_index=True, width="stretch")


@cached_figure
def _bars(target: Target, in_share: float) -> go.Figure:
    summary = analysis.consensus_rule(target)
    rows = summary.rows
    return consensus_bars(
        [r.priority for r in rows],
        [r.share_high for r in rows],
        [r.share_low for r in rows],
        [r.status for r in rows],
        in_share,
        f"Consensus under the stated rule: {summary.counts_words}",
        summary.round_label,
    )
