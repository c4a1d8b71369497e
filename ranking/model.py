"""Domain objects of the decision engine.

Everything here is a frozen dataclass.  Arrays held by dataclasses are made
read-only on construction so a result can be shared between sessions and
threads without anyone mutating it.

Conventions (see docs/ARCHITECTURE.md §3):

* scores are an array ``participants × priorities × criteria``; ``NaN`` means
  "don't know";
* a criterion's direction is ``benefit`` (higher is better) or ``cost``
  (lower is better);
* a criterion's scale bounds (``scale_min``/``scale_max``) are the ends of the
  scale participants scored on; ``None`` means "use the observed range".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Self

import numpy as np


class RankingInputError(ValueError):
    """Bad input to the engine.  The message names the offending item."""


class Choice(StrEnum):
    """A closed set of named options, read from text by ``parse`` with one kind of message.

    ``Direction.parse("Cost")`` is ``Direction.COST``; an unknown value raises
    ``RankingInputError`` naming the setting (the class name in words) and its options."""

    @classmethod
    def parse(cls, value: str | Self, where: str = "") -> Self:
        if isinstance(value, cls):
            return value
        text = str(value).strip().lower()
        for member in cls:
            if member.value == text:
                return member
        values = [member.value for member in cls]
        options = f"'{values[0]}' or '{values[1]}'" if len(values) == 2 else "one of " + ", ".join(values)
        what = re.sub(r"(?<!^)(?=[A-Z])", " ", cls.__name__).lower()
        suffix = f" for {where}" if where else ""
        raise RankingInputError(f"{what}{suffix} must be {options}, not {value!r}")


class Direction(Choice):
    BENEFIT = "benefit"
    COST = "cost"


def frozen_array(values: object, dtype: type = float) -> np.ndarray:
    """A read-only copy of ``values`` as a numpy array."""
    array = np.array(values, dtype=dtype, copy=True)
    array.setflags(write=False)
    return array


def _number(value: object, what: str) -> float:
    """``value`` as a float, or a RankingInputError naming ``what``."""
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise RankingInputError(f"{what} must be a number, not {value!r}") from None


@dataclass(frozen=True)
class Criterion:
    name: str
    weight: float = 1.0
    direction: Direction = Direction.BENEFIT
    scale_min: float | None = 1.0
    scale_max: float | None = 5.0
    description: str = ""

    def __post_init__(self) -> None:
        if not str(self.name).strip():
            raise RankingInputError("a criterion has no name")
        object.__setattr__(self, "direction", Direction.parse(self.direction, f"criterion {self.name!r}"))
        object.__setattr__(self, "weight", self._checked_weight())
        if (self.scale_min is None) != (self.scale_max is None):
            raise RankingInputError(
                f"criterion {self.name!r}: give both scale bounds or neither"
            )
        if self.scale_min is not None and self.scale_max is not None:
            lo = _number(self.scale_min, f"criterion {self.name!r}: scale minimum")
            hi = _number(self.scale_max, f"criterion {self.name!r}: scale maximum")
            if not (np.isfinite(lo) and np.isfinite(hi)) or hi <= lo:
                raise RankingInputError(
                    f"criterion {self.name!r}: scale maximum must be above the minimum (got {lo:g}..{hi:g})"
                )
            object.__setattr__(self, "scale_min", lo)
            object.__setattr__(self, "scale_max", hi)

    def _checked_weight(self) -> float:
        """The weight as a float, or a RankingInputError unless it is a non-negative number."""
        weight = _number(self.weight, f"criterion {self.name!r}: weight")
        if not np.isfinite(weight) or weight < 0:
            raise RankingInputError(f"criterion {self.name!r}: weight must be a non-negative number, not {weight:g}")
        return weight

    @property
    def is_cost(self) -> bool:
        return self.direction is Direction.COST

    @property
    def has_scale(self) -> bool:
        return self.scale_min is not None


@dataclass(frozen=True)
class Priority:
    name: str
    theme: str = ""
    description: str = ""

    def __post_init__(self) -> None:
        if not str(self.name).strip():
            raise RankingInputError("a priority has no name")


def _unique(names: Sequence[str], what: str) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise RankingInputError(f"{what} {name!r} appears more than once")
        seen.add(name)


@dataclass(frozen=True, eq=False)
class ScoreSet:
    """The scores of a room: ``participants × priorities × criteria``.

    ``groups[p]`` is participant ``p``'s stakeholder group (``""`` when the
    workshop does not use groups).  A single evaluation matrix (one analyst,
    no participants) is a ScoreSet with one participant.
    """

    priorities: tuple[Priority, ...]
    criteria: tuple[Criterion, ...]
    scores: np.ndarray
    participants: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        priorities = tuple(self.priorities)
        criteria = tuple(self.criteria)
        if not priorities:
            raise RankingInputError("there are no priorities to rank")
        if not criteria:
            raise RankingInputError("there are no criteria")
        _unique([p.name for p in priorities], "priority")
        _unique([c.name for c in criteria], "criterion")
        try:
            scores = np.array(self.scores, dtype=float, copy=True)
        except (TypeError, ValueError) as exc:
            raise RankingInputError(f"scores must be numbers: {exc}") from None
        if scores.ndim == 2:
            scores = scores[None, :, :]
        if scores.ndim != 3 or scores.shape[1:] != (len(priorities), len(criteria)):
            raise RankingInputError(
                f"scores must have shape participants × {len(priorities)} priorities × "
                f"{len(criteria)} criteria, not {scores.shape}"
            )
        if scores.shape[0] == 0:
            raise RankingInputError("there are no participants' scores")
        if np.isinf(scores).any():
            raise RankingInputError("scores must be finite numbers (NaN means don't know)")
        n_participants = scores.shape[0]
        participants = tuple(self.participants) or tuple(f"P{p + 1}" for p in range(n_participants))
        if len(participants) != n_participants:
            raise RankingInputError(
                f"{len(participants)} participant names for {n_participants} participants"
            )
        _unique(participants, "participant")
        groups = tuple(self.groups) or ("",) * n_participants
        if len(groups) != n_participants:
            raise RankingInputError(f"{len(groups)} groups for {n_participants} participants")
        for c, crit in enumerate(criteria):
            if not crit.has_scale:
                continue
            column = scores[:, :, c]
            bad = np.argwhere((column < crit.scale_min) | (column > crit.scale_max))
            if bad.size:
                p, i = bad[0]
                raise RankingInputError(
                    f"score {column[p, i]:g} from participant {participants[p]!r} for priority "
                    f"{priorities[i].name!r} on criterion {crit.name!r} is outside the scale "
                    f"{crit.scale_min:g}..{crit.scale_max:g}"
                )
        scores.setflags(write=False)
        object.__setattr__(self, "priorities", priorities)
        object.__setattr__(self, "criteria", criteria)
        object.__setattr__(self, "scores", scores)
        object.__setattr__(self, "participants", participants)
        object.__setattr__(self, "groups", tuple(str(g) for g in groups))

    @property
    def priority_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.priorities)

    @property
    def criterion_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.criteria)

    @property
    def group_names(self) -> tuple[str, ...]:
        """Distinct non-empty groups in first-seen order."""
        return tuple(dict.fromkeys(g for g in self.groups if g))

    @property
    def weights(self) -> np.ndarray:
        """The criteria's agreed weights, normalised to sum 1."""
        from ranking.weights import normalize_weights

        return normalize_weights([c.weight for c in self.criteria], self.criterion_names)

    def with_weights(self, weights: Sequence[float]) -> ScoreSet:
        """The same scores with new criterion weights (same order as criteria)."""
        if len(weights) != len(self.criteria):
            raise RankingInputError(f"{len(weights)} weights for {len(self.criteria)} criteria")
        criteria = tuple(
            Criterion(c.name, float(w), c.direction, c.scale_min, c.scale_max, c.description)
            for c, w in zip(self.criteria, weights, strict=True)
        )
        return ScoreSet(self.priorities, criteria, self.scores, self.participants, self.groups)

    def subset(self, participant_index: np.ndarray) -> ScoreSet:
        """The ScoreSet of some participants (indices may repeat: bootstrap)."""
        idx = np.asarray(participant_index, dtype=int)
        names = tuple(f"{self.participants[i]}#{n}" for n, i in enumerate(idx))
        groups = tuple(self.groups[i] for i in idx)
        return ScoreSet(self.priorities, self.criteria, self.scores[idx], names, groups)

    def priority_index(self, name: str) -> int:
        try:
            return self.priority_names.index(name)
        except ValueError:
            raise RankingInputError(f"unknown priority {name!r}") from None

    def criterion_index(self, name: str) -> int:
        try:
            return self.criterion_names.index(name)
        except ValueError:
            raise RankingInputError(f"unknown criterion {name!r}") from None


__all__ = [
    "Criterion",
    "Direction",
    "Priority",
    "RankingInputError",
    "ScoreSet",
    "frozen_array",
]
