"""Fixtures for the workshop tests.

``database_url`` runs a test on SQLite (a fresh file) and, when
TEST_DATABASE_URL is set, on PostgreSQL too (a fresh schema per test,
dropped afterwards); the PostgreSQL runs are skipped when it is unset.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.engine import make_url

from ranking.model import Direction
from workshop import schema
from workshop.db import dispose_engines, get_engine
from workshop.models import CriterionSpec, GroupSpec, PrioritySpec, Workshop, WorkshopDetails, WorkshopSetup
from workshop.service import WorkshopService
from workshop.store import Store

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


def schema_url(base: str, schema_name: str) -> str:
    """``base`` with every connection's search_path set to ``schema_name``."""
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema_name}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture(scope="session", autouse=True)
def _close_engines() -> Iterator[None]:
    yield
    dispose_engines()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'prioritise.sqlite3'}"
        return
    base = os.environ.get("TEST_DATABASE_URL", "").strip()
    if not base:
        pytest.skip("TEST_DATABASE_URL is not set")
    name = f"t_{uuid.uuid4().hex[:16]}"
    admin = get_engine(base)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
    url = schema_url(base, name)
    yield url
    get_engine(url).dispose()
    with admin.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA "{name}" CASCADE')


class StepClock:
    """A clock that moves one second each time it is read."""

    def __init__(self) -> None:
        self.now = datetime(2011, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def store(database_url: str) -> Store:
    return Store.open(database_url)


@pytest.fixture
def clock() -> StepClock:
    return StepClock()


@pytest.fixture
def service(store: Store, clock: StepClock) -> WorkshopService:
    return WorkshopService(store, clock)


def small_setup(title: str = "Test workshop", weighting_round: bool = False, groups: bool = True) -> WorkshopSetup:
    return WorkshopSetup(
        details=WorkshopDetails(title, "Test Trust"),
        priorities=tuple(PrioritySpec(f"Priority {c}", theme=f"Theme {i % 2}") for i, c in enumerate("ABCDEF")),
        criteria=(
            CriterionSpec("Need", scale_min=1, scale_max=5, weight=2),
            CriterionSpec("Cost", direction=Direction.COST, scale_min=0, scale_max=10, weight=1),
            CriterionSpec("Evidence", descriptors=("none", "weak", "some", "good", "strong")),
        ),
        groups=(GroupSpec("Council"), GroupSpec("NHS")) if groups else (),
        shortlist_size=3,
        weighting_round=weighting_round,
    )


@dataclass(frozen=True)
class Made:
    workshop: Workshop
    key: str

    @property
    def id(self) -> int:
        return self.workshop.id

    @property
    def scoring_round(self) -> int:
        return next(r.id for r in self.workshop.rounds if r.kind == "scoring")


@pytest.fixture
def made(service: WorkshopService) -> Made:
    workshop, key = service.create_workshop(small_setup(weighting_round=True))
    return Made(workshop, key)


#: The Need scores of ``scored_room``: the computed order is A, B, C, D, E, and F is not scored.
NEED = {"Priority A": 5, "Priority B": 4, "Priority C": 3, "Priority D": 2, "Priority E": 1}


def scored_room(service: WorkshopService) -> Made:
    """The small workshop with round 1 closed: three people scored only 'Need' (``NEED``)."""
    workshop, key = service.create_workshop(small_setup())
    made = Made(workshop, key)
    rid = made.scoring_round
    need = workshop.criteria[0]
    service.open_round(key, rid)
    for n in range(3):
        token = service.join(workshop.code, f"Person {n}", "NHS" if n % 2 else "Council").token
        for p in workshop.priorities:
            if p.name in NEED:
                service.save_score(token, rid, p.id, need.id, NEED[p.name])
    service.close_round(key, rid)
    return made


def near_miss(key: str) -> str:
    """``key`` with its last character changed to another one (keys are read case-insensitively,
    so a lower-case copy of the same letter would still be the right key)."""
    return key[:-1] + ("A" if key[-1].upper() != "A" else "B")


def snapshot(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, to assert that a refused request changed nothing."""
    with engine.connect() as conn:
        return {
            t.name: sorted((tuple(r) for r in conn.execute(select(t))), key=repr) for t in schema.metadata.sorted_tables
        }
