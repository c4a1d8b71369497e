"""The JSON archive: a workshop exported and imported back is the same
workshop (apart from its new code, new key and the audit entry saying it
was imported); a bad archive is refused whole, with a message naming the
item; no credential ever travels."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ranking.aggregate import Aggregation
from ranking.methods import Method, RankingOptions
from ranking.model import Direction
from tests.deciding import decide, reasons_for
from tests.workshop.conftest import snapshot
from workshop import archive
from workshop.archive import FORMAT_NAME, FORMAT_VERSION, ArchiveError, WorkshopArchive, dumps, loads
from workshop.errors import NotFound, PermissionDenied
from workshop.models import (
    CriterionPoints,
    CriterionSpec,
    CriterionWeight,
    DecisionDraft,
    GroupSpec,
    PrioritySpec,
    RoundKind,
    RoundState,
    ScoreEntry,
    ShortlistEntry,
    WeightMethod,
    Workshop,
    WorkshopDetails,
    WorkshopSetup,
)
from workshop.security import hash_token
from workshop.service import WorkshopService, shortlist_places
from workshop.store import Store


class FineClock:
    """Moves on an uneven step each read, so times carry microseconds."""

    def __init__(self) -> None:
        self.now = datetime(2011, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1, microseconds=234_567)
        return self.now


def round_trip(service: WorkshopService, key: str, workshop_id: int) -> tuple[WorkshopArchive, WorkshopArchive]:
    """Export, write, read, import and export again; check the imported copy
    differs only where it must.  Returns (first export, second export)."""
    first = service.export_archive(key, workshop_id)
    text = dumps(first)
    assert loads(text) == first
    copy, new_key = service.import_archive(loads(text.encode()))
    second = service.export_archive(new_key, copy.id)
    assert copy.id != workshop_id and copy.code != first.code and new_key != key
    assert second.code == copy.code
    imported = second.audit_log[-1]
    assert (imported.actor, imported.action) == ("system", "workshop imported")
    assert first.code in imported.detail
    assert replace(second, code=first.code, exported_at=first.exported_at, audit_log=second.audit_log[:-1]) == first
    return first, second


# --------------------------------------------------------------------------- a rich workshop, on every backend


def rich_workshop(service: WorkshopService) -> tuple[Workshop, str]:
    """Every kind of round and answer, a reopened round, two decisions."""
    setup = WorkshopSetup(
        details=WorkshopDetails("Plan 2011–14 «draft»", 'Trust "North"', date(2011, 3, 1), "Line 1\nLine 2"),
        priorities=tuple(
            PrioritySpec(f"Priority {c}", f"Theme {i % 2}", "desc", "NI 112") for i, c in enumerate("ABCDE")
        ),
        criteria=(
            CriterionSpec("Need", scale_min=1, scale_max=5, weight=2.5, descriptors=("none", "", "some")),
            CriterionSpec("Cost", direction=Direction.COST, scale_min=0, scale_max=10, weight=1),
        ),
        groups=(GroupSpec("Council", "LA"), GroupSpec("NHS")),
        shortlist_size=2,
        weighting_round=True,
    )
    workshop, key = service.create_workshop(setup)
    weighting, scoring = (r.id for r in workshop.rounds)
    need, cost = (c.id for c in workshop.criteria)
    service.set_weights(key, workshop.id, [CriterionWeight(need, 3)], WeightMethod.PAIRWISE)
    people = [
        service.join(workshop.code, name, group) for name, group in [("Ann", "NHS"), (None, "Council"), ("Ann", "nhs")]
    ]
    service.open_round(key, weighting)
    service.save_allocation(people[0].token, weighting, [CriterionPoints(need, 70), CriterionPoints(cost, 30)])
    service.save_allocation(people[1].token, weighting, [CriterionPoints(need, 5)])
    service.close_round(key, weighting)
    service.adopt_room_weights(key, weighting)
    service.open_round(key, scoring)
    ids = [p.id for p in workshop.priorities]
    service.save_scores(
        people[0].token, scoring, [ScoreEntry(i, need, 4) for i in ids] + [ScoreEntry(ids[0], cost, None)]
    )
    service.save_score(people[1].token, scoring, ids[1], cost, 2.5)
    service.close_round(key, scoring)
    service.reveal_round(key, scoring)
    service.reopen_round(key, scoring)
    service.save_score(people[2].token, scoring, ids[2], need, 1)
    service.close_round(key, scoring)
    ranking = service.create_followup_round(key, scoring, ids[:4], kind=RoundKind.RANKING, pick_count=3)
    service.open_round(key, ranking.id)
    service.save_ranking(people[0].token, ranking.id, [ids[3], ids[0], ids[1]])
    service.save_ranking(people[2].token, ranking.id, [ids[1]])
    service.heartbeat(people[1].token)
    service.add_round(key, workshop.id, RoundKind.SCORING, "Spare", ids[:2])
    decide(service, key, workshop.id, scoring, [ids[0], ids[1]], rationale="first")
    # ids[4] is not in the ranking round: a departure 'not in the round'.
    decide(service, key, workshop.id, ranking.id, [ids[3], ids[4]], "Board", "Top of the ranking", "Agreed unanimously")
    return service.workshop_by_id(workshop.id), key


def test_a_rich_workshop_round_trips_on_each_backend_and_into_a_fresh_sqlite(
    service: WorkshopService, store: Store, tmp_path
):
    workshop, key = rich_workshop(service)
    first, _ = round_trip(service, key, workshop.id)
    assert [r.state for r in first.rounds] == [RoundState.CLOSED, RoundState.CLOSED, RoundState.OPEN, RoundState.DRAFT]
    assert len(first.decisions) == 2 and first.rounds[1].opened_at > first.rounds[1].revealed_at
    # the same archive read into another database (PostgreSQL → SQLite when both run)
    other = WorkshopService(Store.open(f"sqlite:///{tmp_path / 'other.sqlite3'}"), FineClock())
    copy, new_key = other.import_archive(loads(dumps(first)))
    third = other.export_archive(new_key, copy.id)
    assert replace(third, code=first.code, exported_at=first.exported_at, audit_log=third.audit_log[:-1]) == first


def test_the_imported_copy_works_like_the_original(service: WorkshopService):
    workshop, key = rich_workshop(service)
    copy, new_key = service.import_archive(service.export_archive(key, workshop.id))
    for theirs, ours in zip(workshop.rounds[:2], copy.rounds[:2], strict=True):
        original, restored = service.results(key, theirs.id), service.results(new_key, ours.id)
        assert [p.number for p in restored.participants] == [p.number for p in original.participants]
    scoring = service.results(new_key, copy.rounds[1].id)
    assert scoring.ranking.order == service.results(key, workshop.rounds[1].id).ranking.order
    assert service.decision(new_key, copy.id).decided_by == "Board"
    # the open ranking round can go on: new people join after the imported ones
    newcomer = service.join(copy.code, "Late", "NHS")
    assert newcomer.number == 4
    service.save_ranking(newcomer.token, copy.rounds[2].id, [copy.priorities[0].id])


# --------------------------------------------------------------------------- credentials


def test_no_credential_travels_and_imported_places_cannot_be_resumed(service: WorkshopService, store: Store):
    workshop, key = rich_workshop(service)
    person = service.join(workshop.code, "Zed", "NHS")
    with store.read() as tx:
        key_hash = tx.key_hash(workshop.id)
    assert key_hash is not None
    text = dumps(service.export_archive(key, workshop.id))
    for secret in (
        key,
        key.replace("-", ""),
        key_hash,
        key_hash.split("$")[-1],
        person.token,
        hash_token(person.token),
    ):
        assert secret not in text
    copy, new_key = service.import_archive(loads(text))
    with pytest.raises(PermissionDenied):
        service.check_key(copy.code, key)  # the old key does not open the copy
    assert service.check_key(copy.code, new_key).id == copy.id
    assert service.resume(person.token).workshop_id == workshop.id  # the original place only
    with store.read() as tx:
        restored = tx.participants(copy.id)
        hashes = [
            tx.conn.exec_driver_sql(f"SELECT token_hash FROM participants WHERE id = {p.id}").scalar_one()
            for p in restored
        ]
    assert all(h.startswith("imported:") and len(h) != 64 for h in hashes)


def test_export_needs_the_facilitator_key(service: WorkshopService):
    workshop, _ = rich_workshop(service)
    with pytest.raises(PermissionDenied):
        service.export_archive("AAAAA-AAAAA-AAAAA-AAAAA", workshop.id)
    with pytest.raises(NotFound):
        service.export_archive("AAAAA-AAAAA-AAAAA-AAAAA", 10_000)


# --------------------------------------------------------------------------- random workshops (SQLite)

names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12).filter(
    lambda s: s.strip() == s and s != ""
)
texts = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from("\n\t"), max_size=30
).map(str.strip)


@st.composite
def setups(draw: st.DrawFn) -> WorkshopSetup:
    priorities = draw(st.lists(names, min_size=1, max_size=6, unique_by=str.casefold))
    criteria = []
    for name in draw(st.lists(names, min_size=1, max_size=3, unique_by=str.casefold)):
        low = draw(st.integers(-2, 3))
        high = low + draw(st.integers(1, 4))
        criteria.append(
            CriterionSpec(
                name,
                draw(texts),
                draw(st.sampled_from(Direction)),
                low,
                high,
                tuple(draw(st.lists(texts, max_size=high - low + 1))),
                draw(st.floats(0.1, 100, allow_nan=False)),
            )
        )
    groups = draw(st.lists(names, max_size=3, unique_by=str.casefold))
    return WorkshopSetup(
        details=WorkshopDetails(draw(names), draw(texts), draw(st.none() | st.dates()), draw(texts)),
        priorities=tuple(
            PrioritySpec(n, draw(st.sampled_from(["", "A", "B"])), draw(texts), draw(texts)) for n in priorities
        ),
        criteria=tuple(criteria),
        groups=tuple(GroupSpec(g, draw(texts)) for g in groups),
        shortlist_size=draw(st.integers(1, len(priorities))),
        weighting_round=draw(st.booleans()),
        ranking=RankingOptions(
            draw(st.sampled_from(Method)),
            None,
            draw(st.sampled_from(Aggregation)),
            bool(groups) and draw(st.booleans()),
        ),
    )


def play(draw: st.DrawFn, service: WorkshopService, setup: WorkshopSetup) -> tuple[Workshop, str]:
    """Run a random workshop: people join, rounds run (or not), answers, decisions."""
    workshop, key = service.create_workshop(setup)
    if draw(st.booleans()):
        service.set_weights(
            key, workshop.id, [CriterionWeight(workshop.criteria[0].id, 7.25)], draw(st.sampled_from(WeightMethod))
        )
    groups = [g.name for g in workshop.groups]
    people = [
        service.join(workshop.code, draw(st.none() | names), draw(st.sampled_from(groups)) if groups else None)
        for _ in range(draw(st.integers(0, 4)))
    ]
    criteria = workshop.criteria
    rounds = list(workshop.rounds)
    while rounds:
        rnd = rounds.pop(0)
        fate = draw(st.sampled_from(["draft", "open", "closed", "revealed"]))
        if fate == "draft":
            continue
        service.open_round(key, rnd.id)
        for person in people:
            if rnd.kind is RoundKind.WEIGHTING and draw(st.booleans()):
                points = draw(
                    st.lists(st.integers(0, 100 // len(criteria)), min_size=len(criteria), max_size=len(criteria))
                )
                points[0] = max(points[0], 1)
                service.save_allocation(
                    person.token, rnd.id, [CriterionPoints(c.id, n) for c, n in zip(criteria, points, strict=True)]
                )
            elif rnd.kind is RoundKind.SCORING:
                cells = draw(
                    st.lists(st.tuples(st.sampled_from(rnd.priority_ids), st.sampled_from(criteria)), max_size=6)
                )
                for priority_id, criterion in cells:
                    value = draw(st.none() | st.floats(criterion.scale_min, criterion.scale_max))
                    service.save_score(person.token, rnd.id, priority_id, criterion.id, value)
            elif rnd.kind is RoundKind.RANKING and draw(st.booleans()):
                order = draw(st.permutations(rnd.priority_ids))[: draw(st.integers(1, rnd.ranking_length))]
                service.save_ranking(person.token, rnd.id, order)
        if fate == "open":
            break
        service.close_round(key, rnd.id)
        if fate == "revealed":
            service.reveal_round(key, rnd.id)
        if rnd.kind is not RoundKind.WEIGHTING and len(rnd.priority_ids) >= 2 and draw(st.booleans()):
            chosen = draw(st.lists(st.sampled_from(rnd.priority_ids), min_size=2, unique=True))
            pick = draw(st.none() | st.integers(1, len(chosen)))
            rounds.append(service.create_followup_round(key, rnd.id, chosen, RoundKind.RANKING, pick_count=pick))
    ids = [p.id for p in workshop.priorities]
    bases = [
        r
        for r in service.workshop_by_id(workshop.id).rounds
        if r.kind is not RoundKind.WEIGHTING and service.progress(key, r.id).started
    ]
    for _ in range(draw(st.integers(0, 2)) if bases else 0):
        basis = draw(st.sampled_from(bases))
        places = shortlist_places(setup.shortlist_size, basis)
        shortlist = draw(st.lists(st.sampled_from(ids), min_size=places, max_size=places, unique=True))
        service.record_decision(
            key,
            workshop.id,
            DecisionDraft(
                tuple(ShortlistEntry(i, draw(names)) for i in shortlist),
                draw(names),
                tuple(replace(r, reason=draw(names)) for r in reasons_for(service, key, basis.id, shortlist, places)),
                basis.id,
                draw(texts),
            ),
        )
    return workshop, key


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(data=st.data())
def test_any_workshop_round_trips(tmp_path_factory: pytest.TempPathFactory, data: st.DataObject):
    store = Store.open(f"sqlite:///{tmp_path_factory.getbasetemp() / 'hypothesis.sqlite3'}")
    service = WorkshopService(store, FineClock())
    setup = data.draw(setups())
    workshop, key = play(data.draw, service, setup)
    round_trip(service, key, workshop.id)


# --------------------------------------------------------------------------- refusing bad archives


@pytest.fixture
def document(tmp_path) -> dict:  # type: ignore[no-untyped-def]
    """A rich workshop's archive as parsed JSON (reading is the same whatever the database)."""
    service = WorkshopService(Store.open(f"sqlite:///{tmp_path / 'document.sqlite3'}"), FineClock())
    workshop, key = rich_workshop(service)
    return json.loads(dumps(service.export_archive(key, workshop.id)))


def refused(text: str | bytes) -> str:
    with pytest.raises(ArchiveError) as caught:
        loads(text)
    return caught.value.message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "The archive is not valid JSON: Expecting property name enclosed in double quotes (line 1, column 2)."),
        ("", "The archive is not valid JSON: Expecting value (line 1, column 1)."),
        (b"\xff\xfe{}", "The archive is not UTF-8 text (byte 0)."),
        ("[1, 2]", "This is not a Prioritise workshop archive (it is a list, not an object)."),
        ('{"format": "something-else"}', 'This is not a Prioritise workshop archive (its format is "something-else").'),
        ('{"rows": []}', "This is not a Prioritise workshop archive."),
        (f'{{"format": "{FORMAT_NAME}"}}', "The archive does not say its format version."),
        (
            f'{{"format": "{FORMAT_NAME}", "format_version": "1"}}',
            'The archive\'s format version "1" is not one Prioritise writes.',
        ),
        (
            f'{{"format": "{FORMAT_NAME}", "format_version": 0}}',
            "The archive's format version 0 is not one Prioritise writes.",
        ),
        (
            f'{{"format": "{FORMAT_NAME}", "format_version": {FORMAT_VERSION + 1}}}',
            f"The archive is format version {FORMAT_VERSION + 1}; this Prioritise reads version {FORMAT_VERSION}. "
            "Import it with a newer Prioritise.",
        ),
    ],
)
def test_files_that_are_not_archives_are_refused(text: str | bytes, message: str):
    assert refused(text) == message


def score_of(doc: dict, round_number: int = 2, row: int = 1) -> list:
    return doc["rounds"][round_number - 1]["scores"][row - 1]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("setup"), "The archive: 'setup' is missing."),
        (
            lambda d: d["setup"].update(shortlist_size="2"),
            "The setup: 'shortlist_size' must be a whole number, not text.",
        ),
        (
            lambda d: d["setup"]["priorities"][1].update(name="priority a"),
            "The setup: The priority 'priority a' appears more than once.",
        ),
        (
            lambda d: d["setup"]["groups"].append({"name": "NHS", "description": ""}),
            "The setup: The stakeholder group 'NHS' appears more than once.",
        ),
        (
            lambda d: d["setup"]["criteria"][0].update(scale_max=1),
            "Criterion 1: Criterion 'Need': the scale maximum (1) must be above the minimum (1).",
        ),
        (
            lambda d: d["setup"]["criteria"][1].update(direction="sideways"),
            "Criterion 2: the direction must be one of 'benefit', 'cost', not 'sideways'.",
        ),
        (
            lambda d: d["participants"][0].update(group="Police"),
            "Participant 1: the group 'Police' is not one of the workshop's groups.",
        ),
        (
            lambda d: d["participants"][1].update(number=3),
            "Participants must be numbered 1, 2, 3… in order; number 2 is 3.",
        ),
        (
            lambda d: d["participants"][0].update(joined_at="2011-03-01T09:00:00"),
            "Participant 1: 'joined_at' has no UTC offset: '2011-03-01T09:00:00'.",
        ),
        (
            lambda d: d["participants"][0].update(last_seen="yesterday"),
            "Participant 1: 'last_seen' is not an ISO 8601 time: 'yesterday'.",
        ),
        (lambda d: d["rounds"][2].update(number=2), "Rounds must be numbered 1, 2, 3… in order; number 3 is 2."),
        (
            lambda d: d["rounds"][2]["priorities"].append("Priority Z"),
            "Round 3: the priority 'Priority Z' is not in the workshop's setup.",
        ),
        (
            lambda d: d["rounds"][2].update(pick_count=9),
            "Round 3: only a ranking round picks a top N, between 1 and its number of priorities.",
        ),
        (
            lambda d: d["rounds"][1].update(kind="voting"),
            "Round 2: the round kind must be one of 'weighting', 'scoring', 'ranking', not 'voting'.",
        ),
        (lambda d: d["rounds"][1].update(state="open"), "Rounds 2 and 3 are both open; only one round can be."),
        (lambda d: d["rounds"][1].update(closed_at=None), "Round 2 is closed but has no 'closed_at' time."),
        (
            lambda d: d["workshop"].update(setup_locked_at=None),
            "Round 1 has been opened, so the setup must have a time it was locked.",
        ),
        (
            lambda d: score_of(d).__setitem__(1, "Priority Q"),
            "Round 2, score 1 (participant 1): the priority 'Priority Q' is not part of the round.",
        ),
        (
            lambda d: score_of(d).__setitem__(2, "Speed"),
            "Round 2, score 1 (participant 1): the criterion 'Speed' is not in the workshop's setup.",
        ),
        (lambda d: score_of(d).__setitem__(0, 9), "Round 2, score 1: there is no participant 9."),
        (
            lambda d: score_of(d).__setitem__(3, 6),
            "Round 2, score 1 (participant 1): 6 is off the scale of 'Need' (1..5).",
        ),
        (lambda d: score_of(d).__setitem__(3, "4"), "Round 2, score 1: the value must be a number or null, not text."),
        (
            lambda d: score_of(d).pop(),
            "Round 2, score 1 must be a list of 5 items (participant, priority, criterion, value, time).",
        ),
        (
            lambda d: d["rounds"][1]["scores"].append(score_of(d)),
            "Round 2, score 9 (participant 1): a second score for 'Priority A' on 'Need'.",
        ),
        (
            lambda d: d["rounds"][0]["scores"].append(score_of(d)),
            "Round 1 is a closed weighting round but has scoring answers.",
        ),
        (
            lambda d: d["rounds"][3]["scores"].append(score_of(d)),
            "Round 4 is a draft scoring round but has scoring answers.",
        ),
        (
            lambda d: d["rounds"][0]["allocations"][0].__setitem__(2, 99),
            "Round 1, allocation 2 (participant 1): more than 100 points in all.",
        ),
        (
            lambda d: d["rounds"][2]["rankings"][0].__setitem__(2, 4),
            "Round 3, ranking 1 (participant 1): position 4 is outside 1..3.",
        ),
        (
            lambda d: d["rounds"][2]["rankings"][1].__setitem__(1, "Priority D"),
            "Round 3, ranking 2 (participant 1): 'Priority D' or position 2 is ranked twice.",
        ),
        (lambda d: d["rounds"][1].update(title="Round\x00two"), "Round 2: 'title' contains a control character."),
        (lambda d: d["decisions"][1].update(round=7), "Decision 2: there is no round 7."),
        (
            lambda d: d["decisions"][1]["shortlist"][0].update(priority="Priority Q"),
            "Decision 2, shortlist: the priority 'Priority Q' is not in the workshop's setup.",
        ),
        (
            lambda d: d["decisions"][1]["departures"][0].update(priority="Priority E"),
            "Decision 2, departures: the priority 'Priority E' appears twice.",
        ),
        (lambda d: d["decisions"][0].update(shortlist=[]), "Decision 1: the shortlist is empty."),
        (
            lambda d: d["audit_log"][3].update(actor="participant", participant=12),
            "Audit entry 4: there is no participant 12.",
        ),
        (
            lambda d: d["audit_log"][0].update(actor="participant:1", participant=None),
            "Audit entry 1: the actor 'participant:1' names a database id; "
            "name participants by number ('actor': 'participant', 'participant': N).",
        ),
    ],
)
def test_a_bad_item_is_refused_by_name(document: dict, change, message: str):
    change(document)
    assert refused(json.dumps(document)) == message


def test_not_a_number_is_refused(document: dict):
    text = json.dumps(document).replace('"scale_min": 1', '"scale_min": NaN', 1)
    assert refused(text) == "The archive contains NaN, which is not a number JSON allows."


def test_a_failed_import_leaves_nothing_behind(service: WorkshopService, store: Store, monkeypatch: pytest.MonkeyPatch):
    workshop, key = rich_workshop(service)
    exported = service.export_archive(key, workshop.id)
    before = snapshot(store.engine)

    def broken(*args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("workshop.store.Transaction.insert_decision", broken)
    with pytest.raises(RuntimeError):
        service.import_archive(exported)
    assert snapshot(store.engine) == before


def test_the_document_is_readable_and_one_answer_per_line(service: WorkshopService):
    workshop, key = rich_workshop(service)
    text = dumps(service.export_archive(key, workshop.id))
    assert text.startswith(f'{{\n  "format": "prioritise-workshop",\n  "format_version": {FORMAT_VERSION},\n')
    assert '        [1, "Priority A", "Need", 4, "2011-03-01T09:' in text  # a score row on one line
    assert '"title": "Plan 2011–14 «draft»"' in text  # UTF-8 as written, not \\u escapes
    doc = json.loads(text)
    assert doc["audit_log"][2]["actor"] == "participant" and doc["audit_log"][2]["participant"] == 1
    assert archive.unusable_token_hash() != archive.unusable_token_hash()
