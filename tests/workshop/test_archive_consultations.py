"""The archive carries consultation rounds: closing times, audiences, shares and who was given what."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.workshop.conftest import small_setup
from tests.workshop.test_archive import FineClock, round_trip
from workshop.archive import ArchiveError, dumps, loads
from workshop.archive.model import CONSULTATIONS_SINCE
from workshop.models import RoundState, ScoreEntry, ShareMode
from workshop.service import WorkshopService
from workshop.store import Store


@pytest.fixture
def fine(store: Store) -> tuple[WorkshopService, FineClock]:
    clock = FineClock()
    return WorkshopService(store, clock), clock


def consulted(service: WorkshopService, clock: FineClock):  # type: ignore[no-untyped-def]
    """A closed balanced consultation for the council (its closing time closed it) and an open one by themes."""
    workshop, key = service.create_workshop(small_setup())
    first = workshop.rounds[0].id
    ids = tuple(p.id for p in workshop.priorities)
    second = service.add_round(key, workshop.id, "scoring", "Partners", ids).id
    service.set_consultation(key, first, audience=["Council"], share_mode="balanced", share_size=2, minimum=3, seed=5)
    service.set_consultation(key, second, audience=["NHS"], share_mode=ShareMode.THEMES)
    deadline = clock.now + timedelta(days=2)
    service.open_round(key, first, closes_at=deadline)
    service.open_round(key, second, closes_at=clock.now + timedelta(days=30))
    criteria = workshop.criteria
    for i in range(3):
        person = service.join(workshop.code, f"C{i}", "Council")
        mine = service.my_share(person.token, first)
        cells = [ScoreEntry(mine.priority_ids[0], c.id, c.scale_min) for c in criteria]
        service.save_scores(person.token, first, cells)
    nhs = service.join(workshop.code, "N", "NHS")
    service.choose_themes(nhs.token, second, ["Theme 0"])
    clock.now = deadline + timedelta(hours=1)
    return service.workshop_by_id(workshop.id, key), key


def test_consultation_rounds_round_trip(fine: tuple[WorkshopService, FineClock]):
    service, clock = fine
    workshop, key = consulted(service, clock)
    first, _ = round_trip(service, key, workshop.id)
    closed, running = first.rounds
    assert closed.state is RoundState.CLOSED and closed.closed_at == closed.closes_at
    assert closed.audience == ("Council",) and closed.share is not None and closed.share.size == 2
    assert len(closed.shares) == 6 and {who for who, _ in closed.shares} == {1, 2, 3}
    assert running.state is RoundState.OPEN and running.closes_at is not None
    assert running.share is not None and running.share.mode is ShareMode.THEMES
    assert {name for _, name in running.shares} == {"Priority A", "Priority C", "Priority E"}
    document = json.loads(dumps(first))
    assert document["format_version"] >= CONSULTATIONS_SINCE
    assert document["rounds"][0]["share"] == {"mode": "balanced", "size": 2, "seed": 5, "minimum": 3}


def test_an_archive_from_before_consultations_still_imports(fine: tuple[WorkshopService, FineClock]):
    service, _ = fine
    workshop, key = service.create_workshop(small_setup())
    document = json.loads(dumps(service.export_archive(key, workshop.id)))
    document["format_version"] = 5
    for rnd in document["rounds"]:
        for field in ("closes_at", "audience", "share", "shares"):
            del rnd[field]
    archive = loads(json.dumps(document))
    assert all(r.closes_at is None and r.share is None and not r.audience for r in archive.rounds)
    copy, _ = service.import_archive(archive)
    assert all(r.closes_at is None and r.share is None for r in copy.rounds)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r.update(audience=["Police"]), "Round 1: the stakeholder group 'Police'"),
        (lambda r: r.update(shares=[[9, "Priority A"]]), "Round 1, share 1: participant 9"),
        (lambda r: r["share"].update(size=40), "a balanced share of 40 priorities is not possible"),
        (lambda r: r.update(closes_at="2001-01-01T00:00:00+00:00"), "Round 1 closes (2001-01-01"),
    ],
)
def test_a_bad_consultation_is_refused_by_name(fine: tuple[WorkshopService, FineClock], change, message):  # type: ignore[no-untyped-def]
    service, clock = fine
    workshop, key = consulted(service, clock)
    document = json.loads(dumps(service.export_archive(key, workshop.id)))
    change(document["rounds"][0])
    with pytest.raises(ArchiveError, match=message.replace("(", r"\(")):
        loads(json.dumps(document))
