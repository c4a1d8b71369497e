"""The app's own accessibility styling, drawn once per run on every page: a
focus indicator that shows on every control (WCAG 2.1 AA 2.4.7, 3:1 against
the page) and wrapping rules so a participant's page reflows at 320 px.

The colours are the theme's (.streamlit/config.toml); tests/ui/test_theme.py
measures every pair this module and the theme put side by side."""

from __future__ import annotations

import streamlit as st

#: The focus ring: near-black, 3 px, outside the control (19.6:1 on white, 17.5:1 on the widget grey).
FOCUS_COLOUR = "#0b0c0c"
PAGE_BACKGROUND = "#ffffff"
WIDGET_BACKGROUND = "#f0f2f6"  # Streamlit's light secondaryBackgroundColor (fields, the sidebar)

STYLE = f"""<style>
:focus-visible {{outline: 3px solid {FOCUS_COLOUR} !important; outline-offset: 2px !important;}}
label:has(input:focus-visible), [data-baseweb="select"]:has(input:focus-visible),
[data-baseweb="input"]:has(input:focus-visible), [data-baseweb="textarea"]:has(textarea:focus-visible) {{
  outline: 3px solid {FOCUS_COLOUR} !important; outline-offset: 2px !important;}}
[data-testid="stMarkdownContainer"], [data-testid="stCaptionContainer"] {{overflow-wrap: anywhere;}}
[data-testid="stDataFrame"], [data-testid="stDataFrameResizable"] {{max-width: 100%;}}
</style>"""


def accessible_style() -> None:
    st.html(STYLE)


def statement_link() -> None:
    """The link to the accessibility statement, under the heading of a participant's page."""
    # st.markdown, not st.caption: a caption draws its link pale blue (#7c95d2, 3.0:1 on white, axe-core measured).
    st.markdown("[Accessibility statement](accessibility): how this tool meets WCAG 2.1 AA, and how to report problems")


def accessibility_statement() -> str:
    """The accessibility statement (docs/ACCESSIBILITY.md) as Markdown, for its page."""
    from pathlib import Path

    return (Path(__file__).resolve().parents[1] / "docs" / "ACCESSIBILITY.md").read_text(encoding="utf-8")
