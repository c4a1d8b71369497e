"""What every Results tab shares: drawing a chart, the tabs and the top-k row tint."""

from __future__ import annotations

import plotly.graph_objects as go

from ui.alt_text import show_chart


def chart(fig: go.Figure, key: str, *, numbers: bool = True) -> None:
    """A figure as built (``theme=None`` keeps the builders' colour-blind-safe palette), its numbers in a table
    below it unless the tab shows them in its own (``numbers=False``)."""
    show_chart(fig, key, numbers=numbers, width="stretch", theme=None)


TABS = ("Ranking", "Show the working", "Disagreement", "Consensus", "Sensitivity", "What if")
#: The tabs a young people's ballot does without: its one question has its own three-point scale, so
#: neither the workshop's consensus rule (stated on the criteria's scale) nor the what-if on the criteria applies.
BALLOT_LEAVES_OUT = ("Consensus", "What if")
#: Light blue behind the top k's rows (the figures' top-k blue, #0072B2, faded).
TOP_ROW = "background-color: rgba(0, 114, 178, 0.12)"
