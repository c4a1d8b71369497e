"""Archive format 5 keeps what issue 14's joining controls add to the record: the participant cap
and each removed participant (when, with their kept answers), and the archive without names
leaves no name in a removal's audit entry either."""

from __future__ import annotations

import json

import pytest

from tests.workshop.test_archive import rich_workshop
from workshop.archive import dumps, loads, without_names
from workshop.archive.model import FORMAT_VERSION, REMOVALS_SINCE, ArchiveError
from workshop.service import WorkshopService

NAME = "Quentin Removed-Later"


def test_the_cap_and_a_removal_survive_export_and_import(service: WorkshopService):
    workshop, key = rich_workshop(service)
    person = service.join(workshop.code, NAME, "NHS")
    service.save_ranking(person.token, workshop.rounds[2].id, [workshop.priorities[1].id])
    service.set_participant_cap(key, workshop.id, 40)
    removed = service.remove_participant(key, workshop.id, person.id, keep_answers=True)
    archive = service.export_archive(key, workshop.id)
    assert FORMAT_VERSION >= REMOVALS_SINCE and archive.participant_cap == 40
    (kept,) = [p for p in archive.participants if p.removed_at is not None]
    assert kept.display_name == NAME and kept.removed_at == removed.removed_at

    copy, new_key = service.import_archive(loads(dumps(archive).encode()))
    assert copy.participant_cap == 40
    again = service.export_archive(new_key, copy.id)
    assert [(p.number, p.removed_at) for p in again.participants] == [
        (p.number, p.removed_at) for p in archive.participants
    ]
    assert again.rounds[2].rankings == archive.rounds[2].rankings  # the removed person's kept ballot counts


def test_the_archive_without_names_rewrites_the_removal_entry(service: WorkshopService):
    workshop, key = rich_workshop(service)
    person = service.join(workshop.code, NAME, "NHS")
    service.remove_participant(key, workshop.id, person.id, keep_answers=False)
    named = service.export_archive(key, workshop.id)
    assert NAME in next(e.detail for e in named.audit_log if e.action == "participant removed")
    text = dumps(without_names(named))
    assert NAME not in text
    (entry,) = [e for e in json.loads(text)["audit_log"] if e["action"] == "participant removed"]
    n = person.number
    assert entry["detail"] == f"Anonymous {n} (participant {n}): answers dropped"
    service.import_archive(loads(text.encode()))  # and it still restores


def test_a_removal_before_joining_is_refused(service: WorkshopService):
    workshop, key = rich_workshop(service)
    person = service.join(workshop.code, NAME, "NHS")
    service.remove_participant(key, workshop.id, person.id, keep_answers=True)
    document = json.loads(dumps(service.export_archive(key, workshop.id)))
    (entry,) = [p for p in document["participants"] if p["removed_at"]]
    entry["removed_at"] = "2000-01-01T00:00:00Z"
    with pytest.raises(ArchiveError, match=r"was removed .* before they joined"):
        loads(json.dumps(document).encode())
