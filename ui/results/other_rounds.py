"""The results of ranking rounds (the Borda tally) and weighting rounds (the room's weights)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from ui.figures import (
    weights_bar,
)
from ui.results.shared import TOP_ROW, chart
from workshop.results import RankingRoundResults, WeightingResults


def ranking_round_view(found: RankingRoundResults, top: int) -> None:
    tally = found.tally
    order = tally.order
    frame = pd.DataFrame(
        {
            "Rank": [int(tally.ranks[i]) for i in order],
            "Priority": [tally.priorities[i].name for i in order],
            "Theme": [tally.priorities[i].theme for i in order],
            "Mean Borda points": [float(tally.points[i]) for i in order],
            "First choices": [int(tally.first_choices[i]) for i in order],
            f"Top {top}": [bool(tally.ranks[i] <= top) for i in order],
        }
    )
    st.markdown(f"**{tally.ballots} participants ranked {len(tally.priorities)} priorities.**")
    st.dataframe(
        frame.style.format({"Mean Borda points": "{:.2f}"}).apply(
            lambda row: [TOP_ROW if row[f"Top {top}"] else ""] * len(row), axis=1
        ),
        hide_index=True,
        width="stretch",
    )
    st.caption(tally.rule)


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
