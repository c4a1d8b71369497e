"""The setup's readability panel: the Flesch reading ease of everything participants read, against its
aim, and the sentences that pull it down (``workshop.readable``)."""

from __future__ import annotations

import streamlit as st

from ui.plain import md
from workshop.models import Workshop
from workshop.readable import setup_readability


def readability_panel(workshop: Workshop) -> None:
    st.caption(
        "Flesch reading ease of the text participants read, scored as a whole: 100 is very easy, 60 to 70 is "
        "plain English. Aim for at least 60, and 70 for a young people's ballot."
    )
    for scored in setup_readability(workshop):
        reading = scored.reading
        with st.container(border=True):
            st.markdown(f"**{md(scored.label)}**")
            if reading.score is None:
                st.caption(reading.summary)
                continue
            st.metric("Reading ease", f"{reading.score:.0f}", f"aim {reading.target:.0f}", delta_color="off")
            (st.success if reading.meets_target else st.warning)(reading.summary)
            if reading.hardest:
                st.markdown("Sentences that pull it down (hardest first):")
                st.markdown(
                    "\n".join(f"- {md(h.text)} — reading ease {h.score:.0f}" for h in reading.hardest)
                )
