"""The results of ranking rounds (the Borda tally) and weighting rounds (the room's weights)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from ui import state
from ui.figures import (
    weights_bar,
)
from ui.plain import md
from ui.results.shared import TOP_ROW, chart
from ui.services import service
from ui.session import facilitator, guard
from workshop.models import BallotRule, Workshop
from workshop.results import RankingRoundResults, WeightingResults


def _save_ballot_rule(workshop_id: int) -> None:
    """Store the chosen tally as the workshop's (a widget callback: it runs before the page)."""
    session = facilitator()
    if session is None:
        return
    with guard("Saving the ballot rule"):
        saved = service().set_ballot_rule(session.key, workshop_id, st.session_state[state.RESULTS_BALLOT_RULE])
        st.toast(f"Ranking rounds are now tallied by the {saved.ballot_rule.label.lower()}.", icon="✅")


def ballot_rule_control(workshop: Workshop) -> None:
    """The workshop's ballot rule, stored at once for the Agree page, the projector and the exports."""
    st.session_state[state.RESULTS_BALLOT_RULE] = workshop.ballot_rule
    st.radio(
        "Tally the rankings by",
        list(BallotRule),
        format_func=lambda r: r.label,
        horizontal=True,
        disabled=not workshop.groups,
        help=None if workshop.groups else "The group-fair tally needs stakeholder groups.",
        key=state.RESULTS_BALLOT_RULE,
        on_change=_save_ballot_rule,
        args=(workshop.id,),
    )


def ranking_round_view(found: RankingRoundResults, top: int, workshop: Workshop) -> None:
    ballot_rule_control(workshop)
    tally = found.tally
    order = tally.order
    other = found.pooled if found.ballot_rule is BallotRule.GROUP_FAIR else None
    fair = found.group_fair
    columns = {
        "Rank": [int(tally.ranks[i]) for i in order],
        "Priority": [tally.priorities[i].name for i in order],
        "Theme": [tally.priorities[i].theme for i in order],
        tally.score_label: [float(tally.points[i]) for i in order],
    }
    if other is not None:
        columns["Pooled Borda rank"] = [int(other.ranks[i]) for i in order]
    elif fair is not None:
        columns["Group-fair rank"] = [int(fair.ranks[i]) for i in order]
    columns["First choices"] = [int(tally.first_choices[i]) for i in order]
    columns[f"Top {top}"] = [bool(tally.ranks[i] <= top) for i in order]
    st.markdown(f"**{tally.ballots} participants ranked {len(tally.priorities)} priorities.**")
    st.dataframe(
        pd.DataFrame(columns)
        .style.format({tally.score_label: "{:.2f}"})
        .apply(lambda row: [TOP_ROW if row[f"Top {top}"] else ""] * len(row), axis=1),
        hide_index=True,
        width="stretch",
    )
    st.caption(f"Tallied by: {tally.rule}")
    if fair is not None and fair.note:
        st.warning(md(fair.note))


def weighting_round_view(found: WeightingResults) -> None:
    names = [c.name for c in found.room.criteria]
    agreed = np.array([c.weight for c in found.room.criteria], dtype=float)
    agreed = agreed / agreed.sum() if agreed.sum() > 0 else np.full(len(names), 1 / len(names))
    st.markdown(f"**{found.room.responses} participants shared 100 points across the criteria.**")
    chart(
        weights_bar(names, [found.room.weights, agreed], ["The room's allocation", "The weights in use now"]),
        "results-weights",
        numbers=False,  # the table below has them, and the lowest and highest given
    )
    st.dataframe(
        pd.DataFrame(
            {
                "Criterion": names,
                "Room's weight": found.room.weights,
                "Lowest given": found.own_weights.min(axis=0),
                "Highest given": found.own_weights.max(axis=0),
                "In use now": agreed,
            }
        ).style.format("{:.0%}", subset=["Room's weight", "Lowest given", "Highest given", "In use now"]),
        hide_index=True,
        width="stretch",
    )
    st.caption(
        "Each participant's points are scaled to add up to 100% and then averaged. "
        "Adopt the room's weights from Live control."
    )
