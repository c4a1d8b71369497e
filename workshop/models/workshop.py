"""The workshop as the store hands it back: limits, enums, and its priorities, criteria, rounds, people."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import TypeVar

from ranking.methods import RankingOptions
from ranking.model import Direction
from ranking.robustness import RobustnessOptions
from workshop.decision import shortlist_places

MAX_PRIORITIES = 200
MAX_CRITERIA = 12
MAX_GROUPS = 50
MAX_SCALE_POINTS = 11
MAX_NAME_LENGTH = 200
MAX_TEXT_LENGTH = 5000
ALLOCATION_POINTS = 100
DEFAULT_SHORTLIST_SIZE = 5


class RoundKind(StrEnum):
    WEIGHTING = "weighting"  # split 100 points across the criteria
    SCORING = "scoring"  # score each priority on each criterion
    RANKING = "ranking"  # order the round's priorities, or pick the top N


class RoundState(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    REVEALED = "revealed"


class WeightMethod(StrEnum):
    """How the criteria's weights were set (recorded for the board paper)."""

    DIRECT = "direct"
    RANK_ORDER = "rank order"
    PAIRWISE = "pairwise"
    PARTICIPANTS = "participants"


class ProgressStatus(StrEnum):
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    DONE = "done"


# --------------------------------------------------------------------------- stored objects


@dataclass(frozen=True)
class Priority:
    id: int
    position: int
    name: str
    theme: str
    description: str
    evidence: str
    #: A young people's ballot shows these instead of the name and description (blank: not written).
    plain_title: str = ""
    plain_sentence: str = ""

    @property
    def ballot_title(self) -> str:
        """What a young people's ballot calls the priority: its plain-language title, else its name."""
        return self.plain_title or self.name

    @property
    def ballot_sentence(self) -> str:
        """The one sentence a young people's ballot shows: the plain one, else the description."""
        return self.plain_sentence or self.description


@dataclass(frozen=True)
class Criterion:
    id: int
    position: int
    name: str
    description: str
    direction: Direction
    scale_min: int
    scale_max: int
    descriptors: tuple[str, ...]
    weight: float

    @property
    def scale_points(self) -> tuple[int, ...]:
        return tuple(range(self.scale_min, self.scale_max + 1))

    def accepts(self, value: float) -> bool:
        return self.scale_min <= value <= self.scale_max


@dataclass(frozen=True)
class Group:
    id: int
    position: int
    name: str
    description: str


@dataclass(frozen=True)
class Round:
    id: int
    workshop_id: int
    number: int
    title: str
    kind: RoundKind
    state: RoundState
    priority_ids: tuple[int, ...]  # in the workshop's order; empty for weighting rounds
    pick_count: int | None  # ranking rounds: pick the top N; None = order them all
    created_at: datetime
    opened_at: datetime | None
    closed_at: datetime | None
    revealed_at: datetime | None
    #: A young people's ballot (``workshop.ballot``): a scoring round of one plain question, no names.
    young_ballot: bool = False

    @property
    def label(self) -> str:
        return f"Round {self.number}: {self.title}"

    @property
    def short_label(self) -> str:
        """ "Round 2": how messages name the round."""
        return f"Round {self.number}"

    @property
    def ranking_length(self) -> int:
        """How many priorities a complete ranking lists."""
        return self.pick_count or len(self.priority_ids)


@dataclass(frozen=True)
class Workshop:
    id: int
    code: str
    title: str
    organisation: str
    date: date | None
    description: str
    shortlist_size: int
    weight_method: WeightMethod
    created_at: datetime
    setup_locked: bool  # True once any round has opened
    version: int
    priorities: tuple[Priority, ...]
    criteria: tuple[Criterion, ...]
    groups: tuple[Group, ...]
    rounds: tuple[Round, ...]
    #: How this workshop's scoring rounds are ranked: chosen by the facilitator on the Results page,
    #: used by the projector, participants' results, the Agree page and every export.
    ranking: RankingOptions = field(default_factory=RankingOptions)
    #: The SMAA and bootstrap settings: set on the Results page, used there and by every export.
    robustness: RobustnessOptions = field(default_factory=RobustnessOptions)
    #: True in a public read (no key) while the criteria's weights are the room's weights from a weighting
    #: round that has not been revealed: each criterion's weight is then NaN (not known to the room).
    weights_hidden: bool = False
    #: The most participants the workshop takes (None: no cap; removed participants do not count).
    participant_cap: int | None = None

    @property
    def current_round(self) -> Round | None:
        """The open round, else the latest round that has been open, else None."""
        return current_round(self.rounds)

    def shortlist_places(self, among: Round | int) -> int:
        """The shortlist's places for a round (or among that many priorities):
        the shortlist size, or every priority when there are fewer."""
        return shortlist_places(self.shortlist_size, among)


R = TypeVar("R", bound="Round | RoundStage")


def current_round(rounds: Sequence[R]) -> R | None:
    """The open round, else the latest (in order) that has been open, else None."""
    for rnd in rounds:
        if rnd.state is RoundState.OPEN:
            return rnd
    started = [r for r in rounds if r.state is not RoundState.DRAFT]
    return started[-1] if started else None


@dataclass(frozen=True)
class RoundStage:
    id: int
    state: RoundState


@dataclass(frozen=True)
class Stage:
    """What a participant's page shows: the current round, its state and the
    agreed shortlist.  Cheap to read, so pages can poll it often and redraw
    only when it changes (answers change the version counter, not the stage)."""

    round_id: int | None
    round_state: RoundState | None
    decision_id: int | None


@dataclass(frozen=True)
class WorkshopSummary:
    id: int
    code: str
    title: str
    organisation: str
    date: date | None
    created_at: datetime


@dataclass(frozen=True)
class Participant:
    id: int
    workshop_id: int
    number: int  # join order within the workshop, from 1
    display_name: str | None
    group: str | None
    joined_at: datetime
    last_seen: datetime
    token: str = field(default="", repr=False)  # only on join/resume; the store keeps a hash
    removed_at: datetime | None = None  # when the facilitator removed them: their link is refused from then on
    age_band: str | None = None  # a young people's ballot may ask for one (workshop.ballot.AGE_BANDS)

    @property
    def label(self) -> str:
        return self.display_name or f"Anonymous {self.number}"


__all__ = [
    "ALLOCATION_POINTS",
    "DEFAULT_SHORTLIST_SIZE",
    "MAX_CRITERIA",
    "MAX_GROUPS",
    "MAX_NAME_LENGTH",
    "MAX_PRIORITIES",
    "MAX_SCALE_POINTS",
    "MAX_TEXT_LENGTH",
    "Criterion",
    "Group",
    "Participant",
    "Priority",
    "ProgressStatus",
    "Round",
    "RoundKind",
    "RoundStage",
    "RoundState",
    "Stage",
    "WeightMethod",
    "Workshop",
    "WorkshopSummary",
    "current_round",
]
