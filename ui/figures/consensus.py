"""The consensus chart: each priority's share of answers in the high and in the low band, with the rule's line."""

from __future__ import annotations

import plotly.graph_objects as go

from ranking.consensus_rule import Status
from ranking.palette import BLUE, VERMILLION
from workshop.converging import ConsensusSummary

from ._style import QUARTERS, escape, finish, label, name_axis, title

MIDDLE = "rgba(187, 187, 187, 0.6)"
#: The statuses' marks on the axis labels, so a status never rests on colour alone (WCAG 1.4.1).
STATUS_MARK = {Status.IN: "IN · ", Status.OUT: "OUT · ", Status.NONE: ""}


def consensus_bars(summary: ConsensusSummary, in_share: float, *, big: bool = False) -> go.Figure:
    """Stacked bars per priority (the room's order): the share in the high band (blue), between the bands
    (grey) and in the low band (vermilion), of the answers given; a line at the share the rule needs."""
    rows = summary.rows
    names = [r.priority for r in rows]
    high = [r.share_high or 0.0 for r in rows]
    low = [r.share_low or 0.0 for r in rows]
    middle = [max(0.0, 1 - h - lo) if r.answers else 0.0 for h, lo, r in zip(high, low, rows, strict=True)]
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
    name_axis(fig, names, [label(r.priority, r.status is not Status.NONE, STATUS_MARK[r.status]) for r in rows])
    fig.update_xaxes(
        title="Share of the answers given (“don't know” left out)", range=[0, 1], tickformat=".0%", tickvals=QUARTERS
    )
    fig.add_vline(x=in_share, line_dash="dash", line_color="black")
    heading = title(f"Consensus under the stated rule: {summary.counts_words}", summary.round_label)
    caption = [
        f"Dashed line: the {in_share:.0%} needed for IN (blue) or OUT (vermilion). IN and OUT marked on the labels."
    ]
    return finish(fig, heading, big, len(names), caption, legend_top=True)
