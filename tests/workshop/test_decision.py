"""The decision is checked and frozen in the service (issue: the record the
board receives is the record the room saw).

The room here scores only 'Need' (every other criterion "don't know"), so
the computed order is the order of the Need scores typed below: A 5, B 4,
C 3, D 2, E 1, and F, which nobody scores, is 'not scored'.  Expectations
come from that order, not from the code under test.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from ranking.methods import Method, RankingOptions
from tests.deciding import decide
from tests.workshop.conftest import Made, scored_room, small_setup, snapshot
from workshop.archive import ArchiveError, dumps, loads
from workshop.decision import Departure, Drift, MeasuredPriority, Measurement, departures, drift, drift_words
from workshop.errors import InvalidInput, NoResultsYet
from workshop.models import CriterionPoints, DecisionDraft, DepartureReason, ShortlistEntry
from workshop.service import WorkshopService
from workshop.store import Store


@pytest.fixture
def room(service: WorkshopService) -> Made:
    return scored_room(service)


def ids(made: Made) -> dict[str, int]:
    return {p.name: p.id for p in made.workshop.priorities}


def draft(made: Made, *names: str, reasons: dict[str, str] | None = None, basis: bool = True) -> DecisionDraft:
    by = ids(made)
    return DecisionDraft(
        tuple(ShortlistEntry(by[f"Priority {n}"], f"Why {n}") for n in names),
        decided_by="Chair",
        reasons=tuple(DepartureReason(by[f"Priority {n}"], r) for n, r in (reasons or {}).items()),
        round_id=made.scoring_round if basis else None,
    )


# --------------------------------------------------------------------------- the service derives and checks


def test_the_computed_top_k_is_recorded_with_the_ranking_it_was_measured_against(service: WorkshopService, room: Made):
    decision = service.record_decision(room.key, room.id, draft(room, "A", "B", "C"))
    assert decision.departures == ()
    assert decision.names == ("Priority A", "Priority B", "Priority C")
    m = decision.measurement
    assert m is not None and m.round_id == room.scoring_round and m.answers == 3
    assert [(p.name, p.rank, p.answers) for p in m.priorities] == [
        ("Priority A", 1, 3),
        ("Priority B", 2, 3),
        ("Priority C", 3, 3),
        ("Priority D", 4, 3),
        ("Priority E", 5, 3),
        ("Priority F", None, 0),
    ]
    assert m.options == RankingOptions() and m.basis == "Weighted sum of the room's mean scores"
    assert dict(m.weights) == pytest.approx({"Need": 0.5, "Cost": 0.25, "Evidence": 0.25})
    assert m.workshop_version > 0
    assert service.decision(room.key, room.id) == decision


def test_a_departure_without_its_reason_is_refused_naming_the_priority(
    service: WorkshopService, store: Store, room: Made
):
    before = snapshot(store.engine)
    with pytest.raises(InvalidInput) as refused:
        service.record_decision(room.key, room.id, draft(room, "A", "B", "D"))
    assert refused.value.problems == (
        "Give the reason for leaving out 'Priority C' (computed rank 3).",
        "Give the reason for bringing in 'Priority D' (computed rank 4).",
    )
    with pytest.raises(InvalidInput, match=r"^Give the reason for leaving out 'Priority C' \(computed rank 3\)\.$"):
        service.record_decision(room.key, room.id, draft(room, "A", "B", "D", reasons={"D": "Statutory duty"}))
    assert snapshot(store.engine) == before


def test_the_service_derives_the_departures_and_their_computed_ranks(service: WorkshopService, room: Made):
    reasons = {"D": "Statutory duty", "C": "  Funded elsewhere  "}
    decision = service.record_decision(room.key, room.id, draft(room, "A", "B", "D", reasons=reasons))
    by = ids(room)
    assert decision.departures == (
        Departure(by["Priority C"], "Priority C", 3, added=False, reason="Funded elsewhere"),
        Departure(by["Priority D"], "Priority D", 4, added=True, reason="Statutory duty"),
    )


def test_a_reason_where_nothing_departs_is_refused(service: WorkshopService, room: Made):
    with pytest.raises(InvalidInput, match="does not depart from the computed ranking"):
        service.record_decision(room.key, room.id, draft(room, "A", "B", "C", reasons={"B": "Because"}))


def test_a_priority_nobody_scored_is_a_departure_that_says_so(service: WorkshopService, room: Made):
    with pytest.raises(InvalidInput, match=r"bringing in 'Priority F' \(not scored\)"):
        service.record_decision(room.key, room.id, draft(room, "A", "B", "F", reasons={"C": "Later"}))
    decision = service.record_decision(
        room.key, room.id, draft(room, "A", "B", "F", reasons={"C": "Later", "F": "A new statutory duty"})
    )
    assert [(d.name, d.rank_words, d.change) for d in decision.departures] == [
        ("Priority C", "computed rank 3", "left out"),
        ("Priority F", "not scored", "brought in"),
    ]


def test_a_shortlist_has_the_workshops_places_or_every_priority_when_fewer(made: Made):
    workshop = made.workshop  # shortlist size 3 (small_setup), six priorities
    round_1 = next(r for r in workshop.rounds if r.id == made.scoring_round)
    assert (workshop.shortlist_size, len(round_1.priority_ids)) == (3, 6)
    assert workshop.shortlist_places(round_1) == 3
    assert workshop.shortlist_places(replace(round_1, priority_ids=round_1.priority_ids[:2])) == 2
    assert [workshop.shortlist_places(n) for n in (0, 1, 2, 3, 4, 10)] == [0, 1, 2, 3, 3, 3]


def test_without_a_round_the_latest_answered_round_is_the_basis(service: WorkshopService, room: Made):
    decision = service.record_decision(room.key, room.id, draft(room, "A", "B", "C", basis=False))
    assert decision.round_id == room.scoring_round


def test_a_decision_needs_an_answered_round(service: WorkshopService, made: Made):
    entries = tuple(ShortlistEntry(p.id, "Most need") for p in made.workshop.priorities[:3])
    with pytest.raises(NoResultsYet, match="nobody has answered one yet"):
        service.record_decision(made.key, made.id, DecisionDraft(entries, decided_by="Chair"))
    with pytest.raises(NoResultsYet, match="Nobody has answered Round 2 yet"):
        service.record_decision(made.key, made.id, DecisionDraft(entries, "Chair", round_id=made.scoring_round))


def test_the_record_keeps_its_names_and_figures_when_the_room_changes(service: WorkshopService, room: Made):
    recorded = decide(service, room.key, room.id, room.scoring_round, [ids(room)[f"Priority {n}"] for n in "ABC"])
    decision = service.decision(room.key, room.id)
    assert decision is not None and service.decision_drift(room.key, room.id) == Drift()
    assert recorded.shortlist[0].priority_id == decision.shortlist[0].priority_id

    # The round is reopened and someone new scores E top: the record stays as it was, and says it is older.
    service.reopen_round(room.key, room.scoring_round)
    newcomer = service.join(room.workshop.code, "Late", "NHS").token
    need = room.workshop.criteria[0].id
    for name in ("Priority E", "Priority F"):
        service.save_score(newcomer, room.scoring_round, ids(room)[name], need, 5)
    service.close_round(room.key, room.scoring_round)
    assert service.decision(room.key, room.id) == decision
    found = service.decision_drift(room.key, room.id)
    assert found is not None and not found.current
    assert found.answers == (3, 4)
    assert ("Priority F", None, 1) in [(m.name, m.then, m.now) for m in found.moved]

    service.set_ranking_options(room.key, room.id, RankingOptions(Method.TOPSIS))
    words = drift_words(service.decision_drift(room.key, room.id))  # type: ignore[arg-type]
    assert words[0] == (
        "The ranking method changed: Weighted sum of the room's mean scores then, TOPSIS of the room's mean scores now."
    )
    assert service.decision(room.key, room.id) == decision


# --------------------------------------------------------------------------- the archive applies the same checks


def archived(service: WorkshopService, room: Made) -> dict:
    decide(service, room.key, room.id, room.scoring_round, [ids(room)["Priority A"], ids(room)["Priority B"],
           ids(room)["Priority D"]])  # fmt: skip
    return json.loads(dumps(service.export_archive(room.key, room.id)))


def test_an_archive_keeps_the_measurement_and_imports_it_unchanged(service: WorkshopService, room: Made):
    doc = archived(service, room)
    measured = doc["decisions"][0]["measured"]
    assert measured["priorities"][0] == ["Priority A", 1, pytest.approx(measured["priorities"][0][2]), 3]
    copy, key = service.import_archive(loads(json.dumps(doc)))
    original = service.decision(room.key, room.id)
    restored = service.decision(key, copy.id)
    assert original is not None and restored is not None and original.measurement and restored.measurement
    assert [(p.name, p.rank, p.score, p.answers) for p in restored.measurement.priorities] == [
        (p.name, p.rank, p.score, p.answers) for p in original.measurement.priorities
    ]
    assert [(d.name, d.computed_rank, d.added, d.reason) for d in restored.departures] == [
        (d.name, d.computed_rank, d.added, d.reason) for d in original.departures
    ]
    assert service.decision_drift(key, copy.id) == Drift()


@pytest.mark.parametrize(
    ("forge", "message"),
    [
        (
            lambda d: d["departures"].pop(),
            "Decision 1: 'Priority D' is brought in (computed rank 4) with no reason.",
        ),
        (
            lambda d: d["departures"].append({"priority": "Priority A", "computed_rank": 1, "reason": "x"}),
            "Decision 1: 'Priority A' is listed as a departure, but there the shortlist agrees with the computed "
            "top 3.",
        ),
        (
            lambda d: d["departures"][1].update(computed_rank=9),
            "Decision 1: the departure 'Priority D' gives computed rank 9, but the ranking it was measured against "
            "has it at computed rank 4.",
        ),
        (
            lambda d: d["measured"]["priorities"][3].__setitem__(1, 3),
            "Decision 1: the computed ranks it was measured against do not follow from their scores.",
        ),
        (
            lambda d: d["measured"]["priorities"].pop(),
            "Decision 1: the ranking it was measured against does not list the priorities of Round 1.",
        ),
        (
            lambda d: d["shortlist"].pop(),
            "Decision 1: the shortlist has 2 priorities; it needs exactly 3.",
        ),
    ],
)
def test_a_forged_decision_in_an_archive_is_refused_with_one_line(
    service: WorkshopService, store: Store, room: Made, forge, message: str
):
    doc = archived(service, room)
    forge(doc["decisions"][0])
    before = snapshot(store.engine)
    with pytest.raises(ArchiveError) as refused:
        service.import_archive(loads(json.dumps(doc)))
    assert refused.value.message == message
    assert snapshot(store.engine) == before


def test_an_older_archive_is_checked_against_its_own_answers(service: WorkshopService, room: Made):
    """Before format 4 an archive had no measurement: the import ranks the
    archived answers as the service would and checks the departures."""
    doc = archived(service, room)
    decision = doc["decisions"][0]
    decision["measured"] = None
    doc["format_version"] = 2
    copy, key = service.import_archive(loads(json.dumps(doc)))
    restored = service.decision(key, copy.id)
    assert restored is not None and restored.measurement is not None
    assert [p.rank for p in restored.measurement.priorities] == [1, 2, 3, 4, 5, None]
    decision["departures"] = []
    with pytest.raises(ArchiveError, match=r"^Decision 1: 'Priority C' is left out \(computed rank 3\) with no reason"):
        service.import_archive(loads(json.dumps(doc)))


def test_an_archive_with_an_allocation_of_no_points_is_refused(service: WorkshopService):
    made = Made(*service.create_workshop(small_setup(weighting_round=True)))
    token = service.join(made.workshop.code, "Ann", "NHS").token
    weighting = made.workshop.rounds[0]
    service.open_round(made.key, weighting.id)
    service.save_allocation(token, weighting.id, [CriterionPoints(made.workshop.criteria[0].id, 100)])
    doc = json.loads(dumps(service.export_archive(made.key, made.id)))
    for row in doc["rounds"][0]["allocations"]:
        row[2] = 0
    with pytest.raises(ArchiveError, match=r"^Round 1: participant 1 gave no points at all"):
        loads(json.dumps(doc))


# --------------------------------------------------------------------------- the pure rules


def measured(*ranks: int | None) -> Measurement:
    return Measurement(
        1,
        "Round 1: Scoring",
        "test",
        None,
        (),
        3,
        1,
        tuple(
            MeasuredPriority(i, f"P{i}", r, None if r is None else 10.0 - r, 3) for i, r in enumerate(ranks, start=1)
        ),
    )


def test_a_tie_at_the_cut_puts_both_in_the_top_so_leaving_one_out_departs():
    found = departures(measured(1, 2, 3, 3, 5), [1, 2, 3], {i: f"P{i}" for i in range(1, 6)}, 3)
    assert found == (Departure(4, "P4", 3, added=False),)


def test_a_priority_from_outside_the_round_is_brought_in_and_says_so():
    found = departures(measured(1, 2, 3), [1, 2, 9], {1: "P1", 2: "P2", 3: "P3", 9: "Outside"}, 3)
    assert [(d.name, d.rank_words, d.change) for d in found] == [
        ("P3", "computed rank 3", "left out"),
        ("Outside", "not in the round", "brought in"),
    ]


def test_no_drift_when_the_ranking_is_the_same_and_words_for_each_change():
    then = measured(1, 2, 3)
    assert drift(then, then).current
    assert drift_words(drift(then, None)) == ("The round it was measured against no longer exists.",)
    now = measured(2, 1, None)
    words = drift_words(drift(then, now))
    assert words == ("Computed ranks moved: 'P1' 1 → 2, 'P2' 2 → 1, 'P3' 3 → not scored.",)
