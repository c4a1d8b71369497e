"""Good-practice checks on a workshop's criteria (pure functions, no streamlit).

DCLG's "Multi-criteria analysis: a manual" (2009) and the ISPOR MCDA task
force (2016) advise a handful of criteria that do not double count.  Two
criteria whose room scores rise and fall together across the priorities are
probably measuring the same thing twice, which gives that thing a hidden
extra weight.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: More criteria than this is hard to score well in one sitting.
MANY_CRITERIA = 7
#: |Pearson r| above this across priorities suggests double counting.
CORRELATION_THRESHOLD = 0.8
#: Fewer priorities than this give no meaningful correlation.
MIN_PRIORITIES_FOR_CORRELATION = 4


@dataclass(frozen=True)
class CorrelatedPair:
    first: str
    second: str
    r: float

    def __str__(self) -> str:
        return f"'{self.first}' and '{self.second}' (r = {self.r:+.2f})"


def too_many_criteria(n_criteria: int) -> str | None:
    if n_criteria <= MANY_CRITERIA:
        return None
    return (
        f"There are {n_criteria} criteria. More than about {MANY_CRITERIA} makes scoring slow and tiring, "
        "and the later criteria get less thought; consider merging or dropping some."
    )


def correlated_criteria(
    matrix: np.ndarray, names: Sequence[str], threshold: float = CORRELATION_THRESHOLD
) -> tuple[CorrelatedPair, ...]:
    """Pairs of criteria whose scores (``matrix``: priorities × criteria, the
    room's aggregated scores) correlate with |Pearson r| > ``threshold``,
    strongest first.

    A criterion whose scores do not vary has no correlation and is skipped;
    with fewer than ``MIN_PRIORITIES_FOR_CORRELATION`` priorities nothing is
    reported.  Direction is ignored: a cost criterion that mirrors a benefit
    criterion (r near −1) double counts just the same."""
    values = np.asarray(matrix, dtype=float)
    if values.ndim != 2 or values.shape[1] != len(names):
        raise ValueError(f"matrix must be priorities × {len(names)} criteria, not shape {values.shape}")
    if values.shape[0] < MIN_PRIORITIES_FOR_CORRELATION:
        return ()
    pairs = []
    for i in range(values.shape[1]):
        for j in range(i + 1, values.shape[1]):
            x, y = values[:, i], values[:, j]
            keep = np.isfinite(x) & np.isfinite(y)
            x, y = x[keep], y[keep]
            if x.size < MIN_PRIORITIES_FOR_CORRELATION or np.ptp(x) == 0 or np.ptp(y) == 0:
                continue
            r = float(np.corrcoef(x, y)[0, 1])
            if abs(r) > threshold:
                pairs.append(CorrelatedPair(names[i], names[j], r))
    return tuple(sorted(pairs, key=lambda p: -abs(p.r)))
