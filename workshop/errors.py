"""Errors the workshop service raises.

Every error carries a ``message`` written for the person in the room: the UI
shows it as it is.  ``problems`` lists every problem found when there was
more than one (a setup table with three bad rows says so once, not three
times in a row).

``DatabaseError`` is apart: not a refusal but the database failing, which is
nobody's fault in the room.  The store raises it (``workshop.db.transaction``
translates every driver error) as ``DatabaseOutage`` when trying again later
may work, else ``DatabaseFault``; the driver's error is its ``__cause__``.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import TypeVar

E = TypeVar("E", bound=Enum)


def one_of(cls: type[E], value: object, refuse: Callable[[str], Exception]) -> E:
    """The member of ``cls`` whose value is ``value``; else ``refuse(options)`` is raised, where
    ``options`` lists the values in quotes (``'a', 'b', 'c'``): each caller words its own refusal."""
    try:
        return cls(value)
    except ValueError:
        raise refuse(", ".join(f"'{m.value}'" for m in cls)) from None


class WorkshopError(Exception):
    """Base class: something the user asked for was refused."""

    def __init__(self, message: str, problems: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems


class NotFound(WorkshopError):
    """An unknown join code, workshop, round or participant token."""


class PermissionDenied(WorkshopError):
    """Wrong facilitator key, or a participant reaching beyond their own place."""


class RoundNotOpen(WorkshopError):
    """An answer arrived for a round that is not open."""


class InvalidInput(WorkshopError):
    """Input that breaks a rule: out of range, unknown id, wrong round kind."""


class SetupLocked(InvalidInput):
    """Setup edits after the first round has opened."""


class NoResultsYet(WorkshopError):
    """Results were asked for a round nobody has answered."""


class DatabaseError(Exception):
    """Base class: the database failed (not a refusal, and not the user's fault)."""


class DatabaseOutage(DatabaseError):
    """Transient: the database is locked or busy, or its connection was refused or lost; try again."""


class DatabaseFault(DatabaseError):
    """Any other database error (a broken constraint, code and schema that disagree): trying again will not help."""
