"""Saving through a database hiccup: a participant's save is tried again
when the database is briefly locked or unreachable.

A save that meets a *transient* database error (a ``DatabaseOutage``, as
the store translates it) — SQLite still locked by
another writer after its busy timeout, a PostgreSQL connection dropped or
refused (a restart, a fail-over), a serialisation failure or deadlock, the
connection pool exhausted — is tried again after a short pause that grows
(0.2 s, 0.4 s, … up to 2 s, each shortened at random so that a room of
participants does not retry in step), until ``RETRY_SECONDS`` have passed.
Meanwhile a toast says "Saving… retrying".  If the database is still not
back, ``DatabaseUnavailable`` is raised and the caller says plainly that the
answer was not saved, leaving it on screen to try again.

Refusals (``WorkshopError``) are never retried: the service has decided,
and nothing changed.  Other errors, a ``DatabaseFault`` among them, are
faults, not hiccups, and are not retried either.  Trying a save again is always safe: every save is
idempotent (a cell's last value wins; an allocation or a ranking replaces
the previous one whole), so a save whose commit did land before the error
came back does no harm when it lands again.

Why a toast rather than a caption beside the control: saves run in widget
callbacks, and Streamlit cannot draw an element in place from a callback (an
element drawn from the callback of a widget inside a fragment replaces the
top of the page); a toast lives outside the page's layout.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from workshop.errors import DatabaseOutage

log = logging.getLogger("prioritise.ui")

T = TypeVar("T")

RETRY_SECONDS = 10.0  # how long a save keeps trying before the participant is told
FIRST_PAUSE = 0.2
MAX_PAUSE = 2.0
RETRYING = "Saving… the database is busy, retrying."
UNAVAILABLE = "Not saved — the database is unavailable. Your answer is kept on screen: try again in a moment."


class DatabaseUnavailable(Exception):
    """A save still met a transient database error when its time ran out."""


def is_transient(error: BaseException) -> bool:
    """Whether ``error`` is a database hiccup worth trying again: a ``DatabaseOutage``, which the
    store raises for exactly those (``workshop.db.is_transient`` decides)."""
    return isinstance(error, DatabaseOutage)


def pause_before(attempt: int) -> float:
    """The longest pause before try ``attempt + 1`` (the first retry is attempt 1)."""
    return min(MAX_PAUSE, FIRST_PAUSE * 2 ** min(attempt - 1, 10))


def retrying(
    save: Callable[[], T],
    on_retry: Callable[[int, BaseException], None] = lambda attempt, error: None,
    within: float = RETRY_SECONDS,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """``save()``, tried again on transient database errors for up to ``within`` seconds.

    ``on_retry(attempt, error)`` is called before each pause.  Raises
    ``DatabaseUnavailable`` when the next try would start after ``within``
    seconds; any other error passes through at once."""
    started = clock()
    attempt = 0
    while True:
        try:
            return save()
        except Exception as error:
            if not is_transient(error):
                raise
            attempt += 1
            pause = pause_before(attempt) * random.uniform(0.5, 1.0)
            if clock() - started + pause > within:
                log.error("save given up after %d tries: %s", attempt, error)
                raise DatabaseUnavailable(str(error)) from error
            log.warning("save met a transient database error (try %d), retrying: %s", attempt, error)
            on_retry(attempt, error)
            sleep(pause)


def save(call: Callable[[], T]) -> T:
    """``call()`` (a service save) through ``retrying``, with a toast while it waits."""

    def announce(attempt: int, _error: BaseException) -> None:
        if attempt == 1:
            st.toast(RETRYING, icon="⏳")

    return retrying(call, announce, within=RETRY_SECONDS)
