"""The Results page's What if tab: the ranking under other weights, and each stakeholder group's own."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ranking.readings import (
    change_words,
    swap,
)
from ui import analysis, state
from ui.analysis import Target, cached_figure
from ui.figures import (
    ranking_bar,
)
from ui.plain import md, names_md
from ui.results.shared import chart
from workshop.models import (
    Criterion,
    Round,
)
from workshop.results import Basis


def _reset(keys: Sequence[str], values: Sequence[int]) -> None:
    for key, value in zip(keys, values, strict=True):
        st.session_state[key] = value


def top_change(before: Sequence[str], after: Sequence[str]) -> str:
    """What the other weights change in the top k, in the words every screen uses (``ranking.readings``)."""
    coming, going = swap(before, after)
    if not coming and not going:
        return "The same priorities make the shortlist."
    return change_words(coming, going, names_md).capitalize() + "."


def groups_at_a_glance(target: Target, top: int, groups: Sequence[str], room_top: Sequence[str]) -> pd.DataFrame:
    rows = []
    for group in groups:
        mine = analysis.group_ranking(target, group, Basis.SCORES, None).top(top)
        rows.append(
            {
                "Group": group,
                f"Its top {top} by its own scores": "; ".join(mine),
                "Shared with the room's": f"{len(set(mine) & set(room_top))} of {len(room_top)}",
            }
        )
    return pd.DataFrame(rows)


@st.fragment
def what_if_tab(target: Target, top: int, criteria: tuple[Criterion, ...], weights_round: Round | None) -> None:
    """Drag the weights and see the ranking change (only this panel reruns)."""
    found = analysis.scoring(target)
    room = found.ranking
    room_top = room.top(top)
    st.subheader("Move the weights")
    keys = [f"{state.RESULTS_WHATIF_WEIGHT_}{target.round_id}-{c.id}" for c in criteria]
    agreed = [round(float(w) * 100) for w in room.weights]
    columns = st.columns(len(criteria))
    weights = [
        column.slider(c.name, 0, 100, value=value, key=key)
        for column, c, value, key in zip(columns, criteria, agreed, keys, strict=True)
    ]
    st.button("Back to the agreed weights", on_click=_reset, args=(keys, agreed), key=state.RESULTS_WHATIF_RESET)
    if sum(weights) == 0:
        st.warning("Give at least one criterion some weight.")
    else:
        shares = ", ".join(f"{md(c.name)} {w / sum(weights):.0%}" for c, w in zip(criteria, weights, strict=True))
        st.caption(f"Relative weights (scaled to add up to 100%): {shares}.")
        moved = analysis.what_if(target, weights)
        st.markdown(f"**Top {top} with these weights:** " + "; ".join(md(n) for n in moved.top(top)))
        st.markdown(top_change(room_top, moved.top(top)))
        plain = ", ".join(f"{c.name} {w / sum(weights):.0%}" for c, w in zip(criteria, weights, strict=True))
        chart(ranking_bar(moved, top, subtitle=f"With these weights: {plain}"), "results-what-if-bar")

    groups = found.score_set.group_names
    st.subheader("What would each stakeholder group choose?")
    if not groups:
        st.info("Nobody gave a stakeholder group.")
        return
    st.dataframe(groups_at_a_glance(target, top, groups, room_top), hide_index=True, width="stretch")
    left, right = st.columns(2)
    group = left.selectbox("Group", list(groups), key=state.RESULTS_WHATIF_GROUP)
    bases = list(Basis) if weights_round is not None else [Basis.SCORES]
    basis = right.radio("Using", bases, format_func=lambda b: b.value, key=state.RESULTS_WHATIF_BASIS)
    if weights_round is None:
        right.caption("A weighting round would let you try each group's own weights too.")
    weights_id = weights_round.id if weights_round else None
    theirs = analysis.group_ranking(target, group, basis, weights_id)
    st.markdown(f"**Top {top} for {md(group)}** ({basis.value}): " + "; ".join(md(n) for n in theirs.top(top)))
    st.markdown(top_change(room_top, theirs.top(top)))
    st.caption(f"The chart ranks the priorities as {md(group)} would ({basis.value}).")
    chart(_group_bar(target, top, group, basis, weights_id), "results-group-what-if")


@cached_figure
def _group_bar(target: Target, top: int, group: str, basis: Basis, weights_id: int | None) -> go.Figure:
    theirs = analysis.group_ranking(target, group, basis, weights_id)
    return ranking_bar(theirs, top, subtitle=f"{group} only ({basis.value})")
