"""The app's own accessibility styling, drawn once per run on every page: a
focus indicator that shows on every control (WCAG 2.1 AA 2.4.7, 3:1 against
the page), wrapping rules so a participant's page reflows at 320 px, and a
live region that says each toast aloud (WCAG 4.1.3: Streamlit's toast is a
role="alertdialog", which a screen reader does not announce by itself).

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


#: The id of the live region that repeats each toast ("Saving… retrying", "Round 1 is closed.").
ANNOUNCER = "toast-announcer"
#: Installed once per tab: a visually hidden role="status" region on <body>, there before any toast (a live
#: region added together with its text is often not read), given the text of each toast as it appears.
ANNOUNCE_TOASTS = f"""<script>
if (!document.getElementById("{ANNOUNCER}")) {{
  const region = document.createElement("div");
  region.id = "{ANNOUNCER}";
  region.setAttribute("role", "status");
  region.setAttribute("aria-live", "polite");
  region.style.cssText = "position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap";
  document.body.appendChild(region);
  new MutationObserver(records => {{
    for (const record of records) for (const node of record.addedNodes) {{
      const toast = node.nodeType === 1 && (node.matches('[data-testid="stToast"]') ? node
        : node.querySelector('[data-testid="stToast"]'));
      const text = toast && toast.querySelector('[data-testid="stToastText"]');
      if (text) {{ region.textContent = ""; setTimeout(() => {{ region.textContent = text.innerText; }}, 50); }}
    }}
  }}).observe(document.body, {{childList: true, subtree: true}});
}}
</script>"""


def accessible_style() -> None:
    st.html(STYLE)
    st.html(ANNOUNCE_TOASTS, unsafe_allow_javascript=True)


def statement_link() -> None:
    """The link to the accessibility statement, under the heading of a participant's page."""
    # st.markdown, not st.caption: a caption draws its link pale blue (#7c95d2, 3.0:1 on white, axe-core measured).
    st.markdown("[Accessibility statement](accessibility): how this tool meets WCAG 2.1 AA, and how to report problems")


def accessibility_statement() -> str:
    """The accessibility statement (docs/ACCESSIBILITY.md) as Markdown, for its page."""
    from pathlib import Path

    return (Path(__file__).resolve().parents[1] / "docs" / "ACCESSIBILITY.md").read_text(encoding="utf-8")
