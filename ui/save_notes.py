"""What became of a participant's last change: saved (with the time), refused (with why) or kept on screen
for want of a database, shown next to the control it came from."""

from __future__ import annotations

import html
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st

from ui import save_retry, state
from workshop.errors import RoundNotOpen, WorkshopError
from workshop.models import (
    SaveReceipt,
)

log = logging.getLogger("prioritise.ui")

FAULT = "Your answer was not saved because of a fault on our side. Please try again."


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
