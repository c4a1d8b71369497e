"""Small writes that queue in one process commit together: one SQLite transaction for a batch of them.

Under a room of hundreds, the write lock, not the work under it, was what a save waited for. Each save
took the process's writer queue in turn, and each hand-over woke the next writer, which then had to win
the GIL back from hundreds of script threads before it could run its first statement, while the lock sat
idle (measured on two servers of 300: the lock was held for at most two thirds of the run, yet a save
queued for more than a second at the median; bench/RESULTS.md, "Live app load").

Here the first writer to arrive while nobody is writing leads: it takes every write queued so far, its own
among them, and runs them one after another in one transaction, each in a savepoint of its own. A refused
write (a ``WorkshopError``) or a failing one is rolled back alone and its error goes to its own caller;
the rest commit together, and if the commit fails, each of them gets that error. The leader then hands
the lead to the first write that queued meanwhile, so nobody leads more than one batch and a write waits
for at most the batch before its own.

PostgreSQL writes in parallel (a row lock per workshop), so there each write has a transaction of its own.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar, cast

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from workshop.db import database_error, is_sqlite, transaction
from workshop.errors import WorkshopError

T = TypeVar("T")

_batchers: weakref.WeakKeyDictionary[Engine, WriteBatcher] = weakref.WeakKeyDictionary()
_made = threading.Lock()


def write_together(engine: Engine, job: Callable[[Connection], T]) -> T:
    """``job`` run in a write transaction, committed before this returns: on SQLite together with the
    writes of this process that queued with it (see the module's docstring), else on its own."""
    if not is_sqlite(engine):
        with transaction(engine, write=True) as conn:
            return job(conn)
    with _made:
        batcher = _batchers.get(engine)
        if batcher is None:
            batcher = _batchers[engine] = WriteBatcher()
    return batcher.run(engine, job)


@dataclass(eq=False)
class _Write:
    job: Callable[[Connection], object]
    wake: threading.Event = field(default_factory=threading.Event)
    finished: bool = False
    value: object = None
    error: BaseException | None = None


class WriteBatcher:
    """One process's queue of small writes on one SQLite engine (see the module's docstring).  It holds
    no reference to the engine, so that the engine (the key of ``_batchers``) can be disposed of."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._queued: list[_Write] = []
        self._leading = False

    def run(self, engine: Engine, job: Callable[[Connection], T]) -> T:
        write = _Write(job)
        with self._mutex:
            self._queued.append(write)
            leads = not self._leading
            self._leading = True
        if not leads:
            write.wake.wait()  # set when a leader has run this write, or when this write is to lead
        if not write.finished:
            self._lead(engine)
        if write.error is not None:
            raise write.error
        return cast(T, write.value)

    def _lead(self, engine: Engine) -> None:
        with self._mutex:
            batch, self._queued = self._queued, []
        try:
            self._commit(engine, batch)
        except BaseException as failed:  # the transaction as a whole (its commit): nothing of it was kept
            for write in batch:
                if not isinstance(write.error, WorkshopError):
                    write.value, write.error = None, failed
            if not isinstance(failed, Exception):
                raise
        finally:
            for write in batch:
                write.finished = True
                write.wake.set()
            with self._mutex:
                if self._queued:
                    self._queued[0].wake.set()  # not finished: it leads the next batch
                else:
                    self._leading = False

    @staticmethod
    def _commit(engine: Engine, batch: list[_Write]) -> None:
        with transaction(engine, write=True) as conn:
            for write in batch:
                try:
                    with conn.begin_nested():
                        write.value = write.job(conn)
                except WorkshopError as refused:
                    write.error = refused
                except SQLAlchemyError as failed:
                    write.error = database_error(failed)
                except Exception as failed:  # a fault in one write is its caller's alone
                    write.error = failed
