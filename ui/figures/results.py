"""The room's ranking, what each criterion contributes to it, and the criteria weights."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from ranking.methods import Method, RankingOptions, RankingResult
from ranking.palette import OTHER_COLOUR, TOP_COLOUR
from ranking.ranks import check_top
from ranking.readings import NOT_SCORED

from ._style import (
    FADED,
    SERIES,
    escape,
    finish,
    name_axis,
    score_format,
    tie_caption,
    title,
    top_caption,
    top_label,
    wrap,
)

LOW_RESPONSE_MARK = "†"
#: The weighted-sum axis of the contribution bars runs this far past the best total, room for it printed.
TOTAL_ROOM = 1.18


def _method_note(options: RankingOptions) -> str:
    """How a ranking's scores were made, read from the options that made it."""
    balanced = ", each stakeholder group counting equally" if options.balance_groups else ""
    how = options.aggregation.value
    return {
        Method.WEIGHTED_SUM: f"Weighted sum of the room's {how} scores",
        Method.TOPSIS: f"TOPSIS closeness to the ideal, from the room's {how} scores",
        Method.BORDA: "Borda count of each participant's own ranking",
        Method.COPELAND: "Copeland: head-to-head majorities over each participant's own ranking",
    }[options.method] + balanced


def _rank_prefix(result: RankingResult, i: int) -> str:
    """'3. ' before a ranked priority's name; '– ' before one nobody scored (it has no rank)."""
    return f"{result.ranks[i]}. " if result.scored[i] else "– "


def _unscored_caption(result: RankingResult) -> list[str]:
    if not result.unscored:
        return []
    return [f"{len(result.unscored)} not scored by anyone yet: no score, no rank, listed last and never in the top."]


def score_text(result: RankingResult, i: int) -> str:
    """Priority ``i``'s room score as every view shows it: the ranking bar's
    labels (Results page, projector, participant's phone) and the
    participant's results table.  It is the score the workshop's method
    ranked by (weighted sum or TOPSIS closeness 0–1, Borda or Copeland
    points), so it never rises as the rank falls; "not scored" when nobody
    scored the priority."""
    return f"{result.scores[i]:{score_format(result.method)}}" if result.scored[i] else NOT_SCORED


def ranking_bar(result: RankingResult, top: int, *, big: bool = False, subtitle: str | None = None) -> go.Figure:
    """Each priority's score, best first, the top ``top`` in blue and starred (``TOP_MARK``).

    The top k is the engine's: every priority of rank ≤ k, so a tie at the
    cut highlights more than k (and the caption says so).  A dagger marks a
    score resting on fewer than the minimum responses on some criterion.
    A priority nobody scored has no bar, reads "not scored" and comes last.
    The subtitle says how the scores were made (from ``result.options``);
    ``subtitle`` replaces it, e.g. "Council's scores only" for one group's.
    """
    k = check_top(top, len(result.names))
    order = result.order
    names = [result.names[i] for i in order]
    scored = result.scored
    inside = [bool(result.ranks[i] <= k and scored[i]) for i in order]
    responses = result.aggregate.counts.min(axis=1)
    low = result.aggregate.low_response.any(axis=1)
    fmt = score_format(result.method)
    fig = go.Figure(
        go.Bar(
            orientation="h",
            x=[float(result.scores[i]) if scored[i] else None for i in order],
            y=names,
            marker={"color": [TOP_COLOUR if t else OTHER_COLOUR for t in inside]},
            text=[score_text(result, i) + (f" {LOW_RESPONSE_MARK}" if low[i] and scored[i] else "") for i in order],
            textposition="outside",
            cliponaxis=False,
            customdata=[
                [
                    escape(result.names[i]),
                    int(result.ranks[i]) if scored[i] else f"none ({NOT_SCORED})",
                    escape(result.priorities[i].theme),
                    int(responses[i]),
                ]
                for i in order
            ],
            hovertemplate=(
                "<b>%{customdata[0]}</b><br>Rank %{customdata[1]}<br>Score %{x:" + fmt + "}"
                "<br>Theme: %{customdata[2]}<br>Responses: %{customdata[3]} (fewest on any criterion)<extra></extra>"
            ),
        )
    )
    name_axis(
        fig, names, [top_label(n, t, _rank_prefix(result, i)) for n, t, i in zip(names, inside, order, strict=True)]
    )
    fig.update_xaxes(title=result.method.score_label, rangemode="tozero")
    caption = [top_caption(k), *tie_caption(k, sum(inside)), *_unscored_caption(result)]
    if low.any():
        caption.append(
            f"{LOW_RESPONSE_MARK} fewer than {result.aggregate.min_responses} responses on at least one criterion."
        )
    sub = _method_note(result.options) if subtitle is None else escape(subtitle)
    return finish(fig, title(f"Ranking: the top {k} starred", sub), big, len(names), caption)


def contribution_bar(result: RankingResult, top: int, *, big: bool = False) -> go.Figure:
    """Stacked bars: each criterion's weighted, normalised value per priority.

    Under the weighted sum the stack *is* the score.  Under TOPSIS the same
    weighted normalised values are shown, but the score is the closeness to
    the ideal, not their sum; under Borda and Copeland they are the room's
    averages while the score comes from each participant's own ranking.  The
    title says which.  The top k are drawn at full opacity, the rest faded.
    """
    k = check_top(top, len(result.names))
    order = result.order
    names = [result.names[i] for i in order]
    inside = [bool(result.ranks[i] <= k and result.scored[i]) for i in order]
    opacity = [1.0 if t else FADED for t in inside]
    fig = go.Figure()
    for c, criterion in enumerate(result.criterion_names):
        fig.add_trace(
            go.Bar(
                orientation="h",
                name=escape(criterion),
                x=[float(result.weighted[i, c]) for i in order],
                y=names,
                marker={"color": SERIES[c % len(SERIES)], "opacity": opacity},
                customdata=[[escape(result.names[i]), float(result.matrix[i, c])] for i in order],
                hovertemplate=(
                    f"<b>%{{customdata[0]}}</b><br>{escape(criterion)} (weight {result.weights[c]:.0%})"
                    "<br>Room's score %{customdata[1]:.2f} → weighted %{x:.3f}<extra></extra>"
                ),
            )
        )
    if result.method is Method.WEIGHTED_SUM:
        heading = title("What makes up each priority's score", "Each criterion's weighted contribution")
        axis = "Contribution to the weighted score"
        # The totals are printed past the longest bar: inside the plot, as the legend at the right would hide them.
        best = float(np.nanmax(result.scores)) if result.scored.any() else 1.0
        fig.update_xaxes(range=[0, TOTAL_ROOM * best])
        fig.add_trace(
            go.Scatter(
                mode="text",
                x=[float(result.scores[i]) if result.scored[i] else 0.0 for i in order],
                y=names,
                text=[f" {result.scores[i]:.3f}" if result.scored[i] else f" {NOT_SCORED}" for i in order],
                textposition="middle right",
                cliponaxis=False,
                showlegend=False,
                hoverinfo="skip",
            )
        )
    elif result.method is Method.TOPSIS:
        heading = title(
            "TOPSIS: weighted normalised values per criterion",
            "Vector-normalised; the ranking is by closeness to the ideal, not by the length of these bars",
        )
        axis = "Weighted normalised value"
    else:
        heading = title(
            f"{result.method.label}: the room's weighted normalised scores per criterion",
            f"{result.method.label} ranks from each participant's own ranking, not from the length of these bars",
        )
        axis = "Weighted normalised room score"
    name_axis(
        fig, names, [top_label(n, t, _rank_prefix(result, i)) for n, t, i in zip(names, inside, order, strict=True)]
    )
    fig.update_xaxes(title=axis, rangemode="tozero")
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
    caption = [
        f"{top_caption(k)} They are drawn at full colour, the rest faded.",
        *tie_caption(k, sum(inside)),
        *_unscored_caption(result),
    ]
    return finish(fig, heading, big, len(names), caption)


def weights_bar(
    criteria: Sequence[str],
    weights: Sequence[Sequence[float]] | Sequence[float] | np.ndarray,
    labels: Sequence[str],
    *,
    heading: str = "Criteria weights",
    big: bool = False,
) -> go.Figure:
    """Grouped bars of criteria weights, one series per row of ``weights``
    labelled by ``labels`` (e.g. "Room's allocation", "Agreed").

    Weights are shown as given, as shares (the engine normalises weights; a
    figure must not do it a second time).
    """
    values = np.atleast_2d(np.asarray(weights, dtype=float))
    if values.shape != (len(labels), len(criteria)):
        raise ValueError(f"weights must be {len(labels)} series × {len(criteria)} criteria, not shape {values.shape}")
    if not np.isfinite(values).all():
        raise ValueError("weights must be finite numbers")
    names = list(criteria)
    fig = go.Figure(
        [
            go.Bar(
                orientation="h",
                name=escape(series),
                x=list(values[s]),
                y=names,
                marker={"color": SERIES[s % len(SERIES)]},
                texttemplate="%{x:.0%}",
                textposition="outside",
                cliponaxis=False,
                customdata=[escape(n) for n in names],
                hovertemplate=f"<b>%{{customdata}}</b><br>{escape(series)}: %{{x:.1%}}<extra></extra>",
            )
            for s, series in enumerate(labels)
        ]
    )
    name_axis(fig, names, ["<br>".join(escape(line) for line in wrap(n)) for n in names])
    fig.update_xaxes(title="Weight", tickformat=".0%", rangemode="tozero")
    fig.update_layout(barmode="group", showlegend=len(labels) > 1, legend={"traceorder": "normal"})
    return finish(fig, escape(heading), big, len(names) * len(labels), legend_top=True)
