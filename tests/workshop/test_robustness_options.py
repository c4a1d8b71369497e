"""The workshop's robustness settings (SMAA and bootstrap), on SQLite and
PostgreSQL: set by the facilitator only, bounded, stored (migration 3, also
on a database made before it), audited, carried by the archive (format 3;
older archives import with the defaults) and used by the exports, which
state them."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import numpy as np
import pytest
from sqlalchemy import insert, inspect, update

from ranking.robustness import RobustnessOptions, resampled_rooms, weight_samples
from ranking.sensitivity import WeightSampling
from tests.workshop.conftest import Made, near_miss, small_setup, snapshot
from tests.workshop.test_ranking_options import answered
from workshop import schema
from workshop.archive import FORMAT_VERSION, dumps, loads
from workshop.db import get_engine
from workshop.errors import DatabaseFault, InvalidInput, PermissionDenied
from workshop.exports import build_content
from workshop.migrations import MIGRATIONS, migrate
from workshop.models import CriterionPoints, WorkshopSetup
from workshop.results import ScoringResults, WeightingResults
from workshop.service import WRONG_KEY, WorkshopService
from workshop.store import Store

CHOSEN = RobustnessOptions(
    WeightSampling.UNIFORM, samples=2_000, seed=7, concentration=80, resamples=300, bootstrap_seed=9
)


def test_a_new_workshop_has_the_default_settings(made: Made):
    assert made.workshop.robustness == RobustnessOptions()
    assert RobustnessOptions() == RobustnessOptions(WeightSampling.AROUND, 10_000, 0, 50.0, 1_000, 0)


def test_the_facilitator_sets_them_and_they_are_stored_and_audited(service: WorkshopService, made: Made):
    before = service.version(made.id)
    workshop = service.set_robustness_options(made.key, made.id, CHOSEN)
    assert workshop.robustness == CHOSEN
    assert service.workshop_by_id(made.id).robustness == CHOSEN
    assert service.version(made.id) == before + 1  # every open page reloads
    entry = service.audit_log(made.key, made.id)[-1]
    assert (entry.actor, entry.action) == ("facilitator", "robustness settings set")
    assert entry.detail == (
        "SMAA: 2,000 weight samples, any weights at all (uniform), seed 7; bootstrap: 300 resamples, seed 9"
    )


def test_a_wrong_key_changes_nothing(service: WorkshopService, store: Store, made: Made):
    _, other_key = service.create_workshop(small_setup("Other"))
    before = snapshot(store.engine)
    for key in (other_key, "", near_miss(made.key)):
        with pytest.raises(PermissionDenied, match=WRONG_KEY):
            service.set_robustness_options(key, made.id, CHOSEN)
    assert snapshot(store.engine) == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"samples": 5}, "The number of weight samples must be from 100 to 100,000, not 5."),
        ({"samples": 1_000_000}, "The number of weight samples must be from 100 to 100,000, not 1,000,000."),
        ({"samples": 2.5}, "The number of weight samples must be a whole number, not 2.5."),
        ({"resamples": 10}, "The number of bootstrap resamples must be from 50 to 10,000, not 10."),
        ({"seed": -1}, "The SMAA seed must be from 0 to 2,147,483,647, not -1."),
        ({"bootstrap_seed": 2**40}, "The bootstrap seed must be from 0 to 2,147,483,647"),
        ({"concentration": 0}, "The concentration must be from 1 to 1,000, not 0."),
        ({"concentration": float("nan")}, "The concentration must be a number"),
    ],
)
def test_settings_out_of_bounds_are_refused_and_nothing_changes(
    service: WorkshopService, store: Store, made: Made, change: dict[str, object], message: str
):
    before = snapshot(store.engine)
    bad = RobustnessOptions(**{**CHOSEN.__dict__, **change})
    with pytest.raises(InvalidInput) as refused:
        service.set_robustness_options(made.key, made.id, bad)
    assert refused.value.message.startswith(message)
    assert snapshot(store.engine) == before


def test_something_other_than_settings_is_refused(service: WorkshopService, made: Made):
    with pytest.raises(InvalidInput, match="must be RobustnessOptions, not dict"):
        service.set_robustness_options(made.key, made.id, {"samples": 100})  # type: ignore[arg-type]


def test_a_new_workshop_can_be_created_with_settings(service: WorkshopService):
    setup = small_setup("Chosen")
    workshop, _ = service.create_workshop(WorkshopSetup(**{**setup.__dict__, "robustness": CHOSEN}))
    assert workshop.robustness == CHOSEN


# --------------------------------------------------------------------------- the exports


def test_the_exports_use_and_state_the_stored_settings(service: WorkshopService, made: Made):
    """The export's SMAA and bootstrap are the engine's with the stored
    settings, to the last digit, and change when the settings do."""
    rid = answered(service, made)
    service.set_robustness_options(made.key, made.id, CHOSEN)
    s = build_content(service, made.key, made.id).analysis.sensitivity
    found = service.results(made.key, rid)
    assert isinstance(found, ScoringResults)
    expected_smaa = weight_samples(found.score_set, found.ranking.options, s.top, CHOSEN)
    expected_boot = resampled_rooms(found.score_set, found.ranking.options, s.top, CHOSEN)
    names = list(found.ranking.names)
    assert [p.smaa_p_top for p in s.priorities] == [
        float(expected_smaa.p_top[names.index(p.name)]) for p in s.priorities
    ]
    assert [p.bootstrap_p_top for p in s.priorities] == [
        float(expected_boot.p_top[names.index(p.name)]) for p in s.priorities
    ]
    assert (s.smaa_samples, s.smaa_seed, s.bootstrap_resamples, s.bootstrap_seed) == (2_000, 7, 300, 9)
    assert s.smaa_sampling.startswith("drawn uniformly from every possible set of weights")


def test_participants_own_weights_without_a_weighting_round_are_drawn_around_the_agreed_ones(
    service: WorkshopService, made: Made
):
    answered(service, made)  # the weighting round was never opened
    service.set_robustness_options(made.key, made.id, RobustnessOptions(WeightSampling.PARTICIPANTS, concentration=20))
    s = build_content(service, made.key, made.id).analysis.sensitivity
    assert "Dirichlet distribution centred on the agreed weights (concentration 20" in s.smaa_sampling


def test_participants_own_weights_come_from_the_weighting_round(service: WorkshopService, made: Made):
    weighting = next(r.id for r in made.workshop.rounds if r.kind == "weighting")
    service.open_round(made.key, weighting)
    for name, points in (("Wei", (60, 30, 10)), ("Xu", (20, 20, 60))):
        person = service.join(made.workshop.code, name, "NHS")
        allocation = [CriterionPoints(c.id, p) for c, p in zip(made.workshop.criteria, points, strict=True)]
        service.save_allocation(person.token, weighting, allocation)
    service.close_round(made.key, weighting)
    rid = answered(service, made)
    options = RobustnessOptions(WeightSampling.PARTICIPANTS, samples=500)
    service.set_robustness_options(made.key, made.id, options)
    s = build_content(service, made.key, made.id).analysis.sensitivity
    assert "from the 2 participants' own 100-point allocations" in s.smaa_sampling
    found, room = service.results(made.key, rid), service.results(made.key, weighting)
    assert isinstance(found, ScoringResults) and isinstance(room, WeightingResults)
    expected = weight_samples(found.score_set, found.ranking.options, s.top, options, room.own_weights)
    assert expected.sampling is WeightSampling.PARTICIPANTS
    names = list(found.ranking.names)
    assert np.array_equal(
        [p.smaa_p_top for p in s.priorities], [expected.p_top[names.index(p.name)] for p in s.priorities]
    )


# --------------------------------------------------------------------------- the archive


def test_the_archive_carries_the_settings(service: WorkshopService, made: Made):
    service.set_robustness_options(made.key, made.id, CHOSEN)
    document = dumps(service.export_archive(made.key, made.id))
    assert json.loads(document)["format_version"] == FORMAT_VERSION
    assert json.loads(document)["setup"]["robustness"] == {
        "sampling": "uniform",
        "samples": 2000,
        "seed": 7,
        "concentration": 80,
        "resamples": 300,
        "bootstrap_seed": 9,
    }
    copy, _ = service.import_archive(loads(document))
    assert copy.robustness == CHOSEN


@pytest.mark.parametrize("version", [1, 2])
def test_an_older_archive_imports_with_the_defaults(service: WorkshopService, made: Made, version: int):
    service.set_robustness_options(made.key, made.id, CHOSEN)
    document = json.loads(dumps(service.export_archive(made.key, made.id)))
    document["format_version"] = version
    del document["setup"]["robustness"]
    if version == 1:
        del document["setup"]["ranking"]
    copy, _ = service.import_archive(loads(json.dumps(document)))
    assert copy.robustness == RobustnessOptions()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"sampling": "gaussian"}, "the weight sampling must be one of 'uniform', 'around', 'participants'"),
        ({"samples": "many"}, "'samples' must be a whole number, not text"),
        ({"samples": 5}, "The setup: The number of weight samples must be from 100 to 100,000, not 5."),
        ({"concentration": None}, "'concentration' must be a number, not null"),
        ({"bootstrap_seed": None}, "'bootstrap_seed' must be a whole number"),
    ],
)
def test_bad_settings_in_an_archive_are_named(service: WorkshopService, made: Made, change: dict, message: str):
    document = json.loads(dumps(service.export_archive(made.key, made.id)))
    document["setup"]["robustness"].update(change)
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        loads(json.dumps(document))


# --------------------------------------------------------------------------- the store


def test_migration_3_upgrades_a_version_2_database_with_workshops_in_it(database_url: str):
    engine = get_engine(database_url)
    assert migrate(engine, MIGRATIONS[:2]) == (1, 2)
    assert "smaa_seed" not in {c["name"] for c in inspect(engine).get_columns("workshops")}
    with engine.begin() as conn:  # a workshop as version 2 stored it
        row = {**OLD_ROW, "ranking_method": "topsis"}
        workshop_id = conn.execute(insert(schema.workshops).values(**row).returning(schema.workshops.c.id)).scalar()
    assert migrate(engine)[0] == 3
    with Store(engine).read() as tx:
        assert tx.robustness(workshop_id) == RobustnessOptions()
        found = tx.workshop(workshop_id)
    assert found is not None and found.robustness == RobustnessOptions() and found.ranking.method == "topsis"


def test_the_database_refuses_a_sampling_the_engine_does_not_know(store: Store, made: Made):
    with pytest.raises(DatabaseFault), store.write() as tx:
        tx.conn.execute(update(schema.workshops).where(schema.workshops.c.id == made.id).values(smaa_sampling="gauss"))
    with store.read() as tx:
        assert tx.robustness(made.id) == RobustnessOptions()


OLD_ROW = {
    "code": "OLD234",
    "title": "Made before migration 3",
    "organisation": "",
    "description": "",
    "shortlist_size": 3,
    "weight_method": "direct",
    "key_hash": "x",
    "created_at": datetime(2011, 3, 1, tzinfo=UTC),
    "version": 1,
}
