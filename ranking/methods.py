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

import functools
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ranking.aggregate import (
    DEFAULT_MIN_RESPONSES,
    AggregateMatrix,
    Aggregation,
    aggregate,
    participant_weights,
)
from ranking.model import Choice, Criterion, Priority, RankingInputError, ScoreSet, frozen_array
from ranking.normalize import Normalization, normalize
from ranking.ranks import TIE_RULE, TIE_TOLERANCE, Ranked, min_ranks
from ranking.weights import normalize_weights

if TYPE_CHECKING:
    import pandas as pd


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


def topsis_closeness(normalized: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """TOPSIS closeness (Hwang & Yoon 1981) of normalised matrices
    (..., N, C) under weight vectors (S, C): (..., S, N).

    The same numbers as ``ranking.methods.topsis_scores`` (to rounding), by a
    shorter road: weights are non-negative, so the ideal of the weighted
    matrix is the weighted ideal, max_i w_c·r_ic = w_c·max_i r_ic, and
    d⁺_si² = Σ_c w_sc²·(r_ic − max_i r_ic)², a matrix product of the squared
    weights with a fixed (C, N) table (likewise d⁻ with the minimum).  This
    scores S samples without building the (S, N, C) weighted tensor, several
    times faster in SMAA; a batch of matrices (the bootstrap's resampled
    rooms) under one weight vector works the same way.
    """
    r = np.asarray(normalized, dtype=float)
    squared = np.asarray(weights, dtype=float) ** 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a room in which nobody scored anything
        best, worst = np.nanmax(r, axis=-2, keepdims=True), np.nanmin(r, axis=-2, keepdims=True)
    # A NaN row (a priority nobody scored) stays out of the ideals and only
    # makes its own column of the products NaN.
    d_plus = np.sqrt(squared @ ((r - best) ** 2).swapaxes(-1, -2))
    d_minus = np.sqrt(squared @ ((r - worst) ** 2).swapaxes(-1, -2))
    total = d_plus + d_minus
    tied = np.where(np.isnan(total), np.nan, 0.5)  # NaN: a priority nobody scored
    return np.where(total > 0, d_minus / np.where(total > 0, total, 1.0), tied)


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


#: Ballot cells (samples per chunk × voters × priorities) ``contest_points``
#: ranks at a time: the chunk's temporaries stay within a core's cache.  On
#: this project's 2-core machine (1 MB of L2 a core) 2**16 was the fastest:
#: 2**15 about 20% slower (more numpy calls per sample), 2**17 two to three
#: times slower (bench/RESULTS.md, issue 17).
CONTEST_CELLS = 2**16
#: Copeland's masks summed at a time (samples × voters × priorities).
COUNT_CELLS = 2**19


def contest_points(table: np.ndarray, voters: np.ndarray, weights: np.ndarray, method: Method) -> np.ndarray:
    """Borda or Copeland points under a batch of weight vectors (S, C): (S, N).

    ``table`` (P, N, C) is every participant's normalised matrix
    (``participant_matrix``) of the priorities in the contest (the scored
    ones), ``voters`` (P,) their ballot weights.  The same points as
    ``contest`` on ``participant_utilities`` (to rounding), without its
    S × P × N² comparisons: each participant's utilities under a chunk of
    samples are sorted once (``_sorted_ballots``), which gives each
    priority's place on each ballot and the priorities it beats as a prefix
    of the sorted order.

    * Borda: a priority's points from one ballot are the number it beats plus
      half the number it ties with, (below + upto − 1)/2, weighted by the
      voter and summed.
    * Copeland needs the pairwise majorities.  The priorities each one beats
      on a ballot are a bit mask (a prefix OR along the sorted order), and
      the masks are summed over the voters of equal weight bit by bit, by a
      tree of binary adders on the bit planes (``_bit_counts``); voters of
      unequal weight (balanced groups) are summed per weight.  Only N ≤ 64
      priorities fit a word; more, or a table that is not finite, fall back
      to ``contest``.
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
    w = np.asarray(weights, dtype=float).reshape(-1, n_criteria)
    if not len(w):
        return np.empty((0, n))
    bound = float(np.abs(flat).max(initial=0.0)) * float(np.abs(w).sum(axis=1).max(initial=0.0))
    if n > 64 or not bound < 1e30:  # no word for the masks; or beyond float32's range (or not finite)
        step = max(1, CONTEST_CELLS * 64 // (keep.size * n * n))
        return np.concatenate(
            [
                contest(
                    np.einsum("cpn,sc->spn", flat.reshape(n_criteria, keep.size, n), w[at : at + step]),
                    share[keep], np.ones(n, dtype=bool), method,
                )[1]
                for at in range(0, len(w), step)
            ]
        ).reshape(len(w), n)
    signed = bool(np.signbit(flat).any() or np.signbit(w).any())
    sub = max(1, CONTEST_CELLS // (keep.size * n))  # samples sorted at a time
    # samples counted at a time (Copeland's adder tree is cheaper on longer rows)
    chunk = sub if method is Method.BORDA else sub * max(1, COUNT_CELLS // (sub * keep.size * n))
    word = np.uint32 if n <= 32 else np.uint64
    out = np.empty((len(w), n))
    if method is Method.COPELAND:  # allocated once: fresh ones for every chunk cost page faults
        buffer = np.empty((keep.size, min(chunk, len(w)) * n), dtype=word)
        scratch = bit_count_scratch(keep.size, buffer.shape[1], word)
    for start in range(0, len(w), chunk):
        part = w[start : start + chunk]
        words = buffer[:, : len(part) * n] if method is Method.COPELAND else None
        for at in range(0, len(part), sub):
            piece = part[at : at + sub]
            # (P, S, N): one ballot per (voter, sample), voter by voter
            utilities = (piece @ flat).reshape(len(piece), keep.size, n).transpose(1, 0, 2)
            ballots = _sorted_ballots(utilities, bound, signed)
            if method is Method.BORDA:
                doubled = ballots.doubled().reshape(keep.size, -1)
                out[start + at : start + at + len(piece)] = (0.5 * (share[keep] @ doubled)).reshape(len(piece), n)
            else:
                ballots.beaten(out=words[:, at * n : (at + len(piece)) * n])
        if method is Method.COPELAND:
            prefer = sum(
                level * _bit_counts(words[cut], n, scratch) for level, cut in zip(levels, slices, strict=True)
            )
            out[start : start + len(part)] = copeland_points(prefer.reshape(len(part), n, n))
    return out


@dataclass(frozen=True, eq=False)
class _SortedBallots:
    """A chunk of ballots (rows: voter by voter, sample by sample) sorted, with
    the engine's tie rule.

    ``order[r, k]`` is the priority at sorted place k of ballot r (ascending
    utility); ``place[r, i]`` priority i's sorted place.  Ties are exact ties
    (runs of equal utilities, ``run_*``: the flat sorted position of each
    member after a run's first, and its run's first and end) except on the
    ballots ``close`` (a gap of τ or less between unequal utilities, where
    the tolerance need not be transitive), which are counted pair by pair
    from ``close_utilities``.
    """

    order: np.ndarray
    place: np.ndarray
    run_member: np.ndarray
    run_first: np.ndarray
    run_end: np.ndarray
    close: np.ndarray
    close_utilities: np.ndarray

    def _close_beats(self) -> np.ndarray:
        u = self.close_utilities
        return u[:, :, None] > u[:, None, :] + TIE_TOLERANCE  # [r, i, j]: i beats j

    def doubled(self) -> np.ndarray:
        """(R, N) per priority: twice its Borda points from the ballot, below + upto − 1."""
        n = self.order.shape[1]
        out = 2 * self.place.astype(np.int32)
        members = np.concatenate([self.run_member, self.run_first])  # run_first: increasing, no repeats
        first, end = self._run_of(members)
        rows = members // n
        out.ravel()[rows * n + self.order.ravel()[members]] = first + end - 1 - 2 * rows * n
        if self.close.size:
            beats = self._close_beats()
            out[self.close] = beats.sum(axis=2) + n - beats.sum(axis=1) - 1
        return out

    def beaten(self, out: np.ndarray | None = None) -> np.ndarray:
        """(R, N) words per priority: bit j set when it beats priority j.

        Into ``out`` if given: words (V, S·N) with V·S = R, ballot r = v·S + s
        at out[v, s·N : (s + 1)·N] (a block of a larger array: Copeland's
        counts take every voter's ballots under a run of samples as one row).
        """
        n_rows, n = self.order.shape
        word = np.uint32 if n <= 32 else np.uint64
        size = n_rows * n
        starts, columns = _ballot_layout(n_rows, n, word)
        order = self.order.ravel()
        masks = np.zeros(size, dtype=word)  # at each sorted position: the bits of the places before it
        np.left_shift(word(1), order[:-1].astype(word), out=masks[1:])
        masks[::n] = 0
        for shift, column in columns:  # prefix OR by doubling, never across a ballot's start
            masks[shift:] |= masks[:-shift] & column
        members = self.run_member
        masks[members] = masks[self._run_of(members)[0]]  # a tie beats only what its run's first beats
        if out is None:
            out = np.empty((n_rows, n), dtype=word)
        # each priority's word is the mask at its sorted place: a gather, straight into ``out``
        np.take(masks, (starts + self.place.ravel()).reshape(out.shape), out=out, mode="clip")
        if self.close.size:
            voter, sample = np.divmod(self.close, n_rows // out.shape[0])
            close = (self._close_beats().astype(word) << np.arange(n, dtype=word)).sum(axis=2, dtype=word)
            out[voter[:, None], sample[:, None] * n + np.arange(n)] = close
        return out

    def _run_of(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The flat sorted positions of each position's run's first and end."""
        index = np.searchsorted(self.run_first, positions, side="right") - 1
        return self.run_first[index], self.run_end[index]


@functools.lru_cache(maxsize=8)
def _ballot_layout(n_rows: int, n: int, word: type) -> tuple[np.ndarray, tuple[tuple[int, np.ndarray], ...]]:
    """For ``n_rows`` ballots of ``n`` places, flat: each place's ballot start,
    and for each doubling step ``shift`` a word mask, all ones where the place
    is at least ``shift`` into its ballot (``_SortedBallots.beaten``)."""
    column = np.tile(np.arange(n), n_rows)
    starts = frozen_array(np.arange(0, n_rows * n, n).repeat(n), dtype=np.intp)
    steps = []
    shift = 1
    while shift < n:
        steps.append((shift, frozen_array(np.where(column[shift:] >= shift, ~word(0), word(0)), dtype=word)))
        shift *= 2
    return starts, tuple(steps)


def _sorted_ballots(utilities: np.ndarray, bound: float, signed: bool) -> _SortedBallots:
    """Sort ballots ``utilities`` (P, S, N), every |utility| ≤ ``bound``;
    ``signed``: some may be negative (or −0).

    The ballots are sorted as 32-bit integer keys rather than argsorted: a
    utility's float32 bits (in signed-integer order) with its priority in the
    lowest bits, several times faster.  Keys are only approximate utilities
    (within 2**(bits − 22)·bound), so neighbours in the key order whose
    approximate gap is that close are checked against the exact utilities:
    equal (a tie), clearly apart by the very comparison ``min_ranks`` makes
    (a > b + τ), or anything else (a gap of τ or less, or out of order),
    which sends the ballot to be counted pair by pair.  Every other pair of
    neighbours is in order and clearly apart.  A second sort of 16-bit keys
    (priority, place) gives each priority's place.
    """
    n_voters, n_samples, n = utilities.shape
    n_rows = n_voters * n_samples
    bits = max(1, (n - 1).bit_length())
    low = np.int32((1 << bits) - 1)
    sign = np.int32(0x7FFF_FFFF)
    keys = utilities.astype(np.float32, order="C").view(np.int32).reshape(n_rows, n)
    if signed:  # negative floats: the other bits reversed
        keys ^= (keys >> 31) & sign
    keys &= ~low
    keys |= np.arange(n, dtype=np.int32)
    keys.sort(axis=1)
    order = keys & low
    approx = keys & ~low
    if signed:
        approx ^= (approx >> 31) & sign
    approx = approx.view(np.float32).ravel()
    margin = np.float32(TIE_TOLERANCE + 2.0 ** (bits - 20) * bound)  # twice the two keys' error
    near = approx[1:] - approx[:-1] <= margin
    near[n - 1 :: n] = False  # a ballot's first place has nothing before it
    positions = np.flatnonzero(near) + 1
    rows = positions // n
    voter, sample = np.divmod(rows, n_samples)
    flat_order = order.ravel()
    upper = utilities[voter, sample, flat_order[positions]]
    lower = utilities[voter, sample, flat_order[positions - 1]]
    same = upper == lower
    close = np.unique(rows[~same & ~(upper > lower + TIE_TOLERANCE)])
    members = positions[same & ~np.isin(rows, close)] if close.size else positions[same]
    starts = np.ones(members.size, dtype=bool)
    starts[1:] = members[1:] != members[:-1] + 1
    run_first = members[starts] - 1
    run_end = np.append(members[np.flatnonzero(starts)[1:] - 1], members[-1:]) + 1
    places = (order.astype(np.int16) << np.int16(bits)) | np.arange(n, dtype=np.int16)
    places.sort(axis=1)
    close_voter, close_sample = np.divmod(close, n_samples)
    return _SortedBallots(
        order=order,
        place=places & np.int16(low),
        run_member=members,
        run_first=run_first,
        run_end=run_end,
        close=close,
        close_utilities=utilities[close_voter, close_sample],
    )


def bit_count_scratch(rows: int, width: int, dtype: type) -> np.ndarray:
    """Working space for ``_bit_counts`` of up to ``rows`` × ``width`` words,
    to reuse across calls (fresh megabyte-sized temporaries cost page faults
    each time, which made the counts twice as slow)."""
    return np.empty((2 * rows + 2 * max(1, rows).bit_length() + 4, width), dtype=dtype)


def _bit_counts(words: np.ndarray, n: int, scratch: np.ndarray | None = None) -> np.ndarray:
    """counts[w, j] = #{p : bit j of words[p, w]} for words (P, W): (W, n).

    The P words are added pairwise as bit-sliced binary numbers (each bit
    position j is a separate lane): a tree of half and full adders, log₂ P
    levels, each on whole contiguous blocks; then each bit plane of the sums
    is unpacked.  The adders work in place: ``words`` is overwritten, and the
    carries go to ``scratch`` (``bit_count_scratch``; made here if None).
    """
    count, width = words.shape
    if scratch is None:
        scratch = bit_count_scratch(count, width, words.dtype)
    scratch = scratch[:, :width]
    both, free = scratch[: 2 * (count // 2 + 1)], count // 2 + 1  # two temporaries, then the carry planes
    first, second = both[: count // 2], both[free : free + count // 2]
    free *= 2
    planes = [words]  # planes[k][:count]: bit k of the partial sums
    while count > 1:
        half, odd = divmod(count, 2)
        carry = scratch[free : free + half + odd]
        free += half + odd
        for k, plane in enumerate(planes):
            a, b = plane[:half], plane[half : 2 * half]
            if k == 0:  # half adder
                np.bitwise_and(a, b, out=carry[:half])
                np.bitwise_xor(a, b, out=a)
            else:  # full adder with the carry in
                np.bitwise_and(a, b, out=first[:half])
                np.bitwise_xor(a, b, out=a)
                np.bitwise_and(a, carry[:half], out=second[:half])
                np.bitwise_xor(a, carry[:half], out=a)
                np.bitwise_or(first[:half], second[:half], out=carry[:half])
            if odd:  # the unpaired last partial sum moves up, to row ``half``
                plane[half] = plane[2 * half]
        if odd:
            carry[half] = 0
        planes.append(carry)
        count = half + odd
    counts = np.zeros((width, 8 * words.itemsize), dtype=np.int32)  # int32: half the time of int64 here
    for k, plane in enumerate(planes):
        little = plane[0].astype(plane.dtype.newbyteorder("<"), copy=False)
        bits = np.unpackbits(little.view(np.uint8).reshape(width, -1), axis=1, bitorder="little")
        counts += bits.astype(np.int32) << k
    return counts[:, :n]


# --------------------------------------------------------------------------- result


@dataclass(frozen=True, eq=False)
class RankingResult(Ranked):
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
    def criterion_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.criteria)

    @property
    def scored(self) -> np.ndarray:
        """Per priority: True when anybody answered it (see the module docstring)."""
        return self.aggregate.scored

    def table(self) -> pd.DataFrame:
        """One row per priority, best first.  A priority nobody scored has
        ``scored`` False and a NaN score, and comes last."""
        import pandas as pd  # here, not at the top: `python -m ranking` starts without pandas

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
        import pandas as pd  # here, not at the top: `python -m ranking` starts without pandas

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
