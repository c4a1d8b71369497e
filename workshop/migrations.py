"""Recorded, ordered schema migrations, applied at start-up.

``migrate`` runs every migration not yet recorded in ``schema_migrations``,
in version order, inside one transaction, and records each.  Running it
again is a no-op.  Two processes starting at once are serialised: on
PostgreSQL by a transaction-scoped advisory lock taken before anything
else, on SQLite by ``BEGIN IMMEDIATE``; the second process then finds the
versions recorded and does nothing.

Migration 1 creates the tables of ``schema.py``.  When the schema changes,
add migration 2 as explicit DDL and change ``schema.py`` to match; the
tests compare a migrated database with ``schema.metadata``.  (Migration 1
must then stop reading the live metadata for tables migration 2 alters.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, func, insert, select

from workshop import schema
from workshop.db import is_sqlite, transaction

#: Any fixed 64-bit number; only this application takes it.
ADVISORY_LOCK_KEY = 0x5052494F52495445  # "PRIORITE"


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[Connection], None]


@dataclass(frozen=True)
class AppliedMigration:
    version: int
    description: str
    applied_at: datetime


def _create_tables(conn: Connection) -> None:
    tables = [t for t in schema.metadata.sorted_tables if t is not schema.schema_migrations]
    schema.metadata.create_all(conn, tables=tables, checkfirst=False)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "workshops, setup, rounds, participants, answers, decisions and audit log", _create_tables),
)


def migrate(engine: Engine, migrations: Sequence[Migration] = MIGRATIONS) -> tuple[int, ...]:
    """Apply the migrations not yet recorded; return the versions applied now."""
    versions = [m.version for m in migrations]
    if versions != sorted(set(versions)):
        raise ValueError(f"migration versions must be unique and ascending, not {versions}")
    with transaction(engine, write=True) as conn:
        if not is_sqlite(engine):
            conn.execute(select(func.pg_advisory_xact_lock(ADVISORY_LOCK_KEY)))
        schema.schema_migrations.create(conn, checkfirst=True)
        done = set(conn.scalars(select(schema.schema_migrations.c.version)))
        applied = []
        for migration in migrations:
            if migration.version in done:
                continue
            migration.apply(conn)
            conn.execute(
                insert(schema.schema_migrations).values(
                    version=migration.version, description=migration.description, applied_at=datetime.now(UTC)
                )
            )
            applied.append(migration.version)
    return tuple(applied)


def applied_migrations(engine: Engine) -> tuple[AppliedMigration, ...]:
    with transaction(engine, write=False) as conn:
        rows = conn.execute(select(schema.schema_migrations).order_by(schema.schema_migrations.c.version))
        return tuple(AppliedMigration(r.version, r.description, r.applied_at) for r in rows)
