"""Normalisation of a priorities × criteria matrix to "higher is better".

All methods return benefit-oriented values so that a weighted sum or a
TOPSIS ideal can treat every column alike.  They work on any array whose
last two axes are priorities × criteria (leading axes: participants).

* ``scale`` (default): (x − min)/(max − min) with the criterion's *scale*
  bounds, cost criteria inverted.  Because it ignores the observed data,
  adding or removing a priority never changes another priority's value.
  Criteria without a scale fall back to the observed range.
* ``minmax``: the same with the observed column minimum and maximum.
* ``vector``: x/‖x‖ (Hwang & Yoon 1981); cost criteria 1 − x/‖x‖.  For
  TOPSIS that reflection leaves every distance unchanged, so closeness
  matches the textbook treatment where the cost ideal is the column minimum.
* ``max``: x/max; cost criteria 1 − x/max (pymcdm's convention).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

import numpy as np

from ranking.model import Criterion, RankingInputError


class Normalization(str, Enum):
    SCALE = "scale"
    MINMAX = "minmax"
    VECTOR = "vector"
    MAX = "max"

    @classmethod
    def parse(cls, value: str | Normalization) -> Normalization:
        try:
            return cls(value)
        except ValueError:
            options = ", ".join(m.value for m in cls)
            raise RankingInputError(f"normalization must be one of {options}, not {value!r}") from None


def _observed_bounds(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    axes = tuple(range(matrix.ndim - 1))
    return np.nanmin(matrix, axis=axes), np.nanmax(matrix, axis=axes)


def _safe_divide(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator/denominator, 0 where the denominator is 0 (a constant column
    discriminates nothing, so it contributes nothing)."""
    denominator = np.asarray(denominator, dtype=float)
    safe = np.where(denominator == 0, 1.0, denominator)
    return np.where(denominator == 0, 0.0, numerator / safe)


def normalize(
    matrix: np.ndarray, criteria: Sequence[Criterion], how: Normalization | str = Normalization.SCALE
) -> np.ndarray:
    how = Normalization.parse(how)
    x = np.asarray(matrix, dtype=float)
    if x.shape[-1] != len(criteria):
        raise RankingInputError(f"matrix has {x.shape[-1]} columns for {len(criteria)} criteria")
    cost = np.array([c.is_cost for c in criteria])
    if how is Normalization.SCALE or how is Normalization.MINMAX:
        lo, hi = _observed_bounds(x)
        if how is Normalization.SCALE:
            for c, crit in enumerate(criteria):
                if crit.has_scale:
                    lo[c], hi[c] = crit.scale_min, crit.scale_max
        span = hi - lo
        out = _safe_divide(x - lo, span)
        return np.where(cost, np.where(span == 0, 0.0, 1.0 - out), out)
    if how is Normalization.VECTOR:
        norm = np.sqrt(np.nansum(x**2, axis=-2, keepdims=True))
        out = _safe_divide(x, norm)
        return np.where(cost, np.where(norm == 0, 0.0, 1.0 - out), out)
    top = np.nanmax(x, axis=-2, keepdims=True)
    out = _safe_divide(x, top)
    return np.where(cost, np.where(top == 0, 0.0, 1.0 - out), out)
