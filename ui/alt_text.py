"""Text alternatives for the plotly charts: the accessible name ``st.plotly_chart(alt=...)`` gives a
chart, made from what the figure itself says (its title, subtitle and axis titles).  The numbers
themselves are in the table or sentence each page shows beside its chart (docs/ACCESSIBILITY.md)."""

from __future__ import annotations

import re

import plotly.graph_objects as go

_TAG = re.compile(r"<[^>]+>")


def _plain(markup: object) -> str:
    """Plotly's little HTML (``<br>``, ``<sup>``, ``<b>``) as plain words."""
    text = _TAG.sub(" ", str(markup or "")).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    return " ".join(text.split())


def figure_alt(fig: go.Figure) -> str:
    """ "Chart: Ranking: the top 5 starred — weighted sum of the room's mean scores. Across: Weighted score (0–1)."."""
    layout = fig.layout
    parts = [f"Chart: {_plain(layout.title.text) or 'untitled'}."]
    across, down = _plain(layout.xaxis.title.text), _plain(layout.yaxis.title.text)
    if across:
        parts.append(f"Across: {across}.")
    if down:
        parts.append(f"Down: {down}.")
    return " ".join(parts)
