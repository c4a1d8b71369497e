"""Ranking methods: weighted sum, TOPSIS, Borda and Copeland.

The array functions (``weighted_sum_scores``, ``topsis_scores``) take a
normalised matrix and either one weight vector ``(C,)`` or a batch
``(S, C)``; a batch is scored in one vectorised call, which is what SMAA
uses.  ``rank`` validates once and packages a ``RankingResult`` that carries
every intermediate ("show the working").

Borda and Copeland aggregate each participant's *own* ranking.  A
participant's ranking orders priorities by the weighted sum of their own
scale-normalised scores; where they said "don't know" the room's aggregate
for that cell stands in, so not knowing neither helps nor hurts a priority.
A participant who scored nothing at all casts no ballot.

**Priorities nobody scored.**  A priority with no answer on any criterion
(``AggregateMatrix.scored`` False) is not a contender: every method gives
it a NaN score and ranks the others exactly as if it were not on the list
(TOPSIS's ideals, the vector norms and Borda/Copeland's pairwise contests
leave it out).  The tie rule gives a NaN score the rank N + 1, past every
place (``ranking.ranks``), so it is listed last and is never in the top k
(``RankingResult.top``, ``ranking.ranks.top_k_mask``).  An isolated empty
cell of a priority with other answers still takes the scale midpoint.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ranking.aggregate import (
    DEFAULT_MIN_RESPONSES,
    AggregateMatrix,
    Aggregation,
    aggregate,
    participant_weights,
)
from ranking.model import Choice, Criterion, Priority, RankingInputError, ScoreSet, frozen_array
from ranking.normalize import Normalization, normalize
from ranking.ranks import TIE_RULE, TIE_TOLERANCE, display_order, min_ranks
from ranking.weights import normalize_weights


class Method(Choice):
    WEIGHTED_SUM = "weighted-sum"
    TOPSIS = "topsis"
    BORDA = "borda"
    COPELAND = "copeland"

    @property
    def label(self) -> str:
        return {"weighted-sum": "Weighted sum", "topsis": "TOPSIS", "borda": "Borda count", "copeland": "Copeland"}[
            self.value
        ]

    @property
    def score_label(self) -> str:
        """What the method's score is: the axis title, the table column and the exports' heading."""
        return {
            "weighted-sum": "Weighted score (0–1)",
            "topsis": "TOPSIS closeness to the ideal (0–1)",
            "borda": "Borda points",
            "copeland": "Copeland points",
        }[self.value]


@dataclass(frozen=True)
class RankingOptions:
    """How to turn a room's scores into a ranking."""

    method: Method = Method.WEIGHTED_SUM
    normalization: Normalization | None = None  # None: the method's default
    aggregation: Aggregation = Aggregation.MEAN
    balance_groups: bool = False
    min_responses: int = DEFAULT_MIN_RESPONSES

    def __post_init__(self) -> None:
        object.__setattr__(self, "method", Method.parse(self.method))
        object.__setattr__(self, "aggregation", Aggregation.parse(self.aggregation))
        norm = self.normalization
        if norm is None:
            norm = Normalization.VECTOR if self.method is Method.TOPSIS else Normalization.SCALE
        object.__setattr__(self, "normalization", Normalization.parse(norm))
        if int(self.min_responses) < 0:
            raise RankingInputError("min_responses must not be negative")
        object.__setattr__(self, "min_responses", int(self.min_responses))


# --------------------------------------------------------------------------- arrays


def _batch(weights: np.ndarray) -> tuple[np.ndarray, bool]:
    w = np.asarray(weights, dtype=float)
    return (w[None, :], True) if w.ndim == 1 else (w, False)


def weighted_sum_scores(normalized: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Σ_c w_c · n_ic.  weights (C,) → (N,); weights (S, C) → (S, N)."""
    w, single = _batch(weights)
    scores = w @ np.asarray(normalized, dtype=float).T
    return scores[0] if single else scores


@dataclass(frozen=True, eq=False)
class TopsisParts:
    weighted: np.ndarray
    ideal: np.ndarray
    anti_ideal: np.ndarray
    dist_ideal: np.ndarray
    dist_anti: np.ndarray
    closeness: np.ndarray


def topsis_parts(normalized: np.ndarray, weights: np.ndarray) -> TopsisParts:
    """TOPSIS (Hwang & Yoon 1981) on a benefit-oriented normalised matrix.

    v = w·r; ideal/anti-ideal = column max/min of v; closeness
    C = d⁻/(d⁺ + d⁻).  Batched over weight samples like ``weighted_sum_scores``.
    When every priority is identical (d⁺ = d⁻ = 0) all get C = 0.5.  A NaN
    row (a priority nobody scored) is left out of the ideals and gets NaN.
    """
    w, single = _batch(weights)
    v = np.asarray(normalized, dtype=float)[None, :, :] * w[:, None, :]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # every row NaN: nobody scored anything
        ideal = np.nanmax(v, axis=1)
        anti = np.nanmin(v, axis=1)
    d_plus = np.sqrt(((v - ideal[:, None, :]) ** 2).sum(axis=2))
    d_minus = np.sqrt(((v - anti[:, None, :]) ** 2).sum(axis=2))
    total = d_plus + d_minus
    tied = np.where(np.isnan(total), np.nan, 0.5)  # NaN: a priority nobody scored
    closeness = np.where(total > 0, d_minus / np.where(total > 0, total, 1.0), tied)
    parts = (v, ideal, anti, d_plus, d_minus, closeness)
    if single:
        parts = tuple(p[0] for p in parts)
    return TopsisParts(*parts)


def topsis_scores(normalized: np.ndarray, weights: np.ndarray) -> np.ndarray:
    return topsis_parts(normalized, weights).closeness


def participant_matrix(score_set: ScoreSet, room: np.ndarray, normalization: Normalization) -> np.ndarray:
    """Every participant's own normalised matrix (P, N, C), "don't know"
    cells taking the room's aggregate ``room`` (priorities × criteria)."""
    filled = np.where(np.isnan(score_set.scores), room[None, :, :], score_set.scores)
    return normalize(filled, score_set.criteria, normalization)


def participant_utilities(
    score_set: ScoreSet, weights: np.ndarray, room: np.ndarray, normalization: Normalization = Normalization.SCALE
) -> np.ndarray:
    """Each participant's own weighted-sum utility of each priority: (P, N).

    "Don't know" cells take the room's aggregate ``room`` (priorities ×
    criteria).  weights (S, C) gives (S, P, N).
    """
    normalized = participant_matrix(score_set, room, normalization)
    w, single = _batch(weights)
    utilities = np.einsum("pnc,sc->spn", normalized, w)
    return utilities[0] if single else utilities


def pairwise_preferences(utilities: np.ndarray, voter_weights: np.ndarray) -> np.ndarray:
    """prefer[..., i, j] = weighted share of participants ranking i above j.

    utilities: (..., P, N) → (..., N, N).  ``voter_weights`` (P,) are scaled
    to sum 1 here (so ballot counts work too), which is what lets Borda and
    Copeland read ties as 1 − prefer[i, j] − prefer[j, i].
    """
    u = np.asarray(utilities, dtype=float)
    voters = np.asarray(voter_weights, dtype=float)
    if voters.shape != (u.shape[-2],):
        raise RankingInputError(f"{voters.size} voter weights for {u.shape[-2]} participants")
    if (voters < 0).any() or not voters.sum() > 0:
        raise RankingInputError("voter weights must be non-negative and not all zero")
    above = u[..., :, :, None] > u[..., :, None, :] + TIE_TOLERANCE
    return np.einsum("...pij,p->...ij", above.astype(float), voters / voters.sum())


def tie_counts(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row of ``values`` (R, N) sorted, with the engine's tie rule
    (``ranking.ranks``: a beats b when a > b + τ) counted by a sort rather than
    by comparing all N² pairs.

    Returns ``order`` (the ascending argsort of each row) and, for the value
    v at each sorted position, ``below`` = #{j : v > v_j + τ} (the values it
    beats) and ``upto`` = #{j : not v_j > v + τ} (the values that do not beat
    it, itself included).  So its min-rank is N − upto + 1 and its Borda
    points below + (upto − below − 1)/2.

    After sorting, a row whose neighbours either are equal or differ by more
    than τ (by the very comparison ``min_ranks`` makes) has tie classes that
    are runs of equal values, so both counts are a run's start and end.
    Rows with a gap of τ or less (ties by the tolerance, which need not be
    transitive) are counted pair by pair.  Values must not be NaN; −inf is
    fine.
    """
    v = np.asarray(values, dtype=float)
    n_rows, n = v.shape
    order = np.argsort(v, axis=1)
    # Whole-array (flat) operations throughout: row slices such as d[:, 1:]
    # would make numpy loop row by row over short rows.
    flat_order = (order + np.arange(0, n_rows * n, n)[:, None]).ravel()
    d = v.ravel()[flat_order]
    same = np.zeros(d.size, dtype=bool)  # same[x]: equal to the value before it in its row
    np.equal(d[1:], d[:-1], out=same[1:])
    near = np.zeros(d.size, dtype=bool)
    np.greater(d[1:], d[:-1] + TIE_TOLERANCE, out=near[1:])
    near |= same
    near = ~near  # neither equal to nor clearly above the value before it
    same[::n] = near[::n] = False  # a row's first value has nothing before it
    below = np.broadcast_to(np.arange(n), (n_rows, n)).copy()
    upto = below + 1
    tied = same.reshape(n_rows, n).any(axis=1)
    if tied.any():  # runs of equal values: each value's run start and end
        run = same.reshape(n_rows, n)[tied]
        positions = below[: len(run)]
        start = np.where(run, 0, positions)
        np.maximum.accumulate(start, axis=1, out=start)
        end = np.where(np.roll(run, -1, axis=1) & (positions < n - 1), n, positions + 1)
        below[tied] = start
        upto[tied] = np.minimum.accumulate(end[:, ::-1], axis=1)[:, ::-1]
    near = near.reshape(n_rows, n).any(axis=1)
    if near.any():
        rows = d.reshape(n_rows, n)[near]
        below[near] = (rows[:, :, None] > rows[:, None, :] + TIE_TOLERANCE).sum(axis=2)
        upto[near] = n - (rows[:, None, :] > rows[:, :, None] + TIE_TOLERANCE).sum(axis=2)
    return order, below, upto


def borda_points(prefer: np.ndarray) -> np.ndarray:
    """Borda count from pairwise preferences: for each participant a priority
    gets one point for each priority it beats and half a point for each it
    ties with, summed with the participants' weights (which sum to 1, so
    points lie in 0..N−1)."""
    n = prefer.shape[-1]
    ties = 1.0 - prefer - np.swapaxes(prefer, -1, -2)
    ties[..., np.arange(n), np.arange(n)] = 0.0
    return prefer.sum(axis=-1) + 0.5 * ties.sum(axis=-1)


def copeland_points(prefer: np.ndarray) -> np.ndarray:
    """Copeland: one point per pairwise majority win, half per pairwise tie."""
    n = prefer.shape[-1]
    wins = prefer > np.swapaxes(prefer, -1, -2) + TIE_TOLERANCE
    ties = np.abs(prefer - np.swapaxes(prefer, -1, -2)) <= TIE_TOLERANCE
    ties = ties & ~np.eye(n, dtype=bool)
    return wins.sum(axis=-1) + 0.5 * ties.sum(axis=-1)


#: Participant × priority utilities ``contest_points`` holds at a time
#: (samples per chunk × voters × priorities): a few MB per temporary.
CONTEST_CELLS = 2**16


def contest_points(table: np.ndarray, voters: np.ndarray, weights: np.ndarray, method: Method) -> np.ndarray:
    """Borda or Copeland points under a batch of weight vectors (S, C): (S, N).

    ``table`` (P, N, C) is every participant's normalised matrix
    (``participant_matrix``) of the priorities in the contest (the scored
    ones), ``voters`` (P,) their ballot weights.  The same points as
    ``contest`` on ``participant_utilities`` (to rounding), without its
    S × P × N² comparisons: each participant's utilities under a chunk of
    samples are sorted once (``tie_counts``), which gives the priorities each
    one beats as a prefix of the sorted order.

    * Borda: a priority's points from one ballot are the number it beats plus
      half the number it ties with, (below + upto − 1)/2, weighted by the
      voter and summed.
    * Copeland needs the pairwise majorities.  The priorities each one beats
      on a ballot are a bit mask (a prefix OR along the sorted order), and
      the masks are summed over the voters of equal weight bit by bit, by a
      tree of binary adders on the bit planes (1 + log₂ P words per mask
      instead of P·N comparisons); voters of unequal weight (balanced groups)
      are summed per weight.  Only N ≤ 64 priorities fit a word; more fall
      back to ``contest``.
    """
    table = np.asarray(table, dtype=float)
    _, n, n_criteria = table.shape
    voters = np.asarray(voters, dtype=float)
    share = voters / voters.sum()
    keep = np.flatnonzero(share > 0)
    # Voters of equal weight side by side, so that each weight is one slice.
    keep = keep[np.argsort(share[keep], kind="stable")]
    levels, starts = np.unique(share[keep], return_index=True)
    slices = [slice(a, b) for a, b in zip(starts, [*starts[1:], keep.size], strict=True)]
    flat = table[keep].transpose(2, 0, 1).reshape(n_criteria, -1)  # (C, P·N)
    w = np.asarray(weights, dtype=float)
    if method is Method.COPELAND and n > 64:
        utilities = np.einsum("cpn,sc->spn", flat.reshape(n_criteria, keep.size, n), w)
        return copeland_points(pairwise_preferences(utilities, share[keep]))
    chunk = max(1, CONTEST_CELLS // (keep.size * n))
    out = np.empty((len(w), n))
    for start in range(0, len(w), chunk):
        part = w[start : start + chunk]
        rows = (part @ flat).reshape(-1, n)  # (S·P, N): one ballot per row
        order, below, upto = tie_counts(rows)
        if method is Method.BORDA:
            doubled = np.empty_like(below)
            np.put_along_axis(doubled, order, below + upto - 1, axis=1)
            out[start : start + len(part)] = 0.5 * (share[keep] @ doubled.reshape(len(part), keep.size, n))
            continue
        word = np.uint32 if n <= 32 else np.uint64
        prefix = np.zeros((len(rows), n + 1), dtype=word)
        np.bitwise_or.accumulate(np.left_shift(word(1), order.astype(word)), axis=1, out=prefix[:, 1:])
        masks = np.empty((len(rows), n), dtype=word)
        np.put_along_axis(masks, order, np.take_along_axis(prefix, below, axis=1), axis=1)
        masks = masks.reshape(len(part), keep.size, n)
        prefer = sum(level * _bit_counts(masks[:, cut], n) for level, cut in zip(levels, slices, strict=True))
        out[start : start + len(part)] = copeland_points(prefer)
    return out


def _bit_counts(words: np.ndarray, n: int) -> np.ndarray:
    """counts[s, i, j] = #{p : bit j of words[s, p, i]} for words (S, P, N).

    The P words are added pairwise as bit-sliced binary numbers (each bit
    position j is a separate lane): a tree of half and full adders, log₂ P
    levels, each on whole arrays.
    """
    planes = [words]  # planes[k][:, p]: bit k of the p-th partial sum
    while planes[0].shape[1] > 1:
        count = planes[0].shape[1]
        half = count // 2
        summed, carry = [], None
        for plane in planes:
            a, b = plane[:, :half], plane[:, half : 2 * half]
            if carry is None:
                summed.append(a ^ b)
                carry = a & b
            else:
                either = a ^ b
                summed.append(either ^ carry)
                carry = (a & b) | (either & carry)
        summed.append(carry)
        if count % 2:
            odd = [plane[:, 2 * half :] for plane in planes]
            odd.append(np.zeros_like(odd[0]))
            summed = [np.concatenate([s, o], axis=1) for s, o in zip(summed, odd, strict=True)]
        planes = summed
    shifts = np.arange(n, dtype=words.dtype)
    counts = np.zeros((words.shape[0], n, n), dtype=np.int64)
    for k, plane in enumerate(planes):
        counts += ((plane[:, 0, :, None] >> shifts) & 1).astype(np.int64) << k
    return counts


# --------------------------------------------------------------------------- result


@dataclass(frozen=True, eq=False)
class RankingResult:
    """A ranking with its working.

    ``matrix`` is the room's aggregated priorities × criteria matrix,
    ``normalized`` its benefit-oriented normalisation, ``weighted`` the
    normalised values times the weights.  TOPSIS adds ideal/anti-ideal and
    distances; Borda and Copeland add ``pairwise`` (share of the room that
    ranked row above column).
    """

    options: RankingOptions
    priorities: tuple[Priority, ...]
    criteria: tuple[Criterion, ...]
    weights: np.ndarray
    aggregate: AggregateMatrix
    normalized: np.ndarray
    weighted: np.ndarray
    scores: np.ndarray
    ranks: np.ndarray
    ideal: np.ndarray | None = None
    anti_ideal: np.ndarray | None = None
    dist_ideal: np.ndarray | None = None
    dist_anti: np.ndarray | None = None
    pairwise: np.ndarray | None = None
    tie_rule: str = TIE_RULE

    @property
    def method(self) -> Method:
        return self.options.method

    @property
    def matrix(self) -> np.ndarray:
        return self.aggregate.matrix

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.priorities)

    @property
    def criterion_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.criteria)

    @property
    def order(self) -> list[int]:
        """Priority indices best first (ties by name); priorities nobody scored last."""
        return display_order(self.ranks, self.names)

    @property
    def scored(self) -> np.ndarray:
        """Per priority: True when anybody answered it (see the module docstring)."""
        return self.aggregate.scored

    @property
    def unscored(self) -> tuple[str, ...]:
        """Names of the priorities nobody has scored, in display order."""
        return tuple(self.names[i] for i in self.order if not self.scored[i])

    def top(self, k: int) -> tuple[str, ...]:
        """Names of the scored priorities ranked k or better (ties at the cut all in)."""
        return tuple(self.names[i] for i in self.order if self.ranks[i] <= k and self.scored[i])

    def table(self) -> pd.DataFrame:
        """One row per priority, best first.  A priority nobody scored has
        ``scored`` False and a NaN score, and comes last."""
        order = self.order
        counts = self.aggregate.counts
        return pd.DataFrame(
            {
                "rank": [int(self.ranks[i]) for i in order],
                "priority": [self.names[i] for i in order],
                "theme": [self.priorities[i].theme for i in order],
                "score": [float(self.scores[i]) for i in order],
                "responses": [int(counts[i].min()) for i in order],
                "scored": [bool(self.scored[i]) for i in order],
            }
        )

    def working(self, priority: str) -> pd.DataFrame:
        """One priority's per-criterion working: aggregate, normalised, weighted."""
        if priority not in self.names:
            raise RankingInputError(f"unknown priority {priority!r}")
        i = self.names.index(priority)
        return pd.DataFrame(
            {
                "criterion": list(self.criterion_names),
                "weight": self.weights,
                "aggregate": self.matrix[i],
                "responses": self.aggregate.counts[i],
                "normalized": self.normalized[i],
                "weighted": self.weighted[i],
            }
        )


def _result(options, score_set, weights, agg, normalized, weighted, scores, **extra) -> RankingResult:
    frozen = {k: (frozen_array(v) if v is not None else None) for k, v in extra.items()}
    return RankingResult(
        options=options,
        priorities=score_set.priorities,
        criteria=score_set.criteria,
        weights=frozen_array(weights),
        aggregate=agg,
        normalized=frozen_array(normalized),
        weighted=frozen_array(weighted),
        scores=frozen_array(scores),
        ranks=frozen_array(min_ranks(scores), dtype=int),
        **frozen,
    )


def ballot_weights(score_set: ScoreSet, balanced: bool) -> np.ndarray:
    """Each participant's weight as a Borda/Copeland voter (sums to 1).

    Participants who scored nothing get 0: their every cell would take the
    room's aggregate, so counting them would add ballots for the room's own
    ranking.  When nobody has scored anything every priority ties anyway and
    all participants count.
    """
    answered = ~np.isnan(score_set.scores).all(axis=(1, 2))
    if not answered.any():
        answered[:] = True
    weights = np.zeros(answered.size)
    groups = tuple(g for g, a in zip(score_set.groups, answered, strict=True) if a)
    weights[answered] = participant_weights(groups, balanced)
    return weights


def rank(
    score_set: ScoreSet,
    options: RankingOptions | None = None,
    weights: np.ndarray | None = None,
) -> RankingResult:
    """Rank the priorities of ``score_set``.

    ``weights`` overrides the criteria's own weights (normalised here).
    """
    options = options or RankingOptions()
    w = score_set.weights if weights is None else normalize_weights(weights, score_set.criterion_names)
    agg = aggregate(score_set, options.aggregation, options.balance_groups, options.min_responses)
    if not agg.scored.any():
        nothing = np.full(agg.matrix.shape, np.nan)
        return _result(options, score_set, w, agg, nothing, nothing, np.full(len(score_set.priorities), np.nan))
    normalized = normalize(agg.matrix, score_set.criteria, options.normalization)
    weighted = normalized * w
    if options.method is Method.WEIGHTED_SUM:
        return _result(options, score_set, w, agg, normalized, weighted, weighted.sum(axis=1))
    if options.method is Method.TOPSIS:
        parts = topsis_parts(normalized, w)
        return _result(
            options, score_set, w, agg, normalized, weighted, parts.closeness,
            ideal=parts.ideal, anti_ideal=parts.anti_ideal, dist_ideal=parts.dist_ideal, dist_anti=parts.dist_anti,
        )
    voters = ballot_weights(score_set, options.balance_groups)
    utilities = participant_utilities(score_set, w, agg.matrix, options.normalization)
    prefer, points = contest(utilities, voters, agg.scored, options.method)
    return _result(options, score_set, w, agg, normalized, weighted, points, pairwise=prefer)


def contest(
    utilities: np.ndarray, voters: np.ndarray, scored: np.ndarray, method: Method
) -> tuple[np.ndarray, np.ndarray]:
    """Borda or Copeland among the scored priorities only: (pairwise
    preferences (..., N, N), points (..., N)), NaN wherever a priority
    nobody scored is involved, so it neither wins nor ties with anyone."""
    inside = np.flatnonzero(scored)
    prefer = pairwise_preferences(utilities[..., inside], voters)
    points = borda_points(prefer) if method is Method.BORDA else copeland_points(prefer)
    n = scored.size
    if inside.size == n:
        return prefer, points
    full_prefer = np.full((*prefer.shape[:-2], n, n), np.nan)
    full_prefer[..., inside[:, None], inside[None, :]] = prefer
    full_points = np.full((*points.shape[:-1], n), np.nan)
    full_points[..., inside] = points
    return full_prefer, full_points
