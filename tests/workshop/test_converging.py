"""Issue 15 in the service: the consensus rule, the ballot rule and swing weights are set by the facilitator
only, checked at the boundary, stored (migration FIRST_VERSION_WITH_CONSENSUS_RULE, also on an older
database) and carried by the archive (format CONSENSUS_SINCE, older archives with the defaults)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import numpy as np
import pytest
from sqlalchemy import insert, inspect, update

from ranking.consensus_rule import Band, ConsensusRule, Status
from tests.workshop.conftest import Made, near_miss, snapshot
from workshop import schema
from workshop.archive import dumps, loads
from workshop.archive.model import CONSENSUS_SINCE
from workshop.db import get_engine
from workshop.errors import DatabaseFault, InvalidInput, PermissionDenied, SetupLocked
from workshop.migrations import FIRST_VERSION_WITH_CONSENSUS_RULE, MIGRATIONS, migrate
from workshop.models import (
    BallotRule,
    ConsensusSettings,
    CriterionSpec,
    CriterionSwing,
    CriterionWeight,
    GroupSpec,
    PrioritySpec,
    RoundKind,
    ScoreEntry,
    WeightMethod,
    WorkshopDetails,
    WorkshopSetup,
)
from workshop.results import RankingRoundResults
from workshop.service import WorkshopService
from workshop.store import Store

NINE = dict(scale_min=1, scale_max=9)


def nine_point(groups: bool = True, criteria: int = 1) -> WorkshopSetup:
    names = ("Need", "Evidence", "Impact")[:criteria]
    return WorkshopSetup(
        details=WorkshopDetails("Converging"),
        priorities=tuple(PrioritySpec(f"Priority {c}") for c in "ABCD"),
        criteria=tuple(CriterionSpec(n, **NINE) for n in names),  # type: ignore[arg-type]
        groups=(GroupSpec("Council"), GroupSpec("NHS")) if groups else (),
        shortlist_size=2,
    )


def scored(service: WorkshopService, answers: dict[str, list[float | None]]) -> tuple[Made, int]:
    """A one-criterion 1–9 workshop whose scoring round has the ``answers`` per priority (one per person)."""
    workshop, key = service.create_workshop(nine_point())
    rnd = workshop.rounds[0].id
    need = workshop.criteria[0].id
    ids = {p.name: p.id for p in workshop.priorities}
    people = [service.join(workshop.code, None, "NHS") for _ in range(len(next(iter(answers.values()))))]
    service.open_round(key, rnd)
    for n, person in enumerate(people):
        service.save_scores(
            person.token, rnd, [ScoreEntry(ids[name], need, values[n]) for name, values in answers.items()]
        )
    return Made(service.workshop_by_id(workshop.id, key), key), rnd


# --------------------------------------------------------------------------- the consensus rule


def test_a_new_workshop_has_the_issues_defaults(service: WorkshopService):
    workshop, _ = service.create_workshop(nine_point())
    assert workshop.consensus == ConsensusSettings(0.70, 0.15, None, None)
    assert workshop.ballot_rule is BallotRule.BORDA
    assert workshop.consensus.rule((1.0, 9.0)) == ConsensusRule(Band(7, 9), Band(1, 3), 0.70, 0.15)
    assert workshop.consensus.rule((1.0, 5.0)) == ConsensusRule(Band(4, 5), Band(1, 2), 0.70, 0.15)


def test_the_facilitator_sets_the_rule_at_any_time_and_the_audit_log_says_so(service: WorkshopService):
    made, _ = scored(service, {"Priority A": [8, 8, 9]})  # a round is open: setup is locked
    settings = ConsensusSettings(0.75, 0.10, Band(8, 9), Band(1, 2))
    workshop = service.set_consensus_rule(made.key, made.id, settings)
    assert workshop.consensus == settings
    assert service.workshop_by_id(made.id, made.key).consensus == settings
    entry = service.audit_log(made.key, made.id)[-1]
    assert entry.action == "consensus rule set" and "75%" in entry.detail and "8–9" in entry.detail


def test_a_wrong_key_sets_nothing(service: WorkshopService, made: Made, store: Store):
    before = snapshot(store.engine)
    with pytest.raises(PermissionDenied):
        service.set_consensus_rule(near_miss(made.key), made.id, ConsensusSettings(0.8, 0.1))
    with pytest.raises(PermissionDenied):
        service.set_ballot_rule(near_miss(made.key), made.id, BallotRule.GROUP_FAIR)
    with pytest.raises(PermissionDenied):
        service.set_swing_weights(near_miss(made.key), made.id, [])
    assert snapshot(store.engine) == before


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            ConsensusSettings(0.5, 0.6),
            r"share against \(60%\) must not be above the share needed for consensus \(50%\)",
        ),
        (ConsensusSettings(0.0, 0.0), "share needed for consensus must be above 0%"),
        (ConsensusSettings(1.5, 0.1), "at most 100%, not 150%"),
        (ConsensusSettings(0.7, 0.15, Band(8, 10)), "the high band 8–10 is not on the scale 1..9"),
        (ConsensusSettings(0.7, 0.15, Band(3, 9), Band(1, 4)), r"low band \(1–4\) must lie below the high band"),
    ],
)
def test_a_rule_that_does_not_work_is_refused_with_its_reason(
    service: WorkshopService, store: Store, settings: ConsensusSettings, message: str
):
    workshop, key = service.create_workshop(nine_point())
    before = snapshot(store.engine)
    with pytest.raises(InvalidInput, match=message):
        service.set_consensus_rule(key, workshop.id, settings)
    assert snapshot(store.engine) == before


def test_the_boundary_refuses_a_rule_of_the_wrong_type(service: WorkshopService, made: Made):
    with pytest.raises(InvalidInput):
        service.set_consensus_rule(made.key, made.id, {"in_share": 0.7})  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        service.set_consensus_rule(made.key, made.id, ConsensusSettings(float("nan"), 0.1))
    with pytest.raises(InvalidInput, match="ballot rule must be one of 'borda', 'jla'"):
        service.set_ballot_rule(made.key, made.id, "condorcet")


def test_the_round_is_read_under_the_stored_rule_and_its_sensitivity(service: WorkshopService):
    # 10 answers each: A has exactly 70% in 7–9 and 10% in 1–3 (IN, but not under 75% or with > for ≥);
    # B has 80% in 1–3 (OUT); C is split; D has 7 answers and 3 "don't know": 7 of 7 high.
    made, rnd = scored(
        service,
        {
            "Priority A": [7, 8, 9, 7, 8, 9, 7, 5, 5, 2],
            "Priority B": [1, 2, 3, 1, 2, 3, 1, 2, 9, 5],
            "Priority C": [1, 9, 1, 9, 1, 9, 1, 9, 5, 5],
            "Priority D": [9, 9, 8, 8, 7, 7, 9, None, None, None],
        },
    )
    reading = service.consensus(made.key, rnd)
    by_name = {p.priority: p for p in reading.rows}
    assert [by_name[n].status for n in ("Priority A", "Priority B", "Priority C", "Priority D")] == [
        Status.IN,
        Status.OUT,
        Status.NONE,
        Status.IN,
    ]
    assert by_name["Priority A"].share_high == pytest.approx(0.7) and by_name["Priority A"].share_low == 0.1
    assert by_name["Priority D"].answers == 7 and by_name["Priority D"].dont_know == pytest.approx(0.3)
    assert by_name["Priority C"].disagreement and not by_name["Priority D"].disagreement
    # 75%, 80% and > for ≥ all take A out; B (80%) and D (100%) hold
    assert [(c.priority, c.stated, c.under) for c in reading.changes] == [("Priority A", Status.IN, (Status.NONE,) * 3)]
    assert reading.variants == ("75% / 15%", "80% / 15%", "70% / 15% with > for ≥")
    assert not reading.weighted and reading.by_criterion == ()
    service.set_consensus_rule(made.key, made.id, ConsensusSettings(0.75, 0.15))
    assert {p.priority: p.status for p in service.consensus(made.key, rnd).rows}["Priority A"] is Status.NONE


def test_the_projector_sees_the_statuses_only_after_the_reveal(service: WorkshopService):
    made, rnd = scored(service, {"Priority A": [8, 8, 9], "Priority B": [1, 1, 2]})
    with pytest.raises(PermissionDenied, match="when the facilitator reveals"):
        service.public_consensus(made.workshop.code, rnd)
    service.close_round(made.key, rnd)
    service.reveal_round(made.key, rnd)
    shown = service.public_consensus(made.workshop.code, rnd)
    assert shown == service.consensus(made.key, rnd)
    assert [r.status_words for r in shown.rows] == ["IN", "OUT", "no consensus", "no consensus"]


def test_the_rule_needs_one_common_scale_and_says_which_criterion_differs(service: WorkshopService, made: Made):
    people = [service.join(made.workshop.code, None, "NHS")]
    service.open_round(made.key, made.scoring_round)
    need = made.workshop.criteria[0].id
    service.save_score(people[0].token, made.scoring_round, made.workshop.priorities[0].id, need, 3)
    with pytest.raises(InvalidInput, match=r"criterion 'Cost' is scored 0\.\.10 but 'Need' 1\.\.5"):
        service.consensus(made.key, made.scoring_round)
    with pytest.raises(PermissionDenied):
        service.consensus(near_miss(made.key), made.scoring_round)


# --------------------------------------------------------------------------- the ballot rule


def test_group_fair_needs_groups(service: WorkshopService):
    workshop, key = service.create_workshop(nine_point(groups=False))
    with pytest.raises(InvalidInput, match="no stakeholder groups"):
        service.set_ballot_rule(key, workshop.id, BallotRule.GROUP_FAIR)


def test_a_ranking_round_is_tallied_by_the_chosen_rule_with_the_other_beside_it(service: WorkshopService):
    # Hand-worked: three NHS ballots A > B > C, one Council ballot C > B > A (Borda of every ballot: A 11
    # points of 3-2-1, B 8, C 5: A first).  Group-fair: NHS's list A 3, B 2, C 1; Council's C 3, B 2, A 1;
    # added A 4, B 4, C 4: a three-way tie, so the Council's one voice undoes NHS's three.
    workshop, key = service.create_workshop(nine_point())
    ids = {p.name: p.id for p in workshop.priorities}
    service.open_round(key, workshop.rounds[0].id)
    service.close_round(key, workshop.rounds[0].id)
    ranking = service.create_followup_round(
        key, workshop.rounds[0].id, [ids[n] for n in ("Priority A", "Priority B", "Priority C")], RoundKind.RANKING
    )
    service.open_round(key, ranking.id)
    order = [ids["Priority A"], ids["Priority B"], ids["Priority C"]]
    for group, ballot in [("NHS", order), ("NHS", order), ("NHS", order), ("Council", order[::-1])]:
        service.save_ranking(service.join(workshop.code, None, group).token, ranking.id, ballot)
    pooled = service.results(key, ranking.id)
    assert isinstance(pooled, RankingRoundResults) and pooled.ballot_rule is BallotRule.BORDA
    assert [int(r) for r in pooled.tally.ranks] == [1, 2, 3]
    service.set_ballot_rule(key, workshop.id, BallotRule.GROUP_FAIR)
    fair = service.results(key, ranking.id)
    assert isinstance(fair, RankingRoundResults) and fair.ballot_rule is BallotRule.GROUP_FAIR
    assert list(fair.tally.points) == [4.0, 4.0, 4.0] and [int(r) for r in fair.tally.ranks] == [1, 1, 1]
    assert fair.pooled is not None and [int(r) for r in fair.pooled.ranks] == [1, 2, 3]
    assert fair.tally.score_label == "Group-fair points"
    assert service.audit_log(key, workshop.id)[-1].action == "ballot rule set"


# --------------------------------------------------------------------------- swing weights


def test_swing_weights_are_the_normalised_swings_and_the_method_is_recorded(service: WorkshopService):
    workshop, key = service.create_workshop(nine_point(criteria=3))
    need, evidence, impact = (c.id for c in workshop.criteria)
    swings = [CriterionSwing(evidence, 100), CriterionSwing(need, 50), CriterionSwing(impact, 50)]
    found = service.set_swing_weights(key, workshop.id, swings)
    assert found.weight_method is WeightMethod.SWING
    assert [(c.name, c.weight, c.swing) for c in found.criteria] == [
        ("Need", 0.25, 50.0),
        ("Evidence", 0.5, 100.0),
        ("Impact", 0.25, 50.0),
    ]
    # Editing a criterion's description keeps the swings; setting weights another way clears them.
    specs = [
        CriterionSpec(c.name, "new words", c.direction, c.scale_min, c.scale_max, c.descriptors, c.weight)
        for c in found.criteria
    ]
    kept = service.set_criteria(key, workshop.id, specs)
    assert kept.weight_method is WeightMethod.SWING and [c.swing for c in kept.criteria] == [50.0, 100.0, 50.0]
    added = service.set_criteria(key, workshop.id, [*specs, CriterionSpec("Reach", **NINE)])  # type: ignore[arg-type]
    assert added.weight_method is WeightMethod.DIRECT and all(c.swing is None for c in added.criteria)
    service.set_swing_weights(key, workshop.id, [*swings, CriterionSwing(added.criteria[-1].id, 10)])
    direct = service.set_weights(key, workshop.id, [CriterionWeight(need, 2)], WeightMethod.DIRECT)
    assert direct.weight_method is WeightMethod.DIRECT and all(c.swing is None for c in direct.criteria)


@pytest.mark.parametrize(
    ("swings", "message"),
    [
        ([("Evidence", 80), ("Need", 50), ("Impact", 10)], "'Evidence'.*must be given 100, not 80"),
        ([("Evidence", 100), ("Need", 50), ("Impact", 60)], "'Impact' \\(60\\) is listed after 'Need' \\(50\\)"),
        ([("Evidence", 100), ("Need", 50)], "Give every criterion a swing: 'Impact' has none"),
        ([("Evidence", 100), ("Need", 150), ("Impact", 0)], "swing of criterion 'Need' must be from 0 to 100"),
    ],
)
def test_swings_that_do_not_work_are_refused_naming_the_criterion(
    service: WorkshopService, store: Store, swings: list[tuple[str, float]], message: str
):
    workshop, key = service.create_workshop(nine_point(criteria=3))
    ids = {c.name: c.id for c in workshop.criteria}
    before = snapshot(store.engine)
    with pytest.raises(InvalidInput, match=message):
        service.set_swing_weights(key, workshop.id, [CriterionSwing(ids[n], s) for n, s in swings])
    assert snapshot(store.engine) == before
    with pytest.raises(InvalidInput, match="set from the swings themselves"):
        service.set_weights(key, workshop.id, [CriterionWeight(ids["Need"], 2)], WeightMethod.SWING)


def test_swings_are_setup_and_lock_with_it(service: WorkshopService):
    made, _ = scored(service, {"Priority A": [8]})
    with pytest.raises(SetupLocked):
        service.set_swing_weights(made.key, made.id, [CriterionSwing(made.workshop.criteria[0].id, 100)])


# --------------------------------------------------------------------------- the archive


def test_the_rules_and_swings_survive_export_and_import(service: WorkshopService):
    workshop, key = service.create_workshop(nine_point(criteria=3))
    need, evidence, impact = (c.id for c in workshop.criteria)
    service.set_swing_weights(
        key, workshop.id, [CriterionSwing(need, 100), CriterionSwing(impact, 40), CriterionSwing(evidence, 0)]
    )
    settings = ConsensusSettings(0.8, 0.2, Band(6, 9), Band(1, 4))
    service.set_consensus_rule(key, workshop.id, settings)
    service.set_ballot_rule(key, workshop.id, BallotRule.GROUP_FAIR)
    text = dumps(service.export_archive(key, workshop.id))
    document = json.loads(text)
    assert document["format_version"] >= CONSENSUS_SINCE
    assert document["setup"]["consensus"] == {
        "in_share": 0.8,
        "against_share": 0.2,
        "high_band": [6, 9],
        "low_band": [1, 4],
    }
    copy, new_key = service.import_archive(loads(text.encode()))
    assert copy.consensus == settings and copy.ballot_rule is BallotRule.GROUP_FAIR
    assert copy.weight_method is WeightMethod.SWING
    assert [(c.name, c.swing) for c in copy.criteria] == [("Need", 100.0), ("Evidence", 0.0), ("Impact", 40.0)]
    assert np.allclose([c.weight for c in copy.criteria], [100 / 140, 0, 40 / 140])
    again = json.loads(dumps(service.export_archive(new_key, copy.id)))
    assert again["setup"] == document["setup"]


def test_an_archive_from_before_the_rules_imports_with_the_defaults(service: WorkshopService):
    workshop, key = service.create_workshop(nine_point())
    service.set_consensus_rule(key, workshop.id, ConsensusSettings(0.9, 0.05))
    document = json.loads(dumps(service.export_archive(key, workshop.id)))
    document["format_version"] = CONSENSUS_SINCE - 2  # as format 5 wrote it: no consensus, ballot rule or swing
    for name in ("consensus", "ballot_rule"):
        del document["setup"][name]
    for criterion in document["setup"]["criteria"]:
        del criterion["swing"]
    copy, _ = service.import_archive(loads(json.dumps(document).encode()))
    assert copy.consensus == ConsensusSettings() and copy.ballot_rule is BallotRule.BORDA


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"consensus": {"in_share": 0.1, "against_share": 0.5}}, "must not be above the share needed"),
        ({"consensus": {"in_share": 0.7, "against_share": 0.1, "high_band": [9, 7]}}, "the high band: a band must run"),
        ({"ballot_rule": "condorcet"}, "the ballot rule must be one of 'borda', 'jla', not 'condorcet'"),
    ],
)
def test_bad_rules_in_an_archive_are_named(service: WorkshopService, made: Made, change: dict, message: str):
    document = json.loads(dumps(service.export_archive(made.key, made.id)))
    document["setup"].update(change)
    with pytest.raises(InvalidInput, match=message):
        loads(json.dumps(document))


# --------------------------------------------------------------------------- the store


def test_the_migration_upgrades_an_older_database_with_workshops_in_it(database_url: str):
    engine = get_engine(database_url)
    earlier = tuple(m for m in MIGRATIONS if m.version < FIRST_VERSION_WITH_CONSENSUS_RULE)
    migrate(engine, earlier)
    assert "ballot_rule" not in {c["name"] for c in inspect(engine).get_columns("workshops")}
    with engine.begin() as conn:
        row = {
            "code": "OLD234",
            "title": "Made before the consensus rule",
            "organisation": "",
            "description": "",
            "shortlist_size": 3,
            "weight_method": "pairwise",
            "key_hash": "x",
            "created_at": datetime(2011, 3, 1, tzinfo=UTC),
            "version": 1,
        }
        workshop_id = conn.execute(insert(schema.workshops).values(**row).returning(schema.workshops.c.id)).scalar()
    assert migrate(engine) == tuple(m.version for m in MIGRATIONS if m.version >= FIRST_VERSION_WITH_CONSENSUS_RULE)
    store = Store(engine)
    with store.read() as tx:
        found = tx.workshop(workshop_id)
    assert found is not None and found.consensus == ConsensusSettings() and found.ballot_rule is BallotRule.BORDA
    assert found.weight_method is WeightMethod.PAIRWISE
    with store.write() as tx:  # the widened constraint takes "swing" and still refuses what it never knew
        tx.set_weight_method(workshop_id, WeightMethod.SWING)
    with pytest.raises(DatabaseFault), store.write() as tx:
        tx.conn.execute(
            update(schema.workshops).where(schema.workshops.c.id == workshop_id).values(weight_method="guess")
        )
    with pytest.raises(DatabaseFault), store.write() as tx:
        tx.conn.execute(update(schema.workshops).where(schema.workshops.c.id == workshop_id).values(ballot_rule="x"))
    with store.read() as tx:
        assert tx.workshop(workshop_id).weight_method is WeightMethod.SWING  # type: ignore[union-attr]
