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

import numpy as np

from ranking.model import Choice, Criterion, RankingInputError


class Normalization(Choice):
    SCALE = "scale"
    MINMAX = "minmax"
    VECTOR = "vector"
    MAX = "max"


def _bounds(x: np.ndarray, criteria: Sequence[Criterion], use_scale: bool) -> tuple[np.ndarray, np.ndarray]:
    """Per-criterion (low, high): the scale bounds where ``use_scale`` and the
    criterion has a scale, else the observed column range (over every leading
    axis, so all participants share one range)."""
    lo = np.array([c.scale_min if use_scale and c.has_scale else np.nan for c in criteria], dtype=float)
    hi = np.array([c.scale_max if use_scale and c.has_scale else np.nan for c in criteria], dtype=float)
    observed = np.isnan(lo)
    if observed.any():
        columns = x[..., observed].reshape(-1, int(observed.sum()))
        if np.isnan(columns).all(axis=0).any():
            name = criteria[int(np.flatnonzero(observed)[np.isnan(columns).all(axis=0)][0])].name
            raise RankingInputError(f"criterion {name!r} has no scale and no scores to take a range from")
        lo[observed] = np.nanmin(columns, axis=0)
        hi[observed] = np.nanmax(columns, axis=0)
    return lo, hi


def _safe_divide(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator/denominator, 0 where the denominator is 0 (a constant column
    discriminates nothing, so it contributes nothing); NaN stays NaN (a
    priority nobody scored is no contender, even in a constant column)."""
    denominator = np.asarray(denominator, dtype=float)
    safe = np.where(denominator == 0, 1.0, denominator)
    return np.where(denominator == 0, np.where(np.isnan(numerator), np.nan, 0.0), numerator / safe)


def normalize(
    matrix: np.ndarray, criteria: Sequence[Criterion], how: Normalization | str = Normalization.SCALE
) -> np.ndarray:
    """Benefit-oriented normalisation of ``matrix`` (``(..., priorities, criteria)``).

    A column that cannot separate priorities gives every priority the same
    value: a zero span (scale/minmax), zero norm (vector) or zero maximum
    (max) normalises to 0, benefit or cost alike.
    """
    how = Normalization.parse(how)
    x = np.asarray(matrix, dtype=float)
    if x.ndim < 2 or x.shape[-1] != len(criteria):
        raise RankingInputError(
            f"matrix must be priorities × {len(criteria)} criteria, not of shape {x.shape}"
        )
    cost = np.array([c.is_cost for c in criteria])
    if how is Normalization.SCALE or how is Normalization.MINMAX:
        lo, hi = _bounds(x, criteria, use_scale=how is Normalization.SCALE)
        span = hi - lo
        out = _safe_divide(x - lo, span)
        return np.where(cost & (span > 0), 1.0 - out, out)
    if how is Normalization.VECTOR:
        norm = np.sqrt(np.nansum(x**2, axis=-2, keepdims=True))
        out = _safe_divide(x, norm)
        return np.where(cost & (norm > 0), 1.0 - out, out)
    top = np.nanmax(x, axis=-2, keepdims=True)
    out = _safe_divide(x, top)
    return np.where(cost & (top != 0), 1.0 - out, out)
