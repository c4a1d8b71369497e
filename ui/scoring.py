"""Scoring a round: every priority on every criterion.

Two views of the same answers, both saving every change the moment it is
made (there is no submit button to forget):

* **cards** — one priority at a time, in the participant's own random order,
  with a jump list and Previous / Next; one control per criterion showing the
  scale's descriptors, "Don't know" always available.  Best on a phone and
  readable on a laptop.
* **table** — priorities × criteria in a data editor, for people who prefer a
  grid; each edited cell is saved on its own.

Each view is an ``st.fragment``, never rerunning the page; on the cards each
control is a fragment too, so an answer reruns that one control (see
``score_control``).  A fragment rerun reuses the arguments of the last full
run, so the views read the participant's saved answers from the store on
every run rather than trusting their arguments.
"""

from __future__ import annotations

import html
import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
import streamlit as st

from ui import outage, save_retry, state
from ui.services import service
from workshop.errors import RoundNotOpen, WorkshopError
from workshop.models import (
    Criterion,
    MyScores,
    Priority,
    Round,
    SaveReceipt,
    ScoreEntry,
    Workshop,
)

log = logging.getLogger("prioritise.ui")

DONT_KNOW = "Don't know"
NOT_ANSWERED = "—"
FAULT = "Your answer was not saved because of a fault on our side. Please try again."
CARDS, TABLE = "cards", state.TABLE_VIEW
VIEWS = {CARDS: "One priority at a time", TABLE: "Table"}

Option = int | str  # a scale point, or DONT_KNOW


# --------------------------------------------------------------------------- saving, with a note


@dataclass(frozen=True)
class SaveNote:
    """What became of the participant's last change, shown next to the control it came from."""

    key: str  # the widget whose change this was
    ok: bool
    text: str
    round_closed: bool = False  # refused because the round is no longer open: the page must move on
    kept: bool = False  # not saved because the database was unavailable: the answer stays on screen
    retry: Callable[[], None] | None = None  # saves the kept answer again: the note's "Try again" button


def clock_time(moment: datetime) -> str:
    """``moment`` as the participant's wall-clock time (their browser's time zone when known)."""
    try:
        zone = ZoneInfo(st.context.timezone) if st.context.timezone else None
    except (ZoneInfoNotFoundError, ValueError):
        zone = None
    return moment.astimezone(zone).strftime("%H:%M:%S")


def save_with_note(
    key: str,
    save: Callable[[], SaveReceipt],
    undo: Callable[[], None] = lambda: None,
    retry: Callable[[], None] | None = None,
) -> SaveNote:
    """Run ``save`` (through ``ui.save_retry``) and leave a SaveNote for ``key``; return it.

    On a refusal, ``undo`` puts the control back.  When the database stays
    unavailable the answer is left on screen and ``retry`` (which saves it
    again) becomes the note's "Try again" button.  For widget callbacks,
    where nothing can be drawn: the note is drawn on the next run.  No
    traceback ever reaches the participant.
    """
    try:
        receipt = save_retry.save(save)
    except WorkshopError as error:
        note = SaveNote(key, False, error.message, isinstance(error, RoundNotOpen))
    except save_retry.DatabaseUnavailable:
        note = SaveNote(key, False, save_retry.UNAVAILABLE, kept=True, retry=retry)
        st.session_state[state.SAVE_NOTE] = note
        return note
    except Exception:
        log.exception("saving %s failed", key)
        note = SaveNote(key, False, FAULT)
    else:
        note = SaveNote(key, True, f"Saved ✓ {clock_time(receipt.saved_at)}")
        st.session_state[state.SAVE_NOTE] = note
        st.session_state[state.LAST_HEARTBEAT] = time.monotonic()  # a save marks them as seen: no heartbeat due
        return note
    st.session_state[state.SAVE_NOTE] = note
    try:
        undo()
    except Exception:
        log.exception("putting %s back failed", key)
    return note


def show_note(key: str) -> None:
    """The confirmation or refusal of the last change, if it was this control's."""
    note = st.session_state.get(state.SAVE_NOTE)
    if note is None or note.key != key:
        return
    if note.ok:  # a live region, so a screen reader says "Saved ✓" too (an error below is role="alert")
        st.caption(f'<span role="status">{html.escape(note.text)}</span>', unsafe_allow_html=True)
    else:
        st.error(note.text, icon="⚠️")
        if note.retry is not None:
            st.button("Try again", key=f"{key}-retry", icon=":material/refresh:", on_click=note.retry)


def follow_closed_round() -> None:
    """If the last save was refused because the round closed, redraw the whole page (once)."""
    note = st.session_state.get(state.SAVE_NOTE)
    if note is not None and note.round_closed:
        st.session_state[state.SAVE_NOTE] = replace(note, round_closed=False)
        st.rerun()


def pending_refusal() -> None:
    """A refused change whose control is no longer on the page (the round closed meanwhile).  An answer
    kept on screen for want of a database is not one: its control shows the note, with "Try again"."""
    note = st.session_state.get(state.SAVE_NOTE)
    if note is not None and not note.ok and not note.kept:
        st.error(note.text, icon="⚠️")
        del st.session_state[state.SAVE_NOTE]


# --------------------------------------------------------------------------- order, options, labels


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


# --------------------------------------------------------------------------- cards


def cell_key(round_id: int, priority_id: int, criterion_id: int) -> str:
    return f"{state.SCORE_CELL}-{round_id}-{priority_id}-{criterion_id}"


def position_key(round_id: int) -> str:
    return f"{state.CARD_POSITION}-{round_id}"


def _save_cell(token: str, round_id: int, priority_id: int, criterion: Criterion, key: str) -> None:
    choice = st.session_state[key]
    if choice is None:
        return

    def undo() -> None:
        entry = service().my_scores(token, round_id).entry(priority_id, criterion.id)
        st.session_state[key] = saved_option(criterion, entry)

    # A scale point goes to the service as it is: a crafted value that is no option (a radio hands back
    # any text its client sends) is the service's to refuse, with a message, like any other bad score.
    value = None if choice == DONT_KNOW else choice
    save_with_note(
        key,
        lambda: service().save_score(token, round_id, priority_id, criterion.id, value),
        undo,
        retry=partial(_save_cell, token, round_id, priority_id, criterion, key),
    )


def seed_control(key: str, criterion: Criterion, entry: ScoreEntry | None) -> None:
    """Prefill a control with the saved answer, the first time it is drawn in this session."""
    if key not in st.session_state:
        st.session_state[key] = saved_option(criterion, entry)


@st.fragment
def score_control(token: str, rnd: Round, priority: Priority, criterion: Criterion) -> None:
    """One criterion's control for one priority (prefilled by ``seed_control``) and its note.

    A fragment of its own, inside the cards' fragment: an answer reruns this
    control alone, not the other criteria, the progress bar, the jump list,
    the card's text or the buttons.  Answering is most of what a room of
    hundreds does, and this cut a save's cost on the server by about 40%
    (bench/RESULTS.md); the progress and the jump list's marks catch up when
    the participant moves to another card.  (Rerunning the progress too, with
    ``st.rerun([control, progress])`` from the save's callback, costs a second
    script run per answer: about 60% more server time per save, measured.)
    """
    follow_closed_round()
    key = cell_key(rnd.id, priority.id, criterion.id)
    st.radio(
        criterion.name,
        score_options(criterion),
        index=None,
        format_func=lambda option: option_label(criterion, option),
        key=key,
        help=criterion.description or None,
        on_change=_save_cell,
        args=(token, rnd.id, priority.id, criterion, key),
    )
    show_note(key)


def card_anchor(priority: Priority) -> str:
    return f"priority-{priority.id}"


def priority_card(token: str, rnd: Round, priority: Priority, criteria: Sequence[Criterion], mine: MyScores) -> None:
    with st.container(border=True):
        st.subheader(priority.name, anchor=card_anchor(priority))
        if priority.theme:
            st.caption(f"Theme: {priority.theme}")
        if priority.description:
            st.markdown(priority.description)
        if priority.evidence:
            with st.expander("Evidence"):
                st.markdown(priority.evidence)
        for criterion in criteria:
            seed_control(cell_key(rnd.id, priority.id, criterion.id), criterion, mine.entry(priority.id, criterion.id))
            score_control(token, rnd, priority, criterion)


def _move(key: str, to: int) -> None:
    st.session_state[key] = to
    st.session_state[state.CARD_MOVED] = True


def bring_into_view(anchor: str) -> None:
    """Scroll the new card's heading into view and give it the focus.

    Previous / Next sit below the card: without this, the next card would
    open scrolled to its end.  Focusing the heading (not a control) lets
    Tab continue into the card from its top, as a screen reader expects."""
    st.html(
        f"""<script>
        setTimeout(() => {{
          const heading = document.getElementById({anchor!r});
          if (heading) {{
            heading.setAttribute("tabindex", "-1");
            heading.scrollIntoView({{block: "start"}});
            heading.focus({{preventScroll: true}});
          }}
        }}, 100);
        </script>""",
        unsafe_allow_javascript=True,
    )


def _card_label(priorities: Sequence[Priority], criteria: Sequence[Criterion], mine: MyScores) -> Callable[[int], str]:
    def label(position: int) -> str:
        priority = priorities[position]
        answered = answered_count(mine, priority, criteria)
        mark = "✓" if answered == len(criteria) else f"{answered}/{len(criteria)}" if answered else "○"
        return f"{position + 1}. {priority.name}  ({mark})"

    return label


def _jump(key: str, jump_key: str) -> None:
    # Only the list on screen may move the card: a rerun already in flight when Next was pressed
    # re-sends the previous list's value, which would otherwise jump back (bench/RESULTS.md).
    if st.session_state.get(f"{key}-jump-shown") == jump_key:
        st.session_state[key] = st.session_state[jump_key]


def jump_list(
    key: str, position: int, priorities: Sequence[Priority], criteria: Sequence[Criterion], mine: MyScores
) -> None:
    """Go to any priority; each marked ✓ (done), 2/5 (partly) or ○ (not started).

    The list is drawn afresh (a new widget key) whenever the position or the
    number of answers changes: a selectbox keeps showing the old text of its
    chosen option when only the option's text has changed."""
    answered = sum(answered_count(mine, p, criteria) for p in priorities)
    jump_key = f"{key}-jump-{position}-{answered}"
    st.session_state[f"{key}-jump-shown"] = jump_key
    st.selectbox(
        "Go to priority",
        range(len(priorities)),
        index=position,
        format_func=_card_label(priorities, criteria, mine),
        key=jump_key,
        on_change=_jump,
        args=(key, jump_key),
        help="✓ all criteria answered · 2/5 partly answered · ○ not started. Type to search.",
    )


def next_unanswered(
    position: int, priorities: Sequence[Priority], criteria: Sequence[Criterion], mine: MyScores
) -> int:
    """The next priority after ``position`` (wrapping round) with a criterion unanswered, else ``position``."""
    n = len(priorities)
    for step in range(1, n + 1):
        candidate = (position + step) % n
        if answered_count(mine, priorities[candidate], criteria) < len(criteria):
            return candidate
    return position


def card_navigation(
    key: str, position: int, priorities: Sequence[Priority], criteria: Sequence[Criterion], mine: MyScores
) -> None:
    """Previous / Next / Next unanswered: buttons, so the keyboard can reach them (Tab, Enter)."""
    last = len(priorities) - 1
    with st.container(horizontal=True, gap="small"):
        st.button(
            "Previous",
            icon=":material/arrow_back:",
            key=f"{key}-previous",
            disabled=position == 0,
            on_click=_move,
            args=(key, position - 1),
        )
        st.button(
            "Next",
            icon=":material/arrow_forward:",
            icon_position="right",
            key=f"{key}-next",
            type="primary",
            disabled=position == last,
            on_click=_move,
            args=(key, position + 1),
        )
        target = next_unanswered(position, priorities, criteria, mine)
        st.button(
            "Next unanswered",
            icon=":material/skip_next:",
            key=f"{key}-unanswered",
            disabled=target == position,
            on_click=_move,
            args=(key, target),
        )


@st.fragment
@outage.handled("scoring cards")
def scoring_cards(token: str, rnd: Round, priorities: tuple[Priority, ...], criteria: tuple[Criterion, ...]) -> None:
    """One priority card at a time, with progress and navigation."""
    follow_closed_round()
    mine = service().my_scores(token, rnd.id)
    progress(mine, priorities, criteria)
    key = position_key(rnd.id)
    position = st.session_state.setdefault(key, 0)
    jump_list(key, position, priorities, criteria, mine)
    priority_card(token, rnd, priorities[position], criteria, mine)
    card_navigation(key, position, priorities, criteria, mine)
    if st.session_state.pop(state.CARD_MOVED, False):
        bring_into_view(card_anchor(priorities[position]))


# --------------------------------------------------------------------------- table


def grid_key(round_id: int) -> str:
    return f"{state.SCORE_GRID}-{round_id}-{st.session_state.get(state.GRID_GENERATION, 0)}"


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
