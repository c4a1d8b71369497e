"""A demonstration workshop: the sample setup (``data/sample``) and a
simulated room that has joined with their stakeholder groups and scored
round 1, which is left closed (or revealed).

The room comes from ``ranking.simulate.simulate_room`` with a seeded rng:
each group champions one theme (the same leans as the sample's scores.csv,
see data/README.md), so the groups disagree the way partners do.  Everything
goes through the service as in a real workshop: people join by code, the
facilitator opens round 1, each participant saves their scores, and the
round is closed.  The simulated room is not a crowd at the door: the demo
announces its joins first (``WorkshopService.expect_joins``), so a room of
hundreds joins at once while real joins keep their rate limit
(``workshop.joining``).  Each participant saves all their cells in one call
(``save_scores``), as the table view does: cell by cell, 300 people's 160
cells each would take minutes on SQLite, whose every commit waits for the
disk.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ranking.model import ScoreSet
from ranking.simulate import simulate_room
from workshop.errors import InvalidInput
from workshop.imports import sample_setup
from workshop.models import Participant, RoundKind, ScoreEntry, Workshop
from workshop.service import WorkshopService

DEFAULT_PARTICIPANTS = 30
DEFAULT_SEED = 2011
MAX_PARTICIPANTS = 1000
DONT_KNOW = 0.05

#: Each group's "home" theme, as data/README.md generates the sample scores.
HOME_THEMES = (
    ("Local authority children's services", "Stay safe"),
    ("Health (NHS)", "Be healthy"),
    ("Police and youth justice", "Make a positive contribution"),
    ("Schools and colleges", "Enjoy and achieve"),
    ("Voluntary and community sector", "Achieve economic well-being"),
    ("Young people's representatives", "Make a positive contribution"),
)


@dataclass(frozen=True)
class Demo:
    workshop: Workshop
    key: str  # the facilitator key, shown once
    participants: tuple[Participant, ...]  # in joining order, with their tokens


def simulated_room(workshop: Workshop, participants: int, seed: int = DEFAULT_SEED) -> ScoreSet:
    """A seeded room for ``workshop``: ``participants`` people in its groups, each group leaning to its
    home theme (``HOME_THEMES``, where the workshop has that group and theme)."""
    groups = [g.name for g in workshop.groups]
    themes = {p.theme for p in workshop.priorities}
    return simulate_room(
        workshop.priorities,
        workshop.criteria,
        groups,
        participants,
        np.random.default_rng(seed),
        dont_know=DONT_KNOW,
        home_themes=[(g, t) for g, t in HOME_THEMES if g in groups and t in themes],
    )


def create_demo(
    service: WorkshopService,
    participants: int = DEFAULT_PARTICIPANTS,
    seed: int = DEFAULT_SEED,
    reveal: bool = False,
) -> Demo:
    """Create the sample workshop with ``participants`` people who have scored
    round 1; round 1 is closed, or revealed when ``reveal``."""
    if isinstance(participants, bool) or not isinstance(participants, int) or not 1 <= participants <= MAX_PARTICIPANTS:
        raise InvalidInput(f"A demo has 1 to {MAX_PARTICIPANTS} participants, not {participants!r}.")
    workshop, key = service.create_workshop(sample_setup())
    scoring = next(r for r in workshop.rounds if r.kind is RoundKind.SCORING)
    room = simulated_room(workshop, participants, seed)
    service.expect_joins(key, workshop.id, participants)
    people = tuple(
        service.join(workshop.code, name, group or None)
        for name, group in zip(room.participants, room.groups, strict=True)
    )
    service.open_round(key, scoring.id)
    for person, scores in zip(people, room.scores, strict=True):
        entries = [
            ScoreEntry(priority.id, criterion.id, None if math.isnan(value) else float(value))
            for priority, row in zip(workshop.priorities, scores, strict=True)
            for criterion, value in zip(workshop.criteria, row, strict=True)
        ]
        service.save_scores(person.token, scoring.id, entries)
    service.close_round(key, scoring.id)
    if reveal:
        service.reveal_round(key, scoring.id)
    return Demo(service.workshop_by_id(workshop.id), key, people)
