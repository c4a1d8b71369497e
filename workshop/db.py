"""Database engines: one per process per URL.

SQLite (the default) is opened in WAL mode with a 10 s busy timeout and
foreign keys on.  pysqlite's own transaction handling is switched off and
SQLAlchemy's ``begin`` event emits the BEGIN itself (the "pysqlite
serializable" recipe in SQLAlchemy's SQLite docs): ``BEGIN IMMEDIATE`` for
writes, so a writer takes the write lock before it reads instead of
upgrading a read lock later, which is what makes concurrent writers wait
(busy timeout) rather than fail with SQLITE_BUSY; plain deferred ``BEGIN``
for reads, which WAL never blocks.  Writers in one process queue on a
lock before BEGIN IMMEDIATE: SQLite's busy handler makes a waiting writer
sleep and retry (sleeps of up to 100 ms), which under contention left the
write lock idle between writers (16 threads managed half the writes per
second of one thread, bench/RESULTS.md); on a Python lock the next writer
starts at once.  Writers in other processes still wait on the busy timeout.  The small writes of a
room (saves, heartbeats) go one better and share a transaction (``workshop.store.together``).

PostgreSQL runs on psycopg 3 with a pool of 10 (+20 overflow) and
pre-ping, at READ COMMITTED; the store serialises writes per workshop by
locking the workshop's row first (see ``store.Transaction.bump_version``).

Every driver error raised in a ``transaction`` leaves it as the project's own
``DatabaseOutage`` (worth trying again) or ``DatabaseFault`` (``database_error``),
so nothing above the store needs to know SQLAlchemy's exceptions.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from workshop.errors import DatabaseError, DatabaseFault, DatabaseOutage

BUSY_TIMEOUT_SECONDS = 10
CONNECT_TIMEOUT_SECONDS = 5
POOL_SIZE = 10
MAX_OVERFLOW = 20
_WRITE = "prioritise_write"

#: SQLite OperationalError messages that mean the code and the schema disagree, not a busy database.
SQLITE_SCHEMA_FAULTS = ("no such table", "no such column", "has no column named", "syntax error")

_engines: dict[str, Engine] = {}
_lock = threading.Lock()
_sqlite_writers: weakref.WeakKeyDictionary[Engine, threading.RLock] = weakref.WeakKeyDictionary()


def normalize_url(url: str) -> str:
    """postgres:// and postgresql:// mean psycopg 3; sqlite URLs pass through."""
    url = url.strip()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    if url.startswith(("postgresql+psycopg://", "sqlite://")):
        return url
    scheme = url.split(":", 1)[0]
    raise ValueError(f"the database URL must be postgresql:// or sqlite:///, not {scheme}://")


def get_engine(url: str) -> Engine:
    """The process's one Engine for ``url`` (created on first use)."""
    url = normalize_url(url)
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _sqlite_engine(url) if url.startswith("sqlite") else _postgres_engine(url)
            _engines[url] = engine
        return engine


def dispose_engines() -> None:
    """Close every pooled connection and forget the engines (shutdown, tests)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def _postgres_engine(url: str) -> Engine:
    return create_engine(
        url,
        pool_size=POOL_SIZE,
        max_overflow=MAX_OVERFLOW,
        pool_pre_ping=True,
        pool_recycle=1800,
        # An unreachable host (a dropped route, a firewall) fails after this instead of hanging the page;
        # saves then retry (ui/save_retry.py) and page loads say so (ui/outage.py).
        connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS},
    )


def _use_wal(cursor: sqlite3.Cursor) -> None:
    """Put the database file in WAL mode (it stays so: later connections only check).

    Switching needs the file to itself, and SQLite answers "database is locked"
    at once, without its busy timeout, when another process is opening the same
    new file (several app processes starting together): try again for up to
    BUSY_TIMEOUT_SECONDS."""
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(
        url,
        pool_size=POOL_SIZE,
        max_overflow=MAX_OVERFLOW,
        connect_args={"timeout": BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
        _use_wal(cursor)
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    _sqlite_writers[engine] = threading.RLock()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")

    return engine


def is_transient(error: SQLAlchemyError) -> bool:
    """Whether ``error`` is a database hiccup worth trying again.

    OperationalError is the DB-API's class for errors "not necessarily under
    the control of the programmer": SQLite's "database is locked", a refused
    or dropped connection, PostgreSQL's serialisation failures and
    deadlocks.  Any DBAPIError on a connection SQLAlchemy has marked invalid
    means the connection died under the statement.  SQLite also reports a
    statement that does not fit the schema ("no such table") as an
    OperationalError: that is a fault, not a hiccup, and retrying it would
    only look like an endless outage."""
    if isinstance(error, OperationalError):
        return not any(words in str(error.orig) for words in SQLITE_SCHEMA_FAULTS)
    if isinstance(error, PoolTimeout):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def database_error(error: SQLAlchemyError) -> DatabaseError:
    """The project's error for a driver error: ``DatabaseOutage`` if it is transient, else ``DatabaseFault``;
    its message is the driver's own (``orig``) where there is one."""
    kind = DatabaseOutage if is_transient(error) else DatabaseFault
    return kind(str(getattr(error, "orig", None) or error))


@contextmanager
def transaction(engine: Engine, *, write: bool) -> Iterator[Connection]:
    """A connection inside a transaction, committed on success, rolled back on
    any exception.  ``write=True`` takes SQLite's write lock up front (after
    this process's earlier writers).  A driver error, whether connecting,
    running a statement or committing, is raised as ``database_error`` of it."""
    queue = _sqlite_writers.get(engine) if write else None
    try:
        with queue or nullcontext(), engine.connect() as conn:
            if write:
                conn.execution_options(**{_WRITE: True})
            with conn.begin():
                yield conn
    except SQLAlchemyError as error:
        raise database_error(error) from error
