"""Prioritise — the Streamlit app's entry point.

The live workshop app arrives with its own issue; until then this page only
says so, and the engine is available from the command line
(``python -m ranking --help``).
"""

import streamlit as st

st.set_page_config(page_title="Prioritise", page_icon="🗳️")
st.title("Prioritise")
st.info(
    "The live workshop app is coming. The ranking engine already works from the command line: "
    "`python -m ranking rank data/sample_scores.csv --criteria data/sample_criteria.csv`."
)
