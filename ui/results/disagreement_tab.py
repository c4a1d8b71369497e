"""The Results page's Disagreement tab: Kendall's W, the contested priorities and the stakeholder groups."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ranking.consensus import CONCORDANCE_RULE, GROUP_RHO_RULE, Consensus
from ranking.readings import (
    agreement_reading,
    contested_words,
)
from ui import analysis, state
from ui.analysis import Target, cached_figure
from ui.figures import (
    group_heatmap,
    score_distribution,
)
from ui.results.shared import chart


def contested_table(found: Consensus) -> pd.DataFrame:
    table = found.table()
    table = table[table["contested"]]
    return pd.DataFrame(
        {
            "Rank": table["rank"],
            "Priority": table["priority"],
            "Why discuss it": [
                contested_words(high, near)
                for high, near in zip(table["high_spread"], table["near_cutoff"], strict=True)
            ],
            "Spread": table["std"],
        }
    )


def group_gaps(found: Consensus) -> pd.DataFrame:
    """The priorities the stakeholder groups rank most differently, widest gap first."""
    ranks, scored = found.group_ranks, found.group_scored
    groups = [view.group for view in found.groups]
    rows = []
    for name in found.where_groups_disagree():
        i = found.names.index(name)
        # Only groups that scored the priority rank it (a group that did not has no rank for it).
        best = int(np.argmin(np.where(scored[i], ranks[i], np.iinfo(int).max)))
        worst = int(np.argmax(np.where(scored[i], ranks[i], -1)))
        rows.append(
            {
                "Priority": name,
                "Room's rank": int(found.room.ranks[i]),
                "Gap": int(found.group_rank_range[i]),
                "Ranked highest by": f"{groups[best]} ({ranks[i, best]})",
                "Ranked lowest by": f"{groups[worst]} ({ranks[i, worst]})",
            }
        )
    return pd.DataFrame(rows)


def group_agreement(found: Consensus) -> pd.DataFrame:
    """Each group's Spearman ρ with the room and the priorities it is measured over (``GroupView``)."""
    return pd.DataFrame(
        {
            "Group": [view.group for view in found.groups],
            "Participants": [view.size for view in found.groups],
            "Priorities compared": [view.compared for view in found.groups],
            "Agreement with the room (ρ)": [
                "n/a" if np.isnan(view.spearman) else f"{view.spearman:.2f}" for view in found.groups
            ],
        }
    )


def disagreement_tab(target: Target, top: int) -> None:
    found = analysis.room_consensus(target, top)
    w = found.kendall_w
    left, right = st.columns([1, 4])
    left.metric("Kendall's W", "n/a" if np.isnan(w) else f"{w:.2f}")
    right.markdown(
        f"**{agreement_reading(w).capitalize()}.**  \n"
        f"W compares the {found.concordance.m} participants' own orders of the {found.concordance.n} priorities: "
        f"0 means no agreement at all, 1 that everyone ordered them alike. {CONCORDANCE_RULE}"
    )
    st.subheader("Where to spend discussion time")
    contested = contested_table(found)
    if contested.empty:
        st.success(f"Nothing is contested: the room broadly agrees and no priority sits close to the top {top} line.")
    else:
        st.dataframe(contested.style.format({"Spread": "{:.2f}"}), hide_index=True, width="stretch")
        st.caption(
            "Divided: the spread of participants' own scores (standard deviation, as a share of the scale) is "
            f"in the top quarter of this room's and above {found.spread_floor:g}. Close to the line: it can sit "
            f"within {found.cutoff_places} places of the line between {top} and {top + 1}."
        )
    st.subheader("Stakeholder groups")
    gaps = group_gaps(found)
    if len(found.groups) < 2:
        st.info("Fewer than two stakeholder groups answered: there is nothing to compare.")
    else:
        if gaps.empty:
            st.success("Every group ranks every priority alike.")
        else:
            st.markdown("Where the groups disagree most, widest gap first:")
            st.dataframe(gaps.head(10), hide_index=True, width="stretch")
        st.dataframe(group_agreement(found), hide_index=True, width="stretch")
        st.caption(f"Spearman's ρ between each group's own ranking and the room's. {GROUP_RHO_RULE}")
        value = st.radio("Show each group's", ["rank", "score"], horizontal=True, key=state.RESULTS_GROUP_VALUE)
        chart(_group_heatmap(target, top, value), "results-group-heatmap")
    st.subheader("How far apart are people?")
    chart(_score_distribution(target, top), "results-score-distribution")


@cached_figure
def _group_heatmap(target: Target, top: int, value: str) -> go.Figure:
    return group_heatmap(analysis.room_consensus(target, top), value)


@cached_figure
def _score_distribution(target: Target, top: int) -> go.Figure:
    return score_distribution(analysis.room_consensus(target, top))
