"""Public reads (no key) carry nothing hidden from the room: weights adopted from a weighting round
that is not revealed are not in workshop(code) nor workshop_by_id(id) until the reveal (issue 14,
item 4; the rule is WorkshopsMixin._public)."""

from __future__ import annotations

import math

import numpy as np

from tests.workshop.conftest import Made
from workshop.models import CriterionPoints, RoundKind, WeightMethod
from workshop.service import WorkshopService


def _adopted(service: WorkshopService, made: Made) -> int:
    weighting = next(r.id for r in made.workshop.rounds if r.kind is RoundKind.WEIGHTING)
    criteria = made.workshop.criteria
    ann = service.join(made.workshop.code, "Ann", "NHS")
    service.open_round(made.key, weighting)
    service.save_allocation(
        ann.token, weighting, [CriterionPoints(criteria[0].id, 10), CriterionPoints(criteria[2].id, 90)]
    )
    service.close_round(made.key, weighting)
    service.adopt_room_weights(made.key, weighting)
    return weighting


def test_adopted_weights_stay_out_of_public_reads_until_the_reveal(service: WorkshopService, made: Made):
    weighting = _adopted(service, made)
    facilitator = service.workshop_by_id(made.id, made.key)
    assert np.allclose([c.weight for c in facilitator.criteria], [0.1, 0, 0.9])
    assert facilitator.weight_method is WeightMethod.PARTICIPANTS and not facilitator.weights_hidden
    assert service.check_key(made.workshop.code, made.key).criteria == facilitator.criteria

    for public in (service.workshop(made.workshop.code), service.workshop_by_id(made.id)):
        assert public.weights_hidden
        assert all(math.isnan(c.weight) for c in public.criteria)
        assert [c.name for c in public.criteria] == [c.name for c in facilitator.criteria]
        text = repr(public).replace(repr(public.consensus), "")  # the rule's 0.15 share is no weight
        assert "0.9" not in text and "0.1" not in text

    service.reveal_round(made.key, weighting)
    for public in (service.workshop(made.workshop.code), service.workshop_by_id(made.id)):
        assert not public.weights_hidden
        assert public.criteria == facilitator.criteria

    service.reopen_round(made.key, weighting)  # hidden again while it runs, until the next reveal
    assert service.workshop(made.workshop.code).weights_hidden


def test_weights_set_by_the_facilitator_are_public(service: WorkshopService, made: Made):
    """Weights the facilitator typed are no answer of the room's: the public read carries them."""
    public = service.workshop(made.workshop.code)
    assert not public.weights_hidden and [c.weight for c in public.criteria] == [2, 1, 1]
