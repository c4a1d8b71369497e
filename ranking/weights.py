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
#: The largest weight accepted.  Weights are relative, so nothing is lost by
#: the cap, and below it any list of weights adds up to a finite total:
#: without it two weights of 1e308 sum to infinity, normalise to 0 and tie
#: every priority.
MAX_WEIGHT = 1e6


def _labels(names: Sequence[str], n: int, what: str) -> list[str]:
    """Display names for n criteria: ``names`` when given (it must have n
    entries), else "#1".."#n"."""
    if not names:
        return [f"#{i + 1}" for i in range(n)]
    if len(names) != n:
        raise RankingInputError(f"{n} {what} for {len(names)} criteria")
    return list(names)


def normalize_weights(weights: Sequence[float] | np.ndarray, names: Sequence[str] = ()) -> np.ndarray:
    """Non-negative weights scaled to sum 1 (a read-only array).

    ``names`` (the criteria, in order) label error messages and fix how many
    weights there must be.  A weight above ``MAX_WEIGHT`` is refused, so the
    total is always finite and the result sums to 1.
    """
    try:
        w = np.asarray(weights, dtype=float)
    except (TypeError, ValueError):
        raise RankingInputError(f"weights must be numbers, not {weights!r}") from None
    if w.ndim != 1 or w.size == 0:
        raise RankingInputError("weights must be a non-empty list of numbers")
    labels = _labels(names, w.size, "weights")
    for label, value in zip(labels, w, strict=True):
        if not np.isfinite(value) or value < 0:
            raise RankingInputError(f"weight of criterion {label!r} must be a non-negative number, not {value:g}")
        if value > MAX_WEIGHT:
            raise RankingInputError(
                f"weight of criterion {label!r} is too large ({value:g}): weights are relative, "
                f"so use numbers from 0 to {MAX_WEIGHT:,.0f} in the same proportions"
            )
    total = w.sum()
    if total <= 0:
        raise RankingInputError("at least one criterion needs a weight above zero")
    return frozen_array(w / total)


def participant_weight_vectors(
    allocations: np.ndarray | Sequence[Sequence[float]], names: Sequence[str] = ()
) -> np.ndarray:
    """Each participant's own allocation normalised to sum 1: (P', C).

    Rows are participants, columns criteria; NaN counts as 0 points.  Rows
    with no points at all (all zero or all NaN) are dropped: that participant
    expressed no view on weights.
    """
    try:
        a = np.asarray(allocations, dtype=float)
    except (TypeError, ValueError):
        raise RankingInputError("point allocations must be numbers") from None
    if a.ndim != 2 or a.shape[0] == 0 or a.shape[1] == 0:
        raise RankingInputError(f"allocations must be a table of participants × criteria, not of shape {a.shape}")
    labels = _labels(names, a.shape[1], "allocation columns")
    bad = np.argwhere(np.isinf(a) | (a < 0))
    if bad.size:
        row, col = bad[0]
        raise RankingInputError(
            f"row {row + 1}: points for criterion {labels[col]!r} must be a non-negative number, "
            f"not {a[row, col]:g}"
        )
    a = np.nan_to_num(a, nan=0.0)
    totals = a.sum(axis=1)
    valid = totals > 0
    return a[valid] / totals[valid, None]


def allocation_weights(allocations: np.ndarray | Sequence[Sequence[float]], names: Sequence[str] = ()) -> np.ndarray:
    """Room weights from participants' point allocations (rows = participants).

    Each row is normalised on its own (a participant who spent 90 of 100
    points counts as much as one who spent 100), then rows are averaged.
    Rows that are all zero or all NaN are ignored.
    """
    vectors = participant_weight_vectors(allocations, names)
    if vectors.shape[0] == 0:
        raise RankingInputError("no participant has allocated any points")
    return normalize_weights(vectors.mean(axis=0), names)


def rank_order_centroid(order: Sequence[int]) -> np.ndarray:
    """Rank-order centroid weights (Barron & Barrett 1996).

    ``order[c]`` is criterion c's importance rank, 1 = most important.
    w_r = (1/n) Σ_{i=r..n} 1/i.  Tied ranks share the mean of their weights.
    """
    ranks = np.asarray(order, dtype=float)
    n = ranks.size
    if ranks.ndim != 1 or n == 0 or (ranks != np.round(ranks)).any() or ranks.min() < 1 or ranks.max() > n:
        raise RankingInputError(f"criteria ranks must be whole numbers between 1 and {n}, not {list(order)}")
    ranks = ranks.astype(int)
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


#: Relative tolerance of the reciprocity check: judgements written to three
#: decimals (0.167 for 1/6, 0.111 for 1/9) are accepted.
RECIPROCAL_RTOL = 5e-3


def check_pairwise(matrix: np.ndarray | Sequence[Sequence[float]], names: Sequence[str] = ()) -> np.ndarray:
    """A validated positive reciprocal matrix; errors name the offending pair."""
    try:
        a = np.asarray(matrix, dtype=float)
    except (TypeError, ValueError):
        raise RankingInputError("pairwise judgements must be numbers") from None
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise RankingInputError(f"a pairwise comparison matrix must be square, not of shape {a.shape}")
    n = a.shape[0]
    if names and len(names) != n:
        raise RankingInputError(f"{len(names)} names for a {n} × {n} pairwise matrix")
    labels = _labels(names, n, "names")
    bad = np.argwhere(~np.isfinite(a) | (a <= 0))
    if bad.size:
        i, j = bad[0]
        raise RankingInputError(
            f"pairwise judgement {labels[i]!r} vs {labels[j]!r} must be a positive number, not {a[i, j]:g}"
        )
    for i in range(n):
        if not np.isclose(a[i, i], 1.0):
            raise RankingInputError(f"the diagonal entry for {labels[i]!r} must be 1, not {a[i, i]:g}")
        for j in range(i + 1, n):
            if not np.isclose(a[i, j] * a[j, i], 1.0, rtol=RECIPROCAL_RTOL, atol=0.0):
                raise RankingInputError(
                    f"pairwise matrix is not reciprocal: {labels[i]!r} vs {labels[j]!r} is {a[i, j]:g} "
                    f"but {labels[j]!r} vs {labels[i]!r} is {a[j, i]:g} (expected {1 / a[i, j]:g})"
                )
    return a


def ahp(matrix: np.ndarray | Sequence[Sequence[float]], names: Sequence[str] = ()) -> AHPResult:
    """AHP weights by the principal eigenvector (Saaty 1980).

    CI = (λmax − n)/(n − 1); CR = CI/RI with Saaty's random index; CR = 0
    for n ≤ 2 (every 2 × 2 reciprocal matrix is consistent).  A CR above
    0.10 means the judgements should be revisited.
    """
    a = check_pairwise(matrix, names)
    n = a.shape[0]
    if n > max(SAATY_RANDOM_INDEX):
        raise RankingInputError(f"AHP supports at most {max(SAATY_RANDOM_INDEX)} criteria, not {n}")
    values, vectors = np.linalg.eig(a)
    principal = int(np.argmax(values.real))
    lambda_max = float(values[principal].real)
    # The Perron vector of a positive matrix has one sign; eig may return it negated.
    weights = normalize_weights(np.abs(vectors[:, principal].real))
    ci = max((lambda_max - n) / (n - 1), 0.0) if n > 2 else 0.0
    ri = SAATY_RANDOM_INDEX[n]
    cr = ci / ri if ri > 0 else 0.0
    labels = tuple(names) if names else tuple(f"C{i + 1}" for i in range(n))
    return AHPResult(labels, frozen_array(a), weights, lambda_max, ci, ri, cr)


def combine_pairwise(matrices: Sequence[np.ndarray]) -> np.ndarray:
    """Group judgement: element-wise geometric mean (Aczél & Saaty 1983).

    The geometric mean is the only mean that keeps the result reciprocal;
    averaging the logs of a_ij and of 1/a_ji keeps it exactly so in floating
    point too.
    """
    if len(matrices) == 0:
        raise RankingInputError("no pairwise matrices to combine")
    checked = [check_pairwise(m) for m in matrices]
    sizes = sorted({m.shape[0] for m in checked})
    if len(sizes) != 1:
        raise RankingInputError(f"pairwise matrices must all have the same size, not {sizes}")
    logs = np.log(np.stack(checked)).mean(axis=0)
    return np.exp((logs - logs.T) / 2)
