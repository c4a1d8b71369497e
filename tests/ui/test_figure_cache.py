"""ui.analysis.cached_figure: a figure cached between sessions is never shared as a mutable object,
and its cache key is everything the drawing is given."""

from __future__ import annotations

import plotly.graph_objects as go

from ui.analysis import cached_figure

BUILT: list[tuple[str, int]] = []


@cached_figure
def bars(title: str, height: int) -> go.Figure:
    BUILT.append((title, height))
    return go.Figure(go.Bar(x=["A", "B"], y=[2, 1]), layout={"title": {"text": title}, "height": height})


def test_each_draw_is_a_fresh_figure_so_no_session_can_change_anothers():
    first = bars("Shared", 300)
    first.update_layout(title_text="changed by one session")
    first.data[0].y = (9, 9)
    again = bars("Shared", 300)
    assert again is not first
    assert again.layout.title.text == "Shared" and tuple(again.data[0].y) == (2, 1)
    assert BUILT.count(("Shared", 300)) == 1  # built once, then drawn from the cache


def test_the_key_is_every_argument_so_none_can_be_missed():
    assert bars("Key", 300).layout.height == 300
    assert bars("Key", 400).layout.height == 400
    assert bars(title="Key", height=500).layout.height == 500
    assert [b for b in BUILT if b[0] == "Key"] == [("Key", 300), ("Key", 400), ("Key", 500)]
