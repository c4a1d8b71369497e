"""What the service does for the facilitator and the room, on SQLite and
PostgreSQL (the contract the Streamlit app relies on)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ranking.methods import Method, RankingOptions, rank
from ranking.weights import allocation_weights
from tests.workshop.conftest import Made, StepClock, small_setup, snapshot
from workshop.errors import InvalidInput, NoResultsYet
from workshop.models import (
    CriterionPoints,
    CriterionSpec,
    CriterionWeight,
    GroupSpec,
    PrioritySpec,
    ProgressStatus,
    RoundKind,
    RoundState,
    ScoreEntry,
    WeightMethod,
    WorkshopDetails,
)
from workshop.results import RankingRoundResults, RankingView, ScoringResults, ScoringView, WeightingResults
from workshop.security import ALPHABET, CODE_LENGTH
from workshop.service import WorkshopService
from workshop.store import Store


def test_a_new_workshop_has_a_code_a_key_shown_once_and_default_rounds(service: WorkshopService, store: Store):
    workshop, key = service.create_workshop(small_setup())
    assert len(workshop.code) == CODE_LENGTH and set(workshop.code) <= set(ALPHABET)
    with store.read() as tx:
        stored = tx.key_hash(workshop.id)
    assert stored and key not in stored and key.replace("-", "") not in stored
    assert [(r.number, r.kind, r.state) for r in workshop.rounds] == [(1, RoundKind.SCORING, RoundState.DRAFT)]
    assert workshop.rounds[0].priority_ids == tuple(p.id for p in workshop.priorities)
    assert [p.name for p in workshop.priorities] == [f"Priority {c}" for c in "ABCDEF"]
    assert workshop.criteria[2].descriptors == ("none", "weak", "some", "good", "strong")
    assert workshop.criteria[1].descriptors == ("",) * 11
    assert workshop.current_round is None and not workshop.setup_locked

    with_weighting, _ = service.create_workshop(small_setup(weighting_round=True))
    assert [r.kind for r in with_weighting.rounds] == [RoundKind.WEIGHTING, RoundKind.SCORING]
    assert with_weighting.rounds[0].priority_ids == ()
    assert with_weighting.code != workshop.code


def test_workshops_are_found_by_code_typed_loosely(service: WorkshopService, made: Made):
    code = made.workshop.code
    assert service.workshop(f" {code[:3].lower()}-{code[3:].lower()} ").id == made.id
    assert service.check_key(code, made.key).id == made.id
    assert [w.code for w in service.list_workshops()] == [code]
    assert service.workshop_by_id(made.id).title == "Test workshop"


def test_every_write_bumps_the_change_counter(service: WorkshopService, made: Made):
    seen = [service.version(made.id)]
    p = service.join(made.workshop.code, None, "NHS")
    seen.append(service.version(made.id))
    service.open_round(made.key, made.scoring_round)
    seen.append(service.version(made.id))
    receipt = service.save_score(
        p.token, made.scoring_round, made.workshop.priorities[0].id, made.workshop.criteria[0].id, 4
    )
    seen.append(service.version(made.id))
    assert receipt.version == seen[-1]
    assert seen == sorted(set(seen))
    service.heartbeat(p.token)  # presence is not content
    assert service.version(made.id) == seen[-1]


def test_setup_edits_keep_ids_by_name_and_rounds_covering_everything(service: WorkshopService, made: Made):
    key, wid = made.key, made.id
    before = {p.name: p.id for p in made.workshop.priorities}
    specs = [PrioritySpec("Priority B", description="edited"), PrioritySpec("New one"), PrioritySpec("Priority A")]
    workshop = service.set_priorities(key, wid, specs)
    assert [p.name for p in workshop.priorities] == ["Priority B", "New one", "Priority A"]
    assert workshop.priorities[0].id == before["Priority B"] and workshop.priorities[0].description == "edited"
    assert workshop.priorities[2].id == before["Priority A"]
    assert workshop.rounds[1].priority_ids == tuple(p.id for p in workshop.priorities)  # still every priority

    workshop = service.set_criteria(
        key, wid, [CriterionSpec("Need", weight=3), CriterionSpec("Reach", scale_min=0, scale_max=3)]
    )
    assert [(c.name, c.weight, c.scale_points) for c in workshop.criteria] == [
        ("Need", 3.0, (1, 2, 3, 4, 5)),
        ("Reach", 1.0, (0, 1, 2, 3)),
    ]

    workshop = service.set_weights(key, wid, [CriterionWeight(workshop.criteria[1].id, 2.5)], WeightMethod.RANK_ORDER)
    assert [c.weight for c in workshop.criteria] == [3.0, 2.5] and workshop.weight_method is WeightMethod.RANK_ORDER
    with pytest.raises(InvalidInput):
        service.set_weights(key, wid, [CriterionWeight(c.id, 0) for c in workshop.criteria], "direct")
    # 1e308 twice sums to infinity: every score would be 0 and every export would fail.
    with pytest.raises(InvalidInput, match="Criterion 'Reach': the weight 1e\\+308 is too large"):
        service.set_weights(key, wid, [CriterionWeight(c.id, 1e308) for c in workshop.criteria[::-1]], "direct")
    with pytest.raises(InvalidInput, match="Criterion 'Need': the weight 1e\\+07 is too large"):
        service.set_criteria(key, wid, [CriterionSpec("Need", weight=1e7)])
    assert [c.weight for c in service.workshop_by_id(wid).criteria] == [3.0, 2.5]

    service.join(made.workshop.code, "Pat", "Council")
    with pytest.raises(InvalidInput, match="'Council' cannot be removed"):
        service.set_groups(key, wid, [GroupSpec("NHS")])
    workshop = service.set_groups(key, wid, [GroupSpec("Council", "Local authority"), GroupSpec("Police")])
    assert [(g.name, g.description) for g in workshop.groups] == [("Council", "Local authority"), ("Police", "")]

    assert service.set_shortlist_size(key, wid, 2).shortlist_size == 2
    with pytest.raises(InvalidInput):
        service.set_shortlist_size(key, wid, 4)  # more places than priorities
    details = WorkshopDetails("Renamed", "Trust", description="About")
    assert service.update_details(key, wid, details).title == "Renamed"
    actions = [e.action for e in service.audit_log(key, wid)]
    assert actions.count("setup edited") == 5 and "details edited" in actions


def test_participants_join_resume_and_are_labelled(service: WorkshopService, made: Made, clock: StepClock):
    code = made.workshop.code
    named = service.join(code, "  Sam  ", "nhs")
    anonymous = service.join(code, "", "Council")
    assert (named.display_name, named.group, named.label) == ("Sam", "NHS", "Sam")
    assert (anonymous.display_name, anonymous.label) == (None, "Anonymous 2")
    assert named.token and named.token != anonymous.token and named.token not in repr(named)
    resumed = service.resume(named.token)
    assert (resumed.id, resumed.token) == (named.id, named.token)
    service.heartbeat(named.token)
    assert service.resume(named.token).last_seen > named.last_seen
    joined = [e for e in service.audit_log(made.key, made.id) if e.action == "participant joined"]
    assert [e.actor for e in joined] == [f"participant:{named.id}", f"participant:{anonymous.id}"]


def test_scores_are_saved_idempotently_with_dont_know(service: WorkshopService, store: Store, made: Made):
    p = service.join(made.workshop.code, "Pat", "NHS")
    rid = made.scoring_round
    service.open_round(made.key, rid)
    a, b = made.workshop.priorities[:2]
    need, cost = made.workshop.criteria[:2]
    service.save_score(p.token, rid, a.id, need.id, 2)
    service.save_score(p.token, rid, a.id, need.id, 4.5)  # any number on the scale
    service.save_score(p.token, rid, a.id, need.id, 4.5)
    service.save_score(p.token, rid, b.id, cost.id, None)  # don't know
    service.save_score(p.token, rid, b.id, cost.id, 0)  # the bottom of a 0..10 scale
    service.save_score(p.token, rid, a.id, cost.id, None)
    mine = service.my_scores(p.token, rid)
    assert {(e.priority_id, e.criterion_id): e.value for e in mine.entries} == {
        (a.id, need.id): 4.5,
        (b.id, cost.id): 0,
        (a.id, cost.id): None,
    }
    assert mine.entry(a.id, cost.id).value is None and mine.entry(b.id, need.id) is None
    with store.read() as tx:
        assert len(tx.scores(rid)) == 3


def answer_everything(service: WorkshopService, made: Made, token: str, value: float | None) -> None:
    for p in made.workshop.priorities:
        for c in made.workshop.criteria:
            service.save_score(token, made.scoring_round, p.id, c.id, value)


def test_progress_counts_answers_per_participant(service: WorkshopService, made: Made):
    code, rid = made.workshop.code, made.scoring_round
    done, partway, _ = (service.join(code, name, "NHS") for name in ("Done", "Partway", None))
    service.open_round(made.key, rid)
    answer_everything(service, made, done.token, None)  # "don't know" counts as an answer
    service.save_score(partway.token, rid, made.workshop.priorities[0].id, made.workshop.criteria[0].id, 3)
    progress = service.progress(made.key, rid)
    rows = {p.label: p for p in progress.participants}
    assert {label: (r.answered, r.total, r.status) for label, r in rows.items()} == {
        "Done": (18, 18, ProgressStatus.DONE),
        "Partway": (1, 18, ProgressStatus.IN_PROGRESS),
        "Anonymous 3": (0, 18, ProgressStatus.NOT_STARTED),
    }
    assert (progress.joined, progress.started, progress.done, progress.answered, progress.total) == (3, 2, 1, 19, 54)
    assert rows["Done"].last_seen > rows["Anonymous 3"].last_seen


def test_scoring_results_come_from_the_engine(service: WorkshopService, made: Made):
    rid = made.scoring_round
    with pytest.raises(NoResultsYet):
        service.results(made.key, rid)
    p1 = service.join(made.workshop.code, "One", "Council")
    p2 = service.join(made.workshop.code, "One", "NHS")  # same display name
    service.join(made.workshop.code, "Silent", "NHS")
    service.open_round(made.key, rid)
    priorities, criteria = made.workshop.priorities, made.workshop.criteria
    for i, p in enumerate(priorities):
        service.save_score(p1.token, rid, p.id, criteria[0].id, 1 + i % 5)
        service.save_score(p2.token, rid, p.id, criteria[0].id, 5 - i % 5)
        service.save_score(p1.token, rid, p.id, criteria[1].id, i)
    service.save_score(p2.token, rid, priorities[0].id, criteria[2].id, None)

    result = service.results(made.key, rid, RankingOptions(method=Method.TOPSIS))
    assert isinstance(result, ScoringResults)
    s = result.score_set
    assert s.scores.shape == (2, 6, 3)  # only participants who answered
    assert s.participants == ("One (#1)", "One (#2)") and s.groups == ("Council", "NHS")
    assert [c.name for c in s.criteria] == ["Need", "Cost", "Evidence"] and s.criteria[1].is_cost
    assert s.scores[0, 3, 0] == 4 and s.scores[1, 3, 0] == 2 and s.scores[0, 3, 1] == 3
    assert math.isnan(s.scores[1, 0, 2]) and math.isnan(s.scores[1, 0, 1])  # don't know / unanswered
    expected = rank(s, RankingOptions(method=Method.TOPSIS))
    assert np.allclose(result.ranking.scores, expected.scores) and result.ranking.method is Method.TOPSIS
    assert [p.id for p in result.participants] == [p1.id, p2.id]


def test_a_participant_sees_the_room_and_only_their_own_answers(service: WorkshopService, made: Made):
    rid = made.scoring_round
    me = service.join(made.workshop.code, "Me", "NHS")
    them = service.join(made.workshop.code, "Them", "Council")
    service.open_round(made.key, rid)
    answer_everything(service, made, me.token, 1)
    answer_everything(service, made, them.token, 5)
    service.close_round(made.key, rid)
    service.reveal_round(made.key, rid)
    view = service.participant_results(me.token, rid)
    assert isinstance(view, ScoringView)
    assert {e.value for e in view.mine.entries} == {1}
    assert not hasattr(view, "score_set") and not hasattr(view.ranking, "score_set")
    assert np.allclose(view.ranking.matrix[:, 0], 3)  # the room's mean, not anyone's own score
    audit = [e.action for e in service.audit_log(made.key, made.id)]
    assert audit[-3:] == ["round opened", "round closed", "round revealed"]
    service.reopen_round(made.key, rid)
    assert service.audit_log(made.key, made.id)[-1].action == "round reopened after reveal"
    assert service.workshop_by_id(made.id).setup_locked


def test_weighting_rounds_give_room_and_own_weights(service: WorkshopService, made: Made):
    weighting = made.workshop.rounds[0].id
    criteria = made.workshop.criteria
    a = service.join(made.workshop.code, "A", "NHS")
    b = service.join(made.workshop.code, "B", "Council")
    service.open_round(made.key, weighting)
    service.save_allocation(
        a.token, weighting, [CriterionPoints(criteria[0].id, 60), CriterionPoints(criteria[1].id, 40)]
    )
    service.save_allocation(b.token, weighting, [CriterionPoints(criteria[2].id, 50)])  # half the points, fully counted
    service.save_allocation(
        a.token, weighting, [CriterionPoints(criteria[0].id, 50), CriterionPoints(criteria[2].id, 50)]
    )
    assert [(p.criterion_id, p.points) for p in service.my_allocation(a.token, weighting).points] == [
        (criteria[0].id, 50),
        (criteria[1].id, 0),
        (criteria[2].id, 50),
    ]
    progress = service.progress(made.key, weighting)
    assert [p.status for p in progress.participants] == [ProgressStatus.DONE, ProgressStatus.DONE]
    result = service.results(made.key, weighting)
    assert isinstance(result, WeightingResults)
    assert np.allclose(result.points, [[50, 0, 50], [0, 0, 50]])
    assert np.allclose(result.own_weights, [[0.5, 0, 0.5], [0, 0, 1]])
    assert np.allclose(result.room.weights, allocation_weights(result.points)) and np.allclose(
        result.room.weights, [0.25, 0, 0.75]
    )

    service.close_round(made.key, weighting)
    workshop = service.adopt_room_weights(made.key, weighting)
    assert np.allclose([c.weight for c in workshop.criteria], [0.25, 0, 0.75])
    assert workshop.weight_method is WeightMethod.PARTICIPANTS


def test_ranking_rounds_are_tallied_by_borda(service: WorkshopService, made: Made):
    rid = made.scoring_round
    ids = [p.id for p in made.workshop.priorities]
    a = service.join(made.workshop.code, "A", "NHS")
    b = service.join(made.workshop.code, "B", "NHS")
    service.open_round(made.key, rid)
    service.close_round(made.key, rid)
    follow = service.create_followup_round(made.key, rid, [ids[3], ids[1], ids[0]], kind=RoundKind.RANKING)
    assert follow.priority_ids == (ids[0], ids[1], ids[3]) and follow.title == "Shortlist of 3 from round 2"
    service.open_round(made.key, follow.id)
    service.save_ranking(a.token, follow.id, [ids[3], ids[0], ids[1]])
    service.save_ranking(b.token, follow.id, [ids[0], ids[3], ids[1]])
    service.save_ranking(b.token, follow.id, [ids[3]])  # replaces B's earlier ranking
    assert service.my_ranking(b.token, follow.id).priority_ids == (ids[3],)
    result = service.results(made.key, follow.id)
    assert isinstance(result, RankingRoundResults)
    # A: 3→2, 0→1, 1→0.  B: 3→2, the other two share 1 point.
    assert np.allclose(result.tally.points, [(1 + 0.5) / 2, (0 + 0.5) / 2, 2])
    assert list(result.tally.ranks) == [2, 3, 1] and list(result.tally.first_choices) == [0, 0, 2]
    assert result.orderings == ((ids[3], ids[0], ids[1]), (ids[3],))
    statuses = [p.status for p in service.progress(made.key, follow.id).participants]
    assert statuses == [ProgressStatus.DONE, ProgressStatus.IN_PROGRESS]
    service.close_round(made.key, follow.id)
    service.reveal_round(made.key, follow.id)
    view = service.participant_results(a.token, follow.id)
    assert isinstance(view, RankingView) and view.mine.priority_ids == (ids[3], ids[0], ids[1])


def test_extra_rounds_and_one_open_round_at_a_time(service: WorkshopService, made: Made):
    ids = [p.id for p in made.workshop.priorities]
    extra = service.add_round(made.key, made.id, "ranking", "Top two", [ids[5], ids[2]], pick_count=2)
    assert (extra.number, extra.kind, extra.priority_ids, extra.pick_count) == (
        3,
        RoundKind.RANKING,
        (ids[2], ids[5]),
        2,
    )
    service.open_round(made.key, extra.id)
    workshop = service.workshop_by_id(made.id)
    assert workshop.current_round and workshop.current_round.id == extra.id
    with pytest.raises(InvalidInput, match="Round 3 is still open"):
        service.open_round(made.key, made.scoring_round)
    with pytest.raises(InvalidInput):
        service.add_round(made.key, made.id, "weighting", "Weights", [ids[0]])


def test_several_scores_are_saved_at_once_or_not_at_all(service: WorkshopService, store: Store, made: Made):
    rid = made.scoring_round
    person = service.join(made.workshop.code, "Ann", "NHS")
    service.open_round(made.key, rid)
    (a, b), (need, cost) = made.workshop.priorities[:2], made.workshop.criteria[:2]
    entries = [ScoreEntry(a.id, need.id, 4), ScoreEntry(b.id, cost.id, None), ScoreEntry(a.id, need.id, 5)]
    receipt = service.save_scores(person.token, rid, entries)
    assert receipt.version == service.version(made.id)
    assert service.my_scores(person.token, rid).entries == (
        ScoreEntry(a.id, need.id, 5),
        ScoreEntry(b.id, cost.id, None),
    )
    before = snapshot(store.engine)
    with pytest.raises(InvalidInput, match="between 1 and 5; 6 was not saved"):
        service.save_scores(person.token, rid, [ScoreEntry(a.id, cost.id, 3), ScoreEntry(b.id, need.id, 6)])
    with pytest.raises(InvalidInput, match="There are no scores to save"):
        service.save_scores(person.token, rid, [])
    assert snapshot(store.engine) == before
