"""The workshop's ranking options, on SQLite and PostgreSQL: set by the
facilitator only, stored (migration 2, also on a database made before it),
used by default wherever a round is ranked, audited, and carried by the
archive."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, inspect, select, update

from ranking.methods import Method, RankingOptions
from ranking.normalize import Normalization
from tests.workshop.conftest import Made, near_miss, small_setup, snapshot
from workshop import schema
from workshop.archive import dumps, loads
from workshop.db import get_engine
from workshop.errors import DatabaseFault, InvalidInput, PermissionDenied
from workshop.migrations import MIGRATIONS, migrate
from workshop.models import ScoreEntry, WorkshopSetup
from workshop.results import ScoringResults, ScoringView
from workshop.service import WRONG_KEY, WorkshopService
from workshop.store import Store

TOPSIS_MEDIAN = RankingOptions(Method.TOPSIS, aggregation="median", balance_groups=True)


def answered(service: WorkshopService, made: Made) -> int:
    """Two people score every cell of the scoring round, then it is revealed; returns the round id."""
    rid = made.scoring_round
    people = [service.join(made.workshop.code, name, group) for name, group in (("Ann", "NHS"), ("Bo", "Council"))]
    service.open_round(made.key, rid)
    for n, person in enumerate(people):
        entries = [
            ScoreEntry(p.id, c.id, float(c.scale_min + (i * (n + 2)) % (c.scale_max - c.scale_min + 1)))
            for i, p in enumerate(made.workshop.priorities)
            for c in made.workshop.criteria
        ]
        service.save_scores(person.token, rid, entries)
    service.close_round(made.key, rid)
    service.reveal_round(made.key, rid)
    return rid


def test_a_new_workshop_ranks_with_the_engines_defaults(made: Made):
    assert made.workshop.ranking == RankingOptions()


def test_the_facilitator_sets_the_options_and_they_are_stored_and_audited(service: WorkshopService, made: Made):
    before = service.version(made.id)
    workshop = service.set_ranking_options(made.key, made.id, TOPSIS_MEDIAN)
    assert workshop.ranking == TOPSIS_MEDIAN
    assert workshop.ranking.normalization is Normalization.VECTOR
    assert service.workshop_by_id(made.id).ranking == TOPSIS_MEDIAN
    assert service.version(made.id) == before + 1  # the projector and participants' pages reload
    entry = service.audit_log(made.key, made.id)[-1]
    assert (entry.actor, entry.action) == ("facilitator", "ranking method set")
    assert entry.detail == "TOPSIS of the room's median scores, each stakeholder group counting equally"


def test_the_options_can_change_after_the_setup_is_locked(service: WorkshopService, made: Made):
    answered(service, made)
    service.set_ranking_options(made.key, made.id, RankingOptions(Method.BORDA))
    assert service.workshop_by_id(made.id).ranking.method is Method.BORDA


def test_a_wrong_key_changes_nothing(service: WorkshopService, store: Store, made: Made):
    _, other_key = service.create_workshop(small_setup("Other"))
    before = snapshot(store.engine)
    for key in (other_key, "", near_miss(made.key)):
        with pytest.raises(PermissionDenied, match=WRONG_KEY):
            service.set_ranking_options(key, made.id, TOPSIS_MEDIAN)
    assert snapshot(store.engine) == before


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (RankingOptions(Method.TOPSIS, normalization="scale"), r"the method's own normalisation \(vector for TOPSIS\)"),
        (RankingOptions(min_responses=5), "fewer than 3 responses"),
        ("topsis", "must be RankingOptions"),
    ],
)
def test_options_a_workshop_cannot_hold_are_refused(
    service: WorkshopService, store: Store, made: Made, options: object, message: str
):
    before = snapshot(store.engine)
    with pytest.raises(InvalidInput, match=message):
        service.set_ranking_options(made.key, made.id, options)  # type: ignore[arg-type]
    assert snapshot(store.engine) == before


def test_balancing_groups_needs_groups(service: WorkshopService, store: Store):
    workshop, key = service.create_workshop(small_setup("No groups", groups=False))
    before = snapshot(store.engine)
    with pytest.raises(InvalidInput, match="no stakeholder groups"):
        service.set_ranking_options(key, workshop.id, RankingOptions(balance_groups=True))
    assert snapshot(store.engine) == before


def test_every_reader_ranks_with_the_stored_options_by_default(service: WorkshopService, made: Made):
    rid = answered(service, made)
    service.set_ranking_options(made.key, made.id, TOPSIS_MEDIAN)
    full = service.results(made.key, rid)
    assert isinstance(full, ScoringResults) and full.ranking.options == TOPSIS_MEDIAN
    ann = service.join(made.workshop.code, "Late", "NHS")
    for view in (service.participant_results(ann.token, rid), service.public_results(made.workshop.code, rid)):
        assert isinstance(view, ScoringView)
        assert view.ranking.options == TOPSIS_MEDIAN
    # the facilitator can still look at another method without storing it
    other = service.results(made.key, rid, RankingOptions(Method.COPELAND))
    assert isinstance(other, ScoringResults) and other.ranking.method is Method.COPELAND
    assert service.workshop_by_id(made.id).ranking == TOPSIS_MEDIAN


def test_a_new_workshop_can_be_created_with_options(service: WorkshopService):
    setup = small_setup("Chosen")
    workshop, _ = service.create_workshop(WorkshopSetup(**{**setup.__dict__, "ranking": TOPSIS_MEDIAN}))
    assert workshop.ranking == TOPSIS_MEDIAN


def test_the_archive_carries_the_options(service: WorkshopService, made: Made):
    answered(service, made)
    service.set_ranking_options(made.key, made.id, TOPSIS_MEDIAN)
    document = dumps(service.export_archive(made.key, made.id))
    assert json.loads(document)["setup"]["ranking"] == {
        "method": "topsis",
        "aggregation": "median",
        "balance_groups": True,
    }
    copy, _ = service.import_archive(loads(document))
    assert copy.ranking == TOPSIS_MEDIAN


def test_a_version_1_archive_imports_with_the_old_defaults(service: WorkshopService, made: Made):
    service.set_ranking_options(made.key, made.id, TOPSIS_MEDIAN)
    document = json.loads(dumps(service.export_archive(made.key, made.id)))
    document["format_version"] = 1
    del document["setup"]["ranking"]
    copy, _ = service.import_archive(loads(json.dumps(document)))
    assert copy.ranking == RankingOptions()


@pytest.mark.parametrize(
    ("ranking", "message"),
    [
        ({"method": "ahp", "aggregation": "mean", "balance_groups": False}, "the ranking method must be one of"),
        ({"method": "topsis", "aggregation": "mode", "balance_groups": False}, "the aggregation must be one of"),
        ({"method": "topsis", "aggregation": "mean", "balance_groups": "yes"}, "must be true or false"),
        ({"method": "topsis", "aggregation": "mean"}, "'balance_groups' is missing"),
        (None, "must be a JSON object"),
    ],
)
def test_a_bad_ranking_in_an_archive_is_named(service: WorkshopService, made: Made, ranking: object, message: str):
    document = json.loads(dumps(service.export_archive(made.key, made.id)))
    document["setup"]["ranking"] = ranking
    with pytest.raises(InvalidInput, match=message):
        loads(json.dumps(document))


# --------------------------------------------------------------------------- the store


def test_migration_2_upgrades_a_version_1_database_with_workshops_in_it(database_url: str):
    engine = get_engine(database_url)
    assert migrate(engine, MIGRATIONS[:1]) == (1,)
    assert "ranking_method" not in {c["name"] for c in inspect(engine).get_columns("workshops")}
    with engine.begin() as conn:  # a workshop as version 1 stored it: only version 1's columns
        workshop_id = conn.execute(insert(schema.workshops).values(**OLD_ROW).returning(schema.workshops.c.id)).scalar()
    assert migrate(engine) == tuple(m.version for m in MIGRATIONS[1:])
    with Store(engine).read() as tx:
        assert tx.ranking(workshop_id) == RankingOptions()
        found = tx.workshop(workshop_id)
    assert found is not None and found.ranking == RankingOptions() and found.title == OLD_ROW["title"]


def test_the_database_refuses_options_the_engine_does_not_know(store: Store, made: Made):
    for bad in ({"ranking_method": "ahp"}, {"ranking_aggregation": "mode"}):
        with pytest.raises(DatabaseFault), store.write() as tx:
            tx.conn.execute(update(schema.workshops).where(schema.workshops.c.id == made.id).values(**bad))
    with store.read() as tx:
        row = tx.conn.execute(select(schema.workshops.c.ranking_method).where(schema.workshops.c.id == made.id)).one()
    assert row.ranking_method == "weighted-sum"


OLD_ROW = {
    "code": "OLD123",
    "title": "Made before migration 2",
    "organisation": "",
    "description": "",
    "shortlist_size": 3,
    "weight_method": "direct",
    "key_hash": "x",
    "created_at": datetime(2011, 3, 1, tzinfo=UTC),
    "version": 1,
}
