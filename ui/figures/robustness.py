"""How robust the top k is: one-way weight sensitivity, SMAA-2, the participant
bootstrap and agreement between ranking methods."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from ranking import sensitivity
from ranking.methods import RankingResult
from ranking.palette import GREEN, NEUTRAL, OTHER_COLOUR, SKY_BLUE, TOP_COLOUR
from ranking.readings import NOT_SCORED, TIE_SENTENCE, change_words, swap
from ranking.sensitivity import SEARCH_TOLERANCE, WeightSampling

from ._style import (
    LINES,
    MARK_COLOUR,
    QUARTERS,
    TOP_MARK,
    escape,
    finish,
    label,
    name_axis,
    tie_caption,
    title,
    top_caption,
    top_label,
    wrap,
)

#: A line chart is as tall as a bar chart of this many priorities.
LINE_CHART_ROWS = 12
#: Below this width a stable interval is the hair-wide tie at the agreed weight.
HAIRLINE = 1e-6
#: Ems above the plot for a top axis (rank numbers and the "Rank" title; method names) or the agreed weight's label.
RANK_HEADER = 4.0
METHOD_HEADER = 1.5
MARK_HEADER = 1.5


def _names(names: Sequence[str]) -> str:
    return ", ".join(f"“{escape(n)}”" for n in names)


def _swap(current: Sequence[str], past: Sequence[str]) -> str:
    """'X comes in and Y drops out' between two top-k sets (``ranking.readings``)."""
    return change_words(*swap(current, past), _names)


def _bounds(interval: sensitivity.WeightInterval) -> tuple[float, float]:
    """The stable interval with None (never changes on that side) taken to the edge of [0, 1]."""
    return (0.0 if interval.lower is None else interval.lower, 1.0 if interval.upper is None else interval.upper)


def one_way_chart(
    one_way: sensitivity.OneWayResult, criterion: str, show: int | None = None, *, big: bool = False
) -> go.Figure:
    """Score against ``criterion``'s weight (the others keep their
    proportions) for the leading priorities: the current top k, anyone who
    enters it just past either threshold, then the next best at the agreed
    weight up to ``show`` lines (default k + 3).  The stable interval is
    shaded, the agreed weight a vertical line.
    """
    interval = one_way.interval(criterion)
    c = one_way.criteria.index(criterion)
    show = one_way.top + 3 if show is None else show
    if isinstance(show, bool) or int(show) != show or show < 1:
        raise ValueError(f"show must be a whole number of at least 1, not {show!r}")
    sweep = one_way.sweep_scores[c]  # grid × priorities
    now = np.array([np.interp(interval.weight, one_way.grid, sweep[:, i]) for i in range(sweep.shape[1])])
    by_score = sorted(range(len(one_way.priorities)), key=lambda i: (-now[i], one_way.priorities[i]))
    must = set(one_way.current_top) | set(interval.top_below) | set(interval.top_above)
    chosen = [i for i in by_score if one_way.priorities[i] in must]
    chosen += [i for i in by_score if i not in chosen][: max(0, show - len(chosen))]
    chosen.sort(key=lambda i: (one_way.priorities[i] not in one_way.current_top, -now[i], one_way.priorities[i]))
    fig = go.Figure()
    for n, i in enumerate(chosen):
        name = one_way.priorities[i]
        inside = name in one_way.current_top
        fig.add_trace(
            go.Scatter(
                mode="lines",
                name=top_label(name, inside),
                x=one_way.grid,
                y=sweep[:, i],
                line={
                    "color": LINES[n % len(LINES)],
                    "width": (5 if big else 3) if inside else (3 if big else 2),
                    "dash": "solid" if inside else "dash",
                },
                customdata=[escape(name)] * len(one_way.grid),
                hovertemplate="<b>%{customdata}</b><br>Weight %{x:.0%}: score %{y:.3f}<extra></extra>",
            )
        )
    lower, upper = _bounds(interval)
    fig.add_vrect(x0=lower, x1=upper, fillcolor=GREEN, opacity=0.15, layer="below", line_width=0)
    fig.add_vline(
        x=interval.weight,
        line={"color": MARK_COLOUR, "width": 3 if big else 2},
        annotation_text=f"agreed {interval.weight:.0%}",
        annotation_position="top",
    )
    fig.update_xaxes(title=f"Weight on “{escape(criterion)}”", range=[0, 1], tickformat=".0%")
    fig.update_yaxes(title=one_way.options.method.score_label)
    fig.update_layout(legend={"title": {"text": f"Top {one_way.top} solid, others dashed"}})
    caption = []
    if upper - lower < HAIRLINE:
        caption.append(f"The agreed weight sits on a tie at the cut: any change to it changes the top {one_way.top}.")
    else:
        caption.append(f"Shaded: the top {one_way.top} stays the same for weights from {lower:.1%} to {upper:.1%}.")
    if interval.lower is not None:
        caption.append(f"Below {interval.lower:.1%}: {_swap(one_way.current_top, interval.top_below)}.")
    if interval.upper is not None:
        caption.append(f"Above {interval.upper:.1%}: {_swap(one_way.current_top, interval.top_above)}.")
    caption.append(
        "The other weights keep their proportions. Thresholds "
        + ("solved exactly." if one_way.exact else f"found by search to within {SEARCH_TOLERANCE:g}.")
    )
    heading = title(
        f"What if “{escape(criterion)}” mattered more or less?", "Scores of the leading priorities as this weight moves"
    )
    return finish(fig, heading, big, LINE_CHART_ROWS, caption, header=MARK_HEADER)


def tornado(one_way: sensitivity.OneWayResult, *, big: bool = False) -> go.Figure:
    """Per criterion, the range its weight can take without changing the top
    k (a bar from lower to upper), the agreed weight marked; the narrowest
    range, the most sensitive weight, on top."""
    rows = sorted(one_way.thresholds, key=lambda t: (_bounds(t)[1] - _bounds(t)[0], t.criterion))
    names = [t.criterion for t in rows]
    bounds = [_bounds(t) for t in rows]
    fig = go.Figure(
        [
            go.Bar(
                orientation="h",
                name=f"Top {one_way.top} unchanged",
                base=[lo for lo, _ in bounds],
                x=[hi - lo for lo, hi in bounds],
                y=names,
                marker={"color": SKY_BLUE},
                text=[f"{lo:.0%}–{hi:.0%}" if hi - lo >= HAIRLINE else "on a tie" for lo, hi in bounds],
                textposition="outside",
                cliponaxis=False,
                customdata=[[escape(t.criterion), lo, hi, t.weight] for t, (lo, hi) in zip(rows, bounds, strict=True)],
                hovertemplate=(
                    "<b>%{customdata[0]}</b><br>Top " + str(one_way.top) + " unchanged from %{customdata[1]:.1%} "
                    "to %{customdata[2]:.1%}<br>Agreed weight %{customdata[3]:.1%}<extra></extra>"
                ),
            ),
            go.Scatter(
                mode="markers",
                name="Agreed weight",
                x=[t.weight for t in rows],
                y=names,
                marker={"symbol": "diamond", "size": 18 if big else 12, "color": MARK_COLOUR},
                customdata=[escape(n) for n in names],
                hovertemplate="<b>%{customdata}</b><br>Agreed weight %{x:.1%}<extra></extra>",
            ),
        ]
    )
    name_axis(fig, names, ["<br>".join(escape(line) for line in wrap(n)) for n in names])
    fig.update_xaxes(title="Weight", range=[0, 1.08], tickformat=".0%", tickvals=QUARTERS)
    caption = [
        "A bar reaching 0% or 100% means no weight on that side changes the top "
        f"{one_way.top}; the other weights keep their proportions.",
    ]
    heading = title(
        f"How far each weight can move before the top {one_way.top} changes", "Most sensitive (narrowest range) on top"
    )
    return finish(fig, heading, big, 2 * len(names), caption, legend_top=True)


def _check_ranking(ranking: RankingResult | None, priorities: Sequence[str]) -> None:
    if ranking is not None and ranking.names != tuple(priorities):
        raise ValueError("the ranking is of different priorities from the sensitivity result")


def _probability_order(p: np.ndarray, priorities: Sequence[str], ranking: RankingResult | None) -> list[int]:
    """Most probable first; ties by the room's rank (when known), then name."""
    return sorted(
        range(len(priorities)),
        key=lambda i: (-p[i], int(ranking.ranks[i]) if ranking is not None else 0, priorities[i]),
    )


def _room_rank(ranking: RankingResult | None, i: int) -> int | str:
    if ranking is None:
        return "–"
    return int(ranking.ranks[i]) if ranking.scored[i] else f"none ({NOT_SCORED})"


def _probability_bar(
    p: np.ndarray,
    priorities: Sequence[str],
    top: int,
    ranking: RankingResult | None,
    heading: str,
    what: str,
    big: bool,
) -> go.Figure:
    """Bars of a probability of being in the top ``top``, most probable first,
    the room's current top k (when ``ranking`` is given) in blue and starred."""
    _check_ranking(ranking, priorities)
    order = _probability_order(p, priorities, ranking)
    names = [priorities[i] for i in order]
    current = set(ranking.top(top)) if ranking is not None else set()
    colours = [(TOP_COLOUR if n in current else OTHER_COLOUR) if ranking is not None else NEUTRAL for n in names]
    fig = go.Figure(
        go.Bar(
            orientation="h",
            x=[float(p[i]) for i in order],
            y=names,
            marker={"color": colours},
            texttemplate="%{x:.0%}",
            textposition="outside",
            cliponaxis=False,
            customdata=[[escape(priorities[i]), _room_rank(ranking, i)] for i in order],
            hovertemplate=(
                "<b>%{customdata[0]}</b><br>In the top "
                + str(top)
                + " in %{x:.1%} of "
                + what
                + "<br>Room's rank %{customdata[1]}<extra></extra>"
            ),
        )
    )
    name_axis(fig, names, [top_label(n, n in current) for n in names])
    fig.update_xaxes(
        title=f"Probability of being in the top {top}", range=[0, 1.1], tickformat=".0%", tickvals=QUARTERS
    )
    caption = [f"{TOP_MARK} and bold, in blue: the room's current top {top}."] if ranking is not None else []
    caption.append(f"Ties at the cut count as in the top {top}.")
    if ranking is not None and ranking.unscored:
        caption.append(f"{len(ranking.unscored)} not scored by anyone: never in the top {top}.")
    return finish(fig, heading, big, len(names), caption)


def _sampling_note(smaa: sensitivity.SMAAResult) -> str:
    how = {
        WeightSampling.UNIFORM: "any weights at all, uniformly",
        WeightSampling.AROUND: f"around the agreed weights (concentration {smaa.concentration:g})",
        WeightSampling.PARTICIPANTS: "the participants' own weights",
    }[smaa.sampling]
    return f"SMAA-2: {smaa.samples:,} weight samples, {how}; seed {smaa.seed}"


def smaa_top_bar(smaa: sensitivity.SMAAResult, ranking: RankingResult | None = None, *, big: bool = False) -> go.Figure:
    """Share of SMAA weight samples in which each priority is in the top k.
    Give the room's ``ranking`` to colour its current top k."""
    heading = title(f"Chance of being in the top {smaa.top} under other weights", _sampling_note(smaa))
    return _probability_bar(smaa.p_top, smaa.priorities, smaa.top, ranking, heading, "weight samples", big)


def bootstrap_bar(
    bootstrap: sensitivity.BootstrapResult, ranking: RankingResult | None = None, *, big: bool = False
) -> go.Figure:
    """Share of participant resamples in which each priority is in the top k:
    would the result stand if a different subset of the room had voted?"""
    heading = title(
        f"Chance of being in the top {bootstrap.top} if a different subset of the room had voted",
        f"{bootstrap.resamples:,} resamples of the participants; seed {bootstrap.seed}",
    )
    return _probability_bar(bootstrap.p_top, bootstrap.priorities, bootstrap.top, ranking, heading, "resamples", big)


def acceptability_heatmap(
    smaa: sensitivity.SMAAResult, ranking: RankingResult | None = None, *, ranks: int | None = None, big: bool = False
) -> go.Figure:
    """Priorities × ranks: the share of weight samples giving each priority
    each rank (SMAA-2 rank acceptability), rows in ``smaa_top_bar``'s order,
    the first ``ranks`` ranks (default all), a line after rank k."""
    _check_ranking(ranking, smaa.priorities)
    n = len(smaa.priorities)
    shown = n if ranks is None else ranks
    if isinstance(shown, bool) or int(shown) != shown or not 1 <= shown <= n:
        raise ValueError(f"ranks must be a whole number from 1 to {n}, not {ranks!r}")
    order = _probability_order(smaa.p_top, smaa.priorities, ranking)
    names = [smaa.priorities[i] for i in order]
    current = set(ranking.top(smaa.top)) if ranking is not None else set()
    z = smaa.rank_acceptability[order, :shown]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=list(range(1, shown + 1)),
            y=names,
            zmin=0,
            colorscale="Blues",
            text=np.where(z >= 0.005, np.vectorize(lambda v: f"{v:.0%}")(z), ""),
            texttemplate="%{text}",
            xgap=1,
            ygap=1,
            colorbar={"title": {"text": "Share"}, "tickformat": ".0%"},
            customdata=np.repeat(np.array([escape(n) for n in names], dtype=object)[:, None], shown, axis=1),
            hovertemplate="<b>%{customdata}</b><br>Rank %{x} in %{z:.1%} of samples<extra></extra>",
        )
    )
    name_axis(fig, names, [top_label(n, n in current) for n in names])
    fig.update_xaxes(title="Rank", side="top", dtick=1, showgrid=False, automargin=True)
    if smaa.top < shown:
        fig.add_vline(x=smaa.top + 0.5, line={"color": MARK_COLOUR, "width": 3 if big else 2})
    caption = [f"The line marks the cut after rank {smaa.top}. {TIE_SENTENCE}"]
    if ranking is not None:
        caption.insert(0, top_caption(smaa.top) + " (the room's current top)")
    if shown < n:
        caption.append(f"Ranks after {shown} are not shown.")
    heading = title("How often each priority takes each rank under other weights", _sampling_note(smaa))
    return finish(fig, heading, big, len(names), caption, header=RANK_HEADER)


def method_agreement_heatmap(agreement: sensitivity.MethodAgreement, *, big: bool = False) -> go.Figure:
    """Ranks under each method side by side for every priority some method
    puts in the top k (by mean rank); blue, starred cells are in that method's top k
    and a tick marks the priorities every method agrees on."""
    ranks = agreement.ranks  # methods × priorities
    inside = agreement.in_top()
    mean = ranks.mean(axis=0)
    rows = sorted(
        (i for i in range(len(agreement.priorities)) if inside[:, i].any()),
        key=lambda i: (mean[i], agreement.priorities[i]),
    )
    names = [agreement.priorities[i] for i in rows]
    z = ranks[:, rows].T
    methods = [m.label for m in agreement.methods]
    fig = go.Figure(
        go.Heatmap(
            z=inside[:, rows].T.astype(int),
            x=methods,
            y=names,
            zmin=0,
            zmax=1,
            colorscale=[[0, OTHER_COLOUR], [1, TOP_COLOUR]],
            showscale=False,
            text=np.where(inside[:, rows].T, np.char.add(z.astype(str), f" {TOP_MARK}"), z.astype(str)),
            texttemplate="%{text}",
            xgap=3,
            ygap=3,
            customdata=np.dstack(
                [np.repeat(np.array([escape(n) for n in names], dtype=object)[:, None], len(methods), axis=1), z]
            ),
            hovertemplate="<b>%{customdata[0]}</b><br>%{x}: rank %{customdata[1]}<extra></extra>",
        )
    )
    agreed = set(agreement.agreed)
    name_axis(fig, names, [label(n, n in agreed, "✓ " if n in agreed else "") for n in names])
    fig.update_xaxes(side="top", showgrid=False, automargin=True)
    caption = [
        f"Cells show each method's rank; {TOP_MARK} (and blue): in that method's top {agreement.top}. "
        f"✓ in the top {agreement.top} under every method.",
        *tie_caption(agreement.top, max(len(t) for t in agreement.tops)),
    ]
    heading = title(
        "Do the ranking methods agree?",
        f"{len(agreement.agreed)} priorities in the top {agreement.top} under all {len(methods)} methods",
    )
    return finish(fig, heading, big, len(names), caption, header=METHOD_HEADER)
