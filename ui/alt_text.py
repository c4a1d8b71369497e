"""Text alternatives for the plotly charts: the accessible name ``st.plotly_chart(alt=...)`` gives a
chart, made from what the figure itself says (its title, subtitle and axis titles), and the chart's
numbers as a table beside it (``show_chart``), read from the figure's own traces (docs/ACCESSIBILITY.md)."""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

_TAG = re.compile(r"<[^>]+>")
#: A line chart's table gives its values at this many evenly spaced points across.
LINE_POINTS = 11
#: What the numbers' table is called, beside each chart.
NUMBERS_LABEL = "The numbers in this chart"


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


def _array(values: object) -> np.ndarray:
    """A trace's data as an array, also where the figure came back from ``to_plotly_json`` (the figure cache,
    ``ui.analysis.cached_figure``) with its numpy arrays as plotly.js typed-array specs."""
    if isinstance(values, dict) and "bdata" in values:
        found = np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
        shape = values.get("shape")
        return found.reshape([int(n) for n in str(shape).split(",")]) if shape else found
    return np.asarray(values, dtype=object)


def _number(value: object, percent: bool) -> str:
    """A value as the table shows it: a share as a percentage, a whole number whole, others to 3 places."""
    if value is None or (isinstance(value, (float, np.floating)) and np.isnan(value)):
        return "–"
    if isinstance(value, str):
        return value
    number = float(value)  # type: ignore[arg-type]
    if percent:
        return f"{number:.1%}"
    return f"{number:.0f}" if number.is_integer() else f"{number:.3f}"


def _is_percent(axis: go.layout.XAxis | go.layout.YAxis) -> bool:
    return str(axis.tickformat or "").endswith("%")


def _tick_labels(axis: go.layout.XAxis | go.layout.YAxis) -> dict[object, str]:
    """An axis's categories as its tick labels say them, plain ('★ 3. Name'), where it sets them."""
    if axis.tickvals is None or axis.ticktext is None:
        return {}
    return {value: _plain(text) for value, text in zip(_array(axis.tickvals), axis.ticktext, strict=False)}


def _category(labels: dict[object, str], value: object) -> str:
    """A category's row label: its tick label ('★ 3. Name'), with the whole name where the label cut it short."""
    shown, name = labels.get(value, ""), _plain(value)
    if "…" not in shown:
        return shown or name
    start = shown.find(name[:8])
    return (shown[:start] if start > 0 else "") + name


def _column(trace: go.Bar | go.Scatter | go.Box, fallback: str) -> str:
    return _plain(trace.name) or fallback


def _bar_cells(trace: go.Bar, percent: bool) -> tuple[Sequence[object], list[str]]:
    """(categories, one cell each): a bar's value, or 'from–to' for a floating bar (``base``)."""
    across = trace.orientation == "h"
    categories, values = (_array(trace.y), _array(trace.x)) if across else (_array(trace.x), _array(trace.y))
    if trace.base is not None and not isinstance(trace.base, (int, float)):
        base = _array(trace.base)
        cells = [f"{_number(lo, percent)}–{_number(lo + v, percent)}" for lo, v in zip(base, values, strict=True)]
    else:
        cells = [_number(v, percent) for v in values]
    return list(categories), cells


def _box_rows(trace: go.Box, percent: bool) -> dict[object, dict[str, str]]:
    """Per category of a horizontal box trace: how many points, the lowest, median, mean and highest."""
    values = _array(trace.x).astype(float)
    categories = _array(trace.y)
    rows: dict[object, dict[str, str]] = {}
    for category in dict.fromkeys(categories):
        mine = values[categories == category]
        mine = mine[~np.isnan(mine)]
        rows[category] = {
            "Points": str(len(mine)),
            **{
                what: _number(float(how(mine)), percent) if len(mine) else "–"
                for what, how in (("Lowest", np.min), ("Median", np.median), ("Mean", np.mean), ("Highest", np.max))
            },
        }
    return rows


def _lines(fig: go.Figure) -> pd.DataFrame:
    """A line chart: each line's value at ``LINE_POINTS`` evenly spaced points across."""
    lines = [t for t in fig.data if t.type == "scatter" and "lines" in (t.mode or "")]
    xs = np.concatenate([_array(t.x).astype(float) for t in lines])
    at = np.linspace(xs.min(), xs.max(), LINE_POINTS)
    across = _plain(fig.layout.xaxis.title.text) or "Across"
    x_percent, y_percent = _is_percent(fig.layout.xaxis), _is_percent(fig.layout.yaxis)
    table = {across: [_number(float(x), x_percent) for x in at]}
    for n, t in enumerate(lines):
        values = np.interp(at, _array(t.x).astype(float), _array(t.y).astype(float))
        table[_column(t, f"Line {n + 1}")] = [_number(float(v), y_percent) for v in values]
    return pd.DataFrame(table)


def _heatmap(fig: go.Figure, trace: go.Heatmap) -> pd.DataFrame:
    """A heatmap: one row per row of cells, one column per column; each cell's printed text, else its value."""
    percent = _is_percent(trace.colorbar) if trace.colorbar and trace.colorbar.tickformat else False
    rows, columns = _tick_labels(fig.layout.yaxis), _tick_labels(fig.layout.xaxis)
    z = _array(trace.z)
    text = _array(trace.text) if trace.text is not None else np.full(z.shape, "", dtype=object)
    x = list(_array(trace.x)) if trace.x is not None else list(range(z.shape[1]))
    y = list(_array(trace.y)) if trace.y is not None else list(range(z.shape[0]))
    table = {
        _plain(fig.layout.yaxis.title.text) or "Item": [_category(rows, v) for v in y],
        **{
            _category(columns, column): [
                str(text[r, c]) if str(text[r, c]) else _number(z[r, c], percent) for r in range(len(y))
            ]
            for c, column in enumerate(x)
        },
    }
    return pd.DataFrame(table)


def figure_numbers(fig: go.Figure) -> pd.DataFrame:
    """The numbers a chart draws, as a table with one row per category (priority, criterion) in the
    chart's order and one column per series: a bar's value (a floating bar's range), a box's summary,
    a marker's position, a heatmap's cells, a line's values at evenly spaced points.  A marker trace
    with ``meta="flag"`` (e.g. "contested") shows "yes" where it marks a row.  Text-only traces (labels
    printed on the chart) are left out: their numbers are the bars'."""
    heat = [t for t in fig.data if t.type == "heatmap"]
    if heat:
        return _heatmap(fig, heat[0])
    if any(t.type == "scatter" and "lines" in (t.mode or "") for t in fig.data):
        return _lines(fig)
    axis = fig.layout.yaxis
    labels = _tick_labels(axis)
    value_percent = _is_percent(fig.layout.xaxis)
    order = list(_array(axis.categoryarray)) if axis.categoryarray is not None else []
    rows: dict[object, dict[str, str]] = {}
    fallback = _plain(fig.layout.xaxis.title.text) or "Value"
    for trace in fig.data:
        if trace.type == "bar":
            categories, cells = _bar_cells(trace, value_percent)
            column = _column(trace, fallback)
            for category, cell in zip(categories, cells, strict=True):
                rows.setdefault(category, {})[column] = cell
        elif trace.type == "box":
            for category, summary in _box_rows(trace, value_percent).items():
                rows.setdefault(category, {}).update(summary)
        elif trace.type == "scatter" and "markers" in (trace.mode or ""):
            column = _column(trace, "Mark")
            flag = trace.meta == "flag"
            for category, x in zip(_array(trace.y), _array(trace.x), strict=True):
                rows.setdefault(category, {})[column] = "yes" if flag else _number(x, value_percent)
    order += [category for category in rows if category not in order]
    down = _plain(axis.title.text) or "Item"
    frame = pd.DataFrame([{down: _category(labels, c), **rows.get(c, {})} for c in order])
    return frame.fillna("")


def show_chart(fig: go.Figure, key: str | None = None, *, numbers: bool = True, **options: object) -> None:
    """Draw ``fig`` with its accessible name and, unless the page shows the same numbers in a table of its own
    (``numbers=False``), the chart's numbers in a table just below it (WCAG 1.1.1: the same information as text)."""
    st.plotly_chart(fig, key=key, alt=figure_alt(fig), **options)
    if numbers:
        with st.expander(NUMBERS_LABEL):
            st.dataframe(figure_numbers(fig), hide_index=True, width="stretch", key=f"{key}-numbers" if key else None)
