"""The accessibility statement (docs/ACCESSIBILITY.md), public, linked from every participant's page."""

from pathlib import Path

import streamlit as st

STATEMENT = Path(__file__).resolve().parents[1] / "docs" / "ACCESSIBILITY.md"

st.markdown(STATEMENT.read_text(encoding="utf-8"))
