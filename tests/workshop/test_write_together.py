"""Small writes that queue in one process commit together (workshop.store.together): each write's
outcome is its own, a refusal or a fault rolls back that write alone, a failed commit fails every
write of its batch, and a save through the service behaves as before under many threads at once."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, event, text

from tests.workshop.conftest import Made
from workshop.db import dispose_engines, get_engine
from workshop.errors import DatabaseError, InvalidInput
from workshop.service import WorkshopService
from workshop.store.together import WriteBatcher


@pytest.fixture
def engine(tmp_path: Path):
    engine = get_engine(f"sqlite:///{tmp_path / 'together.sqlite3'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE parent (id INTEGER PRIMARY KEY)"))
        conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, parent_id INTEGER REFERENCES parent(id))"))
    yield engine
    dispose_engines()


def _rows(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(conn.scalars(text("SELECT v FROM t")))


def _insert(value: str) -> Callable[[Connection], str]:
    def job(conn: Connection) -> str:
        conn.execute(text("INSERT INTO t (v) VALUES (:v)"), {"v": value})
        return value

    return job


def _queued_behind_a_leader(
    engine: Engine, jobs: list[Callable[[Connection], object]]
) -> tuple[list[object], list[object]]:
    """Run ``jobs`` while a first write holds the lead, so that they queue and form the next batch;
    returns each job's outcome (its value or the exception its caller got) and the commits seen."""
    batcher = WriteBatcher()
    started, gate = threading.Event(), threading.Event()
    commits: list[object] = []

    def committed(conn: Connection) -> None:
        commits.append(conn)

    event.listen(engine, "commit", committed)

    def first(conn: Connection) -> str:
        started.set()
        assert gate.wait(10)
        return _insert("first")(conn)

    outcomes: list[object] = [None] * len(jobs)

    def call(index: int, job: Callable[[Connection], object]) -> None:
        try:
            outcomes[index] = batcher.run(engine, job)
        except Exception as error:  # the caller's own outcome
            outcomes[index] = error

    leader = threading.Thread(target=batcher.run, args=(engine, first))
    leader.start()
    assert started.wait(10)
    callers = [threading.Thread(target=call, args=(i, job)) for i, job in enumerate(jobs)]
    for caller in callers:
        caller.start()
    deadline = time.monotonic() + 10
    while len(batcher._queued) < len(jobs):  # every one of them waits behind the leader
        assert time.monotonic() < deadline
        time.sleep(0.01)
    gate.set()
    for thread in (leader, *callers):
        thread.join(10)
    event.remove(engine, "commit", committed)
    return outcomes, commits


def test_writes_queued_behind_a_leader_commit_together_each_with_its_own_outcome(engine: Engine):
    def refused(conn: Connection) -> None:
        _insert("refused")(conn)
        raise InvalidInput("That priority is not part of Round 1.")

    def faulty(conn: Connection) -> None:
        _insert("faulty")(conn)
        raise RuntimeError("a fault in this write alone")

    outcomes, commits = _queued_behind_a_leader(engine, [_insert("a"), refused, _insert("b"), faulty, _insert("c")])

    assert outcomes[0] == "a" and outcomes[2] == "b" and outcomes[4] == "c"
    assert isinstance(outcomes[1], InvalidInput) and outcomes[1].message == "That priority is not part of Round 1."
    assert isinstance(outcomes[3], RuntimeError)
    assert _rows(engine) == ["a", "b", "c", "first"]  # the refused and the faulty writes were rolled back alone
    assert len(commits) == 2  # the leader's batch, then the five queued behind it in one transaction


def test_a_failed_commit_fails_every_write_of_its_batch_and_keeps_none(engine: Engine):
    def dangling(conn: Connection) -> None:  # checked only when the batch commits
        conn.execute(text("PRAGMA defer_foreign_keys = ON"))
        conn.execute(text("INSERT INTO t (v, parent_id) VALUES ('dangling', 999)"))

    outcomes, _ = _queued_behind_a_leader(engine, [_insert("a"), dangling, _insert("b")])

    assert all(isinstance(outcome, DatabaseError) for outcome in outcomes)
    assert "FOREIGN KEY" in str(outcomes[0])
    assert _rows(engine) == ["first"]


def test_a_room_saving_at_once_from_many_threads_keeps_every_save(service: WorkshopService, made: Made):
    """Batched on SQLite, a transaction each on PostgreSQL: every save lands either way."""
    people = [service.join(made.workshop.code, f"P{n}", "NHS") for n in range(24)]
    service.open_round(made.key, made.scoring_round)
    criteria, priorities = made.workshop.criteria, made.workshop.priorities
    barrier = threading.Barrier(len(people))
    failures: list[BaseException] = []

    def save_all(person) -> None:
        barrier.wait()
        try:
            for priority in priorities:
                service.save_score(person.token, made.scoring_round, priority.id, criteria[0].id, 3)
        except BaseException as error:  # reported below
            failures.append(error)

    threads = [threading.Thread(target=save_all, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == []
    for person in people:
        mine = service.my_scores(person.token, made.scoring_round)
        assert [mine.entry(p.id, criteria[0].id).value for p in priorities] == [3] * len(priorities)
