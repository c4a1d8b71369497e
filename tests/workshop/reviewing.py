"""Workshops for the annual review's tests: last year's workshop decided, and a review of it decided again."""

from __future__ import annotations

from tests.deciding import decide
from tests.workshop.conftest import Made, small_setup
from workshop.models import PrioritySpec, ScoreEntry, Workshop
from workshop.service import WorkshopService

LAST_YEAR = ("Priority A", "Priority B", "Priority C")  # agreed last year, in this order
THIS_YEAR = ("Priority B", "Priority G", "Priority A")  # keeps A and B, drops C, brings in the new G


def score_and_decide(service: WorkshopService, workshop: Workshop, key: str, chosen: tuple[str, ...]) -> Made:
    """Four participants score round 1 (a fixed pattern), the round closes, ``chosen`` is agreed."""
    scoring = workshop.rounds[0].id
    service.open_round(key, scoring)
    for n, group in enumerate(("Council", "NHS", "Council", "NHS")):
        token = service.join(workshop.code, None, group).token
        entries = [
            ScoreEntry(p.id, c.id, float(c.scale_min + (p.position * (n + 1) + c.position) % 4))
            for p in workshop.priorities
            for c in workshop.criteria
        ]
        service.save_scores(token, scoring, entries)
    service.close_round(key, scoring)
    ids = {p.name: p.id for p in workshop.priorities}
    decide(service, key, workshop.id, scoring, [ids[name] for name in chosen], rationale="Chosen for its need.")
    return Made(service.workshop_by_id(workshop.id, key), key)


def last_year(service: WorkshopService) -> Made:
    workshop, key = service.create_workshop(small_setup("Priorities 2011"))
    return score_and_decide(service, workshop, key, LAST_YEAR)


def add_priority_g(service: WorkshopService, review: Workshop, key: str) -> Workshop:
    """The review's board adds a priority before its round opens."""
    specs = [PrioritySpec(p.name, p.theme, p.description, p.evidence) for p in review.priorities]
    return service.set_priorities(key, review.id, [*specs, PrioritySpec("Priority G", "Theme 0")])


def decided_review(service: WorkshopService, last: Made) -> tuple[Workshop, str]:
    """The review of ``last``: G added, scored and decided as ``THIS_YEAR`` (A and B kept, C dropped, G new)."""
    review, key = service.start_review(last.key, last.id)
    review = add_priority_g(service, review, key)
    return score_and_decide(service, review, key, THIS_YEAR).workshop, key
