"""What every Results tab shares: drawing a chart, the tabs and the top-k row tint."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from ui.alt_text import figure_alt


def chart(fig: go.Figure, key: str) -> None:
    """A figure as built (``theme=None`` keeps the builders' colour-blind-safe palette)."""
    st.plotly_chart(fig, width="stretch", theme=None, key=key, alt=figure_alt(fig))


TABS = ("Ranking", "Show the working", "Disagreement", "Sensitivity", "What if")
#: Light blue behind the top k's rows (the figures' top-k blue, #0072B2, faded).
TOP_ROW = "background-color: rgba(0, 114, 178, 0.12)"
