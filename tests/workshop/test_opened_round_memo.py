"""A participant's saves read a round that has opened from the service's memory (``ServiceBase._opened_round``):
one statement for its state, closing and opening times instead of five, and never a stale state."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event

from tests.workshop.conftest import Made, StepClock, small_setup
from workshop.errors import PermissionDenied, RoundNotOpen
from workshop.models import FeedbackSettings
from workshop.service import WorkshopService
from workshop.store import Store


@contextmanager
def statements(store: Store) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(store.engine, "before_cursor_execute", record)


def _cell(made: Made, n: int = 0) -> tuple[int, int]:
    return made.workshop.priorities[n].id, made.workshop.criteria[0].id


def test_a_warm_save_reads_the_round_in_one_statement(service: WorkshopService, store: Store, made: Made):
    rid = made.scoring_round
    service.open_round(made.key, rid)
    person = service.join(made.workshop.code, "Ann", "Council")
    service.save_score(person.token, rid, *_cell(made), 3)
    with statements(store) as seen:
        service.save_score(person.token, rid, *_cell(made, 1), 4)
        service.my_scores(person.token, rid)
    assert not [s for s in seen if "round_priorities" in s or "FROM criteria" in s], seen
    assert {(e.priority_id, e.value) for e in service.my_scores(person.token, rid).entries} == {
        (_cell(made)[0], 3), (_cell(made, 1)[0], 4)
    }  # fmt: skip


def test_what_changes_of_an_opened_round_is_read_as_it_stands(
    service: WorkshopService, made: Made, clock: StepClock
):
    rid = made.scoring_round
    deadline = clock.now + timedelta(days=1)
    service.open_round(made.key, rid, closes_at=deadline)
    person = service.join(made.workshop.code, "Ann", "Council")
    service.save_score(person.token, rid, *_cell(made), 3)  # remembered open
    service.set_round_feedback(made.key, rid, FeedbackSettings(ask_why=True))  # may change while open
    service.save_score(person.token, rid, *_cell(made), 4)
    service.close_round(made.key, rid)
    with pytest.raises(RoundNotOpen, match="This round is closed"):
        service.save_score(person.token, rid, *_cell(made), 5)
    service.reopen_round(made.key, rid, closes_at=clock.now + timedelta(hours=1))
    service.save_score(person.token, rid, *_cell(made), 5)
    clock.now += timedelta(hours=2)  # the clock alone closes it: the memory holds no state of its own
    with pytest.raises(RoundNotOpen, match="This consultation closed at"):
        service.save_score(person.token, rid, *_cell(made), 1)
    assert service.my_scores(person.token, rid).entry(*_cell(made)).value == 5


def test_a_remembered_round_is_still_refused_to_another_workshop(service: WorkshopService, made: Made):
    rid = made.scoring_round
    service.open_round(made.key, rid)
    service.save_score(service.join(made.workshop.code, "Ann", "Council").token, rid, *_cell(made), 3)
    other, _ = service.create_workshop(small_setup("Another workshop"))
    stranger = service.join(other.code, "Bob", "Council")
    with pytest.raises(PermissionDenied, match="That round belongs to another workshop"):
        service.save_score(stranger.token, rid, *_cell(made), 3)
    with pytest.raises(PermissionDenied, match="That round belongs to another workshop"):
        service.my_scores(stranger.token, rid)
