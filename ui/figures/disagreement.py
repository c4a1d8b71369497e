"""Where the room disagrees: participants' spread, raw scores on one priority, stakeholder groups."""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
import plotly.colors
import plotly.graph_objects as go

from ranking.consensus import Consensus
from ranking.model import ScoreSet
from ranking.palette import OTHER_COLOUR, TOP_COLOUR
from ranking.readings import NOT_SCORED, contested_words

from ._style import (
    CONTESTED_COLOUR,
    HEAT_SCALE,
    MARK_COLOUR,
    OTHER_TINT,
    QUARTERS,
    TOP_TINT,
    escape,
    finish,
    font_size,
    name_axis,
    score_format,
    slanted_height,
    title,
    top_caption,
    top_label,
    wrap,
)

DONT_KNOW = "Don't know"
#: Where the contested marks sit, just right of the 0–1 score axis.
CONTESTED_X = 1.05
#: Characters of a group's name in its (slanted) column header on the group heatmap.
GROUP_HEADER_WIDTH = 30


def score_distribution(consensus: Consensus, priority: str | None = None, *, big: bool = False) -> go.Figure:
    """Each participant's own overall score (``consensus.utilities``, 0–1) per
    priority as a box with every participant a dot, best first; contested
    priorities get a diamond at the right with the reason in the hover.

    ``priority`` shows that one priority only; None shows all.
    """
    room = consensus.room
    order = room.order
    if priority is not None:
        if priority not in room.names:
            raise ValueError(f"unknown priority {priority!r}")
        order = [room.names.index(priority)]
    k = consensus.top
    names = [room.names[i] for i in order]
    participants = [escape(p) for p in consensus.participants]
    fig = go.Figure()
    series_styles = ((True, TOP_COLOUR, TOP_TINT, f"Top {k}"), (False, OTHER_COLOUR, OTHER_TINT, "Others"))
    in_top = set(room.top(k))
    for inside, colour, tint, series in series_styles:
        rows = [i for i in order if (room.names[i] in in_top) == inside]
        if not rows:
            continue
        fig.add_trace(
            go.Box(
                orientation="h",
                name=series,
                x=np.concatenate([consensus.utilities[:, i] for i in rows]),
                y=[room.names[i] for i in rows for _ in participants],
                text=participants * len(rows),
                customdata=[escape(room.names[i]) for i in rows for _ in participants],
                boxpoints="all",
                jitter=0.5,
                pointpos=0,
                boxmean=True,
                hoveron="points",
                marker={"color": colour, "size": 9 if big else 6, "opacity": 0.7},
                line={"color": MARK_COLOUR if inside else "#777777", "width": 2 if big else 1},
                fillcolor=tint,
                hovertemplate="<b>%{customdata}</b><br>%{text}: %{x:.2f}<extra></extra>",
            )
        )
    contested = [i for i in order if consensus.contested[i]]
    if contested:
        fig.add_trace(
            go.Scatter(
                mode="markers",
                name="Contested",
                meta="flag",  # the numbers' table says "yes" (ui.alt_text.figure_numbers)
                x=[CONTESTED_X] * len(contested),
                y=[room.names[i] for i in contested],
                marker={"symbol": "diamond", "size": 18 if big else 12, "color": CONTESTED_COLOUR},
                customdata=[
                    [
                        escape(room.names[i]),
                        contested_words(consensus.high_spread[i], consensus.near_cutoff[i]),
                        float(consensus.std[i]),
                        float(consensus.iqr[i]),
                    ]
                    for i in contested
                ],
                hovertemplate=(
                    "<b>%{customdata[0]}</b><br>Contested: %{customdata[1]}"
                    "<br>Standard deviation %{customdata[2]:.2f}, IQR %{customdata[3]:.2f}<extra></extra>"
                ),
            )
        )
    name_axis(
        fig,
        names,
        [top_label(room.names[i], room.names[i] in in_top, _rank_prefix(room.ranks[i], room.scored[i])) for i in order],
    )
    fig.update_xaxes(
        title="Participant's own score (0 = bottom of every scale, 1 = top)",
        range=[-0.03, CONTESTED_X + 0.04],
        tickvals=QUARTERS,
    )
    fig.update_layout(boxmode="overlay")
    w = consensus.kendall_w
    agreement = "Kendall's W n/a" if math.isnan(w) else f"Kendall's W = {w:.2f} (0 = no agreement, 1 = full)"
    first, last = max(1, k - consensus.cutoff_places + 1), k + consensus.cutoff_places
    caption = [
        top_caption(k),
        "Each dot is one participant: the weighted sum of their own scores; the box spans the middle half, "
        "the dashed line is the mean.",
        f"◆ contested: high spread (standard deviation in the room's top quarter and above "
        f"{consensus.spread_floor:g}) or near the cut-off (able to take places {first}–{last}).",
    ]
    heading = (
        title("How far the room agrees", f"{len(participants)} participants · {agreement}")
        if priority is None
        else title(f"How the room scored “{escape(priority)}”", agreement)
    )
    return finish(fig, heading, big, len(names), caption, legend_top=True)


def _scale_points(score_set: ScoreSet) -> list[float]:
    """Every whole point of every criterion's scale plus any other score given, ascending."""
    points: set[float] = set(np.unique(score_set.scores[~np.isnan(score_set.scores)]).tolist())
    for criterion in score_set.criteria:
        if criterion.has_scale:
            points.update(range(math.ceil(criterion.scale_min), math.floor(criterion.scale_max) + 1))
    return sorted(points)


def criterion_distribution(score_set: ScoreSet, priority: str, *, big: bool = False) -> go.Figure:
    """ "Show the working" for one priority: how many participants gave each
    scale point on each criterion, and how many said "don't know".

    One stacked bar per criterion, one segment per scale point (light = low,
    dark = high; a cost criterion is labelled "lower is better"), "don't
    know" hatched grey at the end.
    """
    i = score_set.priority_index(priority)
    values = score_set.scores[:, i, :]  # participants × criteria
    points = _scale_points(score_set)
    shades = plotly.colors.sample_colorscale("Blues", list(np.linspace(0.3, 1.0, len(points))))
    criteria = list(score_set.criterion_names)
    fig = go.Figure()
    for point, shade in zip(points, shades, strict=True):
        counts = (values == point).sum(axis=0)
        fig.add_trace(
            go.Bar(
                orientation="h",
                name=f"{point:g}",
                x=counts.tolist(),
                y=criteria,
                marker={"color": shade},
                text=[str(n) if n else "" for n in counts],
                textposition="inside",
                insidetextanchor="middle",
                customdata=[escape(c) for c in criteria],
                hovertemplate=f"<b>%{{customdata}}</b><br>Score {point:g}: %{{x}} participants<extra></extra>",
            )
        )
    unknown = np.isnan(values).sum(axis=0)
    fig.add_trace(
        go.Bar(
            orientation="h",
            name=DONT_KNOW,
            x=unknown.tolist(),
            y=criteria,
            marker={"color": OTHER_COLOUR, "pattern": {"shape": "/"}},
            text=[str(n) if n else "" for n in unknown],
            textposition="inside",
            insidetextanchor="middle",
            customdata=[escape(c) for c in criteria],
            hovertemplate=f"<b>%{{customdata}}</b><br>{DONT_KNOW}: %{{x}} participants<extra></extra>",
        )
    )
    labels = [
        "<br>".join(escape(line) for line in wrap(c.name + (" (lower is better)" if c.is_cost else "")))
        for c in score_set.criteria
    ]
    name_axis(fig, criteria, labels)
    fig.update_xaxes(title="Participants", rangemode="tozero", dtick=5 if len(values) > 20 else 1)
    fig.update_layout(
        barmode="stack",
        legend={"traceorder": "normal"},
        uniformtext={"minsize": int(font_size(big) * 0.8), "mode": "hide"},
    )
    heading = title(
        "How the room scored “" + "<br>".join(escape(line) for line in wrap(priority, 60)) + "”",
        f"Participants giving each score, {len(values)} in all",
    )
    return finish(fig, heading, big, 2 * len(criteria), legend_top=True)


def _rank_prefix(rank: int, scored: bool) -> str:
    """'3. ' before a ranked priority's name; '– ' before one nobody scored (it has no rank)."""
    return f"{rank}. " if scored else "– "


def _group_header(group: str, size: int) -> str:
    """A group's column header: its name on one line, cut short if long, then its size."""
    return f"{escape(wrap(group, GROUP_HEADER_WIDTH, 1)[0])}<br>(n = {size})"


def group_heatmap(consensus: Consensus, value: Literal["rank", "score"] = "rank", *, big: bool = False) -> go.Figure:
    """Priorities × (the room, then each stakeholder group): each group's own
    rank (or score) of each priority.

    Rows start with ``consensus.where_groups_disagree()`` (widest gap between
    the groups' ranks first), then the rest in the room's order.  Darker is
    better in both modes; every cell is annotated.  The column headers are
    slanted (six groups share the width), a long name cut short with its
    full name in the hover.
    """
    if value not in ("rank", "score"):
        raise ValueError(f"value must be 'rank' or 'score', not {value!r}")
    room = consensus.room
    k = consensus.top
    disagree = consensus.where_groups_disagree()
    rows = [*disagree, *(room.names[i] for i in room.order if room.names[i] not in disagree)]
    index = [room.names.index(name) for name in rows]
    columns = ["Whole<br>room", *(_group_header(view.group, view.size) for view in consensus.groups)]
    full = ["Whole room", *(f"{escape(view.group)} (n = {view.size})" for view in consensus.groups)]
    ranks = np.column_stack([room.ranks, consensus.group_ranks])[index]
    scores = np.column_stack([room.scores, *(view.scores for view in consensus.groups)])[index]
    gap = consensus.group_rank_range[index]
    fmt = score_format(room.method)
    unscored = np.isnan(scores)  # nobody (in the room, or in that group) scored the priority
    score_text = np.where(unscored, NOT_SCORED, np.vectorize(lambda s: f"{s:{fmt}}", otypes=[object])(scores))
    rank_text = np.where(unscored, "–", ranks.astype(str))
    text = rank_text if value == "rank" else np.where(unscored, "–", score_text)
    customdata = np.dstack(
        [
            np.repeat(np.array([escape(n) for n in rows], dtype=object)[:, None], len(columns), axis=1),
            np.tile(np.array(full, dtype=object), (len(rows), 1)),
            rank_text.astype(object),
            score_text.astype(object),
            np.repeat(gap.astype(object)[:, None], len(columns), axis=1),
        ]
    )
    fig = go.Figure(
        go.Heatmap(
            z=np.where(unscored, np.nan, ranks) if value == "rank" else scores,
            x=list(range(len(columns))),
            y=rows,
            text=text,
            texttemplate="%{text}",
            customdata=customdata,
            colorscale=HEAT_SCALE,
            reversescale=value == "score",  # dark = best: low ranks, high scores
            showscale=False,
            xgap=2,
            ygap=2,
            hovertemplate=(
                "<b>%{customdata[0]}</b><br>%{customdata[1]}: rank %{customdata[2]}, score %{customdata[3]}"
                "<br>Groups' ranks differ by %{customdata[4]} places<extra></extra>"
            ),
        )
    )
    in_top = set(room.top(k))
    name_axis(
        fig,
        rows,
        [
            top_label(n, n in in_top, _rank_prefix(room.ranks[i], room.scored[i]))
            for n, i in zip(rows, index, strict=True)
        ],
    )
    fig.update_xaxes(
        tickmode="array",
        tickvals=list(range(len(columns))),
        ticktext=columns,
        side="top",
        showgrid=False,
        tickangle=45,
        automargin=True,
    )
    if consensus.groups:
        fig.add_vline(x=0.5, line={"color": MARK_COLOUR, "width": 3 if big else 2})
    what = "rank (1 = best)" if value == "rank" else "score"
    if len(consensus.groups) < 2:
        caption = ["Fewer than two stakeholder groups: nothing to compare."]
    elif len(disagree) == len(rows):
        caption = ["Rows ordered by the gap between the groups' best and worst rank, widest first."]
    elif disagree:
        caption = [
            f"The first {len(disagree)} rows are where the groups' ranks differ, widest gap first; "
            "the rest follow the room's order."
        ]
    else:
        caption = ["Every group ranks every priority alike."]
    caption.append(top_caption(k))
    heading = title("Where stakeholder groups disagree", f"Each group's own {what}")
    return finish(fig, heading, big, len(rows), caption, header=slanted_height(columns))
