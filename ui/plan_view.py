"""The plan's status on screen, for the facilitator's Plan page and a lead's page: each priority's status and,
per indicator, its chart (baseline, target, trajectory, actuals) with the numbers beside it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ranking.indicator_status import Reading
from ui.alt_text import NUMBERS_LABEL, show_chart
from ui.figures.indicator import indicator_chart, indicator_points
from ui.plain import md
from workshop.models import IndicatorProgress, IndicatorStatus, Plan, PriorityProgress
from workshop.plan_words import against_line, number_text
from workshop.progress import plan_status

#: How each status is marked (with its words: never colour alone).
STATUS_ICONS = {
    IndicatorStatus.ON_TRACK: "🟢",
    IndicatorStatus.BEHIND: "🟠",
    IndicatorStatus.OFF_TRACK: "🔴",
    IndicatorStatus.NO_DATA: "⚪",
}


def status_words(status: IndicatorStatus) -> str:
    """ "🟠 behind": the icon and the status's own words."""
    return f"{STATUS_ICONS[status]} {status.value}"


def _readings(progress: IndicatorProgress) -> list[Reading]:
    return [Reading(a.period, a.value) for a in progress.actuals]


def indicator_numbers(progress: IndicatorProgress) -> pd.DataFrame:
    """The chart's numbers as a table (the same ``indicator_points``): each point's date, the line, the actual."""
    unit = f" ({progress.indicator.unit})" if progress.indicator.unit else ""
    return pd.DataFrame(
        [
            {
                "Point": p.label,
                "Date": p.on.isoformat(),
                f"Trajectory{unit}": number_text(p.line),
                f"Actual{unit}": "–" if p.actual is None else number_text(p.actual),
            }
            for p in indicator_points(progress.indicator.plan, _readings(progress))
        ]
    )


def indicator_panel(progress: IndicatorProgress, key: str) -> None:
    """One indicator: its status, latest value and commentary, its chart and the chart's numbers."""
    i, a = progress.indicator, progress.assessment
    st.markdown(f"**{md(i.name)}**: {status_words(progress.status)}")
    source = f", {i.baseline_source}" if i.baseline_source else ""
    facts = [
        f"Baseline {number_text(i.baseline, i.unit)} ({i.baseline_date:%b %Y}{source})",
        f"target {number_text(i.target, i.unit)} by {i.target_date:%b %Y}",
        i.direction.label,
    ]
    if i.lead:
        facts.append(f"lead: {i.lead}")
    st.caption(md(" · ".join(facts)))
    latest = against_line(a.latest.value if a.latest else None, a.expected, a.gap, i.unit)
    st.markdown(md(f"Latest ({a.latest.period.label}): {latest}." if a.latest else f"{latest}."))
    if progress.commentary:
        st.markdown(f"Lead's commentary: {md(progress.commentary)}")
    chart = indicator_chart(i.name, i.unit, i.plan, _readings(progress), progress.status.value)
    show_chart(chart, key=f"{key}-chart", numbers=False)
    with st.expander(NUMBERS_LABEL):
        st.dataframe(indicator_numbers(progress), hide_index=True, width="stretch", key=f"{key}-numbers")


def priority_panel(progress: PriorityProgress, key: str) -> None:
    st.subheader(f"{md(progress.priority.name)}: {status_words(progress.status)}")
    if not progress.indicators:
        st.caption("No indicator set for this priority yet.")
    for item in progress.indicators:
        indicator_panel(item, f"{key}-{item.indicator.id}")


def status_overview(plan: Plan) -> None:
    """Every agreed priority's status (``workshop.progress.plan_status``, the one rule), then each one's indicators."""
    status = plan_status(plan)
    period = f" to the end of {status.upto.label}" if status.upto is not None else ""
    st.caption(f"Status by the plan's rule{period}: a priority's status is the worst of its indicators'.")
    for progress in status.priorities:
        priority_panel(progress, f"plan-{progress.priority.id}")
