"""What the public projector view may read, through the service's public
reads (no key needed): the room's progress as counts, and a round's results
once revealed.  The service enforces both rules."""

from __future__ import annotations

from ui.services import service
from workshop.converging import ConsensusSummary
from workshop.errors import InvalidInput
from workshop.models import RoomProgress
from workshop.results import ParticipantView

__all__ = ["RoomProgress", "revealed_consensus", "revealed_round_results", "room_progress"]


def revealed_round_results(code: str, round_id: int) -> ParticipantView:
    """A revealed round's aggregate results, nobody's own answers (``PermissionDenied`` before the reveal)."""
    return service().public_results(code, round_id)


def room_progress(code: str, round_id: int) -> RoomProgress:
    """Counts of who has joined, started and finished the round."""
    return service().room_progress(code, round_id)


def revealed_consensus(code: str, round_id: int) -> ConsensusSummary | None:
    """A revealed scoring round's statuses under the workshop's rule, or None where the rule cannot be applied
    (no common scale); ``PermissionDenied`` before the reveal."""
    try:
        return service().public_consensus(code, round_id)
    except InvalidInput:
        return None
