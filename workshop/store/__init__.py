"""The store: the one place SQL is written.

``Store`` owns the engine and hands out transactions; ``Transaction`` is
the narrow interface the service talks to.  It returns the frozen
dataclasses of ``workshop.models`` and never checks permissions: that is
the service's job.

Writes for one workshop are serialised: a write transaction calls
``bump_version`` before it reads anything it will act on.  On PostgreSQL
the UPDATE takes the workshop row's lock, so a score save that checks
"is the round open?" after the bump cannot interleave with the close; on
SQLite ``BEGIN IMMEDIATE`` already serialises every writer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import Engine

from workshop.db import get_engine, transaction
from workshop.migrations import migrate
from workshop.store.answers import AnswerRows
from workshop.store.ballots import BallotRows
from workshop.store.consultations import ConsultationRows
from workshop.store.decisions import DecisionRows
from workshop.store.participants import ParticipantRows
from workshop.store.plan import PlanRows
from workshop.store.reviews import ReviewRows
from workshop.store.rounds import RoundRows
from workshop.store.together import write_together
from workshop.store.workshops import WorkshopRows

__all__ = ["Store", "Transaction"]

T = TypeVar("T")


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Store:
    """Hands out transactions on ``engine``.  ``clock`` is the time each transaction reads rounds at:
    a consultation round whose closing time has come is read as closed (``Round.as_of``)."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime] = _utc_now) -> None:
        self.engine = engine
        self.clock = clock

    def with_clock(self, clock: Callable[[], datetime]) -> Store:
        """The same database read at the time ``clock`` tells (the service's clock, a fake in tests)."""
        return Store(self.engine, clock)

    @classmethod
    def open(cls, url: str) -> Store:
        """The store for ``url``, migrated to the latest schema."""
        store = cls(get_engine(url))
        store.migrate()
        return store

    def migrate(self) -> tuple[int, ...]:
        return migrate(self.engine)

    @contextmanager
    def read(self) -> Iterator[Transaction]:
        with transaction(self.engine, write=False) as conn:
            yield Transaction(conn, self.clock)

    def write_together(self, job: Callable[[Transaction], T]) -> T:
        """``job`` in a write transaction that it may share with other small writes of this process
        queued with it (a save, a heartbeat: ``workshop.store.together``), each in its own savepoint."""
        return write_together(self.engine, lambda conn: job(Transaction(conn, self.clock)))

    @contextmanager
    def write(self) -> Iterator[Transaction]:
        """A write transaction: committed when the block ends, rolled back if it raises."""
        with transaction(self.engine, write=True) as conn:
            yield Transaction(conn, self.clock)


class Transaction(
    WorkshopRows,
    RoundRows,
    ConsultationRows,
    ParticipantRows,
    AnswerRows,
    BallotRows,
    DecisionRows,
    PlanRows,
    ReviewRows,
):
    """The narrow interface the service talks to: every group of row access on one connection."""
