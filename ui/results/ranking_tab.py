"""The Results page's Ranking tab: the computed ranking, its table, and whether the four methods agree."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ranking.methods import Method, RankingResult
from ranking.readings import (
    NOT_SCORED,
    TIE_SENTENCE,
    few_answers_sentence,
)
from ranking.sensitivity import MethodAgreement
from ui import analysis
from ui.analysis import Target, cached_figure
from ui.figures import (
    method_agreement_heatmap,
    ranking_bar,
    score_text,
)
from ui.plain import md, names_md
from ui.results.shared import TOP_ROW, chart
from workshop.results import thin_priorities

METHOD_NOTES = {
    Method.WEIGHTED_SUM: "**Weighted sum**: each criterion's room score is rescaled to 0–1 by its scale "
    "(cost criteria reversed), multiplied by its weight, and the results added up.",
    Method.TOPSIS: "**TOPSIS** (Hwang & Yoon 1981): how close each priority comes to an imaginary ideal that is best "
    "on every criterion, and how far from one that is worst (vector normalisation, 0–1).",
    Method.BORDA: "**Borda count**: each participant's own order (by their own weighted scores) gives a priority one "
    "point for every priority it beats, half for a tie; points are averaged over the room.",
    Method.COPELAND: "**Copeland**: one point for every other priority that most of the room ranks below it "
    "(half for a tie), from each participant's own order.",
}


def unscored_note(result: RankingResult, top: int) -> str | None:
    """A sentence naming the priorities nobody has scored, or None."""
    if not result.unscored:
        return None
    return (
        f"Nobody has scored {names_md(result.unscored)} yet: "
        f"{'it has' if len(result.unscored) == 1 else 'they have'} no score and no rank, "
        f"{'comes' if len(result.unscored) == 1 else 'come'} last and cannot make the top {top}."
    )


def ranking_table(result: RankingResult, top: int) -> pd.io.formats.style.Styler:
    """Every priority, best first, the top k's rows tinted.  Rank and score are
    text, as shown (``score_text``): a priority nobody scored reads "not scored"
    in both, since a missing value reaches the browser as the word "None"
    whatever a Styler says; it is never in the top k."""
    order = result.order
    in_top = [bool(result.scored[i]) and int(result.ranks[i]) <= top for i in order]
    frame = pd.DataFrame(
        {
            "Rank": [str(result.ranks[i]) if result.scored[i] else NOT_SCORED for i in order],
            "Priority": [result.names[i] for i in order],
            "Theme": [result.priorities[i].theme for i in order],
            "Score": [score_text(result, i) for i in order],
            "Responses": [int(result.aggregate.counts[i].min()) for i in order],
            f"Top {top}": in_top,
        }
    )
    return frame.style.apply(lambda row: [TOP_ROW if row[f"Top {top}"] else ""] * len(row), axis=1)


def agreement_sentence(found: MethodAgreement) -> str:
    """Which of the top k every method agrees on, in a sentence."""
    if not found.agreed:
        return f"The four methods share **none** of their top {found.top}: the choice of method matters here."
    names = names_md(found.agreed)
    if len(found.agreed) >= found.top:
        return f"**All four methods agree on the top {found.top}:** {names}."
    return f"**{len(found.agreed)} of the top {found.top} are the same under all four methods:** {names}."


def ranking_tab(target: Target, top: int) -> None:
    result = analysis.scoring(target).ranking
    st.markdown(METHOD_NOTES[result.method])
    chart(_ranking_bar(target, top), "results-ranking-bar", numbers=False)  # ranking_table has them
    st.dataframe(
        ranking_table(result, top),
        hide_index=True,
        width="stretch",
        column_config={"Responses": st.column_config.NumberColumn(help="Fewest answers on any one criterion")},
    )
    st.caption(f"{TIE_SENTENCE} The top {top} is every priority ranked {top} or better.")
    note = unscored_note(result, top)
    if note:
        st.warning(note)
    scoring = analysis.scoring(target)
    few = few_answers_sentence(thin_priorities(scoring), scoring.ranking.options.min_responses)
    if few:
        st.warning(md(few))
    found = analysis.agreement(target, top)
    st.markdown(agreement_sentence(found))
    chart(_method_agreement(target, top), "results-method-agreement")


@cached_figure
def _ranking_bar(target: Target, top: int) -> go.Figure:
    return ranking_bar(analysis.scoring(target).ranking, top)


@cached_figure
def _method_agreement(target: Target, top: int) -> go.Figure:
    return method_agreement_heatmap(analysis.agreement(target, top))
