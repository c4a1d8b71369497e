"""Many writers at once, on SQLite and PostgreSQL: threads in one process and
separate processes on one database.  Whatever the interleaving, every
acknowledged write is stored exactly once, and each cell holds the value of
its last acknowledged write (the one with the highest change-counter
version: the counter orders all writes to a workshop)."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
from pathlib import Path

from tests.workshop.conftest import Made
from workshop.db import get_engine
from workshop.errors import RoundNotOpen
from workshop.migrations import MIGRATIONS, applied_migrations
from workshop.service import WorkshopService
from workshop.store import Store

ROOT = Path(__file__).resolve().parents[2]
THREADS = 60
WRITES_PER_THREAD = 8

Ack = tuple[int, int, int, float | None, int]  # participant, priority, criterion, value, version


def stored_scores(store: Store, round_id: int) -> dict[tuple[int, int, int], float | None]:
    with store.read() as tx:
        rows = tx.scores(round_id)
    cells = {(r.participant_id, r.priority_id, r.criterion_id): r.value for r in rows}
    assert len(cells) == len(rows)  # exactly once
    return cells


def last_acknowledged(acks: list[Ack]) -> dict[tuple[int, int, int], float | None]:
    versions = [a[4] for a in acks]
    assert len(set(versions)) == len(versions)  # every write had a version of its own
    return {(p, i, c): value for p, i, c, value, _ in sorted(acks, key=lambda a: a[4])}


def test_threads_saving_and_overwriting_scores(service: WorkshopService, store: Store, made: Made):
    rid = made.scoring_round
    people = [service.join(made.workshop.code, f"P{n}", "NHS") for n in range(12)]
    service.open_round(made.key, rid)
    cells = [(p.id, c.id) for p in made.workshop.priorities[:3] for c in made.workshop.criteria]
    acks: list[Ack] = []
    failures: list[BaseException] = []
    start = threading.Barrier(THREADS)
    lock = threading.Lock()

    def work(n: int) -> None:
        rng = random.Random(n)
        who = people[n % len(people)]  # five threads share each participant: their writes overlap
        start.wait()
        for _ in range(WRITES_PER_THREAD):
            priority, criterion = rng.choice(cells)
            value = rng.choice([None, 1, 2, 3, 4, 5, 2.5])
            try:
                receipt = service.save_score(who.token, rid, priority, criterion, value)
            except BaseException as exc:  # any failure fails the test below
                failures.append(exc)
                continue
            with lock:
                acks.append((who.id, priority, criterion, value, receipt.version))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert len(acks) == THREADS * WRITES_PER_THREAD
    assert stored_scores(store, rid) == last_acknowledged(acks)


def test_closing_a_round_mid_burst_keeps_exactly_the_writes_acknowledged_before(
    service: WorkshopService, store: Store, made: Made
):
    rid = made.scoring_round
    people = [service.join(made.workshop.code, None, "Council") for _ in range(6)]
    service.open_round(made.key, rid)
    cells = [(p.id, c.id) for p in made.workshop.priorities for c in made.workshop.criteria]
    acks: list[Ack] = []
    failures: list[BaseException] = []
    lock = threading.Lock()
    enough = threading.Event()

    def work(n: int) -> None:
        rng = random.Random(n)
        who = people[n % len(people)]
        while True:
            priority, criterion = rng.choice(cells)
            try:
                receipt = service.save_score(who.token, rid, priority, criterion, rng.randint(1, 5))
            except RoundNotOpen:
                return
            except BaseException as exc:
                failures.append(exc)
                return
            with lock:
                acks.append((who.id, priority, criterion, None, receipt.version))
                if len(acks) >= 40:
                    enough.set()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    enough.wait()
    service.close_round(made.key, rid)
    for t in threads:
        t.join()
    assert failures == []
    closed_at_version = service.version(made.id)  # nothing can write after the close
    assert all(version < closed_at_version for *_, version in acks)
    assert set(stored_scores(store, rid)) == set(last_acknowledged(acks))


WORKER = """
import json, sys
from workshop.service import WorkshopService
from workshop.store import Store

url, token, round_id, salt = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
service = WorkshopService(Store.open(url))
participant = service.resume(token)
workshop = service.workshop_by_id(participant.workshop_id)
rnd = next(r for r in workshop.rounds if r.id == round_id)
print("ready", flush=True)
sys.stdin.readline()
acks = []
for n in range(3):
    for priority in rnd.priority_ids:
        for c in workshop.criteria:
            value = c.scale_min + (n + priority + c.id + salt) % (c.scale_max - c.scale_min + 1)
            receipt = service.save_score(token, round_id, priority, c.id, value)
            acks.append([participant.id, priority, c.id, value, receipt.version])
print(json.dumps(acks))
"""

MIGRATE = """
import json, sys
from workshop.db import get_engine
from workshop.migrations import migrate

engine = get_engine(sys.argv[1])
print("ready", flush=True)
sys.stdin.readline()
print(json.dumps(migrate(engine)))
"""


def run_together(script: str, argument_lists: list[list[str]]) -> list[str]:
    """Run one Python process per argument list.  Each prints "ready" once it
    has imported and connected, then waits; all are released together, so
    their writes overlap.  Returns what each printed after "ready"."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, *args],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for args in argument_lists
    ]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready", proc.communicate()[1]
    outputs = []
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        outputs.append(out)
    return outputs


def test_two_processes_writing_the_same_cells(service: WorkshopService, store: Store, made: Made, database_url: str):
    rid = made.scoring_round
    shared = service.join(made.workshop.code, "Two laptops", "NHS")  # the same person in two browsers
    service.open_round(made.key, rid)
    outputs = run_together(WORKER, [[database_url, shared.token, str(rid), str(salt)] for salt in (0, 1)])
    acks: list[Ack] = [tuple(a) for out in outputs for a in json.loads(out)]  # type: ignore[misc]
    assert len(acks) == 2 * 3 * 6 * 3
    assert stored_scores(store, rid) == last_acknowledged(acks)


def test_processes_starting_at_once_migrate_once(database_url: str):
    outputs = run_together(MIGRATE, [[database_url]] * 3)
    assert sorted(json.loads(out) for out in outputs) == [[], [], [m.version for m in MIGRATIONS]]
    assert [m.version for m in applied_migrations(get_engine(database_url))] == [m.version for m in MIGRATIONS]
