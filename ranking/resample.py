"""The participant bootstrap by array operations: every resample's room,
ranking and top-k set for a batch of resamples at once, under any options.

``top_masks`` gives the same top-k masks as ranking each resampled room with
``ranking.methods.rank`` (``top_masks_loop``, the reference), for every
method, aggregation, normalisation and group balance:

* A resample is its multinomial count matrix M (R, P): how often each
  participant was drawn.  A group-balanced room is built from each group's
  own count matrix (M with the other groups' columns zeroed).
* The mean of a cell is Σ_p M_rp·x_p / Σ_p M_rp·[x_p answered]: two matrix
  products.  The median, when the room's answers take few distinct values
  (a 1–5 scale: five), is counted rather than sorted: M times a one-hot table
  of the values gives each cell's histogram in each resample, and its
  cumulative sum says which value sits at the middle position(s), exactly
  the values a sort would find.  Many distinct values: a sort of the draws
  (``resampled_medians``).
* Borda and Copeland: every participant's ballot in every resample (their
  own answers, the resample's room where they said "don't know"), the
  pairwise comparisons of each ballot (i beats j when u_i > u_j + τ, the
  comparison ``ranking.methods.pairwise_preferences`` makes), weighted by
  each group's voter counts in one batched matrix product (exact: integer
  counts in float32), then the same ``borda_points``/``copeland_points``.
"""

from __future__ import annotations

import numpy as np

from ranking.aggregate import Aggregation, scored_priorities
from ranking.methods import (
    Method,
    RankingOptions,
    _bit_counts,
    _sorted_ballots,
    copeland_points,
    rank,
    topsis_closeness,
)
from ranking.model import RankingInputError, ScoreSet
from ranking.normalize import Normalization, normalize
from ranking.ranks import top_k_mask

#: The methods ranked here in batches; any other is ranked resample by resample (``top_masks_loop``).
BATCHED = frozenset({Method.WEIGHTED_SUM, Method.TOPSIS, Method.BORDA, Method.COPELAND})
#: Priorities up to which Borda and Copeland sort ballots (``ranking.methods.contest_points``'s
#: 64-bit masks); more are ranked resample by resample.
MASK_PRIORITIES = 64
#: Resamples whose rooms are built at a time.
RESAMPLE_CHUNK = 250
#: Distinct answer values up to which the median is counted rather than sorted.
MEDIAN_VALUES = 64
#: Resampled score values ``resampled_medians`` sorts at a time.
MEDIAN_CELLS = 2**22
#: Decimals the bootstrap's ballot utilities are rounded to (``_contest_points``).
UTILITY_DECIMALS = 12
#: Ballot places (resamples × participants × priorities) sorted and counted at a time for Borda and Copeland.
BALLOT_CELLS = 2**18


def resample_counts(indices: np.ndarray, n_participants: int) -> np.ndarray:
    """(R, P) indices → (R, P) multinomial counts: how often each participant was drawn."""
    n_resamples = indices.shape[0]
    cells = np.arange(n_resamples)[:, None] * n_participants + indices
    return np.bincount(cells.ravel(), minlength=n_resamples * n_participants).reshape(n_resamples, n_participants)


def fill_empty_batch(means: np.ndarray, score_set: ScoreSet, counts: np.ndarray) -> np.ndarray:
    """``ranking.aggregate.fill_empty`` for a batch of resampled room matrices
    (R, N, C): empty cells take the scale midpoint, or for a criterion without
    a scale the midpoint of the range observed *in that resample*; a priority
    nobody drawn scored at all keeps its row of NaN."""
    out = means.copy()
    empty = np.isnan(out) & ~np.isnan(out).all(axis=2, keepdims=True)
    if not empty.any():
        return out
    drawn = counts > 0  # (R, P)
    for c, crit in enumerate(score_set.criteria):
        hole = empty[:, :, c]
        if not hole.any():
            continue
        if crit.has_scale:
            out[:, :, c][hole] = (crit.scale_min + crit.scale_max) / 2
            continue
        column = score_set.scores[:, :, c]
        low = np.where(np.isnan(column), np.inf, column).min(axis=1)  # per participant; ±inf: no answer
        high = np.where(np.isnan(column), -np.inf, column).max(axis=1)
        lo = np.where(drawn, low, np.inf).min(axis=1)
        hi = np.where(drawn, high, -np.inf).max(axis=1)
        if not np.isfinite(lo[hole.any(axis=1)]).all():
            raise RankingInputError(f"criterion {crit.name!r} has no scores at all")
        out[:, :, c] = np.where(hole, ((lo + hi) / 2)[:, None], out[:, :, c])
    return out


def resampled_medians(scores: np.ndarray, indices: np.ndarray) -> np.ndarray:
    """(R, N, C) medians of the cells over each resample ``indices`` (R, P),
    NaN ignored (NaN where nobody drawn answered): ``np.nanmedian`` of
    ``scores[row]`` for every row, by one sort per chunk of resamples (NaN
    sorts last) and the middle one or two of each cell's answers."""
    n_resamples, n_draws = indices.shape
    out = np.empty((n_resamples, *scores.shape[1:]))
    chunk = max(1, MEDIAN_CELLS // scores[0].size // n_draws)
    for start in range(0, n_resamples, chunk):
        drawn = np.sort(scores[indices[start : start + chunk]], axis=1)  # (r, P, N, C)
        k = (~np.isnan(drawn)).sum(axis=1, keepdims=True)
        low = np.take_along_axis(drawn, np.maximum(k - 1, 0) // 2, axis=1)
        high = np.take_along_axis(drawn, k // 2 - (k == 0), axis=1)
        out[start : start + chunk] = np.where(k > 0, (low + high) / 2, np.nan)[:, 0]
    return out


def counted_medians(onehot: np.ndarray, values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """(R, N, C) medians from histograms: ``onehot`` (P, N, C, V) marks each
    participant's answer among the sorted distinct ``values`` (V,), ``counts``
    (R, P) the resamples' draws.  The middle position(s) of a cell's k answers
    are (k − 1) // 2 and k // 2; the value at sorted position j is the first
    whose cumulative count exceeds j.  NaN where nobody drawn answered."""
    n_participants, n, n_criteria, n_values = onehot.shape
    if not n_values:  # nobody answered anything: no histogram to cut (its reshape below would fail)
        return np.full((len(counts), n, n_criteria), np.nan)
    hist = counts @ onehot.reshape(n_participants, -1)
    cumulative = np.cumsum(hist.reshape(-1, n, n_criteria, n_values), axis=-1)
    k = cumulative[..., -1]
    low = (cumulative <= ((k - 1) // 2)[..., None]).sum(axis=-1)
    high = (cumulative <= (k // 2)[..., None]).sum(axis=-1)
    last = n_values - 1
    middle = (values[np.minimum(low, last)] + values[np.minimum(high, last)]) / 2
    return np.where(k > 0, middle, np.nan)


def _group_columns(score_set: ScoreSet, balanced: bool) -> np.ndarray:
    """(G, P) True where participant p is in group g; one group of all when not balanced."""
    if not balanced:
        return np.ones((1, score_set.scores.shape[0]), dtype=bool)
    labels = np.array(score_set.groups, dtype=object)
    return np.stack([labels == g for g in dict.fromkeys(score_set.groups)])


class _Rooms:
    """What every resample's room needs from the whole room, prepared once."""

    def __init__(self, score_set: ScoreSet, options: RankingOptions) -> None:
        scores = score_set.scores
        self.score_set = score_set
        self.options = options
        self.groups = _group_columns(score_set, options.balance_groups)
        self.answered = (~np.isnan(scores)).reshape(scores.shape[0], -1).astype(float)
        self.zeroed = np.where(np.isnan(scores), 0.0, scores).reshape(scores.shape[0], -1)
        self.median = options.aggregation is Aggregation.MEDIAN
        values = np.unique(scores[~np.isnan(scores)])
        self.values = values
        self.onehot = None
        if self.median and values.size <= MEDIAN_VALUES:
            self.onehot = (scores[..., None] == values).astype(float)

    def centres(self, counts: np.ndarray, indices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(R, N, C) each resample's aggregate before filling (NaN: nobody
        drawn answered), and (R, N·C) its answer counts.  Every group's
        count matrix is stacked into one (G·R, P) matrix, so each product is
        one call."""
        scores = self.score_set.scores
        n_groups, n_resamples = len(self.groups), len(counts)
        mine = (self.groups[:, None, :] * counts[None]).reshape(n_groups * n_resamples, -1)  # each group's draws
        got = mine @ self.answered
        shape = (n_groups, n_resamples, *scores.shape[1:])
        if not self.median:
            with np.errstate(invalid="ignore", divide="ignore"):
                per_group = (mine @ self.zeroed / got).reshape(shape)
        elif self.onehot is not None:
            per_group = counted_medians(self.onehot, self.values, mine).reshape(shape)
        else:
            own = [np.where(members[:, None, None], scores, np.nan) for members in self.groups]
            per_group = np.stack([resampled_medians(group, indices) for group in own])
        answers = got.reshape(n_groups, n_resamples, -1).sum(axis=0)
        if n_groups == 1:
            return per_group[0], answers
        some = ~np.isnan(per_group)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(some, per_group, 0.0).sum(axis=0) / some.sum(axis=0), answers


def _pooled(options: RankingOptions, score_set: ScoreSet) -> bool:
    """Whether the normalisation takes a range observed over the whole room
    (minmax; scale of a criterion without one), which must not pool resamples."""
    return options.normalization is Normalization.MINMAX or (
        options.normalization is Normalization.SCALE and not all(c.has_scale for c in score_set.criteria)
    )


def _normalized_rooms(rooms: np.ndarray, score_set: ScoreSet, options: RankingOptions, some: np.ndarray) -> np.ndarray:
    if not _pooled(options, score_set):
        return normalize(rooms, score_set.criteria, options.normalization)
    normalized = np.full(rooms.shape, np.nan)
    for r in np.flatnonzero(some):
        normalized[r] = normalize(rooms[r], score_set.criteria, options.normalization)
    return normalized


def _draw_weights(score_set: ScoreSet, groups: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each draw's group (R, P) and each group's ballot weight in each
    resample (R, G), as ``ranking.methods.ballot_weights`` gives the resample:
    a draw of a participant who answered nothing casts no ballot (group −1);
    balanced, a ballot of group g weighs 1/(G_r·n_rg) (G_r groups drawn, n_rg
    ballots of group g), else 1/n_r."""
    answered = ~np.isnan(score_set.scores).all(axis=(1, 2))
    group = np.where(answered, groups.argmax(axis=0), -1)[rows]
    per_group = np.stack([(group == g).sum(axis=1) for g in range(len(groups))], axis=1)
    present = (per_group > 0).sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        weight = np.where(per_group > 0, 1.0 / (per_group * present), 0.0)
    return group, weight


class _Ballots:
    """Every draw's own utilities in each resample: their answers, and the
    resample's room where they said "don't know", normalised as ``rank``
    normalises the resample (``ranking.methods.participant_matrix``)."""

    def __init__(self, score_set: ScoreSet, options: RankingOptions) -> None:
        self.score_set = score_set
        self.options = options
        scores = score_set.scores
        # Scale normalisation with every criterion's scale is cell by cell, so a
        # participant's utility is their answers' part plus the room's part
        # where they did not answer, priority by priority: (N, C) @ (C, P).
        self.by_cell = options.normalization is Normalization.SCALE and all(c.has_scale for c in score_set.criteria)
        if self.by_cell:
            unknown = np.isnan(scores)
            own = np.where(unknown, 0.0, normalize(scores, score_set.criteria, options.normalization))
            self.answered_part = own @ score_set.weights  # (P, N)
            self.unknown = np.ascontiguousarray(unknown.astype(float).transpose(1, 2, 0))  # (N, C, P)

    def utilities(self, rooms: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """(P, R, N) the draws ``rows`` (R, P) in the resampled ``rooms``
        (R, N, C), voter by voter; NaN for a priority nobody drawn scored."""
        score_set, options = self.score_set, self.options
        if self.by_cell:
            room_part = normalize(rooms, score_set.criteria, options.normalization) * score_set.weights
            every = self.answered_part[None] + np.matmul(room_part.transpose(1, 0, 2), self.unknown).transpose(1, 2, 0)
            drawn = every[np.arange(len(rows))[:, None], rows]  # (R, P, N)
        else:
            answers = score_set.scores[rows]  # (R, P, N, C)
            filled = np.where(np.isnan(answers), rooms[:, None], answers)
            if _pooled(options, score_set):  # each resample's range over its own draws
                normalized = np.full(filled.shape, np.nan)  # a resample nobody drawn scored in: no contest
                for r in np.flatnonzero(~np.isnan(rooms).all(axis=(1, 2))):
                    normalized[r] = normalize(filled[r], score_set.criteria, options.normalization)
            else:
                normalized = normalize(filled, score_set.criteria, options.normalization)
            drawn = normalized @ score_set.weights
        return np.ascontiguousarray(drawn.transpose(1, 0, 2))


def _contest_points(
    ballots: _Ballots, groups: np.ndarray, rooms: np.ndarray, rows: np.ndarray
) -> np.ndarray:
    """(R, N) Borda or Copeland points of each resampled room, as ``rank``
    computes them on the resample up to a shift shared by the priorities
    somebody drawn scored (the others, NaN utilities, are put last on every
    ballot: each scored priority beats all of them), which leaves the ranks
    of the scored ones as they are.

    Each draw's ballots are sorted once (``ranking.methods._sorted_ballots``).
    Borda: each ballot's doubled points, weighted by the draw's ballot weight.
    Copeland: the priorities each beats as bit masks, counted per group over
    the draws (``_bit_counts``), weighted into the pairwise preferences.
    """
    score_set, method = ballots.score_set, ballots.options.method
    n_draws, n = rows.shape[1], score_set.scores.shape[1]
    group, weight = _draw_weights(score_set, groups, rows)
    out = np.empty((len(rows), n))
    step = max(1, BALLOT_CELLS // (n_draws * n))
    for start in range(0, len(rows), step):
        part = slice(start, start + step)
        # On a grid of 1e-12: utilities equal but for rounding (nice weights such as 0.25 and 0.15 on
        # whole-number scores give many) become equal, which the sort counts as runs rather than
        # pair by pair; the tie rule's τ = 1e-9 reads them as ties either way.
        utilities = np.round(ballots.utilities(rooms[part], rows[part]), UTILITY_DECIMALS)
        missing = np.isnan(utilities)
        bound = float(np.abs(np.where(missing, 0.0, utilities)).max(initial=0.0))
        utilities[missing] = -(2 * bound + 1)
        ordered = _sorted_ballots(utilities, 2 * bound + 1, True)
        mine, share = group[part], weight[part]
        size = len(mine)
        if method is Method.BORDA:
            draw_weight = np.where(mine >= 0, np.take_along_axis(share, np.maximum(mine, 0), axis=1), 0.0)
            doubled = ordered.doubled().reshape(n_draws, size, n)
            out[part] = 0.5 * np.einsum("rp,prn->rn", draw_weight, doubled)
            continue
        words = ordered.beaten().reshape(n_draws, size, n)
        prefer = np.zeros((size, n, n))
        for g in np.flatnonzero(share.any(axis=0)):
            counts = _bit_counts(np.where((mine == g).T[:, :, None], words, 0).reshape(n_draws, -1), n)
            prefer += share[:, g, None, None] * counts.reshape(size, n, n)
        out[part] = copeland_points(prefer)
    return out


def top_masks(score_set: ScoreSet, options: RankingOptions, top: int, indices: np.ndarray) -> np.ndarray:
    """(R, N) top-k masks of the resamples ``indices`` (R, P) without ranking
    each one (see the module docstring): the same masks as ``top_masks_loop``."""
    n_participants, n, n_criteria = score_set.scores.shape
    contest = options.method in (Method.BORDA, Method.COPELAND)
    if options.method not in BATCHED or (contest and n > MASK_PRIORITIES):  # no batch form; no word for the masks
        return top_masks_loop(score_set, options, top, indices)
    prepared = _Rooms(score_set, options)
    ballots = _Ballots(score_set, options)
    out = np.zeros((len(indices), n), dtype=bool)
    for start in range(0, len(indices), RESAMPLE_CHUNK):
        rows = indices[start : start + RESAMPLE_CHUNK]
        counts = resample_counts(rows, n_participants).astype(float)
        centres, answers = prepared.centres(counts, rows)
        rooms = fill_empty_batch(centres, score_set, counts)
        scored = scored_priorities(answers.reshape(-1, n, n_criteria))  # (R, N)
        some = scored.any(axis=1)  # a resample of people who scored nothing has no contender
        if contest:
            scores = _contest_points(ballots, prepared.groups, rooms, rows)
        else:
            normalized = _normalized_rooms(rooms, score_set, options, some)
            if options.method is Method.WEIGHTED_SUM:
                scores = normalized @ score_set.weights
            else:  # TOPSIS
                scores = topsis_closeness(normalized, score_set.weights[None, :])[:, 0]
        scores = np.where(scored & some[:, None], scores, np.nan)
        out[start : start + RESAMPLE_CHUNK] = top_k_mask(scores, top)
    return out


def top_masks_loop(score_set: ScoreSet, options: RankingOptions, top: int, indices: np.ndarray) -> np.ndarray:
    """(R, N) top-k masks, one full ``rank`` per resample: the reference."""
    return np.stack([top_k_mask(rank(score_set.subset(row), options).scores, top) for row in indices])
