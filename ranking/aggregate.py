"""Aggregation of the room's scores into one priorities × criteria matrix."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ranking.model import Choice, RankingInputError, ScoreSet, frozen_array


class Aggregation(Choice):
    MEAN = "mean"
    MEDIAN = "median"


DEFAULT_MIN_RESPONSES = 3


@dataclass(frozen=True, eq=False)
class AggregateMatrix:
    """The room's matrix and how much evidence sits behind each cell.

    A cell nobody scored (every participant said "don't know") of a priority
    that has answers on other criteria holds the midpoint of the criterion's
    scale (or of the observed range when the criterion has no scale), so one
    missing cell neither rewards nor punishes a priority; ``counts`` is 0
    there and ``low_response`` flags it.

    A priority nobody scored on *any* criterion (``scored`` False) keeps a
    row of NaN: there is nothing to fill a midpoint around, and a row of
    midpoints would rank a priority nobody looked at above ones people
    scored low.  Every method scores such a row NaN and ranks the others as
    if it were not on the list (see ``ranking.methods.rank``).
    """

    matrix: np.ndarray  # priorities × criteria
    counts: np.ndarray  # responses per cell (int)
    low_response: np.ndarray  # counts < min_responses
    how: Aggregation
    balanced: bool
    min_responses: int

    @property
    def empty_cells(self) -> np.ndarray:
        return self.counts == 0

    @property
    def scored(self) -> np.ndarray:
        """Per priority: True when anybody answered it on any criterion."""
        return scored_priorities(self.counts)


def scored_priorities(counts: np.ndarray) -> np.ndarray:
    """Per priority, whether any cell of its row (priorities × criteria counts) has an answer."""
    return np.asarray(counts).sum(axis=-1) > 0


def participant_weights(groups: tuple[str, ...], balanced: bool) -> np.ndarray:
    """Weight of each participant in the room's aggregate (sums to 1).

    Group-balanced: every group carries the same total weight, shared
    equally by its members, so a partner that sent eight people does not
    outvote one that sent two.  Participants without a group form one group.
    """
    n = len(groups)
    if not balanced:
        return np.full(n, 1.0 / n)
    labels = np.array(groups, dtype=object)
    distinct = list(dict.fromkeys(groups))
    weights = np.empty(n)
    for g in distinct:
        members = labels == g
        weights[members] = 1.0 / (members.sum() * len(distinct))
    return weights


def _nan_reduce(reduce: Callable[..., np.ndarray], values: np.ndarray) -> np.ndarray:
    """``reduce(values, axis=0)`` with numpy's "empty slice" warnings silenced:
    cells nobody answered are expected and come back as NaN."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return reduce(values, axis=0)


def _group_mean(scores: np.ndarray, groups: tuple[str, ...], median: bool) -> np.ndarray:
    """Within-group mean/median per cell, then the plain mean of the groups
    that answered that cell."""
    labels = np.array(groups, dtype=object)
    within = np.nanmedian if median else np.nanmean
    per_group = [_nan_reduce(within, scores[labels == g]) for g in dict.fromkeys(groups)]
    return _nan_reduce(np.nanmean, np.stack(per_group))


def fill_empty(matrix: np.ndarray, score_set: ScoreSet) -> np.ndarray:
    """Replace NaN cells by the criterion's scale midpoint (or observed
    midpoint), except in rows that are NaN throughout: a priority nobody
    scored stays NaN (see ``AggregateMatrix``)."""
    out = matrix.copy()
    unscored = np.isnan(out).all(axis=1)
    for c, crit in enumerate(score_set.criteria):
        column = out[:, c]
        holes = np.isnan(column) & ~unscored
        if not holes.any():
            continue
        if crit.has_scale:
            mid = (crit.scale_min + crit.scale_max) / 2
        else:
            observed = score_set.scores[:, :, c]
            if np.isnan(observed).all():
                raise RankingInputError(f"criterion {crit.name!r} has no scores at all")
            mid = (np.nanmin(observed) + np.nanmax(observed)) / 2
        column[holes] = mid
    return out


def aggregate(
    score_set: ScoreSet,
    how: Aggregation | str = Aggregation.MEAN,
    balance_groups: bool = False,
    min_responses: int = DEFAULT_MIN_RESPONSES,
) -> AggregateMatrix:
    """The room's priorities × criteria matrix (mean or median, NaN ignored)."""
    how = Aggregation.parse(how)
    scores = score_set.scores
    counts = (~np.isnan(scores)).sum(axis=0)
    if balance_groups:
        matrix = _group_mean(scores, score_set.groups, median=how is Aggregation.MEDIAN)
    else:
        matrix = _nan_reduce(np.nanmedian if how is Aggregation.MEDIAN else np.nanmean, scores)
    matrix = fill_empty(matrix, score_set)
    return AggregateMatrix(
        matrix=frozen_array(matrix),
        counts=frozen_array(counts, dtype=int),
        low_response=frozen_array(counts < min_responses, dtype=bool),
        how=how,
        balanced=balance_groups,
        min_responses=min_responses,
    )
