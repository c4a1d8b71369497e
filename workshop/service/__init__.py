"""The workshop service: what the app can ask for, and every rule about who
may ask.

Every permission check lives here (facilitator key, participant token,
round open, results revealed); the UI may hide a button, but this is what
refuses.  A refused request changes nothing: checks run inside the write
transaction, and raising rolls it back, change counter included.

Callers identify themselves with secrets, never with ids:

* the facilitator with the workshop's key (checked in constant time before
  any write transaction starts, so the key derivation never holds a lock);
* a participant with the token ``join`` returned.  A participant can only
  ever act as, and read the answers of, the participant the token names.

Every write for a workshop bumps its change counter (``version``) first,
which also serialises writes per workshop (see ``store``).  Heartbeats are
the exception: presence is not content, and bumping the counter on every
heartbeat would make every screen in the room refresh all the time.

Every change of workshop or round state is written to the audit log with
its actor ("facilitator", "participant:<id>" or "system").  Individual
answers are not: they are their own record, with the time of the last change.
"""

from __future__ import annotations

from workshop.decision import shortlist_places
from workshop.service.base import FACILITATOR, NOT_REVEALED, SETUP_LOCKED, STALE_TOKEN, SYSTEM, WRONG_KEY, utc_now
from workshop.service.converging import ConvergingMixin
from workshop.service.decisions import DecisionsMixin
from workshop.service.feedback import FeedbackMixin
from workshop.service.participation import ParticipationMixin
from workshop.service.plan import PlanMixin
from workshop.service.results import ResultsMixin
from workshop.service.review import ReviewMixin
from workshop.service.rounds import RoundsMixin
from workshop.service.setup import SetupMixin
from workshop.service.workshops import WorkshopsMixin

__all__ = [
    "FACILITATOR",
    "NOT_REVEALED",
    "SETUP_LOCKED",
    "STALE_TOKEN",
    "SYSTEM",
    "WRONG_KEY",
    "WorkshopService",
    "shortlist_places",
    "utc_now",
]


class WorkshopService(
    ReviewMixin,
    WorkshopsMixin,
    SetupMixin,
    RoundsMixin,
    ParticipationMixin,
    ResultsMixin,
    DecisionsMixin,
    FeedbackMixin,
    PlanMixin,
    ConvergingMixin,
):
    """Everything the app can ask of a workshop: the use cases of the modules above, on one object."""
