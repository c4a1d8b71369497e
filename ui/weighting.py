"""Weighting a round: split 100 points across the criteria.

The service's rule (``WorkshopService.save_allocation``): whole numbers, none
negative, at least 1 and at most 100 points in total; criteria left out get
0.  Fewer than 100 points is a valid split: the engine normalises each
participant's allocation, so 60 of 80 points counts as 75%.  So every change
is saved at once whenever the total is between 1 and 100; over 100 the
service refuses and the participant's last saved split stands.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import pandas as pd
import streamlit as st

from ui import outage, state
from ui.scoring import follow_closed_round, save_with_note, show_note
from ui.services import service
from workshop.models import ALLOCATION_POINTS, Criterion, CriterionPoints, Round


def points_key(round_id: int, criterion_id: int) -> str:
    return f"{state.POINTS}-{round_id}-{criterion_id}"


def note_key(round_id: int) -> str:
    return f"{state.POINTS}-{round_id}"


def remainder_text(total: int) -> str:
    """The points left as shown: "35 points left", "All 100 points given" or "20 points too many"."""
    left = ALLOCATION_POINTS - total
    if left == 0:
        return f"All {ALLOCATION_POINTS} points given"
    if left > 0:
        return f"{left} point{'s' if left != 1 else ''} left"
    return f"{-left} point{'s' if left != -1 else ''} too many"


def _points(round_id: int, criteria: Sequence[Criterion]) -> list[CriterionPoints]:
    return [CriterionPoints(c.id, int(st.session_state.get(points_key(round_id, c.id)) or 0)) for c in criteria]


def _save(token: str, round_id: int, criteria: tuple[Criterion, ...]) -> None:
    points = _points(round_id, criteria)
    save_with_note(
        note_key(round_id),
        lambda: service().save_allocation(token, round_id, points),
        retry=partial(_save, token, round_id, criteria),
    )


@st.fragment
@outage.handled("weighting form")
def weighting_form(token: str, rnd: Round, criteria: tuple[Criterion, ...]) -> None:
    """One number per criterion, the points left shown live, every valid change saved."""
    follow_closed_round()  # a save refused because the round closed: the page moves on
    saved = {p.criterion_id: p.points for p in service().my_allocation(token, rnd.id).points}
    for criterion in criteria:
        st.session_state.setdefault(points_key(rnd.id, criterion.id), saved.get(criterion.id, 0))
    total = sum(p.points for p in _points(rnd.id, criteria))
    st.markdown(
        f"Give more points to what should count for more when the priorities are compared. "
        f"You have **{ALLOCATION_POINTS} points** to share; unspent points are ignored "
        f"(your split counts in proportion)."
    )
    for criterion in criteria:
        st.number_input(
            criterion.name,
            min_value=0,
            max_value=ALLOCATION_POINTS,
            step=1,
            key=points_key(rnd.id, criterion.id),
            on_change=_save,
            args=(token, rnd.id, criteria),
        )
        if criterion.description:
            st.caption(criterion.description)
    summary = remainder_text(total)
    if total > ALLOCATION_POINTS:
        st.error(
            f"{summary}: take some off. Your last saved split is unchanged until the total is "
            f"{ALLOCATION_POINTS} or less.",
            icon="⚠️",
        )
    else:
        st.progress(total / ALLOCATION_POINTS, text=summary)
    show_note(note_key(rnd.id))


def my_allocation_table(token: str, rnd: Round, criteria: Sequence[Criterion]) -> None:
    """The participant's saved split, read-only."""
    saved = {p.criterion_id: p.points for p in service().my_allocation(token, rnd.id).points}
    if not saved:
        st.info("You did not give any points in this round.")
        return
    st.dataframe(
        pd.DataFrame({"Criterion": [c.name for c in criteria], "Your points": [saved.get(c.id, 0) for c in criteria]}),
        hide_index=True,
        width="stretch",
    )
