"""What every Results tab shares: markdown-safe names, drawing a chart, the tabs and the top-k row tint."""

from __future__ import annotations

import re
from collections.abc import Sequence

import plotly.graph_objects as go

from ui.alt_text import show_chart

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|$~<>:])")


def md(text: str) -> str:
    """Text typed by people (names, reasons), escaped for st.markdown: "$5m" is not maths, "*" not emphasis."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def names_md(names: Sequence[str]) -> str:
    """Names as “A”, “B”, escaped for st.markdown."""
    return ", ".join(f"“{md(n)}”" for n in names)


def chart(fig: go.Figure, key: str, *, numbers: bool = True) -> None:
    """A figure as built (``theme=None`` keeps the builders' colour-blind-safe palette), its numbers in a table
    below it unless the tab shows them in its own (``numbers=False``)."""
    show_chart(fig, key, numbers=numbers, width="stretch", theme=None)


TABS = ("Ranking", "Show the working", "Disagreement", "Sensitivity", "What if")
#: Light blue behind the top k's rows (the figures' top-k blue, #0072B2, faded).
TOP_ROW = "background-color: rgba(0, 114, 178, 0.12)"
