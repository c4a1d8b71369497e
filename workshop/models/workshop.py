"""The workshop as the store hands it back: limits, enums, and its priorities, criteria, rounds, people."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import TypeVar

from ranking import model as engine
from ranking.methods import RankingOptions
from ranking.robustness import RobustnessOptions
from workshop.decision import shortlist_places
from workshop.models.consultation import Share, deadline_words
from workshop.models.converging import BallotRule, ConsensusSettings

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
    SWING = "swing"  # the criteria ordered by the swing from worst to best, the first 100 (ranking.swing)


class FeedbackSplit(StrEnum):
    """How a follow-up round shows the room's earlier answers: by stakeholder group, or the whole room."""

    GROUPS = "groups"
    ROOM = "room"


@dataclass(frozen=True)
class FeedbackSettings:
    """A scoring round's feedback between rounds (``workshop.feedback``), set by the facilitator.

    ``split``: the room's earlier answers by stakeholder group (the default, as the trials of
    group feedback recommend) or as the whole room.  ``preselect``: start each card on the
    participant's earlier answers (kept for this round when the card is first shown; off by
    default, so that people re-think).  ``ask_why``: ask "why did you change?" when an answer
    moves between the bottom and the top third of the scale."""

    split: FeedbackSplit = FeedbackSplit.GROUPS
    preselect: bool = False
    ask_why: bool = False


class ProgressStatus(StrEnum):
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    DONE = "done"


# --------------------------------------------------------------------------- stored objects


@dataclass(frozen=True, kw_only=True)
class Priority(engine.Priority):
    """A stored priority: the engine's (name, theme, description) with its id, place and evidence."""

    id: int
    position: int
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


@dataclass(frozen=True, kw_only=True)
class Criterion(engine.Criterion):
    """A stored criterion: the engine's (name, weight, direction, scale) on a whole-number scale,
    with its id, place and one descriptor per scale point."""

    id: int
    position: int
    scale_min: int
    scale_max: int
    descriptors: tuple[str, ...]
    #: The swing the facilitator gave the criterion (0..100) when the weights were set by swing, else None.
    swing: float | None = None

    def _checked_weight(self) -> float:
        """As the engine's, except that NaN is kept: the weight hidden from a keyless read
        (``Workshop.weights_hidden``; such a criterion is for showing, never for ranking)."""
        if isinstance(self.weight, float) and math.isnan(self.weight):
            return self.weight
        return super()._checked_weight()

    def __post_init__(self) -> None:
        super().__post_init__()
        for bound in ("scale_min", "scale_max"):
            value = getattr(self, bound)
            if value != int(value):
                raise engine.RankingInputError(f"criterion {self.name!r}: the scale's bounds must be whole numbers")
            object.__setattr__(self, bound, int(value))

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


def state_at(state: RoundState, closes_at: datetime | None, now: datetime) -> RoundState:
    """A round's state at ``now``: an open round whose closing time has come is closed (the deadline rule)."""
    if state is RoundState.OPEN and closes_at is not None and now >= closes_at:
        return RoundState.CLOSED
    return state


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
    #: How a scoring round shows the earlier round's answers (migration 6; defaults for older rounds).
    feedback: FeedbackSettings = field(default_factory=FeedbackSettings)
    #: A consultation's closing time: the round is closed from then on, whoever has a page open
    #: (``as_of``); None: it closes when the facilitator closes it.
    closes_at: datetime | None = None
    #: The stakeholder group ids the round is for (empty: everyone).
    audience: tuple[int, ...] = ()
    #: Each participant answers only part of the list (None: every priority).
    share: Share | None = None
    #: A young people's ballot (``workshop.ballot``): a scoring round of one plain question, no names.
    young_ballot: bool = False

    def as_of(self, now: datetime) -> Round:
        """The round as it stands at ``now``: an open round whose closing time has come is closed,
        closed at that time.  The one place the deadline rule lives; the store applies it to every
        round it reads (``workshop.store``), so every view and every save sees the same state."""
        if state_at(self.state, self.closes_at, now) is not self.state:
            return replace(self, state=RoundState.CLOSED, closed_at=self.closes_at)
        return self

    @property
    def closed_by_deadline(self) -> bool:
        """Closed because its closing time came (not by the facilitator)."""
        return self.state is RoundState.CLOSED and self.closes_at is not None and self.closed_at == self.closes_at

    @property
    def is_consultation(self) -> bool:
        """A round that reached beyond the room: a young people's ballot, or a round with a closing
        time, an audience or a share of the list."""
        return self.young_ballot or self.closes_at is not None or bool(self.audience) or self.share is not None

    def open_to(self, group_id: int | None) -> bool:
        """Whether a participant of this group is asked to answer it."""
        return not self.audience or group_id in self.audience

    @property
    def deadline_sentence(self) -> str:
        """ "Open until 5 July 2026, 17:00 UTC." or "Closed at …", or "" for a live round."""
        if self.closes_at is None:
            return ""
        if self.state is RoundState.OPEN:
            return f"Open until {deadline_words(self.closes_at)}."
        if self.closed_by_deadline:
            return f"Closed at {deadline_words(self.closes_at)}."
        return ""

    @property
    def label(self) -> str:
        return self.labelled(self.title)

    def labelled(self, title: str) -> str:
        """The label with ``title`` for the round's title (the UI passes it escaped for markdown)."""
        return f"{self.short_label}: {title}"

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
    #: The stated consensus rule (set on the Results page; the board paper states it).
    consensus: ConsensusSettings = field(default_factory=ConsensusSettings)
    #: How ranking rounds' ballots are tallied: pooled Borda or group-fair (set on the Results page).
    ballot_rule: BallotRule = BallotRule.BORDA

    @property
    def current_round(self) -> Round | None:
        """The open round, else the latest round that has been open, else None."""
        return current_round(self.rounds)

    def current_round_for(self, group: str | None) -> Round | None:
        """``current_round`` among the rounds a participant of ``group`` (a group's name) is asked to answer."""
        ids = {g.name: g.id for g in self.groups}
        return current_round([r for r in self.rounds if r.open_to(ids.get(group or ""))])

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
    #: Every round's state (as of the read): with consultations for several audiences open at once, a
    #: participant's round need not be the current one, and its closing time must redraw their page too.
    rounds: tuple[RoundStage, ...] = ()


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
    group_id: int | None = None  # the stakeholder group's id (which consultation rounds are theirs: ``Round.open_to``)
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
    "FeedbackSettings",
    "FeedbackSplit",
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
    "state_at",
]
