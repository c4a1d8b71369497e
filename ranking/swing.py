"""Swing weights (DCLG, *Multi-criteria analysis: a manual*, 2009, §6.2.10): criteria ordered by how much the
swing from the worst to the best point of each scale matters, the first given 100 and each other a number
relative to it, normalised by ``ranking.weights.normalize_weights``, the engine's one normalisation.

The swings must be in the order given: 100 first, then each at most the one before it (0 allowed: a swing that
does not matter).  A swing out of order is refused rather than sorted, because the order is the judgement the
numbers were given against.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ranking.model import RankingInputError, frozen_array
from ranking.weights import normalize_weights

#: The swing the first (most important) criterion is given.
FIRST_SWING = 100.0

SWING_RULE = (
    "Swing weights: the criteria in order of how much the swing from the worst to the best point of their scale "
    "matters; the first is given 100 and each other a number from 0 to 100 relative to it; the weights are those "
    "numbers divided by their total."
)


@dataclass(frozen=True, eq=False)
class SwingWeights:
    """The swings as given (``criteria`` in the order of importance) and the weights they normalise to."""

    criteria: tuple[str, ...]
    swings: np.ndarray
    weights: np.ndarray

    def weight_of(self, criterion: str) -> float:
        try:
            return float(self.weights[self.criteria.index(criterion)])
        except ValueError:
            raise RankingInputError(f"unknown criterion {criterion!r}") from None


def _swing(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise RankingInputError(f"the swing of criterion {name!r} must be a number from 0 to 100, not {value!r}")
    number = float(value)
    if not math.isfinite(number) or not 0 <= number <= FIRST_SWING:
        raise RankingInputError(f"the swing of criterion {name!r} must be from 0 to 100, not {number:g}")
    return number


def swing_weights(swings: Sequence[tuple[str, float]]) -> SwingWeights:
    """``swings``: (criterion, number) in order of importance, the first 100; see the module docstring."""
    if not swings:
        raise RankingInputError("swing weights need at least one criterion")
    names = tuple(name for name, _ in swings)
    seen: set[str] = set()
    for name in names:
        if name.casefold() in seen:
            raise RankingInputError(f"criterion {name!r} is given a swing twice")
        seen.add(name.casefold())
    values = [_swing(name, value) for name, value in swings]
    if values[0] != FIRST_SWING:
        raise RankingInputError(
            f"the first criterion ({names[0]!r}) is the one whose swing matters most and must be given 100, "
            f"not {values[0]:g}"
        )
    for k in range(1, len(values)):
        name, value, before, previous = names[k], values[k], names[k - 1], values[k - 1]
        if value > previous:
            raise RankingInputError(
                f"criterion {name!r} ({value:g}) is listed after {before!r} ({previous:g}) but given a larger swing: "
                "list the criteria from the swing that matters most to the one that matters least"
            )
    return SwingWeights(names, frozen_array(values), normalize_weights(values, names))


__all__ = ["FIRST_SWING", "SWING_RULE", "SwingWeights", "swing_weights"]
