"""The database briefly locked or unavailable while a participant saves, through the app (AppTest):
the save waits or is retried, lands when the database is back, and no traceback is ever shown."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, create_engine
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


@contextmanager
def held(database: AppDatabase, seconds: float) -> Iterator[None]:
    """Another connection holds the write lock for ``seconds`` while the block runs: SQLite's
    ``BEGIN EXCLUSIVE`` on the file, PostgreSQL's ``LOCK TABLE scores IN ACCESS EXCLUSIVE MODE``."""
    ready = threading.Event()

    def hold() -> None:
        if database.is_sqlite:
            conn = sqlite3.connect(database.path, isolation_level=None)
            conn.execute("BEGIN EXCLUSIVE")
            ready.set()
            time.sleep(seconds)
            conn.execute("ROLLBACK")
            conn.close()
            return
        engine = create_engine(database.url, poolclass=NullPool)
        with engine.begin() as conn:
            conn.exec_driver_sql("LOCK TABLE scores IN ACCESS EXCLUSIVE MODE")
            ready.set()
            time.sleep(seconds)
        engine.dispose()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    assert ready.wait(10), "the lock was not taken"
    try:
        yield
    finally:
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

    with held(app_database, 2.0):
        started = time.monotonic()
        at.radio(key=cell).set_value(4).run()
        waited = time.monotonic() - started

    no_traceback(at)
    assert not at.error
    assert any(c.value.startswith(SAVED) for c in at.caption)
    assert saved_value(room) == 4
    assert waited >= 1.5  # it really met the lock


SQLITE = pytest.mark.parametrize("app_database", ["sqlite"], indirect=True)
POSTGRESQL = pytest.mark.parametrize("app_database", ["postgresql"], indirect=True)


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite gives up waiting for a lock after 1 s (the app's default is 10 s), so that a lock of a
    few seconds reaches ui.save_retry as "database is locked"."""
    monkeypatch.setattr(workshop.db, "BUSY_TIMEOUT_SECONDS", 1)


@SQLITE
def test_a_save_that_meets_database_is_locked_is_retried_and_lands(app_database, short_busy_timeout):
    room = open_scoring_round(service())
    at, cell = participant_app(room.token), first_cell(room)

    with held(app_database, 2.5):
        at.radio(key=cell).set_value(2).run()

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

    with held(app_database, 4.0):
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
def refusing_connections(database: AppDatabase, seconds: float) -> Iterator[None]:
    """PostgreSQL refuses every connection to the test database for ``seconds`` and drops the open
    ones (as during a restart or a fail-over) while the block runs."""
    ready = threading.Event()

    def outage(admin: Engine, name: str) -> None:
        refuse_connections(admin, name)
        try:
            ready.set()
            time.sleep(seconds)
        finally:
            allow_connections(admin, name)

    with postgres_admin() as (admin, name):
        thread = threading.Thread(target=outage, args=(admin, name), daemon=True)
        thread.start()
        assert ready.wait(10), "the outage did not start"
        try:
            yield
        finally:
            thread.join()


@POSTGRESQL
def test_a_save_during_a_postgresql_outage_is_retried_and_lands(app_database: AppDatabase):
    room = open_scoring_round(service())
    at, cell = participant_app(room.token), first_cell(room)

    with refusing_connections(app_database, 2.0):
        at.radio(key=cell).set_value(3).run()

    no_traceback(at)
    assert [t.value for t in at.toast] == [save_retry.RETRYING]
    assert any(c.value.startswith(SAVED) for c in at.caption)
    assert saved_value(room) == 3
