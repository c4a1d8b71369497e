"""The Results page's "Show the working" tab: how one priority's score follows from the room's answers."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ranking.aggregate import Aggregation
from ranking.methods import Method, RankingResult
from ranking.readings import (
    rank_label,
)
from ui import analysis, state
from ui.analysis import Target, cached_figure
from ui.figures import (
    contribution_bar,
    criterion_distribution,
)
from ui.results.shared import chart


def working_table(result: RankingResult, name: str) -> pd.DataFrame:
    working = result.working(name)
    how = "median" if result.aggregate.how is Aggregation.MEDIAN else "mean"
    return pd.DataFrame(
        {
            "Criterion": working["criterion"],
            "Scale": [
                f"{c.scale_min:g}–{c.scale_max:g}" + (", lower is better" if c.is_cost else "") if c.has_scale else ""
                for c in result.criteria
            ],
            "Weight": working["weight"],
            f"Room's {how}": working["aggregate"],
            "Responses": working["responses"],
            "Normalised (0–1)": working["normalized"],
            "Weighted": working["weighted"],
        }
    )


def method_working(result: RankingResult, name: str) -> str:
    """How the priority's score follows from its working, in one sentence."""
    i = result.names.index(name)
    score = result.scores[i]
    if not result.scored[i]:
        return "**Not scored**: nobody has answered this priority on any criterion, so it has no score and no rank."
    if result.method is Method.WEIGHTED_SUM:
        return f"Score = the sum of the weighted column = **{score:.3f}**."
    if result.method is Method.TOPSIS:
        assert result.dist_ideal is not None and result.dist_anti is not None
        near, far = result.dist_ideal[i], result.dist_anti[i]
        return (
            f"Distance to the ideal {near:.3f}, to the worst {far:.3f}: "
            f"closeness = {far:.3f} / ({near:.3f} + {far:.3f}) = **{score:.3f}**."
        )
    assert result.pairwise is not None
    beats = int((result.pairwise[i] > result.pairwise[:, i]).sum())
    return (
        f"{result.method.label} points **{score:.1f}**; most of the room ranks it above {beats} of the other "
        f"{len(result.names) - 1} priorities (weighted columns above are the room's averages, for reference)."
    )


def priority_label(result: RankingResult, name: str) -> str:
    """'3. Name', or 'Name (not scored)' for a priority nobody scored."""
    i = result.names.index(name)
    return rank_label(name, int(result.ranks[i]) if result.scored[i] else None)


def working_tab(target: Target, top: int) -> None:
    found = analysis.scoring(target)
    result = found.ranking
    names = [result.names[i] for i in result.order]
    name = st.selectbox(
        "Priority",
        names,
        format_func=lambda n: priority_label(result, n),
        key=f"{state.RESULTS_PRIORITY_}{target.round_id}",
    )
    st.dataframe(
        working_table(result, name).style.format(
            {"Weight": "{:.0%}", "Normalised (0–1)": "{:.3f}", "Weighted": "{:.3f}"}, precision=2, na_rep="–"
        ),
        hide_index=True,
        width="stretch",
    )
    st.markdown(method_working(result, name))
    chart(_criterion_distribution(target, name), "results-criterion-distribution")
    chart(_contributions(target, top), "results-contributions")


@cached_figure
def _criterion_distribution(target: Target, name: str) -> go.Figure:
    return criterion_distribution(analysis.scoring(target).score_set, name)


@cached_figure
def _contributions(target: Target, top: int) -> go.Figure:
    return contribution_bar(analysis.scoring(target).ranking, top)
