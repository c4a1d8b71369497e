"""The workshop's domain objects: frozen dataclasses, no behaviour beyond
validating themselves and a few lookups.

``*Spec`` classes are what a facilitator types or imports (no ids yet);
they check their own fields on construction and raise ``InvalidInput``
with a message naming the item.  The other classes are what the store hands
back, with ids and positions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Generic, TypeVar

import numpy as np

from ranking.aggregate import DEFAULT_MIN_RESPONSES
from ranking.methods import RankingOptions
from ranking.model import Direction, RankingInputError
from ranking.robustness import RobustnessOptions
from ranking.weights import MAX_WEIGHT

# The decision's types live in workshop.decision; re-exported here for the modules that import them from models.
from workshop.decision import Decision as Decision
from workshop.decision import DecisionDraft as DecisionDraft
from workshop.decision import Departure as Departure
from workshop.decision import DepartureReason as DepartureReason
from workshop.decision import ShortlistEntry as ShortlistEntry
from workshop.errors import InvalidInput

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


# --------------------------------------------------------------------------- field checks


#: C0 control characters other than tab, newline and carriage return.  PostgreSQL cannot store
#: NUL in text, and none of them belongs in a name or a reason, so they are refused everywhere.
_CONTROL = frozenset(chr(c) for c in range(32) if chr(c) not in "\t\n\r") | {"\x7f"}


def plain_text(value: object, what: str) -> str:
    """``value`` as stripped text, refusing control characters (NUL and the like)."""
    text = str(value if value is not None else "").strip()
    if any(ch in _CONTROL for ch in text):
        raise InvalidInput(f"The {what} contains a control character; type it again without it.")
    return text


def _name(value: object, what: str) -> str:
    text = plain_text(value, f"{what} name")
    if not text:
        raise InvalidInput(f"A {what} has no name.")
    if len(text) > MAX_NAME_LENGTH:
        raise InvalidInput(f"The {what} name '{text[:40]}…' is longer than {MAX_NAME_LENGTH} characters.")
    return text


def _text(value: object, what: str) -> str:
    text = plain_text(value, what)
    if len(text) > MAX_TEXT_LENGTH:
        raise InvalidInput(f"The {what} is longer than {MAX_TEXT_LENGTH} characters.")
    return text


def whole_number(value: object, what: str) -> int:
    """``value`` as an int; 3.0 is accepted, 3.5, True and "3" are not."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(f"The {what} must be a whole number, not {value!r}.")
    if isinstance(value, float) and not value.is_integer():
        raise InvalidInput(f"The {what} must be a whole number, not {value:g}.")
    return int(value)


def finite_number(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInput(f"The {what} must be a number, not {value!r}.")
    return float(value)


def criterion_weight(value: object, criterion: str) -> float:
    """A criterion's weight, or InvalidInput naming the criterion: a number
    from 0 to ``MAX_WEIGHT`` (the engine's cap, so it normalises safely)."""
    weight = finite_number(value, f"weight of '{criterion}'")
    if weight < 0:
        raise InvalidInput(f"Criterion '{criterion}': the weight must not be negative.")
    if weight > MAX_WEIGHT:
        raise InvalidInput(
            f"Criterion '{criterion}': the weight {weight:g} is too large. Weights are relative, "
            f"so use numbers from 0 to {MAX_WEIGHT:,.0f} in the same proportions."
        )
    return weight


def _set(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, value)


# --------------------------------------------------------------------------- setup specs


@dataclass(frozen=True)
class PrioritySpec:
    name: str
    theme: str = ""
    description: str = ""
    evidence: str = ""

    def __post_init__(self) -> None:
        name = _name(self.name, "priority")
        _set(self, "name", name)
        _set(self, "theme", _text(self.theme, f"theme of '{name}'"))
        _set(self, "description", _text(self.description, f"description of '{name}'"))
        _set(self, "evidence", _text(self.evidence, f"evidence for '{name}'"))


@dataclass(frozen=True)
class CriterionSpec:
    """A criterion as set up.  ``descriptors`` describe the scale points from
    ``scale_min`` upwards; missing ones are padded with ``""`` so there is
    always exactly one per point."""

    name: str
    description: str = ""
    direction: Direction = Direction.BENEFIT
    scale_min: int = 1
    scale_max: int = 5
    descriptors: tuple[str, ...] = ()
    weight: float = 1.0

    def __post_init__(self) -> None:
        name = _name(self.name, "criterion")
        _set(self, "name", name)
        _set(self, "description", _text(self.description, f"description of '{name}'"))
        try:
            _set(self, "direction", Direction.parse(self.direction))
        except RankingInputError:
            raise InvalidInput(
                f"Criterion '{name}': the direction must be 'benefit' or 'cost', not {self.direction!r}."
            ) from None
        low = whole_number(self.scale_min, f"scale minimum of '{name}'")
        high = whole_number(self.scale_max, f"scale maximum of '{name}'")
        if high <= low:
            raise InvalidInput(f"Criterion '{name}': the scale maximum ({high}) must be above the minimum ({low}).")
        points = high - low + 1
        if points > MAX_SCALE_POINTS:
            raise InvalidInput(
                f"Criterion '{name}': a scale of {low}..{high} has {points} points; the limit is {MAX_SCALE_POINTS}."
            )
        descriptors = tuple(_text(d, f"descriptor of '{name}'") for d in self.descriptors)
        if len(descriptors) > points:
            raise InvalidInput(
                f"Criterion '{name}': {len(descriptors)} descriptors for a scale of {points} points ({low}..{high})."
            )
        _set(self, "scale_min", low)
        _set(self, "scale_max", high)
        _set(self, "descriptors", descriptors + ("",) * (points - len(descriptors)))
        _set(self, "weight", criterion_weight(self.weight, name))


@dataclass(frozen=True)
class GroupSpec:
    name: str
    description: str = ""

    def __post_init__(self) -> None:
        name = _name(self.name, "stakeholder group")
        _set(self, "name", name)
        _set(self, "description", _text(self.description, f"description of '{name}'"))


def list_problems(names: list[str], what: str, plural: str, limit: int) -> list[str]:
    """Duplicate names (ignoring case) and a list longer than ``limit``."""
    problems = []
    if len(names) > limit:
        problems.append(f"There are {len(names)} {plural}; the limit is {limit}.")
    seen: set[str] = set()
    for name in names:
        if name.casefold() in seen:
            problems.append(f"The {what} '{name}' appears more than once.")
        seen.add(name.casefold())
    return problems


def check_lists(
    priorities: tuple[PrioritySpec, ...], criteria: tuple[CriterionSpec, ...], groups: tuple[GroupSpec, ...]
) -> None:
    """Raise ``InvalidInput`` listing every duplicate name and over-long list."""
    problems = [
        *list_problems([p.name for p in priorities], "priority", "priorities", MAX_PRIORITIES),
        *list_problems([c.name for c in criteria], "criterion", "criteria", MAX_CRITERIA),
        *list_problems([g.name for g in groups], "stakeholder group", "stakeholder groups", MAX_GROUPS),
    ]
    if problems:
        raise InvalidInput(problems[0] if len(problems) == 1 else "The setup has problems.", tuple(problems))


def check_shortlist_size(size: object, n_priorities: int) -> int:
    value = whole_number(size, "shortlist size")
    if value < 1:
        raise InvalidInput("The shortlist needs at least one place.")
    if n_priorities and value > n_priorities:
        raise InvalidInput(f"The shortlist ({value}) cannot be longer than the list of priorities ({n_priorities}).")
    return value


@dataclass(frozen=True)
class CriterionWeight:
    criterion_id: int
    weight: float


@dataclass(frozen=True)
class WorkshopDetails:
    """The parts of a workshop that may change at any time."""

    title: str
    organisation: str = ""
    date: date | None = None
    description: str = ""

    def __post_init__(self) -> None:
        title = _text(self.title, "workshop title")
        if not title:
            raise InvalidInput("The workshop needs a title.")
        if len(title) > MAX_NAME_LENGTH:
            raise InvalidInput(f"The workshop title is longer than {MAX_NAME_LENGTH} characters.")
        _set(self, "title", title)
        _set(self, "organisation", _text(self.organisation, "organisation"))
        _set(self, "description", _text(self.description, "workshop description"))


@dataclass(frozen=True)
class WorkshopSetup:
    """Everything needed to create a workshop.  ``weighting_round`` adds a
    weighting round before the default scoring round."""

    details: WorkshopDetails
    priorities: tuple[PrioritySpec, ...] = ()
    criteria: tuple[CriterionSpec, ...] = ()
    groups: tuple[GroupSpec, ...] = ()
    shortlist_size: int = DEFAULT_SHORTLIST_SIZE
    weight_method: WeightMethod = WeightMethod.DIRECT
    weighting_round: bool = False
    ranking: RankingOptions = field(default_factory=RankingOptions)
    robustness: RobustnessOptions = field(default_factory=RobustnessOptions)

    def __post_init__(self) -> None:
        _set(self, "priorities", tuple(self.priorities))
        _set(self, "criteria", tuple(self.criteria))
        _set(self, "groups", tuple(self.groups))
        check_lists(self.priorities, self.criteria, self.groups)
        _set(self, "shortlist_size", check_shortlist_size(self.shortlist_size, len(self.priorities)))
        _set(self, "weight_method", WeightMethod(self.weight_method))
        _set(self, "ranking", workshop_ranking(self.ranking))
        _set(self, "robustness", workshop_robustness(self.robustness))


def workshop_ranking(options: object) -> RankingOptions:
    """``options`` as a workshop stores them: the method, mean or median, and
    whether each stakeholder group counts equally (what the Results page
    chooses).  Normalisation is always the method's own and the response
    threshold the engine's default, so options that change either are refused
    rather than silently stored as something else."""
    if not isinstance(options, RankingOptions):
        raise InvalidInput(f"The ranking options must be RankingOptions, not {type(options).__name__}.")
    stored = RankingOptions(options.method, None, options.aggregation, bool(options.balance_groups))
    if options.normalization is not stored.normalization:
        raise InvalidInput(
            f"A workshop's ranking uses the method's own normalisation ({stored.normalization.value} for "
            f"{stored.method.label}), not {options.normalization.value}."
        )
    if options.min_responses != DEFAULT_MIN_RESPONSES:
        raise InvalidInput(f"A workshop's ranking flags cells with fewer than {DEFAULT_MIN_RESPONSES} responses.")
    return stored


#: The bounds a workshop's robustness settings keep to (the Results page's controls offer the same).
MIN_SAMPLES, MAX_SAMPLES = 100, 100_000
MIN_RESAMPLES, MAX_RESAMPLES = 50, 10_000
MAX_SEED = 2**31 - 1  # an INTEGER column on SQLite and PostgreSQL
MIN_CONCENTRATION, MAX_CONCENTRATION = 1.0, 1_000.0


def _bounded(value: object, what: str, low: int, high: int) -> int:
    number = whole_number(value, what)
    if not low <= number <= high:
        raise InvalidInput(f"The {what} must be from {low:,} to {high:,}, not {number:,}.")
    return number


def workshop_robustness(options: object) -> RobustnessOptions:
    """``options`` as a workshop stores them, each within its bounds: a
    sample count the screen can draw at once (and the exports use too), a
    seed that fits the database, a positive concentration."""
    if not isinstance(options, RobustnessOptions):
        raise InvalidInput(f"The robustness settings must be RobustnessOptions, not {type(options).__name__}.")
    concentration = finite_number(options.concentration, "concentration")
    if not MIN_CONCENTRATION <= concentration <= MAX_CONCENTRATION:
        raise InvalidInput(
            f"The concentration must be from {MIN_CONCENTRATION:g} to {MAX_CONCENTRATION:,g}, not {concentration:g}."
        )
    return RobustnessOptions(
        sampling=options.sampling,
        samples=_bounded(options.samples, "number of weight samples", MIN_SAMPLES, MAX_SAMPLES),
        seed=_bounded(options.seed, "SMAA seed", 0, MAX_SEED),
        concentration=concentration,
        resamples=_bounded(options.resamples, "number of bootstrap resamples", MIN_RESAMPLES, MAX_RESAMPLES),
        bootstrap_seed=_bounded(options.bootstrap_seed, "bootstrap seed", 0, MAX_SEED),
    )


# --------------------------------------------------------------------------- stored objects


@dataclass(frozen=True)
class Priority:
    id: int
    position: int
    name: str
    theme: str
    description: str
    evidence: str


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

    @property
    def current_round(self) -> Round | None:
        """The open round, else the latest round that has been open, else None."""
        return current_round(self.rounds)


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

    @property
    def label(self) -> str:
        return self.display_name or f"Anonymous {self.number}"


# --------------------------------------------------------------------------- answers


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
        for e in self.entries:
            if e.priority_id == priority_id and e.criterion_id == criterion_id:
                return e
        return None


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


@dataclass(frozen=True)
class Progress:
    round_id: int
    participants: tuple[ParticipantProgress, ...]

    @property
    def joined(self) -> int:
        return len(self.participants)

    @property
    def started(self) -> int:
        return sum(p.status is not ProgressStatus.NOT_STARTED for p in self.participants)

    @property
    def done(self) -> int:
        return sum(p.status is ProgressStatus.DONE for p in self.participants)

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


R = TypeVar("R", ScoreRecord, AllocationRecord, RankingRecord)


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
