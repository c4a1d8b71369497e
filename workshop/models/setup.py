"""What a facilitator types or imports: field checks, self-checking setup specs and the settings' bounds."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from ranking.aggregate import DEFAULT_MIN_RESPONSES
from ranking.methods import RankingOptions
from ranking.model import Direction, RankingInputError
from ranking.robustness import RobustnessOptions
from ranking.weights import MAX_WEIGHT
from workshop.errors import InvalidInput
from workshop.models.converging import BallotRule, ConsensusSettings, workshop_consensus, workshop_scale
from workshop.models.workshop import (
    DEFAULT_SHORTLIST_SIZE,
    MAX_CRITERIA,
    MAX_GROUPS,
    MAX_NAME_LENGTH,
    MAX_PRIORITIES,
    MAX_SCALE_POINTS,
    MAX_TEXT_LENGTH,
    WeightMethod,
)

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


def _text(value: object, what: str, limit: int = MAX_TEXT_LENGTH) -> str:
    """``value`` as plain text of at most ``limit`` characters, or InvalidInput naming ``what``."""
    text = plain_text(value, what)
    if len(text) > limit:
        raise InvalidInput(f"The {what} is longer than {limit} characters.")
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
    #: What a young people's ballot shows instead of the name and description (optional).
    plain_title: str = ""
    plain_sentence: str = ""

    def __post_init__(self) -> None:
        name = _name(self.name, "priority")
        _set(self, "name", name)
        _set(self, "theme", _text(self.theme, f"theme of '{name}'"))
        _set(self, "description", _text(self.description, f"description of '{name}'"))
        _set(self, "evidence", _text(self.evidence, f"evidence for '{name}'"))
        _set(self, "plain_title", _text(self.plain_title, f"plain-language title of '{name}'", MAX_NAME_LENGTH))
        _set(self, "plain_sentence", _text(self.plain_sentence, f"plain-language sentence of '{name}'"))


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
    swing: float | None = None  # the swing given when the weights were set by swing (0..100)

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
        if self.swing is not None:
            swing = finite_number(self.swing, f"swing of '{name}'")
            if not 0 <= swing <= 100:
                raise InvalidInput(f"Criterion '{name}': the swing must be from 0 to 100, not {swing:g}.")
            _set(self, "swing", swing)


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
    consensus: ConsensusSettings = field(default_factory=ConsensusSettings)
    ballot_rule: BallotRule = BallotRule.BORDA

    def __post_init__(self) -> None:
        _set(self, "priorities", tuple(self.priorities))
        _set(self, "criteria", tuple(self.criteria))
        _set(self, "groups", tuple(self.groups))
        check_lists(self.priorities, self.criteria, self.groups)
        _set(self, "shortlist_size", check_shortlist_size(self.shortlist_size, len(self.priorities)))
        _set(self, "weight_method", WeightMethod(self.weight_method))
        _set(self, "ranking", workshop_ranking(self.ranking))
        _set(self, "robustness", workshop_robustness(self.robustness))
        _set(self, "ballot_rule", BallotRule(self.ballot_rule))
        scale = workshop_scale(self.criteria)
        _set(self, "consensus", workshop_consensus(self.consensus, scale))


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


__all__ = [
    "MAX_CONCENTRATION",
    "MAX_RESAMPLES",
    "MAX_SAMPLES",
    "MAX_SEED",
    "MIN_CONCENTRATION",
    "MIN_RESAMPLES",
    "MIN_SAMPLES",
    "CriterionSpec",
    "CriterionWeight",
    "GroupSpec",
    "PrioritySpec",
    "WorkshopDetails",
    "WorkshopSetup",
    "check_lists",
    "check_shortlist_size",
    "criterion_weight",
    "finite_number",
    "list_problems",
    "plain_text",
    "whole_number",
    "workshop_ranking",
    "workshop_robustness",
]
