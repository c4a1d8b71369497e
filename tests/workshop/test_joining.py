"""Joining limits and removing a participant (issue 14, item 6): a per-workshop join rate limit (token
bucket, workshop.joining, on an injected clock), an optional participant cap, and the facilitator
removing a participant with their answers kept or dropped, audited, their link refused after."""

from __future__ import annotations

import pytest

from tests.workshop.conftest import Made, StepClock, small_setup, snapshot
from workshop.errors import InvalidInput, NotFound, PermissionDenied
from workshop.joining import BURST, PER_SECOND, TOO_MANY, JoinLimiter, TooManyJoins
from workshop.models import CriterionPoints, RoundKind
from workshop.service import WorkshopService
from workshop.service.base import REMOVED
from workshop.store import Store


class Seconds:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def seconds() -> Seconds:
    return Seconds()


@pytest.fixture
def limited(store: Store, clock: StepClock, seconds: Seconds) -> WorkshopService:
    return WorkshopService(store, clock, joins=JoinLimiter(burst=5, per_second=2, clock=seconds))


def test_a_burst_of_joins_then_a_steady_rate(limited: WorkshopService, store: Store, seconds: Seconds):
    workshop, _ = limited.create_workshop(small_setup(groups=False))
    other, _ = limited.create_workshop(small_setup("Other", groups=False))
    for _ in range(5):
        limited.join(workshop.code)
    before = snapshot(store.engine)
    with pytest.raises(TooManyJoins) as refused:
        limited.join(workshop.code, "Sixth")
    assert refused.value.message == TOO_MANY
    assert snapshot(store.engine) == before  # nothing changed
    limited.join(other.code)  # another workshop has its own bucket
    seconds.now += 0.5  # one more join a half second at 2 a second
    limited.join(workshop.code)
    with pytest.raises(TooManyJoins):
        limited.join(workshop.code)


def test_the_defaults_let_a_room_of_600_join_in_under_a_minute():
    """The README's promise: 600 people arriving over a couple of minutes are never refused (here: evenly
    over 45 seconds; 40 is the edge), while 3,000 at once are held back."""
    seconds = Seconds()
    limiter = JoinLimiter(clock=seconds)
    for n in range(600):
        seconds.now = 100.0 + n * 45 / 600
        limiter.take(1)
    refused = 0
    for _ in range(3000):
        try:
            limiter.take(2)
        except TooManyJoins:
            refused += 1
    assert refused == 3000 - BURST and PER_SECOND == 10


def test_a_room_the_system_creates_is_announced_and_joins_past_the_burst(
    limited: WorkshopService, seconds: Seconds
):
    """workshop.demo's simulated room: the facilitator-only ``expect_joins`` lets that many through at once
    on top of the burst (5 here); then real joins are held to the limit again, and refill to the burst only."""
    workshop, key = limited.create_workshop(small_setup(groups=False))
    limited.expect_joins(key, workshop.id, 8)
    seconds.now += 60  # credit above the burst is neither lost nor grown while waiting
    for _ in range(8 + 5):
        limited.join(workshop.code)
    with pytest.raises(TooManyJoins):
        limited.join(workshop.code)
    seconds.now += 60
    for _ in range(5):
        limited.join(workshop.code)
    with pytest.raises(TooManyJoins):
        limited.join(workshop.code)
    with pytest.raises(PermissionDenied):
        limited.expect_joins("WRONG", workshop.id, 8)
    for bad in (0, -1, 10**9, 2.5):
        with pytest.raises(InvalidInput, match="number of people"):
            limited.expect_joins(key, workshop.id, bad)  # type: ignore[arg-type]


def test_a_join_refused_for_another_reason_uses_no_place_in_the_bucket(limited: WorkshopService):
    workshop, _ = limited.create_workshop(small_setup())
    for _ in range(10):
        with pytest.raises(InvalidInput):
            limited.join(workshop.code, "X", "No such group")
    for _ in range(5):
        limited.join(workshop.code, None, "NHS")


def test_the_participant_cap(service: WorkshopService, made: Made, store: Store):
    code = made.workshop.code
    service.join(code, "Ann", "NHS")
    bob = service.join(code, "Bob", "NHS")
    assert service.set_participant_cap(made.key, made.id, 2).participant_cap == 2
    before = snapshot(store.engine)
    with pytest.raises(PermissionDenied, match="This workshop is full: it takes 2 participants"):
        service.join(code, "Cy", "NHS")
    assert snapshot(store.engine) == before
    service.remove_participant(made.key, made.id, bob.id, keep_answers=True)  # removed people do not count
    service.join(code, "Cy", "NHS")
    for bad in (0, -1, 10**9, 2.5):
        with pytest.raises(InvalidInput, match="participant cap"):
            service.set_participant_cap(made.key, made.id, bad)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        service.set_participant_cap("WRONG", made.id, None)
    assert service.set_participant_cap(made.key, made.id, None).participant_cap is None
    entries = [e for e in service.audit_log(made.key, made.id) if e.action == "participant cap set"]
    assert [e.detail for e in entries] == ["at most 2 participants", "no cap"]


def _weighted(service: WorkshopService, made: Made) -> tuple[int, list]:
    weighting = next(r.id for r in made.workshop.rounds if r.kind is RoundKind.WEIGHTING)
    criteria = made.workshop.criteria
    people = [service.join(made.workshop.code, name, "NHS") for name in ("Ann", "Bob")]
    service.open_round(made.key, weighting)
    service.save_allocation(people[0].token, weighting, [CriterionPoints(criteria[0].id, 100)])
    service.save_allocation(people[1].token, weighting, [CriterionPoints(criteria[1].id, 100)])
    return weighting, people


@pytest.mark.parametrize("keep", [True, False])
def test_removing_a_participant(service: WorkshopService, made: Made, keep: bool):
    weighting, (ann, bob) = _weighted(service, made)
    removed = service.remove_participant(made.key, made.id, bob.id, keep_answers=keep)
    assert removed.removed_at is not None

    for call in (
        lambda: service.resume(bob.token),
        lambda: service.heartbeat(bob.token),
        lambda: service.save_allocation(bob.token, weighting, [CriterionPoints(made.workshop.criteria[0].id, 5)]),
        lambda: service.my_allocation(bob.token, weighting),
    ):
        with pytest.raises(PermissionDenied) as refused:
            call()
        assert refused.value.message == REMOVED
    service.resume(ann.token)  # everyone else carries on

    assert [p.label for p in service.progress(made.key, weighting).participants] == ["Ann"]
    result = service.results(made.key, weighting)
    assert len(result.participants) == (2 if keep else 1)
    entry = service.audit_log(made.key, made.id)[-1]
    assert (entry.action, entry.actor) == ("participant removed", "facilitator")
    assert entry.detail == f"Bob (participant {bob.number}): answers {'kept' if keep else 'dropped'}"


def test_removal_refusals_change_nothing(service: WorkshopService, made: Made, store: Store):
    ann = service.join(made.workshop.code, "Ann", "NHS")
    other, _ = service.create_workshop(small_setup("Other"))
    stranger = service.join(other.code, "Stranger", "NHS")
    before = snapshot(store.engine)
    with pytest.raises(PermissionDenied):
        service.remove_participant("WRONG", made.id, ann.id, keep_answers=True)
    with pytest.raises(NotFound, match="not part of this workshop"):
        service.remove_participant(made.key, made.id, stranger.id, keep_answers=False)
    with pytest.raises(InvalidInput):
        service.remove_participant(made.key, made.id, ann.id, keep_answers="no")  # type: ignore[arg-type]
    assert snapshot(store.engine) == before
    service.remove_participant(made.key, made.id, ann.id, keep_answers=True)
    with pytest.raises(InvalidInput, match="already been removed"):
        service.remove_participant(made.key, made.id, ann.id, keep_answers=False)


@pytest.mark.parametrize("what", ["a score", "a heartbeat"])
def test_a_removal_between_a_saves_checks_and_its_write_is_refused(
    service: WorkshopService, made: Made, store: Store, monkeypatch: pytest.MonkeyPatch, what: str
):
    """A save checks the participant in a read transaction and writes in a second one, so that the write
    lock is held for the write alone: a removal that commits between the two still refuses the save, and
    the save changes nothing (the write marks the participant seen only if they are still there)."""
    bob = service.join(made.workshop.code, "Bob", "NHS")
    service.open_round(made.key, made.scoring_round)
    priority, criterion = made.workshop.priorities[0], made.workshop.criteria[0]
    writes = Store.write_together
    after_removal: list[dict] = []

    def removed_first(self: Store, job):  # the facilitator's removal commits just before the save's own write
        if not after_removal:
            service.remove_participant(made.key, made.id, bob.id, keep_answers=True)
            after_removal.append(snapshot(store.engine))
        return writes(self, job)

    save = {
        "a score": lambda: service.save_score(bob.token, made.scoring_round, priority.id, criterion.id, 4),
        "a heartbeat": lambda: service.heartbeat(bob.token),
    }[what]
    monkeypatch.setattr(Store, "write_together", removed_first)
    with pytest.raises(PermissionDenied) as refused:
        save()
    assert refused.value.message == REMOVED
    assert len(after_removal) == 1  # the removal did land between the checks and the write
    assert snapshot(store.engine) == after_removal[0]
