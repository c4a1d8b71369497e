"""What the public projector view may read: the workshop by its join code,
the room's progress as counts, and a round's results once revealed.

WORKAROUND until the service offers these reads itself.  The service has
no read a public viewer may make of a revealed round's results or of the
room's progress (``results`` and ``progress`` need the facilitator key,
``participant_results`` a participant token), and the projector is a
public page.  So the two functions below read through the service's store
and apply the rules here, in one place:

* ``revealed_round_results`` refuses (``PermissionDenied``, the service's
  own message) unless the round belongs to the workshop with that code and
  its state is REVEALED, checked in the same read transaction as the
  results are computed;
* ``room_progress`` returns counts only, never a name, group or answer.

When the service gains ``public_results(code, round_id)`` and
``room_progress(code, round_id)`` with these rules, replace the bodies
below with calls to them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ranking.methods import RankingOptions
from ui.services import service
from workshop.errors import NotFound, PermissionDenied
from workshop.models import Round, RoundKind, RoundState, Workshop
from workshop.results import RoundResults
from workshop.service import NOT_REVEALED, WorkshopService


@dataclass(frozen=True)
class RoomProgress:
    """How far the room has got with a round, as counts only."""

    joined: int
    started: int
    finished: int
    answered: int  # answers given, over everyone who joined
    expected: int  # answers a complete round needs from everyone who joined

    @property
    def percent(self) -> float:
        return 100 * self.answered / self.expected if self.expected else 0.0


def _round_of(workshop: Workshop, round_id: int) -> Round:
    rnd = next((r for r in workshop.rounds if r.id == round_id), None)
    if rnd is None:
        raise NotFound("That round does not exist.")
    return rnd


def revealed_round_results(code: str, round_id: int) -> RoundResults:
    """A revealed round's results, for the projector (no key needed; nothing before the reveal)."""
    svc = service()
    workshop = svc.workshop(code)
    _round_of(workshop, round_id)
    with svc._store.read() as tx:  # see the module docstring: no public read in the service yet
        rnd = tx.round(round_id)
        if rnd is None or rnd.workshop_id != workshop.id:
            raise NotFound("That round does not exist.")
        if rnd.state is not RoundState.REVEALED:
            raise PermissionDenied(NOT_REVEALED)
        return WorkshopService._results(tx, rnd, RankingOptions())


def room_progress(code: str, round_id: int) -> RoomProgress:
    """Counts of who has joined, started and finished the round (the same
    arithmetic as ``WorkshopService.progress``, without names)."""
    svc = service()
    workshop = svc.workshop(code)
    rnd = _round_of(workshop, round_id)
    per_person = {
        RoundKind.SCORING: len(rnd.priority_ids) * len(workshop.criteria),
        RoundKind.WEIGHTING: len(workshop.criteria),
        RoundKind.RANKING: rnd.ranking_length,
    }[rnd.kind]
    with svc._store.read() as tx:  # see the module docstring: no public read in the service yet
        people = [p.id for p in tx.participants(workshop.id)]
        counts = dict(tx.answer_counts(round_id, rnd.kind))
    answered = [min(counts.get(pid, 0), per_person) for pid in people]
    return RoomProgress(
        joined=len(people),
        started=sum(n > 0 for n in answered),
        finished=sum(per_person > 0 and n >= per_person for n in answered),
        answered=sum(answered),
        expected=per_person * len(people),
    )
