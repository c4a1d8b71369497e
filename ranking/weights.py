"""Criterion weights: normalisation, 100-point allocations, rank-order
centroid weights and AHP pairwise comparisons.

``normalize_weights`` is the one place weights are made to sum 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ranking.model import RankingInputError, frozen_array

#: Saaty (1980) random consistency index for n = 1..10.
SAATY_RANDOM_INDEX: dict[int, float] = {
    1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49,
}
CR_THRESHOLD = 0.10


def normalize_weights(weights: Sequence[float] | np.ndarray, names: Sequence[str] = ()) -> np.ndarray:
    """Non-negative weights scaled to sum 1 (a read-only array)."""
    w = np.asarray(weights, dtype=float)
    if w.ndim != 1 or w.size == 0:
        raise RankingInputError("weights must be a non-empty list of numbers")
    for i, value in enumerate(w):
        label = names[i] if i < len(names) else f"#{i + 1}"
        if not np.isfinite(value) or value < 0:
            raise RankingInputError(f"weight of criterion {label!r} must be a non-negative number, not {value!r}")
    total = w.sum()
    if total <= 0:
        raise RankingInputError("at least one criterion needs a weight above zero")
    return frozen_array(w / total)


def allocation_weights(allocations: np.ndarray | Sequence[Sequence[float]], names: Sequence[str] = ()) -> np.ndarray:
    """Room weights from participants' point allocations (rows = participants).

    Each row is normalised on its own (a participant who spent 90 of 100
    points counts as much as one who spent 100), then rows are averaged.
    Rows that are all zero or all NaN are ignored.
    """
    a = np.asarray(allocations, dtype=float)
    if a.ndim != 2 or a.shape[0] == 0:
        raise RankingInputError("allocations must be a table of participants × criteria")
    if (a[~np.isnan(a)] < 0).any():
        raise RankingInputError("point allocations must not be negative")
    a = np.nan_to_num(a, nan=0.0)
    totals = a.sum(axis=1)
    valid = totals > 0
    if not valid.any():
        raise RankingInputError("no participant has allocated any points")
    return normalize_weights((a[valid] / totals[valid, None]).mean(axis=0), names)


def participant_weight_vectors(allocations: np.ndarray) -> np.ndarray:
    """Each participant's own allocation normalised to sum 1 (empty rows dropped)."""
    a = np.nan_to_num(np.asarray(allocations, dtype=float), nan=0.0)
    totals = a.sum(axis=1)
    return a[totals > 0] / totals[totals > 0, None]


def rank_order_centroid(order: Sequence[int]) -> np.ndarray:
    """Rank-order centroid weights (Barron & Barrett 1996).

    ``order[c]`` is criterion c's importance rank, 1 = most important.
    w_r = (1/n) Σ_{i=r..n} 1/i.  Tied ranks share the mean of their weights.
    """
    ranks = np.asarray(order, dtype=int)
    n = ranks.size
    if n == 0 or ranks.min() < 1 or ranks.max() > n:
        raise RankingInputError(f"criteria ranks must be between 1 and {n}")
    roc = np.array([sum(1.0 / i for i in range(r, n + 1)) / n for r in range(1, n + 1)])
    weights = np.empty(n)
    position = 0
    for rank in sorted(set(ranks.tolist())):
        members = np.flatnonzero(ranks == rank)
        weights[members] = roc[position : position + members.size].mean()
        position += members.size
    return normalize_weights(weights)


@dataclass(frozen=True, eq=False)
class AHPResult:
    criteria: tuple[str, ...]
    matrix: np.ndarray
    weights: np.ndarray
    lambda_max: float
    ci: float
    ri: float
    cr: float

    @property
    def consistent(self) -> bool:
        return self.cr <= CR_THRESHOLD

    @property
    def warning(self) -> str | None:
        if self.consistent:
            return None
        return (
            f"consistency ratio {self.cr:.3f} is above {CR_THRESHOLD:.2f}: "
            "the pairwise judgements contradict each other; revisit the largest ones"
        )


def check_pairwise(matrix: np.ndarray | Sequence[Sequence[float]], names: Sequence[str] = ()) -> np.ndarray:
    a = np.asarray(matrix, dtype=float)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise RankingInputError("a pairwise comparison matrix must be square")
    n = a.shape[0]
    labels = list(names) if len(names) == n else [f"#{i + 1}" for i in range(n)]
    if not np.isfinite(a).all() or (a <= 0).any():
        raise RankingInputError("pairwise judgements must be positive numbers")
    for i in range(n):
        if not np.isclose(a[i, i], 1.0):
            raise RankingInputError(f"the diagonal entry for {labels[i]!r} must be 1, not {a[i, i]:g}")
        for j in range(i + 1, n):
            if not np.isclose(a[i, j] * a[j, i], 1.0, rtol=1e-3):
                raise RankingInputError(
                    f"pairwise matrix is not reciprocal: {labels[i]!r} vs {labels[j]!r} is {a[i, j]:g} "
                    f"but {labels[j]!r} vs {labels[i]!r} is {a[j, i]:g} (expected {1 / a[i, j]:g})"
                )
    return a


def ahp(matrix: np.ndarray | Sequence[Sequence[float]], names: Sequence[str] = ()) -> AHPResult:
    """AHP weights by the principal eigenvector (Saaty 1980).

    CI = (λmax − n)/(n − 1); CR = CI/RI with Saaty's random index; CR = 0
    for n ≤ 2.  Judgements above 0.10 should be revisited.
    """
    a = check_pairwise(matrix, names)
    n = a.shape[0]
    if n > max(SAATY_RANDOM_INDEX):
        raise RankingInputError(f"AHP supports at most {max(SAATY_RANDOM_INDEX)} criteria, not {n}")
    values, vectors = np.linalg.eig(a)
    principal = int(np.argmax(values.real))
    lambda_max = float(values[principal].real)
    vector = np.abs(vectors[:, principal].real)
    weights = normalize_weights(vector)
    ci = (lambda_max - n) / (n - 1) if n > 2 else 0.0
    ri = SAATY_RANDOM_INDEX[n]
    cr = ci / ri if ri > 0 else 0.0
    labels = tuple(names) if len(names) == n else tuple(f"C{i + 1}" for i in range(n))
    return AHPResult(labels, frozen_array(a), weights, lambda_max, max(ci, 0.0), ri, max(cr, 0.0))


def combine_pairwise(matrices: Sequence[np.ndarray]) -> np.ndarray:
    """Group judgement: element-wise geometric mean (Aczél & Saaty 1983).

    The geometric mean is the only mean that keeps the result reciprocal.
    """
    if not matrices:
        raise RankingInputError("no pairwise matrices to combine")
    stack = np.stack([check_pairwise(m) for m in matrices])
    if len({m.shape for m in stack}) != 1:
        raise RankingInputError("pairwise matrices must all have the same size")
    return np.exp(np.log(stack).mean(axis=0))
