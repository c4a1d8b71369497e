"""The Results page's view of a consultation round (a young people's ballot or any round that reached
beyond the room): what they said, as its own tab: how many took part and from which groups, their
ranking (in the ballot's own words), the top k."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import analysis
from ui.analysis import Target
from ui.plain import md
from ui.results.shared import TOP_ROW
from workshop.models import Round, Workshop
from workshop.results import RoundResults
from workshop.said import ANSWERS_ON_CRITERIA, Said, consultation_heading, said_of


def tab_name(rnd: Round, workshop: Workshop) -> str:
    """The tab's name: the view's heading ("What young people said")."""
    return consultation_heading(rnd, workshop)


def said_table(found: Said) -> pd.DataFrame:
    columns = {"Rank": [r.rank_text for r in found.rows], "Priority": [r.name for r in found.rows]}
    if found.ballot:
        columns["What the ballot called it"] = [r.title for r in found.rows]
    columns[found.answers_label] = [r.answers for r in found.rows]
    columns[f"Top {found.top}"] = [r.in_top for r in found.rows]
    return pd.DataFrame(columns)


def said_tab(target: Target, workshop: Workshop) -> None:
    said_view(said_of(analysis.scoring(target), workshop))


def picks_said(results: RoundResults, workshop: Workshop) -> None:
    """A ranking consultation's view (a pick ballot's), above its ranking round's tally."""
    said_view(said_of(results, workshop))


def said_view(found: Said) -> None:
    """What a consultation said (a scoring round's answers or a ranking round's picks)."""
    st.subheader(md(found.heading), anchor=False)
    if found.picks:
        st.caption(
            f"Asked: “{md(found.question)}” Tallied as any ranking round is (favourite first); "
            "a priority nobody picked has no rank."
        )
    elif found.ballot:
        st.caption(
            f"Asked: “{found.question}” of each priority. Ranked by the workshop's method on that one question, "
            "as any scoring round is; “Not sure” is not counted as an answer."
        )
    else:
        st.caption(
            f"Asked: {md(found.question)} Ranked by the workshop's method, as any scoring round is. "
            + ANSWERS_ON_CRITERIA
        )
    people, answers = st.columns(2)
    people.metric(found.people_label, f"{found.respondents:,}")
    answers.metric("Picks" if found.picks else "Answers", f"{found.answers:,}")
    if found.by_group:
        st.markdown("  \n".join(f"{md(group)}: {count:,}" for group, count in found.by_group))
    if found.by_age:
        st.caption("Age groups given: " + "; ".join(f"{band}: {count:,}" for band, count in found.by_age))
    st.markdown(f"**{found.top_words}:** " + "; ".join(md(r.name) for r in found.top_rows))
    top_column = f"Top {found.top}"
    st.dataframe(
        said_table(found).style.apply(lambda row: [TOP_ROW if row[top_column] else ""] * len(row), axis=1),
        hide_index=True,
        width="stretch",
    )
