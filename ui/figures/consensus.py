"""The consensus chart: each priority's share of answers in the high and in the low band, with the rule's line."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from ranking.consensus_rule import Status
from ranking.palette import BLUE, VERMILLION

from ._style import QUARTERS, escape, finish, label, name_axis, title

MIDDLE = "rgba(187, 187, 187, 0.6)"
#: The statuses' marks on the axis labels, so a status never rests on colour alone (WCAG 1.4.1).
STATUS_MARK = {Status.IN: "IN · ", Status.OUT: "OUT · ", Status.NONE: ""}


def consensus_bars(
    names: Sequence[str],
    high: Sequence[float | None],
    low: Sequence[float | None],
    statuses: Sequence[Status],
    in_share: float,
    heading: str,
    subtitle: str = "",
    *,
    big: bool = False,
) -> go.Figure:
    """Stacked bars per priority (in the order given): the share of the answers given in the high band (blue),
    between the bands (grey) and in the low band (vermilion), None where nobody answered; a line at the share
    the rule needs; IN and OUT marked on the labels."""
    names = list(names)
    answered = [h is not None for h in high]
    high = [h or 0.0 for h in high]
    low = [lo or 0.0 for lo in low]
    middle = [max(0.0, 1 - h - lo) if a else 0.0 for h, lo, a in zip(high, low, answered, strict=True)]
    hover = [escape(n) for n in names]
    fig = go.Figure()
    for share, colour, what in ((high, BLUE, "high band"), (middle, MIDDLE, "between"), (low, VERMILLION, "low band")):
        fig.add_trace(
            go.Bar(
                orientation="h",
                x=share,
                y=names,
                name=f"In the {what}" if what != "between" else "Between the bands",
                marker={"color": colour},
                customdata=hover,
                hovertemplate="<b>%{customdata}</b><br>%{x:.0%} " + what + "<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack")
    name_axis(
        fig, names, [label(n, s is not Status.NONE, STATUS_MARK[s]) for n, s in zip(names, statuses, strict=True)]
    )
    fig.update_xaxes(
        title="Share of the answers given (“don't know” left out)", range=[0, 1], tickformat=".0%", tickvals=QUARTERS
    )
    fig.add_vline(x=in_share, line_dash="dash", line_color="black")
    caption = [
        f"Dashed line: the {in_share:.0%} needed for IN (blue) or OUT (vermilion). IN and OUT marked on the labels."
    ]
    return finish(fig, title(heading, subtitle), big, len(names), caption, legend_top=True)
