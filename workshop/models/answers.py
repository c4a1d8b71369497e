"""What participants answer and the room has answered: saves, progress, audit entries, answer records."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, Protocol, TypeVar

import numpy as np

from workshop.models.workshop import ProgressStatus

# --------------------------------------------------------------------------- answers


class AboutCell(Protocol):
    """Anything about one cell of a scoring round: a priority on a criterion."""

    @property
    def priority_id(self) -> int: ...

    @property
    def criterion_id(self) -> int: ...


C = TypeVar("C", bound=AboutCell)


def cell_of(items: Iterable[C], priority_id: int, criterion_id: int) -> C | None:
    """The first of ``items`` about the cell (``priority_id``, ``criterion_id``), or None."""
    return next((i for i in items if i.priority_id == priority_id and i.criterion_id == criterion_id), None)


@dataclass(frozen=True)
class SaveReceipt:
    saved_at: datetime
    version: int  # the workshop's change counter after this write


@dataclass(frozen=True)
class ScoreEntry:
    priority_id: int
    criterion_id: int
    value: float | None  # None = "don't know"


@dataclass(frozen=True)
class MyScores:
    round_id: int
    entries: tuple[ScoreEntry, ...]

    def entry(self, priority_id: int, criterion_id: int) -> ScoreEntry | None:
        """The saved answer for a cell, or None if the cell is unanswered."""
        return cell_of(self.entries, priority_id, criterion_id)


@dataclass(frozen=True)
class CriterionPoints:
    criterion_id: int
    points: int


@dataclass(frozen=True)
class MyAllocation:
    round_id: int
    points: tuple[CriterionPoints, ...]  # empty until submitted

    @property
    def total(self) -> int:
        return sum(p.points for p in self.points)


@dataclass(frozen=True)
class MyRanking:
    round_id: int
    priority_ids: tuple[int, ...]  # best first; empty until submitted


@dataclass(frozen=True)
class ParticipantProgress:
    participant_id: int
    label: str
    group: str | None
    answered: int
    total: int
    last_seen: datetime
    status: ProgressStatus

    @property
    def started(self) -> bool:
        return self.status is not ProgressStatus.NOT_STARTED

    @property
    def done(self) -> bool:
        return self.status is ProgressStatus.DONE


@dataclass(frozen=True)
class Progress:
    round_id: int
    participants: tuple[ParticipantProgress, ...]

    @property
    def joined(self) -> int:
        return len(self.participants)

    @property
    def started(self) -> int:
        return sum(p.started for p in self.participants)

    @property
    def done(self) -> int:
        return sum(p.done for p in self.participants)

    @property
    def answered(self) -> int:
        return sum(p.answered for p in self.participants)

    @property
    def total(self) -> int:
        return sum(p.total for p in self.participants)


@dataclass(frozen=True)
class RoomProgress:
    """How far the room has got with a round, as counts only (for public screens)."""

    joined: int
    started: int
    finished: int
    answered: int  # answers given, over everyone who joined
    expected: int  # answers a complete round needs from everyone who joined

    @classmethod
    def of(cls, progress: Progress) -> RoomProgress:
        return cls(progress.joined, progress.started, progress.done, progress.answered, progress.total)

    @property
    def percent(self) -> float:
        return 100 * self.answered / self.expected if self.expected else 0.0


# --------------------------------------------------------------------------- decision and audit


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str  # "facilitator", "participant:<id>" or "system"
    action: str
    detail: str


# --------------------------------------------------------------------------- the room's answers


@dataclass(frozen=True)
class ScoreRecord:
    participant_id: int
    priority_id: int
    criterion_id: int
    value: float | None
    reason: str | None = None  # why the answer moved across the scale ("ask why answers changed"); optional


@dataclass(frozen=True, eq=False)
class ScoreTable:
    """A round's scores as columns, one row per answered cell: what results
    are computed from.  A 300-person round has 48,000 cells, and making a
    Python object of each (and collecting them) took longer than ranking."""

    participant_ids: np.ndarray  # int64
    priority_ids: np.ndarray  # int64
    criterion_ids: np.ndarray  # int64
    values: np.ndarray  # float64; NaN = "don't know"


@dataclass(frozen=True)
class AllocationRecord:
    participant_id: int
    criterion_id: int
    points: int


@dataclass(frozen=True)
class RankingRecord:
    participant_id: int
    priority_id: int
    position: int  # 1 = first choice


@dataclass(frozen=True)
class BallotRecord:
    """One answer of a young people's ballot (``workshop.ballot``): 1..3, None = "not sure"."""

    participant_id: int
    priority_id: int
    value: int | None


R = TypeVar("R", ScoreRecord, AllocationRecord, RankingRecord, BallotRecord)


@dataclass(frozen=True)
class Stamped(Generic[R]):
    """A stored answer with the time it was last changed (archives, batch saves)."""

    record: R
    at: datetime


@dataclass(frozen=True)
class SyncCount:
    """What replacing a setup list did, for the audit log."""

    added: int
    kept: int
    removed: int


__all__ = [
    "AboutCell",
    "AllocationRecord",
    "AuditEntry",
    "BallotRecord",
    "CriterionPoints",
    "MyAllocation",
    "MyRanking",
    "MyScores",
    "ParticipantProgress",
    "Progress",
    "RankingRecord",
    "RoomProgress",
    "SaveReceipt",
    "ScoreEntry",
    "ScoreRecord",
    "ScoreTable",
    "Stamped",
    "SyncCount",
    "cell_of",
]
