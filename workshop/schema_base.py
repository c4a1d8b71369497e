"""The schema's building blocks: the metadata of every table, the UTC time type and the column and table factories."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.schema import SchemaItem


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; stored as naive UTC."""

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def fk(target: str, ondelete: str = "CASCADE") -> ForeignKey:
    return ForeignKey(target, ondelete=ondelete)


# Column and table factories for what the tables share (each call makes new objects: a Column belongs to
# one table).  The DDL they make is the same as when each table spelt its columns out.


def id_column() -> Column[int]:
    return Column("id", Integer, primary_key=True)


def ref(name: str, table: str, ondelete: str = "CASCADE", nullable: bool = False) -> Column[int]:
    """The column ``name`` referring to ``table``'s id."""
    return Column(name, Integer, fk(f"{table}.id", ondelete), nullable=nullable)


def text(name: str, **options: object) -> Column[str]:
    return Column(name, Text, nullable=False, **options)


def whole(name: str) -> Column[int]:
    return Column(name, Integer, nullable=False)


def listed() -> tuple[Column[int], Column[str]]:
    """A setup list's place and name (priorities, criteria, groups)."""
    return whole("position"), Column("name", String(200), nullable=False)


def when(name: str, nullable: bool = True) -> Column[datetime]:
    return Column(name, UTCDateTime, nullable=nullable)


def named_checks(checks: Mapping[str, str]) -> tuple[CheckConstraint, ...]:
    """Check constraints by name (made here, after the table's unique constraints, so that the DDL
    lists them in that order)."""
    return tuple(CheckConstraint(condition, name=name) for name, condition in checks.items())


def of_workshop(name: str, *columns: SchemaItem, unique: str, checks: Mapping[str, str] | None = None) -> Table:
    """A table of a workshop's things: an id, the workshop, ``columns``, ``unique`` unique within the
    workshop, and ``checks`` (name: condition)."""
    return Table(
        name,
        metadata,
        id_column(),
        ref("workshop_id", "workshops"),
        *columns,
        UniqueConstraint("workshop_id", unique),
        *named_checks(checks or {}),
    )


def answers(
    name: str,
    *columns: SchemaItem,
    unique: tuple[tuple[str, ...], ...],
    indexes: tuple[str, ...],
    checks: Mapping[str, str] | None = None,
    added: tuple[SchemaItem, ...] = (),
) -> Table:
    """A round's answers of one kind: an id, the round and the participant, the answer's ``columns``,
    when it was last changed, then the columns later migrations ``added``; each ``unique`` key (after
    round and participant) is unique; the participant and ``indexes`` indexed."""
    return Table(
        name,
        metadata,
        id_column(),
        ref("round_id", "rounds"),
        ref("participant_id", "participants"),
        *columns,
        when("updated_at", nullable=False),
        *added,
        *(UniqueConstraint("round_id", "participant_id", *key) for key in unique),
        *(Index(None, column) for column in ("participant_id", *indexes)),
        *named_checks(checks or {}),
    )


def round_pairs(name: str, column: str, target: str) -> Table:
    """A table of (round, other row) pairs: both columns the key, the other one indexed too."""
    return Table(
        name,
        metadata,
        Column("round_id", Integer, fk("rounds.id"), primary_key=True),
        Column(column, Integer, fk(target), primary_key=True),
        Index(None, column),
    )
