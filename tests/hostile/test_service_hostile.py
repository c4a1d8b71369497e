"""Hostile callers at the service layer (SQLite, and PostgreSQL when TEST_DATABASE_URL is set): near-miss
tokens and keys, answers outside an open round, results before the reveal, other people's answers, and
hostile text in every text field.  Every refusal is a WorkshopError with a message and changes nothing.

(tests/workshop/test_permissions.py checks each facilitator action against wrong keys and the basic
participant rules; these add the near misses, the leaks and the text.)"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pytest
from sqlalchemy import select

from tests.workshop.conftest import Made, small_setup, snapshot
from workshop import schema
from workshop.errors import InvalidInput, NotFound, PermissionDenied, RoundNotOpen, WorkshopError
from workshop.models import (
    CriterionPoints,
    CriterionSpec,
    DecisionDraft,
    DepartureReason,
    GroupSpec,
    Participant,
    PrioritySpec,
    RoundKind,
    ScoreEntry,
    ShortlistEntry,
    WorkshopDetails,
)
from workshop.service import STALE_TOKEN, WRONG_KEY, WorkshopService
from workshop.store import Store
from workshop.throttle import FREE_FAILURES, KeyThrottle

#: Text a hostile participant or a careless spreadsheet might put in any field.
PAYLOADS = {
    "script": "<script>alert('x')</script>",
    "img onerror": '<img src=x onerror="alert(1)">',
    "dde formula": "=cmd|' /C calc'!A0",
    "plus": "+1+1",
    "minus": "-1",
    "at sum": "@SUM(A1:A9)",
    "markdown js link": "[click me](javascript:alert(1)) **bold** :red[red]",
    "sql": "'; DROP TABLE scores; --",
    "rtl override and emoji": "\u202eevil\u202c 🧒🏽 naïve",
    "nul byte": "before\x00after",
}


@dataclass(frozen=True)
class Room:
    made: Made
    ann: Participant
    bob: Participant
    other: Made  # a second workshop
    zoe: Participant  # in the second workshop

    @property
    def weighting(self) -> int:
        return self.made.workshop.rounds[0].id

    @property
    def scoring(self) -> int:
        return self.made.scoring_round


@pytest.fixture
def room(service: WorkshopService, made: Made) -> Room:
    """Ann and Bob have scored the first priority of the open scoring round (differently)."""
    workshop, key = service.create_workshop(small_setup("Another workshop"))
    ann = service.join(made.workshop.code, "Ann", "Council")
    bob = service.join(made.workshop.code, "Bob", "NHS")
    zoe = service.join(workshop.code, "Zoe", "NHS")
    service.open_round(made.key, made.scoring_round)
    first, need = made.workshop.priorities[0].id, made.workshop.criteria[0].id
    service.save_score(ann.token, made.scoring_round, first, need, 1)
    service.save_score(bob.token, made.scoring_round, first, need, 5)
    return Room(made, ann, bob, Made(workshop, key), zoe)


def refused(store: Store, call: Callable[[], object], error: type[WorkshopError] = WorkshopError) -> WorkshopError:
    before = snapshot(store.engine)
    with pytest.raises(error) as info:
        call()
    assert info.value.message
    assert snapshot(store.engine) == before
    return info.value


# --------------------------------------------------------------------------- tokens


def near_miss_tokens(room: Room, store: Store) -> Iterator[str]:
    token = room.ann.token
    yield token.swapcase()
    yield token[:-1] + ("A" if token[-1] != "A" else "B")
    yield token[:-1]
    yield token + "x"
    yield f" {token} "
    yield room.made.key
    yield room.made.workshop.code
    with store.engine.connect() as conn:  # a copy of the database does not give anyone's token away
        yield from conn.scalars(select(schema.participants.c.token_hash))
    yield "x" * 100_000
    yield ""


def test_near_miss_tokens_are_refused_and_change_nothing(service: WorkshopService, store: Store, room: Room):
    first, need = room.made.workshop.priorities[0].id, room.made.workshop.criteria[0].id
    for token in list(near_miss_tokens(room, store)):
        for call in (
            lambda t=token: service.resume(t),
            lambda t=token: service.save_score(t, room.scoring, first, need, 3),
            lambda t=token: service.my_scores(t, room.scoring),
            lambda t=token: service.heartbeat(t),
        ):
            assert refused(store, call, NotFound).message == STALE_TOKEN


def test_a_token_reads_and_writes_only_its_own_answers(service: WorkshopService, store: Store, room: Room):
    first, need = room.made.workshop.priorities[0].id, room.made.workshop.criteria[0].id
    assert [e.value for e in service.my_scores(room.ann.token, room.scoring).entries] == [1]
    assert [e.value for e in service.my_scores(room.bob.token, room.scoring).entries] == [5]

    service.save_score(room.ann.token, room.scoring, first, need, 2)

    assert [e.value for e in service.my_scores(room.bob.token, room.scoring).entries] == [5]
    # Zoe's token names her workshop only: Ann's round is out of reach.
    refused(store, lambda: service.my_scores(room.zoe.token, room.scoring), PermissionDenied)
    refused(store, lambda: service.save_score(room.zoe.token, room.scoring, first, need, 1), PermissionDenied)


def walk(value: object, seen: set[int] | None = None) -> Iterator[object]:
    """Every object reachable through dataclass fields, tuples, lists and dicts."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return
    seen.add(id(value))
    yield value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from walk(getattr(value, f.name), seen)
    elif isinstance(value, tuple | list):
        for item in value:
            yield from walk(item, seen)
    elif isinstance(value, dict):
        for item in value.values():
            yield from walk(item, seen)


def test_a_participants_view_of_the_results_holds_nobody_elses_answers(
    service: WorkshopService, store: Store, room: Room
):
    carl = service.join(room.made.workshop.code, "Carl", "Council")
    dee = service.join(room.made.workshop.code, "Dee", "NHS")  # four answering: no axis of 4 in the setup
    first, need = room.made.workshop.priorities[0].id, room.made.workshop.criteria[0].id
    for person, value in ((carl, 2), (dee, 4)):
        service.save_score(person.token, room.scoring, first, need, value)
    service.close_round(room.made.key, room.scoring)
    refused(store, lambda: service.participant_results(room.ann.token, room.scoring), PermissionDenied)
    service.reveal_round(room.made.key, room.scoring)

    view = service.participant_results(room.ann.token, room.scoring)

    reachable = list(walk(view))
    assert not [o for o in reachable if isinstance(o, Participant)]
    arrays = [o for o in reachable if isinstance(o, np.ndarray)]
    assert arrays and all(4 not in a.shape for a in arrays)  # nothing per participant
    assert [e.value for e in view.mine.entries] == [1]


@pytest.mark.parametrize("state", ["draft", "closed", "revealed"])
def test_no_answer_lands_outside_an_open_round(service: WorkshopService, store: Store, room: Room, state: str):
    key = room.made.key
    ranking = service.add_round(
        key, room.made.id, RoundKind.RANKING, "Rank", [p.id for p in room.made.workshop.priorities[:3]]
    )
    service.close_round(key, room.scoring)
    if state != "draft":
        for rnd in (room.weighting, ranking.id):
            service.open_round(key, rnd)
            service.close_round(key, rnd)
    if state == "revealed":
        for rnd in (room.weighting, ranking.id, room.scoring):
            service.reveal_round(key, rnd)
    else:
        service.reopen_round(key, room.scoring)
        service.close_round(key, room.scoring)
    first, need = room.made.workshop.priorities[0].id, room.made.workshop.criteria[0].id
    points = [CriterionPoints(need, 100)]
    calls = [
        lambda: service.save_score(room.ann.token, room.scoring, first, need, 4),
        lambda: service.save_scores(room.ann.token, room.scoring, [ScoreEntry(first, need, 4)]),
        lambda: service.save_allocation(room.ann.token, room.weighting, points),
        lambda: service.save_ranking(room.ann.token, ranking.id, list(ranking.priority_ids)),
    ]
    if state == "draft":
        calls = calls[2:]  # the scoring round has run; the others have not
    for call in calls:
        refused(store, call, RoundNotOpen)
    if state != "revealed":
        refused(store, lambda: service.participant_results(room.ann.token, room.scoring), PermissionDenied)


# --------------------------------------------------------------------------- keys and codes


def test_near_miss_keys_are_refused_and_change_nothing(service: WorkshopService, store: Store, room: Room):
    waits: list[float] = []
    service = WorkshopService(store, throttle=KeyThrottle(sleep=waits.append))  # the same database, no real waits
    key = room.made.key
    with store.engine.connect() as conn:  # closed at once: an open one would hold the schema's locks
        stored_hash = conn.scalars(select(schema.workshops.c.key_hash)).first()
    near_misses: list[object] = [
        key[:-1] + ("2" if key[-1] != "2" else "3"),
        key + "2",
        key[:-1],
        chr(ord(key[0]) + 0xFEE0) + key[1:],  # a full-width first character looks the same on screen
        room.other.key,
        room.ann.token,
        room.made.workshop.code,
        stored_hash,
        "x" * 100_000,
        None,
        123,
        key.encode(),
    ]
    for wrong in near_misses:
        if wrong == key:
            continue
        message = refused(store, lambda w=wrong: service.progress(w, room.scoring), PermissionDenied).message
        assert message == WRONG_KEY
    unhashed = 5  # the stored hash and 100,000 x (over-long), None, a number, bytes: refused unhashed
    assert len(waits) == len(near_misses) - unhashed - FREE_FAILURES  # the rest slowed (tests/hostile/test_throttle.py)


HOSTILE_CODES = ["' OR 1=1 --", "%", "*", "x" * 10_000, "\u202eEDOC", "ab\x00cd"]


def test_hostile_join_codes_find_no_workshop(service: WorkshopService, store: Store, room: Room):
    for code in HOSTILE_CODES:
        refused(store, lambda c=code: service.workshop(c), NotFound)
        refused(store, lambda c=code: service.check_key(c, room.made.key), NotFound)
        refused(store, lambda c=code: service.join(c, "Eve", "NHS"), NotFound)


# --------------------------------------------------------------------------- text


@dataclass(frozen=True)
class TextWrite:
    """A call that stores one text in some fields, and how to read each field back."""

    write: Callable[[], object]
    fields: dict[str, Callable[[], object]]


def text_writes(service: WorkshopService, room: Room, text: str) -> Iterator[TextWrite]:
    """Every free-text field a person can fill in, written with ``text`` (in the second workshop)."""
    key, wid, code = room.other.key, room.other.id, room.other.workshop.code
    workshop = lambda: service.workshop_by_id(wid)  # noqa: E731
    yield TextWrite(
        lambda: service.update_details(key, wid, WorkshopDetails(text, text, description=text)),
        {"title": lambda: workshop().title, "organisation": lambda: workshop().organisation},
    )
    priorities = lambda: [PrioritySpec(text, text, text, text)] + [PrioritySpec(f"P{n}") for n in range(5)]  # noqa: E731
    first = lambda: workshop().priorities[0]  # noqa: E731
    yield TextWrite(
        lambda: service.set_priorities(key, wid, priorities()),
        {"priority": lambda: first().name, "theme": lambda: first().theme, "evidence": lambda: first().evidence},
    )
    yield TextWrite(
        lambda: service.set_criteria(key, wid, [CriterionSpec(text, text, descriptors=(text,))]),
        {"criterion": lambda: workshop().criteria[0].name, "descriptor": lambda: workshop().criteria[0].descriptors[0]},
    )
    yield TextWrite(
        lambda: service.set_groups(key, wid, [GroupSpec("NHS"), GroupSpec(text, text)]),
        {"group": lambda: workshop().groups[1].name, "group description": lambda: workshop().groups[1].description},
    )
    joined: list[Participant] = []
    yield TextWrite(
        lambda: joined.append(service.join(code, text, "NHS")), {"display name": lambda: joined[0].display_name}
    )
    rounds: list[int] = []
    yield TextWrite(
        lambda: rounds.append(service.add_round(key, wid, "weighting", text).id),
        {"round title": lambda: next(r.title for r in workshop().rounds if r.id == rounds[0])},
    )
    # A decision is measured against an answered round: one person scores only the first priority,
    # so every other priority on the shortlist is brought in 'not scored', a departure with its reason.
    scoring = next(r.id for r in workshop().rounds if r.kind is RoundKind.SCORING)
    if service.stage(wid).round_id != scoring:
        service.open_round(key, scoring)
    scorer = service.join(code, "Scorer", "NHS")
    service.save_score(scorer.token, scoring, first().id, workshop().criteria[0].id, workshop().criteria[0].scale_max)
    chosen = lambda: workshop().priorities[: workshop().shortlist_size]  # noqa: E731
    draft = lambda: DecisionDraft(  # noqa: E731  (a full shortlist: a short one is refused before any text is read)
        tuple(ShortlistEntry(p.id, text) for p in chosen()),
        decided_by=text,
        reasons=tuple(DepartureReason(p.id, text) for p in chosen()[1:]),
        round_id=scoring,
        note=text,
    )
    decision = lambda: service.decision(key, wid)  # noqa: E731
    yield TextWrite(
        lambda: service.record_decision(key, wid, draft()),
        {
            "rationale": lambda: decision().shortlist[0].rationale,
            "decided by": lambda: decision().decided_by,
            "departure reason": lambda: decision().departures[0].reason,
            "note": lambda: decision().note,
        },
    )


def test_hostile_text_is_stored_verbatim_or_clearly_refused(service: WorkshopService, store: Store, room: Room):
    """Stored as typed (shown as text by the app: tests/hostile/test_app_hostile.py and the Chromium check),
    or refused with InvalidInput and nothing changed; never a database error (a NUL reached PostgreSQL as a
    DataError until 07f605e)."""
    for name, payload in PAYLOADS.items():
        check_text_fields(service, store, room, name, payload)


def check_text_fields(service: WorkshopService, store: Store, room: Room, tag: str, payload: str) -> None:
    for write in text_writes(service, room, payload):
        before = snapshot(store.engine)
        try:
            write.write()
        except InvalidInput as refusal:
            assert refusal.message
            assert snapshot(store.engine) == before, (tag, list(write.fields))
            continue
        for field, read_back in write.fields.items():
            assert read_back() == payload.strip(), (tag, field)
