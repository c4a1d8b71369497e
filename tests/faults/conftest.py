"""Fixtures for the fault tests: the app's database (a SQLite file, or a
fresh PostgreSQL schema when TEST_DATABASE_URL is set), a workshop whose
scoring round is open with one participant joined, and the database going
down (``database_down``)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from tests.workshop.conftest import schema_url, small_setup
from ui.scoring import participant_order
from ui.services import service
from workshop.db import dispose_engines
from workshop.models import Participant, Round, RoundKind
from workshop.service import WorkshopService

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


@dataclass(frozen=True)
class AppDatabase:
    """The database the app under test uses: ``url``; ``path`` for SQLite."""

    url: str
    path: Path | None

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None


def postgres_base() -> str:
    base = os.environ.get("TEST_DATABASE_URL", "").strip()
    if not base:
        pytest.skip("TEST_DATABASE_URL is not set")
    return base


def fresh_schema(base: str) -> str:
    """A new, empty schema in the test database; its name."""
    name = f"t_{uuid.uuid4().hex[:16]}"
    with create_engine(base, poolclass=NullPool).begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
    return name


def drop_schema(base: str, name: str) -> None:
    with create_engine(base, poolclass=NullPool).begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA "{name}" CASCADE')


@pytest.fixture(params=BACKENDS)
def app_database(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[AppDatabase]:
    """Point the app (ui.services.service) at a fresh database, as PRIORITISE_DB_PATH or DATABASE_URL."""
    service.clear()
    if request.param == "sqlite":
        path = tmp_path / "db" / "app.sqlite3"  # a folder of its own, which database_down takes away
        path.parent.mkdir()
        monkeypatch.delenv("DATABASE_URL", raising=False)
        monkeypatch.setenv("PRIORITISE_DB_PATH", str(path))
        database, schema = AppDatabase(f"sqlite:///{path}", path), None
    else:
        base = postgres_base()
        schema = fresh_schema(base)
        database = AppDatabase(schema_url(base, schema), None)
        monkeypatch.setenv("DATABASE_URL", database.url)
    try:
        yield database
    finally:
        service.clear()
        dispose_engines()
        if schema is not None:
            drop_schema(base, schema)


@dataclass(frozen=True)
class OpenRound:
    """A small workshop (6 priorities × 3 criteria) with its scoring round open and one participant."""

    svc: WorkshopService
    key: str
    round: Round
    participant: Participant

    @property
    def token(self) -> str:
        return self.participant.token

    @property
    def first_priority(self) -> int:
        """The priority on the participant's first card."""
        return participant_order(self.participant.id, self.round)[0]


def open_scoring_round(svc: WorkshopService) -> OpenRound:
    workshop, key = svc.create_workshop(small_setup())
    scoring = next(r for r in workshop.rounds if r.kind is RoundKind.SCORING)
    participant = svc.join(workshop.code, "Ann", "Council")
    return OpenRound(svc, key, svc.open_round(key, scoring.id), participant)


@contextmanager
def database_down(database: AppDatabase) -> Iterator[None]:
    """The app's database is unreachable while the block runs, and back after it.

    PostgreSQL (as during a restart or a fail-over): the test database refuses
    every new connection and the open ones are terminated.  SQLite (as when the
    disk it lives on goes away): its folder is moved aside, so a connection
    cannot be opened ("unable to open database file"), and the app's pooled
    connections, which would go on reading the moved file, are closed."""
    if database.is_sqlite:
        folder = database.path.parent
        aside = folder.with_name(folder.name + "-gone")
        folder.rename(aside)
        dispose_engines()
        try:
            yield
        finally:
            aside.rename(folder)
        return
    with postgres_admin() as (admin, name):
        refuse_connections(admin, name)
        try:
            yield
        finally:
            allow_connections(admin, name)


@contextmanager
def postgres_admin() -> Iterator[tuple[Engine, str]]:
    """An engine on the server's "postgres" database and the test database's name; skips the test
    unless the role is a superuser (needed to refuse connections)."""
    base = make_url(postgres_base())
    admin = create_engine(base.set(database="postgres"), poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if not conn.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar():
                pytest.skip("needs a PostgreSQL superuser to refuse connections")
        yield admin, base.database
    finally:
        admin.dispose()


def refuse_connections(admin: Engine, name: str) -> None:
    """The database refuses new connections, and the open ones are terminated (a restart, a fail-over)."""
    with admin.connect() as conn:
        conn.exec_driver_sql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        conn.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"), {"name": name}
        )


def allow_connections(admin: Engine, name: str) -> None:
    with admin.connect() as conn:
        conn.exec_driver_sql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
