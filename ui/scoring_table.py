"""Scoring in a grid: priorities × criteria in a data editor, each edited cell saved on its own; and the
participant's own answers, read-only, after the round."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from ui import outage, state
from ui.earlier_answers import feedback_of
from ui.save_notes import SaveNote, follow_closed_round, save_with_note, show_note
from ui.score_options import (
    CARDS,
    DONT_KNOW,
    NOT_ANSWERED,
    VIEWS,
    Option,
    grid_key,
    option_label,
    progress,
    saved_option,
    score_options,
    short_answer,
)
from ui.services import service
from workshop.models import (
    Criterion,
    MyScores,
    Priority,
    Round,
)


def score_frame(
    mine: MyScores, priorities: Sequence[Priority], criteria: Sequence[Criterion], labels: bool = True
) -> pd.DataFrame:
    """Priorities × criteria of the saved answers: option labels (for the editor) or short answers."""

    def cell(priority: Priority, criterion: Criterion) -> str | None:
        entry = mine.entry(priority.id, criterion.id)
        if not labels:
            return short_answer(entry)
        option = saved_option(criterion, entry)
        return None if option is None else option_label(criterion, option)

    return pd.DataFrame(
        {c.name: [cell(p, c) for p in priorities] for c in criteria},
        index=pd.Index([p.name for p in priorities], name="Priority"),
    )


def changed_cells(
    edited: pd.DataFrame, saved: pd.DataFrame, priorities: Sequence[Priority], criteria: Sequence[Criterion]
) -> list[tuple[Priority, Criterion, str | None]]:
    """Cells where the edited table differs from the saved answers."""
    changes = []
    for row, priority in enumerate(priorities):
        for criterion in criteria:
            new, old = edited.iloc[row][criterion.name], saved.iloc[row][criterion.name]
            new = None if pd.isna(new) else new
            old = None if pd.isna(old) else old
            if new != old:
                changes.append((priority, criterion, new))
    return changes


def _parse_label(criterion: Criterion, label: object) -> Option | None:
    """The option a table cell's label names; None for anything else (a crafted edit)."""
    return next((o for o in score_options(criterion) if option_label(criterion, o) == label), None)


@st.fragment
@outage.handled("scoring table")
def scoring_table(token: str, rnd: Round, priorities: tuple[Priority, ...], criteria: tuple[Criterion, ...]) -> None:
    """The whole round as a table; every edited cell is saved on its own through the service."""
    follow_closed_round()
    earlier = feedback_of(token, rnd).earlier
    if earlier is not None:
        st.caption(
            f"Your {earlier.short_label} answers and the room's, and “Keep my answers”, are on the cards: "
            f"choose “{VIEWS[CARDS]}” to see them."
        )
    progress_bar = st.empty()  # filled in after this run's saves, with their confirmation
    saved = score_frame(service().my_scores(token, rnd.id), priorities, criteria)
    config = {
        c.name: st.column_config.SelectboxColumn(
            c.name, options=[option_label(c, o) for o in score_options(c)], help=c.description or None
        )
        for c in criteria
    }
    edited = st.data_editor(
        saved,
        key=grid_key(rnd.id),
        column_config=config,
        num_rows="fixed",
        width="stretch",
        height="content",
        placeholder=NOT_ANSWERED,
    )
    note_key = f"{state.SCORE_GRID}-{rnd.id}"
    refused = False
    for priority, criterion, label in changed_cells(edited, saved, priorities, criteria):
        if label is None:
            text = f"An answer cannot be cleared; choose {DONT_KNOW!r} instead ({priority.name})."
            st.session_state[state.SAVE_NOTE] = SaveNote(note_key, False, text)
            refused = True
            continue
        option = _parse_label(criterion, label)
        if option is None:
            text = f"That is not one of the answers for '{criterion.name}' ({priority.name}); it was not saved."
            st.session_state[state.SAVE_NOTE] = SaveNote(note_key, False, text)
            refused = True
            continue
        value = None if option == DONT_KNOW else float(option)
        note = save_with_note(
            note_key, lambda p=priority, c=criterion, v=value: service().save_score(token, rnd.id, p.id, c.id, v)
        )
        # Refused: reload the table from the store.  Database unavailable: keep the edit on screen; the next
        # run (any edit) saves it again, since it still differs from what is stored.
        refused |= not note.ok and not note.kept
    if refused:
        # Draw the editor afresh from the store, so that it shows what is really saved.  (A whole-page
        # rerun: a fragment-scoped one is refused when the fragment runs as part of the page.)
        st.session_state[state.GRID_GENERATION] = st.session_state.get(state.GRID_GENERATION, 0) + 1
        st.rerun()
    with progress_bar.container():
        progress(service().my_scores(token, rnd.id), priorities, criteria)
        show_note(note_key)


# --------------------------------------------------------------------------- after the round


def my_scores_table(token: str, rnd: Round, priorities: Sequence[Priority], criteria: Sequence[Criterion]) -> None:
    """The participant's own answers, read-only."""
    mine = service().my_scores(token, rnd.id)
    progress(mine, priorities, criteria)
    st.dataframe(score_frame(mine, priorities, criteria, labels=False), width="stretch")
