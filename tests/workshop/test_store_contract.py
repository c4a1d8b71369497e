"""The store's contract on SQLite and PostgreSQL: recorded migrations, the
schema they build, constraints the database itself enforces, transactions,
and how values come back."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, inspect, select

from tests.workshop.conftest import Made
from workshop import schema
from workshop.db import get_engine, normalize_url, transaction
from workshop.errors import DatabaseFault
from workshop.migrations import (
    FIRST_VERSION_WITH_PLAN,
    FIRST_VERSION_WITH_REVIEWS,
    MIGRATIONS,
    Migration,
    applied_migrations,
    migrate,
)
from workshop.models import CriterionSpec
from workshop.service import WorkshopService
from workshop.store import Store


def test_migrations_are_recorded_and_applying_twice_is_a_no_op(database_url: str):
    engine = get_engine(database_url)
    assert migrate(engine) == tuple(m.version for m in MIGRATIONS)
    assert tuple(m.version for m in MIGRATIONS) == (1, 2, 3, 4, 5, FIRST_VERSION_WITH_PLAN, FIRST_VERSION_WITH_REVIEWS)
    recorded = applied_migrations(engine)
    assert [(m.version, m.description) for m in recorded] == [(m.version, m.description) for m in MIGRATIONS]
    assert recorded[0].applied_at.tzinfo is UTC
    assert migrate(engine) == ()
    assert Store.open(database_url).migrate() == ()
    assert applied_migrations(engine) == recorded


def test_the_migrated_schema_matches_the_schema_module(database_url: str):
    engine = get_engine(database_url)
    migrate(engine)
    inspector = inspect(engine)
    assert set(inspector.get_table_names()) == set(schema.metadata.tables)
    for table in schema.metadata.sorted_tables:
        assert [c["name"] for c in inspector.get_columns(table.name)] == [c.name for c in table.columns], table.name
    uniques = {tuple(u["column_names"]) for u in inspector.get_unique_constraints("scores")}
    assert ("round_id", "participant_id", "priority_id", "criterion_id") in uniques


def test_a_later_migration_runs_once_after_the_earlier_ones(database_url: str):
    engine = get_engine(database_url)
    migrate(engine)
    runs = []

    def add_notes(conn):  # type: ignore[no-untyped-def]
        runs.append(1)
        conn.exec_driver_sql("CREATE TABLE extra_notes (id INTEGER PRIMARY KEY, body TEXT)")

    later = MIGRATIONS[-1].version + 1
    more = (*MIGRATIONS, Migration(later, "extra notes", add_notes))
    assert migrate(engine, more) == (later,)
    assert migrate(engine, more) == ()
    assert runs == [1]
    assert [m.version for m in applied_migrations(engine)] == [*(m.version for m in MIGRATIONS), later]


def test_a_failing_migration_leaves_nothing_behind(database_url: str):
    engine = get_engine(database_url)
    migrate(engine)

    def broken(conn):  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("CREATE TABLE half_done (id INTEGER PRIMARY KEY)")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        migrate(engine, (*MIGRATIONS, Migration(MIGRATIONS[-1].version + 1, "broken", broken)))
    assert [m.version for m in applied_migrations(engine)] == [m.version for m in MIGRATIONS]
    assert "half_done" not in inspect(engine).get_table_names()
    with pytest.raises(ValueError):
        migrate(engine, (MIGRATIONS[0], MIGRATIONS[0]))


def test_a_write_that_raises_is_rolled_back(store: Store, made: Made):
    before = WorkshopService(store).version(made.id)
    with pytest.raises(RuntimeError), store.write() as tx:
        tx.bump_version(made.id)
        tx.audit(made.id, datetime.now(UTC), "system", "test", "never kept")
        raise RuntimeError
    with store.read() as tx:
        assert tx.version(made.id) == before
        assert all(e.action != "test" for e in tx.audit_entries(made.id))


def test_the_database_enforces_one_score_per_cell_and_real_references(
    store: Store, service: WorkshopService, made: Made
):
    p = service.join(made.workshop.code, None, "NHS")
    rid, pid, cid = made.scoring_round, made.workshop.priorities[0].id, made.workshop.criteria[0].id
    row = dict(
        round_id=rid, participant_id=p.id, priority_id=pid, criterion_id=cid, value=3.0, updated_at=datetime.now(UTC)
    )
    with store.write() as tx:
        tx.conn.execute(insert(schema.scores).values(**row))
    with pytest.raises(DatabaseFault), store.write() as tx:
        tx.conn.execute(insert(schema.scores).values(**row))
    with pytest.raises(DatabaseFault), store.write() as tx:
        tx.conn.execute(insert(schema.scores).values(**{**row, "round_id": 10**9}))
    with store.read() as tx:
        assert len(tx.conn.execute(select(schema.scores)).all()) == 1


def test_values_come_back_as_written(service: WorkshopService, made: Made):
    workshop = service.set_criteria(
        made.key,
        made.id,
        [CriterionSpec("Évidence — “quoted”", descriptors=("nul", "faible", "", "bonne", "très forte"))],
    )
    assert workshop.criteria[0].name == "Évidence — “quoted”"
    assert workshop.criteria[0].descriptors == ("nul", "faible", "", "bonne", "très forte")
    assert workshop.created_at == datetime(2011, 3, 1, 9, 0, 1, tzinfo=UTC)  # the test clock's first tick


def test_one_engine_per_url_and_url_normalisation(database_url: str):
    assert get_engine(database_url) is get_engine(database_url)
    assert normalize_url("postgres://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert normalize_url("postgresql://u@h:5432/db") == "postgresql+psycopg://u@h:5432/db"
    assert normalize_url("sqlite:///x.db") == "sqlite:///x.db"
    with pytest.raises(ValueError, match="mysql"):
        normalize_url("mysql://u@h/db")


def test_sqlite_runs_in_wal_with_foreign_keys_and_takes_the_write_lock_up_front(tmp_path):
    path = tmp_path / "locks.sqlite3"
    engine = get_engine(f"sqlite:///{path}")
    migrate(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        # No statement has run in the write transaction, but its lock is already taken.
        with transaction(engine, write=True), pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        with transaction(engine, write=False) as conn:
            conn.execute(select(schema.workshops.c.id)).all()
            other.execute("BEGIN IMMEDIATE")  # readers never block a writer in WAL mode
            other.execute("ROLLBACK")
    finally:
        other.close()
