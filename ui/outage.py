"""Showing a page while the database is not answering: a calm message, and
the page tries again by itself.

A page load that meets a database outage (PostgreSQL down or restarting, a
SQLite file that cannot be opened or stays locked) would otherwise end in
Streamlit's redacted error box.  Two context managers, also usable as
decorators, turn the outage into words; the errors that count as an outage
are the ones ``ui.save_retry`` retries a save on (``is_transient``), plus a
save that gave up (``DatabaseUnavailable``).  Every other error passes
through untouched, and so do ``st.stop`` and ``st.rerun`` (they raise
BaseExceptions, not Exceptions).

- ``handled()`` wraps a whole page run (app.py, around ``navigation.run()``):
  an outage ends the page with ``MESSAGE`` and an empty fragment whose
  timer reruns the whole app after ``RETRY_SECONDS``.
  Identity lives in the URL and session state, neither of which an outage
  touches, so the rerun comes back as the same participant or facilitator.
- ``noted()`` wraps what a fragment refreshing by itself (``run_every``)
  reads: an outage leaves a small ``NOTE`` and the fragment's own timer
  tries again.  Code after the ``with`` block still runs, so a panel can go
  on showing what it last read.

A fragment catches its own errors even during a full page run (Streamlit
draws them inside the fragment), so a page-level ``handled()`` never sees
them: every fragment that reads the database needs one of the two itself.
``ui.session.guard`` lets an outage through to them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TypeVar

import streamlit as st

from ui.save_retry import DatabaseUnavailable, is_transient

log = logging.getLogger("prioritise.ui")

T = TypeVar("T")

RETRY_SECONDS = 5.0
MESSAGE = (
    "The workshop's database is not answering. This page will try again in a few seconds — "
    "everything saved so far is safe."
)
NOTE = "The workshop's database is not answering just now; this part will update again by itself."


def is_outage(error: BaseException) -> bool:
    """Whether ``error`` means the database is (for now) unavailable, not that the code is wrong."""
    return isinstance(error, DatabaseUnavailable) or is_transient(error)


def _log(where: str, error: Exception) -> None:
    log.warning("%s: the database is not answering; trying again", where, exc_info=error)


@st.fragment(run_every=RETRY_SECONDS)
def _try_again_soon(shown_at: float) -> None:
    """Rerun the whole app once ``RETRY_SECONDS`` have passed since the message was shown.

    The fragment draws nothing.  Its first run is part of the page run that
    drew the message, and does nothing; its timed rerun reruns the app.  (No
    "Try again" button: two outages caught in one run would draw two buttons
    with the same ID.)"""
    if time.monotonic() - shown_at >= RETRY_SECONDS * 0.8:
        st.rerun()


def show_message() -> None:
    """``MESSAGE``, and the page tries again by itself."""
    st.info(MESSAGE, icon="⏳")
    _try_again_soon(time.monotonic())


@contextmanager
def _on_outage(where: str, then: Callable[[], None]) -> Iterator[None]:
    try:
        yield
    except Exception as error:
        if not is_outage(error):
            raise
        _log(where, error)
        then()


def handled(where: str = "page load") -> AbstractContextManager[None]:
    """Around a page run: a database outage shows ``MESSAGE`` (and is logged) instead of an error box,
    and the page reruns by itself until the database answers."""
    return _on_outage(where, show_message)


def noted(where: str = "refresh", note: str = NOTE) -> AbstractContextManager[None]:
    """Around the reads of a self-refreshing fragment: a database outage leaves a small ``note``
    (and is logged); the fragment's timer tries again."""
    return _on_outage(where, lambda: st.caption(f"⏳ {note}"))


def unless_down(read: Callable[[], T], otherwise: Callable[[], T]) -> T:
    """``read()``, or ``otherwise()`` while the database is not answering (logged)."""
    try:
        return read()
    except Exception as error:
        if not is_outage(error):
            raise
        _log("identity", error)
        return otherwise()
