"""The accessibility statement (docs/ACCESSIBILITY.md), public, linked from every participant's page."""

import streamlit as st

from ui.theme import accessibility_statement

st.markdown(accessibility_statement())
