"""What both scoring views share: the participant's own order, a criterion's options and labels, the
widget keys and the progress bar."""

from __future__ import annotations

import random
from collections.abc import Sequence

import streamlit as st

from ui import state
from workshop.models import (
    Criterion,
    MyScores,
    Priority,
    Round,
    ScoreEntry,
    Workshop,
)

DONT_KNOW = "Don't know"
NOT_ANSWERED = "—"
CARDS, TABLE = "cards", state.TABLE_VIEW
VIEWS = {CARDS: "One priority at a time", TABLE: "Table"}

Option = int | str  # a scale point, or DONT_KNOW


def participant_order(participant_id: int, rnd: Round) -> tuple[int, ...]:
    """The round's priority ids in this participant's own random order.

    Seeded by participant and round, so a reload, a new tab or another
    device shows the same order, while each participant sees a different one
    (no priority always gets the fresh attention of the first place)."""
    ids = list(rnd.priority_ids)
    random.Random(f"{participant_id}-{rnd.id}").shuffle(ids)
    return tuple(ids)


def round_priorities(workshop: Workshop, rnd: Round, participant_id: int) -> tuple[Priority, ...]:
    by_id = {p.id: p for p in workshop.priorities}
    return tuple(by_id[pid] for pid in participant_order(participant_id, rnd) if pid in by_id)


def score_options(criterion: Criterion) -> tuple[Option, ...]:
    return (*criterion.scale_points, DONT_KNOW)


def option_label(criterion: Criterion, option: Option) -> str:
    """The option as shown: "3 — Significant effect on one outcome", or "Don't know"."""
    if option == DONT_KNOW:
        return DONT_KNOW
    descriptor = criterion.descriptors[int(option) - criterion.scale_min]
    return f"{option} — {descriptor}" if descriptor else str(option)


def saved_option(criterion: Criterion, entry: ScoreEntry | None) -> Option | None:
    """The control's option for a saved answer; None if unanswered (or saved off the scale's points)."""
    if entry is None:
        return None
    if entry.value is None:
        return DONT_KNOW
    return int(entry.value) if float(entry.value).is_integer() and criterion.accepts(entry.value) else None


def short_answer(entry: ScoreEntry | None) -> str:
    if entry is None:
        return NOT_ANSWERED
    return DONT_KNOW if entry.value is None else f"{entry.value:g}"


def answered_count(mine: MyScores, priority: Priority, criteria: Sequence[Criterion]) -> int:
    return sum(mine.entry(priority.id, c.id) is not None for c in criteria)


def progress(mine: MyScores, priorities: Sequence[Priority], criteria: Sequence[Criterion]) -> None:
    answered = sum(answered_count(mine, p, criteria) for p in priorities)
    total = len(priorities) * len(criteria)
    done = "all done — you can still change any answer until the round closes" if answered == total else "answered"
    st.progress(answered / total if total else 1.0, text=f"{answered} of {total} {done}")


def cell_key(round_id: int, priority_id: int, criterion_id: int) -> str:
    return f"{state.SCORE_CELL}-{round_id}-{priority_id}-{criterion_id}"


def position_key(round_id: int) -> str:
    return f"{state.CARD_POSITION}-{round_id}"


def grid_key(round_id: int) -> str:
    return f"{state.SCORE_GRID}-{round_id}-{st.session_state.get(state.GRID_GENERATION, 0)}"
