"""The archive carries the young people's ballot (format BALLOT_SINCE): plain-language words, the
ballot flag and its answers round-trip; older archives still import; a named ballot answer is refused."""

from __future__ import annotations

import json
import re

import pytest

from workshop.archive import ArchiveError, dumps, loads
from workshop.archive.model import BALLOT_SINCE, FORMAT_VERSION
from workshop.models import PrioritySpec, RoundKind, WorkshopSetup
from workshop.service import WorkshopService

from .conftest import small_setup


def plain_setup() -> WorkshopSetup:
    setup = small_setup()
    priorities = tuple(
        PrioritySpec(p.name, p.theme, plain_title=f"Easy {n}", plain_sentence=f"This is easy {n}.")
        for n, p in enumerate(setup.priorities)
    )
    return WorkshopSetup(setup.details, priorities, setup.criteria, setup.groups, setup.shortlist_size)


def answered_ballot(service: WorkshopService):  # type: ignore[no-untyped-def]
    workshop, key = service.create_workshop(plain_setup())
    ids = [p.id for p in workshop.priorities]
    rnd = service.add_round(key, workshop.id, RoundKind.SCORING, "Your say", ids, young_ballot=True)
    service.open_round(key, rnd.id)
    for group, values, age in (("Council", (3, 2, None), "14 to 15"), ("NHS", (1, 3, 3), None)):
        person = service.join(workshop.code, None, group, age)
        for pid, value in zip(ids, values, strict=False):
            service.save_ballot_answer(person.token, rnd.id, pid, value)
    service.close_round(key, rnd.id)
    return workshop, key, rnd.id


def test_the_ballot_round_trips_through_the_archive(service: WorkshopService):
    workshop, key, round_id = answered_ballot(service)
    archive = service.export_archive(key, workshop.id)
    assert FORMAT_VERSION >= BALLOT_SINCE
    rnd = archive.rounds[-1]
    assert rnd.young_ballot and len(rnd.ballot) == 6 and rnd.scores == ()
    assert [p.plain_title for p in archive.setup.priorities] == [f"Easy {n}" for n in range(6)]
    copy, new_key = service.import_archive(loads(dumps(archive).encode()))
    assert [(p.plain_title, p.plain_sentence) for p in copy.priorities] == [
        (p.plain_title, p.plain_sentence) for p in workshop.priorities
    ]
    assert copy.rounds[-1].young_ballot and not copy.rounds[0].young_ballot
    again = service.export_archive(new_key, copy.id)
    assert again.rounds[-1].ballot == rnd.ballot
    before = service.results(key, round_id)
    after = service.results(new_key, copy.rounds[-1].id)
    assert list(after.ranking.ranks) == list(before.ranking.ranks)  # type: ignore[union-attr]
    assert all(p.display_name is None for p in again.participants)
    assert [p.age_band for p in again.participants] == ["14 to 15", None]


def test_an_archive_from_before_the_ballot_still_imports(service: WorkshopService):
    workshop, key = service.create_workshop(small_setup())
    document = json.loads(dumps(service.export_archive(key, workshop.id)))
    document["format_version"] = BALLOT_SINCE - 1
    for p in document["setup"]["priorities"]:
        del p["plain_title"], p["plain_sentence"]
    for r in document["rounds"]:
        del r["young_ballot"], r["ballot"]
    copy, _ = service.import_archive(loads(json.dumps(document)))
    assert all(p.plain_title == "" and p.plain_sentence == "" for p in copy.priorities)
    assert not any(r.young_ballot for r in copy.rounds)


def _name_a_child(document: dict) -> None:  # type: ignore[type-arg]
    document["participants"][0]["display_name"] = "A Child"


def _odd_age(document: dict) -> None:  # type: ignore[type-arg]
    document["participants"][0]["age_band"] = "12 and a half"


def _not_a_ballot(document: dict) -> None:  # type: ignore[type-arg]
    document["rounds"][-1]["young_ballot"] = False


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_name_a_child, "Round 2, ballot answer 1 (participant 1): a young people's ballot takes no names"),
        (_odd_age, "Participant 1: an age group is one of Under 11, 11 to 13"),
        (_not_a_ballot, "Round 2 is not a young people's ballot that has run, but has ballot answers"),
    ],
)
def test_an_archive_the_ballot_could_not_have_written_is_refused(service: WorkshopService, change, message):
    workshop, key, _ = answered_ballot(service)
    document = json.loads(dumps(service.export_archive(key, workshop.id)))
    change(document)
    with pytest.raises(ArchiveError, match=re.escape(message)):
        loads(json.dumps(document))
