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
from enum import StrEnum

import numpy as np
import pandas as pd

from ranking.aggregate import (
    DEFAULT_MIN_RESPONSES,
    AggregateMatrix,
    Aggregation,
    aggregate,
    participant_weights,
)
from ranking.model import Criterion, Priority, RankingInputError, ScoreSet, frozen_array
from ranking.normalize import Normalization, normalize
from ranking.ranks import TIE_RULE, TIE_TOLERANCE, display_order, min_ranks
from ranking.weights import normalize_weights


class Method(StrEnum):
    WEIGHTED_SUM = "weighted-sum"
    TOPSIS = "topsis"
    BORDA = "borda"
    COPELAND = "copeland"

    @classmethod
    def parse(cls, value: str | Method) -> Method:
        try:
            return cls(value)
        except ValueError:
            options = ", ".join(m.value for m in cls)
            raise RankingInputError(f"method must be one of {options}, not {value!r}") from None

    @property
    def label(self) -> str:
        return {"weighted-sum": "Weighted sum", "topsis": "TOPSIS", "borda": "Borda count", "copeland": "Copeland"}[
            self.value
        ]


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


def participant_utilities(
    score_set: ScoreSet, weights: np.ndarray, room: np.ndarray, normalization: Normalization = Normalization.SCALE
) -> np.ndarray:
    """Each participant's own weighted-sum utility of each priority: (P, N).

    "Don't know" cells take the room's aggregate ``room`` (priorities ×
    criteria).  weights (S, C) gives (S, P, N).
    """
    filled = np.where(np.isnan(score_set.scores), room[None, :, :], score_set.scores)
    normalized = normalize(filled, score_set.criteria, normalization)
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
