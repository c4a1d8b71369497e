"""An indicator's chart: its baseline, target, the straight-line trajectory between them and its actual values.

``indicator_points`` gives the numbers once (the trajectory's value at the baseline, at the end of
each period with an actual and at the target, with the actual beside it), so the chart
(``indicator_chart``) and the numbers' table beside it (``ui.plan_view``) show the same figures.
The trajectory is ``ranking.indicator_status.trajectory``, the line the status rule reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import plotly.graph_objects as go

from ranking.indicator_status import IndicatorPlan, Reading, trajectory
from ranking.palette import BLACK, BLUE, ORANGE

from ._style import escape, title


@dataclass(frozen=True)
class IndicatorPoint:
    label: str  # "Baseline", "2012-Q1", "Target"
    on: date
    line: float  # the trajectory on that date
    actual: float | None


def indicator_points(plan: IndicatorPlan, readings: Sequence[Reading]) -> tuple[IndicatorPoint, ...]:
    """Baseline, each period with an actual (by its last day) and target, in date order."""
    actual = {r.period.end: r for r in readings}
    points = []
    for point in trajectory(plan, [r.period for r in readings]):
        found = actual.get(point.on)
        if found is not None:
            label = found.period.label
        else:
            label = "Baseline" if point.on == plan.baseline_date else "Target" if point.on == plan.target_date else ""
        points.append(IndicatorPoint(label, point.on, point.value, found.value if found is not None else None))
    return tuple(points)


def indicator_chart(name: str, unit: str, plan: IndicatorPlan, readings: Sequence[Reading], status: str) -> go.Figure:
    points = indicator_points(plan, readings)
    fig = go.Figure()
    fig.add_scatter(
        x=[p.on for p in points],
        y=[p.line for p in points],
        mode="lines",
        name="Trajectory (baseline to target)",
        line={"color": BLUE, "dash": "dash", "width": 2},
    )
    fig.add_scatter(
        x=[plan.baseline_date, plan.target_date],
        y=[plan.baseline, plan.target],
        mode="markers+text",
        name="Baseline and target",
        text=["Baseline", "Target"],
        textposition="top center",
        marker={"color": BLACK, "symbol": "diamond", "size": 11},
    )
    actual = [p for p in points if p.actual is not None]
    if actual:
        fig.add_scatter(
            x=[p.on for p in actual],
            y=[p.actual for p in actual],
            mode="lines+markers",
            name="Actual",
            text=[p.label for p in actual],
            hovertemplate="%{text}: %{y}<extra>Actual</extra>",
            line={"color": ORANGE, "width": 3},
            marker={"size": 10, "symbol": "circle"},
        )
    heading = title(escape(name), f"Status: {escape(status)} · {plan.direction.label}")
    fig.update_layout(
        template="plotly_white",
        title={"text": heading, "x": 0, "xanchor": "left"},
        height=400,
        margin={"t": 80, "b": 100, "l": 10, "r": 20},
        legend={"orientation": "h", "x": 0, "y": -0.3, "yanchor": "top"},  # below the axis and its title
    )
    fig.update_xaxes(title_text="Date")
    fig.update_yaxes(title_text=escape(unit) if unit else "Value", automargin=True)
    return fig
