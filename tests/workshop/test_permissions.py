"""Every refusal the service makes, on SQLite and PostgreSQL: the right
error, a message for the person in the room, and nothing changed in the
database (not even the change counter)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from ranking.methods import Method, RankingOptions
from ranking.robustness import RobustnessOptions
from tests.deciding import decide, reasons_for
from tests.workshop.conftest import Made, near_miss, small_setup, snapshot
from workshop.errors import (
    InvalidInput,
    NotFound,
    PermissionDenied,
    RoundNotOpen,
    SetupLocked,
    WorkshopError,
)
from workshop.models import (
    BallotRule,
    ConsensusSettings,
    CriterionPoints,
    CriterionSpec,
    CriterionSwing,
    CriterionWeight,
    DecisionDraft,
    DepartureReason,
    GroupSpec,
    Participant,
    PrioritySpec,
    RoundState,
    ShortlistEntry,
    WorkshopDetails,
)
from workshop.service import NOT_REVEALED, SETUP_LOCKED, STALE_TOKEN, WRONG_KEY, WorkshopService
from workshop.store import Store


@dataclass(frozen=True)
class Room:
    """A workshop with its scoring round open and one score saved, and a
    second workshop with a participant of its own."""

    made: Made
    other: Made
    p: Participant
    q: Participant  # a participant of the other workshop

    @property
    def weighting(self) -> int:
        return self.made.workshop.rounds[0].id

    @property
    def scoring(self) -> int:
        return self.made.workshop.rounds[1].id

    def priority(self, n: int = 0) -> int:
        return self.made.workshop.priorities[n].id

    def criterion(self, n: int = 0) -> int:
        return self.made.workshop.criteria[n].id


@pytest.fixture
def room(service: WorkshopService, made: Made) -> Room:
    workshop, key = service.create_workshop(small_setup("Another workshop"))
    other = Made(workshop, key)
    p = service.join(made.workshop.code, "Pat", "Council")
    q = service.join(workshop.code, "Quinn", "NHS")
    service.open_round(made.key, made.workshop.rounds[1].id)
    room = Room(made, other, p, q)
    service.save_score(p.token, room.scoring, room.priority(), room.criterion(), 3)
    return room


def refused(
    store: Store, error: type[WorkshopError], call: Callable[[], object], message: str | None = None
) -> WorkshopError:
    before = snapshot(store.engine)
    with pytest.raises(error) as info:
        call()
    assert snapshot(store.engine) == before
    assert info.value.message
    if message is not None:
        assert message in info.value.message
    return info.value


def decision(service: WorkshopService, room: Room) -> DecisionDraft:
    """A complete decision: the shortlist's three places filled, a reason for every departure."""
    chosen = [room.priority(n) for n in range(3)]
    reasons = reasons_for(service, room.made.key, room.scoring, chosen, 3)
    return DecisionDraft(
        tuple(ShortlistEntry(pid, "Most need") for pid in chosen), "Chair", reasons, round_id=room.scoring
    )


FACILITATOR_CALLS: dict[str, Callable[[WorkshopService, Room, str], object]] = {
    "check_key": lambda s, r, k: s.check_key(r.made.workshop.code, k),
    "update_details": lambda s, r, k: s.update_details(k, r.made.id, WorkshopDetails("New title")),
    "set_priorities": lambda s, r, k: s.set_priorities(k, r.made.id, [PrioritySpec("X")]),
    "set_criteria": lambda s, r, k: s.set_criteria(k, r.made.id, [CriterionSpec("X")]),
    "set_groups": lambda s, r, k: s.set_groups(k, r.made.id, [GroupSpec("Council"), GroupSpec("NHS")]),
    "set_shortlist_size": lambda s, r, k: s.set_shortlist_size(k, r.made.id, 2),
    "set_weights": lambda s, r, k: s.set_weights(k, r.made.id, [CriterionWeight(r.criterion(), 5)], "direct"),
    "import_priorities": lambda s, r, k: s.import_priorities(k, r.made.id, b"priority\nX\n"),
    "import_criteria": lambda s, r, k: s.import_criteria(k, r.made.id, b"criterion\nX\n"),
    "add_round": lambda s, r, k: s.add_round(k, r.made.id, "scoring", "Extra", [r.priority()]),
    "create_followup_round": lambda s, r, k: s.create_followup_round(k, r.scoring, [r.priority(), r.priority(1)]),
    "open_round": lambda s, r, k: s.open_round(k, r.weighting),
    "close_round": lambda s, r, k: s.close_round(k, r.scoring),
    "reveal_round": lambda s, r, k: s.reveal_round(k, r.scoring),
    "reopen_round": lambda s, r, k: s.reopen_round(k, r.scoring),
    "adopt_room_weights": lambda s, r, k: s.adopt_room_weights(k, r.weighting),
    "set_ranking_options": lambda s, r, k: s.set_ranking_options(k, r.made.id, RankingOptions(Method.TOPSIS)),
    "set_robustness_options": lambda s, r, k: s.set_robustness_options(k, r.made.id, RobustnessOptions(seed=3)),
    "set_consensus_rule": lambda s, r, k: s.set_consensus_rule(k, r.made.id, ConsensusSettings(0.8, 0.1)),
    "set_ballot_rule": lambda s, r, k: s.set_ballot_rule(k, r.made.id, BallotRule.GROUP_FAIR),
    "set_swing_weights": lambda s, r, k: s.set_swing_weights(
        k, r.made.id, [CriterionSwing(c.id, 100) for c in r.made.workshop.criteria]
    ),
    "consensus": lambda s, r, k: s.consensus(k, r.scoring),
    "progress": lambda s, r, k: s.progress(k, r.scoring),
    "results": lambda s, r, k: s.results(k, r.scoring),
    "record_decision": lambda s, r, k: s.record_decision(k, r.made.id, decision(s, r)),
    "decision": lambda s, r, k: s.decision(k, r.made.id),
    "audit_log": lambda s, r, k: s.audit_log(k, r.made.id),
}


@pytest.mark.parametrize("name", sorted(FACILITATOR_CALLS))
def test_facilitator_actions_refuse_any_other_key(service: WorkshopService, store: Store, room: Room, name: str):
    call = FACILITATOR_CALLS[name]
    wrong_keys = [room.other.key, near_miss(room.made.key), "", room.p.token, room.made.workshop.code]
    for key in wrong_keys:
        if key == room.made.key:
            continue
        refused(store, PermissionDenied, lambda k=key: call(service, room, k), WRONG_KEY)
    try:  # the right key, typed loosely, passes the check (the action may still be refused for another reason)
        call(service, room, room.made.key.lower().replace("-", " "))
    except WorkshopError as exc:
        assert not isinstance(exc, PermissionDenied)


def test_a_participant_cannot_reach_into_another_workshop(service: WorkshopService, store: Store, room: Room):
    other_workshop = "another workshop"
    refused(
        store,
        PermissionDenied,
        lambda: service.save_score(room.q.token, room.scoring, room.priority(), room.criterion(), 4),
        other_workshop,
    )
    refused(store, PermissionDenied, lambda: service.my_scores(room.q.token, room.scoring), other_workshop)
    refused(store, PermissionDenied, lambda: service.participant_results(room.q.token, room.scoring), other_workshop)
    refused(
        store,
        PermissionDenied,
        lambda: service.save_allocation(room.q.token, room.weighting, [CriterionPoints(room.criterion(), 10)]),
    )
    # The participant's own view holds only their own answers.
    assert service.my_scores(room.q.token, room.other.scoring_round).entries == ()
    assert [e.value for e in service.my_scores(room.p.token, room.scoring).entries] == [3]


def test_a_stale_or_forged_token_is_refused(service: WorkshopService, store: Store, room: Room):
    for token in ["", "not-a-token", room.p.token + "x", room.made.key]:
        refused(store, NotFound, lambda t=token: service.resume(t), STALE_TOKEN)
        refused(store, NotFound, lambda t=token: service.heartbeat(t), STALE_TOKEN)
        refused(
            store,
            NotFound,
            lambda t=token: service.save_score(t, room.scoring, room.priority(), room.criterion(), 2),
            STALE_TOKEN,
        )
        refused(store, NotFound, lambda t=token: service.my_scores(t, room.scoring), STALE_TOKEN)


def test_answers_to_an_unopened_round_are_refused(service: WorkshopService, store: Store, room: Room):
    refused(
        store,
        RoundNotOpen,
        lambda: service.save_allocation(room.p.token, room.weighting, [CriterionPoints(room.criterion(), 50)]),
        "has not opened yet",
    )


def test_answers_to_a_closed_round_are_refused_and_earlier_answers_kept(
    service: WorkshopService, store: Store, room: Room
):
    service.close_round(room.made.key, room.scoring)
    refused(
        store,
        RoundNotOpen,
        lambda: service.save_score(room.p.token, room.scoring, room.priority(), room.criterion(), 5),
        "This round is closed; your scores were not changed.",
    )
    service.reveal_round(room.made.key, room.scoring)
    refused(
        store,
        RoundNotOpen,
        lambda: service.save_score(room.p.token, room.scoring, room.priority(), room.criterion(), 5),
    )
    assert [e.value for e in service.my_scores(room.p.token, room.scoring).entries] == [3]


def test_participants_see_results_only_while_revealed(service: WorkshopService, store: Store, room: Room):
    see = lambda: service.participant_results(room.p.token, room.scoring)  # noqa: E731
    refused(store, PermissionDenied, see, NOT_REVEALED)
    service.close_round(room.made.key, room.scoring)
    refused(store, PermissionDenied, see, NOT_REVEALED)
    service.reveal_round(room.made.key, room.scoring)
    assert see().mine.entries
    service.reopen_round(room.made.key, room.scoring)
    refused(store, PermissionDenied, see, NOT_REVEALED)
    assert service.results(room.made.key, room.scoring).score_set.scores.shape[0] == 1  # the facilitator: any time


@pytest.mark.parametrize("value", [0, 6, -1, 5.0001, math.nan, math.inf, True, "3"])
def test_scores_off_the_scale_are_refused(service: WorkshopService, store: Store, room: Room, value: object):
    refused(
        store,
        InvalidInput,
        lambda: service.save_score(room.p.token, room.scoring, room.priority(), room.criterion(), value),
    )  # type: ignore[arg-type]


def test_unknown_ids_are_refused(service: WorkshopService, store: Store, room: Room):
    foreign_priority = room.other.workshop.priorities[0].id
    foreign_criterion = room.other.workshop.criteria[0].id
    save = service.save_score
    refused(
        store,
        InvalidInput,
        lambda: save(room.p.token, room.scoring, foreign_priority, room.criterion(), 3),
        "not part of",
    )
    refused(
        store,
        InvalidInput,
        lambda: save(room.p.token, room.scoring, room.priority(), foreign_criterion, 3),
        "not part of",
    )
    refused(store, InvalidInput, lambda: save(room.p.token, room.scoring, 10**9, room.criterion(), 3))
    refused(store, InvalidInput, lambda: save(room.p.token, room.scoring, room.priority(), 10**9, 3))
    refused(store, NotFound, lambda: save(room.p.token, 10**9, room.priority(), room.criterion(), 3))
    refused(store, NotFound, lambda: service.open_round(room.made.key, 10**9))
    refused(store, NotFound, lambda: service.version(10**9))
    refused(
        store,
        NotFound,
        lambda: service.workshop("ZZZZZ9"),
        "No workshop has the code 'ZZZZZ9'. Check the code on the screen.",
    )


def test_a_score_for_a_priority_outside_the_round_is_refused(service: WorkshopService, store: Store, room: Room):
    key = room.made.key
    service.close_round(key, room.scoring)
    follow = service.create_followup_round(key, room.scoring, [room.priority(0), room.priority(1)])
    service.open_round(key, follow.id)
    refused(
        store,
        InvalidInput,
        lambda: service.save_score(room.p.token, follow.id, room.priority(2), room.criterion(), 3),
        "not part of Round 3",
    )


def test_answers_of_the_wrong_kind_are_refused(service: WorkshopService, store: Store, room: Room):
    refused(
        store,
        InvalidInput,
        lambda: service.save_allocation(room.p.token, room.scoring, [CriterionPoints(room.criterion(), 10)]),
        "scoring round",
    )
    refused(
        store,
        InvalidInput,
        lambda: service.save_ranking(room.p.token, room.scoring, [room.priority()]),
        "scoring round",
    )


@pytest.mark.parametrize(
    "points",
    [
        [(0, 60), (1, 41)],  # 101 in total
        [(0, -1), (1, 50)],
        [(0, 0), (1, 0)],
        [(0, 10), (0, 20)],  # the same criterion twice
        [(0, 2.5)],
        [(99, 10)],  # not a criterion of the workshop
    ],
)
def test_bad_allocations_are_refused(service: WorkshopService, store: Store, room: Room, points: list):
    key = room.made.key
    service.close_round(key, room.scoring)
    service.open_round(key, room.weighting)
    criteria = [room.criterion(n) if n != 99 else room.other.workshop.criteria[0].id for n, _ in points]
    allocation = [CriterionPoints(c, p) for c, (_, p) in zip(criteria, points, strict=True)]
    refused(store, InvalidInput, lambda: service.save_allocation(room.p.token, room.weighting, allocation))


def test_bad_rankings_are_refused(service: WorkshopService, store: Store, room: Room):
    key = room.made.key
    service.close_round(key, room.scoring)
    ids = [room.priority(n) for n in range(4)]
    ranking = service.create_followup_round(key, room.scoring, ids, kind="ranking", pick_count=2)
    service.open_round(key, ranking.id)
    for bad in ([], [ids[0], ids[0]], [ids[0], room.priority(5)], ids[:3]):
        refused(store, InvalidInput, lambda b=bad: service.save_ranking(room.p.token, ranking.id, b))


def test_setup_is_locked_once_a_round_has_opened(service: WorkshopService, store: Store, room: Room):
    key, wid = room.made.key, room.made.id
    for call in [
        lambda: service.set_priorities(key, wid, [PrioritySpec("X")]),
        lambda: service.set_criteria(key, wid, [CriterionSpec("X")]),
        lambda: service.set_groups(key, wid, [GroupSpec("Council"), GroupSpec("NHS"), GroupSpec("Police")]),
        lambda: service.set_shortlist_size(key, wid, 2),
        lambda: service.set_weights(key, wid, [CriterionWeight(room.criterion(), 5)], "direct"),
        lambda: service.import_priorities(key, wid, b"priority\nX\n"),
        lambda: service.import_criteria(key, wid, b"criterion\nX\n"),
    ]:
        refused(store, SetupLocked, call, SETUP_LOCKED)
    service.close_round(key, room.scoring)  # closing does not unlock it
    refused(store, SetupLocked, lambda: service.set_priorities(key, wid, [PrioritySpec("X")]), SETUP_LOCKED)
    assert service.update_details(key, wid, WorkshopDetails("Renamed")).title == "Renamed"  # details stay editable


def test_joining_needs_a_known_code_and_group(service: WorkshopService, store: Store, room: Room):
    code = room.made.workshop.code
    refused(store, NotFound, lambda: service.join("ABC234"), "No workshop has the code 'ABC234'.")
    refused(store, InvalidInput, lambda: service.join(code, "Pat"), "Choose your stakeholder group.")
    refused(store, InvalidInput, lambda: service.join(code, "Pat", "Police"), "'Police' is not one of")
    no_groups, _ = service.create_workshop(small_setup("No groups", groups=False))
    refused(store, InvalidInput, lambda: service.join(no_groups.code, "Pat", "Council"))


def test_round_transitions_out_of_order_are_refused(service: WorkshopService, store: Store, room: Room):
    key = room.made.key
    refused(store, InvalidInput, lambda: service.open_round(key, room.scoring), "already open")
    refused(store, InvalidInput, lambda: service.open_round(key, room.weighting), "is still open; close it first")
    refused(store, InvalidInput, lambda: service.reveal_round(key, room.scoring), "Close Round 2 before revealing")
    refused(store, InvalidInput, lambda: service.close_round(key, room.weighting), "not open")
    refused(store, InvalidInput, lambda: service.reopen_round(key, room.weighting), "has not run yet")
    refused(store, InvalidInput, lambda: service.reveal_round(key, room.weighting), "has not run yet")
    service.close_round(key, room.scoring)
    refused(store, InvalidInput, lambda: service.open_round(key, room.scoring), "reopen it instead")


def test_follow_up_rounds_need_a_finished_round_and_its_priorities(service: WorkshopService, store: Store, room: Room):
    key = room.made.key
    pair = [room.priority(0), room.priority(1)]
    refused(store, InvalidInput, lambda: service.create_followup_round(key, room.scoring, pair), "Close Round 2")
    service.close_round(key, room.scoring)
    refused(store, InvalidInput, lambda: service.create_followup_round(key, room.weighting, pair), "scoring or ranking")
    refused(
        store,
        InvalidInput,
        lambda: service.create_followup_round(key, room.scoring, [room.other.workshop.priorities[0].id]),
    )
    refused(
        store,
        InvalidInput,
        lambda: service.create_followup_round(key, room.scoring, pair, kind="ranking", pick_count=3),
    )
    refused(store, InvalidInput, lambda: service.create_followup_round(key, room.scoring, pair, kind="voting"))


def test_incomplete_decisions_are_refused(service: WorkshopService, store: Store, room: Room):
    key, wid, pid = room.made.key, room.made.id, room.priority()
    good = ShortlistEntry(pid, "Most need")
    for draft in [
        DecisionDraft((), decided_by="Chair"),
        DecisionDraft((ShortlistEntry(pid, "  "),), decided_by="Chair"),
        DecisionDraft((good,), decided_by=" "),
        DecisionDraft((good, good), decided_by="Chair"),
        DecisionDraft((ShortlistEntry(room.other.workshop.priorities[0].id, "x"),), decided_by="Chair"),
        DecisionDraft((good,), decided_by="Chair", reasons=(DepartureReason(room.priority(1), ""),)),
        DecisionDraft((good,), decided_by="Chair", reasons=(DepartureReason(room.priority(1), 7),)),  # type: ignore[arg-type]
        DecisionDraft((good,), decided_by="Chair", round_id=room.other.scoring_round),
    ]:
        refused(store, InvalidInput, lambda d=draft: service.record_decision(key, wid, d))


# --------------------------------------------------------------------------- public reads (projector)


def test_room_progress_counts_without_names(service: WorkshopService, room: Room):
    code = room.made.workshop.code
    progress = service.room_progress(code, room.scoring)
    per_person = len(room.made.workshop.priorities) * len(room.made.workshop.criteria)
    assert (progress.joined, progress.started, progress.finished) == (1, 1, 0)
    assert (progress.answered, progress.expected) == (1, per_person)
    assert 0 < progress.percent < 100
    assert not any(isinstance(v, str) for v in vars(progress).values())  # no names, no groups


def test_public_results_only_after_the_reveal(service: WorkshopService, store: Store, room: Room):
    code = room.made.workshop.code
    refused(store, PermissionDenied, lambda: service.public_results(code, room.scoring), NOT_REVEALED)
    service.close_round(room.made.key, room.scoring)
    refused(store, PermissionDenied, lambda: service.public_results(code, room.scoring), NOT_REVEALED)
    service.reveal_round(room.made.key, room.scoring)
    results = service.public_results(code, room.scoring)
    assert results.ranking.names == service.results(room.made.key, room.scoring).ranking.names
    assert not results.mine.entries  # the projector's view: nobody's own answers
    assert not hasattr(results, "score_set") and not hasattr(results, "participants")


def test_public_reads_refuse_another_workshops_round(service: WorkshopService, store: Store, room: Room):
    service.close_round(room.made.key, room.scoring)
    service.reveal_round(room.made.key, room.scoring)
    other_code = room.other.workshop.code
    refused(store, NotFound, lambda: service.public_results(other_code, room.scoring))
    refused(store, NotFound, lambda: service.room_progress(other_code, room.scoring))
    refused(store, NotFound, lambda: service.public_results("NOPE99", room.scoring))


def test_stage_changes_with_rounds_and_the_decision_not_with_answers(service: WorkshopService, room: Room):
    """Participant pages poll the stage: answers must not change it, round moves and decisions must."""
    stage = service.stage(room.made.id)
    assert (stage.round_id, stage.round_state, stage.decision_id) == (room.scoring, RoundState.OPEN, None)
    service.save_score(room.p.token, room.scoring, room.priority(1), room.criterion(), 4)
    assert service.stage(room.made.id) == stage
    service.close_round(room.made.key, room.scoring)
    assert service.stage(room.made.id).round_state is RoundState.CLOSED
    service.record_decision(room.made.key, room.made.id, decision(service, room))
    assert service.stage(room.made.id).decision_id is not None


# --------------------------------------------------------------------------- the shortlist's length


def test_a_shortlist_of_the_wrong_length_is_refused(service: WorkshopService, store: Store, room: Room):
    key, wid = room.made.key, room.made.id
    entries = [ShortlistEntry(room.priority(n), "Reason") for n in range(5)]
    for n in (1, 2, 4, 5):
        plural = "priority" if n == 1 else "priorities"
        refused(
            store,
            InvalidInput,
            lambda n=n: service.record_decision(key, wid, DecisionDraft(tuple(entries[:n]), decided_by="Chair")),
            f"The shortlist has {n} {plural}; it needs exactly 3 (the workshop's shortlist size).",
        )
    assert service.record_decision(key, wid, decision(service, room))


def test_a_round_with_fewer_priorities_than_places_sets_the_length(service: WorkshopService, store: Store, room: Room):
    key, wid = room.made.key, room.made.id
    service.close_round(key, room.scoring)
    pair = service.create_followup_round(key, room.scoring, [room.priority(0), room.priority(1)])
    three = tuple(ShortlistEntry(room.priority(n), "Reason") for n in range(3))
    refused(
        store,
        InvalidInput,
        lambda: service.record_decision(key, wid, DecisionDraft(three, decided_by="Chair", round_id=pair.id)),
        f"it needs exactly 2 ({pair.short_label} has only 2 priorities).",
    )
    service.open_round(key, pair.id)
    service.save_score(room.p.token, pair.id, room.priority(0), room.criterion(), 4)
    service.close_round(key, pair.id)
    assert decide(service, key, wid, pair.id, [room.priority(0), room.priority(1)])


def test_unknown_or_repeated_priorities_and_a_weighting_basis_are_refused(
    service: WorkshopService, store: Store, room: Room
):
    key, wid = room.made.key, room.made.id
    good = [ShortlistEntry(room.priority(n), "Reason") for n in range(2)]
    cases = [
        ((*good, ShortlistEntry(10**9, "Reason")), None, "A chosen priority is not in this workshop."),
        ((*good, ShortlistEntry(room.other.workshop.priorities[0].id, "x")), None, "not in this workshop"),
        ((*good, good[0]), None, "A priority is on the shortlist twice."),
        ((*good, ShortlistEntry(room.priority(2), "Reason")), room.weighting, "measure the decision against a scoring"),
    ]
    for shortlist, basis, message in cases:
        draft = DecisionDraft(tuple(shortlist), decided_by="Chair", round_id=basis)
        refused(store, InvalidInput, lambda d=draft: service.record_decision(key, wid, d), message)
