"""The workshop's domain objects: frozen dataclasses, no behaviour beyond
validating themselves and a few lookups.

``*Spec`` classes are what a facilitator types or imports (no ids yet);
they check their own fields on construction and raise ``InvalidInput``
with a message naming the item.  The other classes are what the store hands
back, with ids and positions.
"""

from __future__ import annotations

from workshop.decision import Decision, DecisionDraft, Departure, DepartureReason, ShortlistEntry  # noqa: F401
from workshop.models import answers, plan, setup, workshop
from workshop.models.answers import *  # noqa: F403  (every name in answers.__all__)
from workshop.models.plan import *  # noqa: F403
from workshop.models.setup import *  # noqa: F403
from workshop.models.workshop import *  # noqa: F403

# Every name of the four modules, and the decision's types (they live in workshop.decision).
_DECISION = ["Decision", "DecisionDraft", "Departure", "DepartureReason", "ShortlistEntry"]
__all__ = sorted([*answers.__all__, *plan.__all__, *setup.__all__, *workshop.__all__, *_DECISION])
