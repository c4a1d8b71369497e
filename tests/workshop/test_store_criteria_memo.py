"""The store makes one Criterion per distinct criteria row (``workshop.store.convert._criterion_of``):
every save reads its workshop's criteria, so building them afresh each time was a sixth of a save's
time (bench/RESULTS.md, "Live app load").  What is read must still be what is stored."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.workshop.conftest import Made
from workshop.errors import InvalidInput
from workshop.models import CriterionSpec
from workshop.service import WorkshopService
from workshop.store import Store


def _specs(made: Made) -> list[CriterionSpec]:
    return [
        CriterionSpec(c.name, c.description, c.direction, c.scale_min, c.scale_max, c.descriptors, c.weight, c.swing)
        for c in made.workshop.criteria
    ]


def test_an_unchanged_row_gives_the_same_criterion(store: Store, made: Made):
    with store.read() as tx:
        first = tx.criteria(made.id)
    with store.read() as tx:
        again = tx.criteria(made.id)
    assert again == first == made.workshop.criteria
    assert all(a is b for a, b in zip(again, first, strict=True))  # shared, not rebuilt


def test_a_changed_criterion_reads_as_stored(service: WorkshopService, store: Store, made: Made):
    specs = _specs(made)
    specs[2] = replace(specs[2], scale_max=4, descriptors=("none", "weak", "some", "strong"), description="Changed")
    service.set_criteria(made.key, made.id, specs)
    with store.read() as tx:
        evidence = tx.criteria(made.id)[2]
    assert (evidence.scale_max, evidence.descriptors, evidence.description) == (
        4,
        ("none", "weak", "some", "strong"),
        "Changed",
    )
    assert not evidence.accepts(5)


def test_a_save_checks_the_scale_as_it_now_stands(service: WorkshopService, made: Made):
    specs = _specs(made)
    specs[0] = replace(specs[0], scale_max=3, descriptors=specs[0].descriptors[:3])
    service.set_criteria(made.key, made.id, specs)
    service.open_round(made.key, made.scoring_round)
    token = service.join(made.workshop.code, "Ann", "NHS").token
    need = made.workshop.criteria[0].id
    priority = made.workshop.priorities[0].id
    service.save_score(token, made.scoring_round, priority, need, 3)
    with pytest.raises(InvalidInput, match="between 1 and 3; 4 was not saved"):
        service.save_score(token, made.scoring_round, priority, need, 4)
