"""Database errors belong to the store: every driver error leaves ``workshop.db.transaction`` as
``DatabaseOutage`` (transient: worth trying again) or ``DatabaseFault`` (anything else), raised
from the driver's error; refusals and other errors pass through untouched."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import insert, text
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

import workshop.db
from tests.workshop.conftest import Made
from workshop import schema
from workshop.db import database_error, get_engine, transaction
from workshop.errors import DatabaseError, DatabaseFault, DatabaseOutage, InvalidInput, WorkshopError
from workshop.migrations import migrate
from workshop.store import Store


def invalidated() -> DBAPIError:
    error = DBAPIError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))
    error.connection_invalidated = True
    return error


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("INSERT INTO scores ...", {}, sqlite3.OperationalError("database is locked")),
        OperationalError("connect", {}, Exception("connection refused")),
        invalidated(),
        PoolTimeout("QueuePool limit of size 10 overflow 20 reached"),
    ],
    ids=["database is locked", "connection refused", "connection invalidated", "pool exhausted"],
)
def test_a_transient_driver_error_is_an_outage(error: Exception):
    assert type(database_error(error)) is DatabaseOutage


@pytest.mark.parametrize(
    "error",
    [
        IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed")),
        DBAPIError("SELECT 1", {}, Exception("not invalidated")),
        OperationalError("SELECT * FROM scores", {}, Exception("no such table: scores")),
    ],
    ids=["integrity", "dbapi, connection fine", "sqlite schema fault"],
)
def test_any_other_driver_error_is_a_fault(error: Exception):
    found = database_error(error)
    assert type(found) is DatabaseFault
    assert str(found) == str(error.orig)  # the driver's own words, for the log and the CLI


def test_database_errors_are_not_refusals():
    """A database error is nobody's fault in the room: no handler of refusals may swallow it."""
    assert issubclass(DatabaseOutage, DatabaseError) and issubclass(DatabaseFault, DatabaseError)
    assert not issubclass(DatabaseError, WorkshopError)


def test_a_broken_constraint_is_a_fault_raised_from_the_driver_error(store: Store, made: Made):
    values = dict(workshop_id=made.id, position=99, name=made.workshop.priorities[0].name)
    with pytest.raises(DatabaseFault) as raised, store.write() as tx:
        tx.conn.execute(insert(schema.priorities).values(**values))
    assert isinstance(raised.value.__cause__, IntegrityError)
    with store.read() as tx:
        assert tx.priorities(made.id) == made.workshop.priorities


def test_a_locked_database_is_an_outage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(workshop.db, "BUSY_TIMEOUT_SECONDS", 0)  # fail at once instead of waiting
    path = tmp_path / "locked.sqlite3"
    engine = get_engine(f"sqlite:///{path}")
    migrate(engine)
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(DatabaseOutage, match="locked") as raised, transaction(engine, write=True):
            pass
        assert isinstance(raised.value.__cause__, OperationalError)
    finally:
        other.close()
        engine.dispose()


def test_a_database_that_cannot_be_opened_is_an_outage(tmp_path: Path):
    engine = get_engine(f"sqlite:///{tmp_path / 'missing' / 'folder' / 'x.sqlite3'}")
    with pytest.raises(DatabaseOutage, match="unable to open database file"), transaction(engine, write=False):
        pass


def test_other_errors_leave_a_transaction_untouched(store: Store):
    with pytest.raises(InvalidInput, match="refused"), store.write():
        raise InvalidInput("refused")
    with pytest.raises(ZeroDivisionError), store.read() as tx:
        tx.conn.execute(text("SELECT 1"))
        _ = 1 / 0
