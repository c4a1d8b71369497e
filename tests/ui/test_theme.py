"""The theme's colours meet WCAG 2.1 AA (issue 13): 4.5:1 for all text, captions included, and
3:1 for control edges and the focus ring.  Streamlit draws a caption in the text colour at 60%
opacity, so its colour is worked out from the theme the same way; the browser audit
(tests/browser/test_accessibility.py, axe-core's color-contrast rule) checks it as drawn."""

from __future__ import annotations

import tomllib
from pathlib import Path

import plotly.graph_objects as go
import pytest

from tests.browser.a11y import contrast
from ui.alt_text import figure_alt
from ui.theme import FOCUS_COLOUR, PAGE_BACKGROUND, WIDGET_BACKGROUND

THEME = tomllib.loads((Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml").read_text())["theme"]
#: What Streamlit 1.67 drew for a caption before the theme set a text colour (measured by axe-core: 3.88:1).
STREAMLIT_DEFAULT_CAPTION = "#828180"


def over(colour: str, opacity: float, background: str) -> str:
    """``colour`` at ``opacity`` over ``background``, as "#rrggbb"."""
    fg = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    bg = [int(background[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(opacity * f + (1 - opacity) * b):02x}" for f, b in zip(fg, bg, strict=True))


def test_the_default_caption_grey_was_below_4_5_to_1():
    assert contrast(STREAMLIT_DEFAULT_CAPTION, PAGE_BACKGROUND) == pytest.approx(3.88, abs=0.01)


@pytest.mark.parametrize("background", [PAGE_BACKGROUND, WIDGET_BACKGROUND])
def test_text_and_captions_reach_4_5_to_1(background):
    assert contrast(THEME["textColor"], background) >= 4.5
    assert contrast(over(THEME["textColor"], 0.6, background), background) >= 4.5


def test_primary_buttons_and_links_reach_4_5_to_1():
    assert contrast(THEME["primaryColor"], PAGE_BACKGROUND) >= 4.5  # links and the primary colour as text
    assert contrast("#ffffff", THEME["primaryColor"]) >= 4.5  # white label on a primary button


@pytest.mark.parametrize("background", [PAGE_BACKGROUND, WIDGET_BACKGROUND])
def test_control_edges_and_the_focus_ring_reach_3_to_1(background):
    assert THEME["showWidgetBorder"] is True
    assert contrast(THEME["borderColor"], background) >= 3
    assert contrast(FOCUS_COLOUR, background) >= 3
    assert contrast(THEME["primaryColor"], background) >= 3  # a chosen radio, a ticked box, a slider


def test_a_chart_is_named_by_its_title_and_axes():
    fig = go.Figure(go.Bar(x=[1], y=["a"]))
    fig.update_layout(title={"text": "Ranking: top 5 in blue<br><sup>weighted sum &amp; mean</sup>"})
    fig.update_xaxes(title="Weighted score (0–1)")
    assert figure_alt(fig) == "Chart: Ranking: top 5 in blue weighted sum & mean. Across: Weighted score (0–1)."
