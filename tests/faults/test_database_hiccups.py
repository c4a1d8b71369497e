"""The database briefly locked or unavailable while a participant saves, through the app (AppTest):
the save waits or is retried, lands when the database is back, and no traceback is ever shown."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.pool import NullPool
from streamlit.testing.v1 import AppTest

import workshop.db
from tests.app.conftest import participant_app
from ui import save_retry
from ui.scoring import cell_key
from ui.services import service

from .conftest import (
    AppDatabase,
    OpenRound,
    allow_connections,
    open_scoring_round,
    postgres_admin,
    refuse_connections,
)

SAVED = '<span role="status">Saved ✓'  # the caption is a live region (issue 13)


#: The longest a lock is held if what should release it never happens (the test then fails on ``released``).
LOCK_LIMIT_SECONDS = 60


@dataclass
class Hold:
    """A lock another connection holds: ``release`` lets it go; ``released_by`` says what did."""

    release: threading.Event = field(default_factory=threading.Event)
    released_by: str = "nothing yet"

    def let_go(self, reason: str) -> None:
        if not self.release.is_set():
            self.released_by = reason
            self.release.set()


def released_when_a_write_waits(hold: Hold) -> Callable[[], None]:
    """Let go once the app starts a write, which then meets the lock: SQLite's ``BEGIN IMMEDIATE``
    (reads never wait in WAL mode).  Returns the function that stops listening."""

    def before(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement == "BEGIN IMMEDIATE":
            hold.let_go("a write")

    event.listen(Engine, "before_cursor_execute", before)
    return lambda: event.remove(Engine, "before_cursor_execute", before)


def released_on_the_first_retry(hold: Hold, monkeypatch: pytest.MonkeyPatch) -> None:
    """Let go once a save has met the lock (or the outage) and ui.save_retry is about to try again."""
    pause_before = save_retry.pause_before

    def pause_then_release(attempt: int) -> float:
        hold.let_go("a retry")
        return pause_before(attempt)

    monkeypatch.setattr(save_retry, "pause_before", pause_then_release)


@contextmanager
def held(database: AppDatabase) -> Iterator[Hold]:
    """Another connection holds the write lock until ``Hold.release`` is set or the block ends: SQLite's
    ``BEGIN EXCLUSIVE`` on the file, PostgreSQL's ``LOCK TABLE scores IN ACCESS EXCLUSIVE MODE``, which
    is also let go as soon as another connection waits for it (PostgreSQL shows that in pg_locks)."""
    ready, hold = threading.Event(), Hold()

    def hold_lock() -> None:
        if database.is_sqlite:
            conn = sqlite3.connect(database.path, isolation_level=None)
            conn.execute("BEGIN EXCLUSIVE")
            ready.set()
            hold.release.wait(LOCK_LIMIT_SECONDS)
            conn.execute("ROLLBACK")
            conn.close()
            return
        engine = create_engine(database.url, poolclass=NullPool)
        with engine.begin() as conn:
            conn.exec_driver_sql("LOCK TABLE scores IN ACCESS EXCLUSIVE MODE")
            ready.set()
            waiting = text("SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'scores'::regclass")
            while not hold.release.wait(0.02):
                if conn.execute(waiting).scalar():
                    hold.let_go("a write")
        engine.dispose()

    thread = threading.Thread(target=hold_lock, daemon=True)
    thread.start()
    assert ready.wait(10), "the lock was not taken"
    try:
        yield hold
    finally:
        hold.let_go("the end of the block")
        thread.join()


def first_cell(room: OpenRound) -> str:
    """The key of the participant's first control: their first card's priority on "Need" (1..5)."""
    workshop = room.svc.workshop_by_id(room.round.workshop_id)
    return cell_key(room.round.id, room.first_priority, workshop.criteria[0].id)


def saved_value(room: OpenRound) -> float | None:
    workshop = room.svc.workshop_by_id(room.round.workshop_id)
    entry = room.svc.my_scores(room.token, room.round.id).entry(room.first_priority, workshop.criteria[0].id)
    return None if entry is None else entry.value


def no_traceback(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def test_a_save_waits_for_a_locked_database_and_lands(app_database: AppDatabase):
    room = open_scoring_round(service())
    at, cell = participant_app(room.token), first_cell(room)

    with held(app_database) as hold:
        stop_listening = released_when_a_write_waits(hold)
        try:
            at.radio(key=cell).set_value(4).run()
        finally:
            stop_listening()

    no_traceback(at)
    assert not at.error
    assert any(c.value.startswith(SAVED) for c in at.caption)
    assert saved_value(room) == 4
    assert hold.released_by == "a write"  # the save started while the lock was held


SQLITE = pytest.mark.parametrize("app_database", ["sqlite"], indirect=True)
POSTGRESQL = pytest.mark.parametrize("app_database", ["postgresql"], indirect=True)


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite gives up waiting for a lock after 1 s (the app's default is 10 s), so that a lock of a
    few seconds reaches ui.save_retry as "database is locked"."""
    monkeypatch.setattr(workshop.db, "BUSY_TIMEOUT_SECONDS", 1)


@SQLITE
def test_a_save_that_meets_database_is_locked_is_retried_and_lands(
    app_database, short_busy_timeout, monkeypatch: pytest.MonkeyPatch
):
    room = open_scoring_round(service())
    at, cell = participant_app(room.token), first_cell(room)

    with held(app_database) as hold:
        released_on_the_first_retry(hold, monkeypatch)
        at.radio(key=cell).set_value(2).run()
    assert hold.released_by == "a retry"

    no_traceback(at)
    assert [t.value for t in at.toast] == [save_retry.RETRYING]
    assert any(c.value.startswith(SAVED) for c in at.caption)
    assert saved_value(room) == 2


@SQLITE
def test_when_the_database_stays_locked_the_answer_is_kept_and_can_be_sent_again(
    app_database, short_busy_timeout, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(save_retry, "RETRY_SECONDS", 1.5)
    room = open_scoring_round(service())
    at, cell = participant_app(room.token), first_cell(room)

    with held(app_database):  # for the whole of RETRY_SECONDS
        at.radio(key=cell).set_value(5).run()
        no_traceback(at)
        assert [e.value for e in at.error] == [save_retry.UNAVAILABLE]
        assert saved_value(room) is None
    assert at.radio(key=cell).value == 5  # kept on screen

    at.button(key=f"{cell}-retry").click().run()

    no_traceback(at)
    assert not at.error
    assert any(c.value.startswith(SAVED) for c in at.caption)
    assert saved_value(room) == 5


@contextmanager
def refusing_connections(database: AppDatabase, monkeypatch: pytest.MonkeyPatch) -> Iterator[Hold]:
    """PostgreSQL refuses every connection to the test database and drops the open ones (as during a
    restart or a fail-over) until a save has met the outage and is about to be retried."""
    outage = Hold()
    released_on_the_first_retry(outage, monkeypatch)
    with postgres_admin() as (admin, name):
        refuse_connections(admin, name)

        def end_outage() -> None:
            outage.release.wait(LOCK_LIMIT_SECONDS)
            allow_connections(admin, name)

        thread = threading.Thread(target=end_outage, daemon=True)
        thread.start()
        try:
            yield outage
        finally:
            outage.let_go("the end of the block")
            thread.join()


@POSTGRESQL
def test_a_save_during_a_postgresql_outage_is_retried_and_lands(
    app_database: AppDatabase, monkeypatch: pytest.MonkeyPatch
):
    room = open_scoring_round(service())
    at, cell = participant_app(room.token), first_cell(room)

    with refusing_connections(app_database, monkeypatch) as outage:
        at.radio(key=cell).set_value(3).run()
    assert outage.released_by == "a retry"

    no_traceback(at)
    assert [t.value for t in at.toast] == [save_retry.RETRYING]
    assert any(c.value.startswith(SAVED) for c in at.caption)
    assert saved_value(room) == 3
