"""The demo workshop: the sample setup with a simulated room that has
joined with groups and scored round 1 through the service."""

from __future__ import annotations

import pytest

from workshop.demo import MAX_PARTICIPANTS, create_demo
from workshop.errors import InvalidInput
from workshop.imports import sample_setup
from workshop.models import RoundKind, RoundState
from workshop.results import ScoringResults
from workshop.service import WorkshopService
from workshop.store import Store


def test_the_demo_room_has_joined_with_groups_and_scored_round_1(service: WorkshopService, store: Store):
    demo = create_demo(service, participants=12, seed=7)
    workshop = demo.workshop
    sample = sample_setup()
    assert workshop.title == sample.details.title and len(workshop.priorities) == len(sample.priorities)
    first = workshop.rounds[0]
    assert (first.kind, first.state) == (RoundKind.SCORING, RoundState.CLOSED)
    assert service.check_key(workshop.code, demo.key).id == workshop.id
    people = service.progress(demo.key, first.id).participants
    assert len(people) == 12 == len(demo.participants)
    assert all(p.group in {g.name for g in workshop.groups} for p in demo.participants)
    cells = len(workshop.priorities) * len(workshop.criteria)
    assert all(p.answered == cells for p in people)  # every cell answered, "don't know" included
    with store.read() as tx:
        scores = tx.scores(first.id)
    assert len(scores) == 12 * cells
    values = [s.value for s in scores]
    assert None in values and {v for v in values if v is not None} <= {1.0, 2.0, 3.0, 4.0, 5.0}
    results = service.results(demo.key, first.id)
    assert isinstance(results, ScoringResults) and len(results.participants) == 12
    assert service.resume(demo.participants[0].token).id == demo.participants[0].id


def test_the_same_seed_gives_the_same_room_and_reveal_reveals(service: WorkshopService):
    def room(seed: int, reveal: bool = False) -> list[tuple[int, str | None, float | None]]:
        demo = create_demo(service, participants=4, seed=seed, reveal=reveal)
        archived = service.export_archive(demo.key, demo.workshop.id)
        return [
            (s.participant, archived.participants[s.participant - 1].group, s.value) for s in archived.rounds[0].scores
        ]

    assert room(3) == room(3, reveal=True) != room(4)
    revealed = create_demo(service, participants=2, reveal=True).workshop.rounds[0]
    assert revealed.state is RoundState.REVEALED


@pytest.mark.parametrize("count", [0, -1, MAX_PARTICIPANTS + 1, 2.5, True])
def test_an_impossible_room_is_refused_before_anything_is_created(service: WorkshopService, count: object):
    with pytest.raises(InvalidInput, match="A demo has 1 to"):
        create_demo(service, participants=count)  # type: ignore[arg-type]
    assert service.list_workshops() == ()
