"""A consultation round's settings as the store hands them back: its deadline, audience and share of the list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

#: The fewest answers a priority of a shared round needs before its place is read with confidence.
DEFAULT_SHARE_MINIMUM = 10
#: A share's seed when the facilitator gives none.
DEFAULT_SHARE_SEED = 0


class ShareMode(StrEnum):
    """How a participant's share of a round's priorities is chosen."""

    BALANCED = "balanced"  # k priorities, the fewest given out so far first, random among equals
    THEMES = "themes"  # the priorities of the themes the participant chooses


@dataclass(frozen=True)
class Share:
    """A round that gives each participant only part of its list."""

    mode: ShareMode
    size: int | None  # BALANCED: priorities per person; THEMES: None
    seed: int
    minimum: int  # answers a priority needs before its place is read with confidence

    @property
    def describe(self) -> str:
        if self.mode is ShareMode.THEMES:
            return "the themes each participant chooses"
        return f"{self.size} priorities, balanced across the list"


@dataclass(frozen=True)
class ConsultationSettings:
    """What a facilitator sets on a draft round to make it a consultation (every part optional)."""

    audience: tuple[int, ...] = ()  # stakeholder group ids; empty: everyone
    share: Share | None = None


@dataclass(frozen=True)
class MyShare:
    """The priorities a participant is asked about in a round, and which of them they have answered."""

    round_id: int
    mode: ShareMode | None  # None: the round has no share (every priority)
    priority_ids: tuple[int, ...]  # in the workshop's order; empty for THEMES until themes are chosen
    answered_ids: tuple[int, ...]  # those answered on every criterion, or on a ballot ("don't know", "Not sure" count)
    themes: tuple[str, ...] = ()  # THEMES: the themes chosen

    @property
    def chosen(self) -> bool:
        return bool(self.priority_ids)

    @property
    def left(self) -> tuple[int, ...]:
        """What the participant has left to do, in order."""
        done = set(self.answered_ids)
        return tuple(pid for pid in self.priority_ids if pid not in done)


@dataclass(frozen=True)
class PriorityCoverage:
    priority_id: int
    name: str
    given: int  # participants whose share holds it (no share: everyone the round is open to)
    answers: int  # the engine's response count (``WorkshopService.coverage`` says it for each kind of round)


@dataclass(frozen=True)
class RoundCoverage:
    """How far a consultation round has covered its list, for the facilitator and the board paper."""

    round_id: int
    minimum: int
    priorities: tuple[PriorityCoverage, ...]

    @property
    def below(self) -> tuple[PriorityCoverage, ...]:
        """The priorities with fewer answers than the minimum."""
        return tuple(p for p in self.priorities if p.answers < self.minimum)


def deadline_words(at: datetime) -> str:
    """ "5 July 2026, 17:00 UTC": how a closing time is written everywhere."""
    return f"{at.day} {at:%B %Y, %H:%M} UTC"


__all__ = [
    "DEFAULT_SHARE_MINIMUM",
    "DEFAULT_SHARE_SEED",
    "ConsultationSettings",
    "MyShare",
    "PriorityCoverage",
    "RoundCoverage",
    "Share",
    "ShareMode",
    "deadline_words",
]
