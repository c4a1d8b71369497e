"""Sensitivity of the top k: one-way weight thresholds, SMAA-2, participant
bootstrap and agreement between methods.

Every function ranks with the engine's own functions (``ranking.methods``)
and the engine's one tie rule (``ranking.ranks``: "min" ranks, equal scores
share the better rank).  "The top k" is therefore the *set* of priorities
whose min-rank is at most k: when two priorities tie at the cut both are in,
so the set can hold more than k names.

* ``one_way`` varies one criterion weight at a time, rescaling the others
  proportionally (docs/ARCHITECTURE.md §3), and reports the interval of that weight over
  which the top-k set stays the same.  Under the weighted sum the interval is
  solved exactly; under TOPSIS, Borda and Copeland it is searched.
* ``smaa`` is SMAA-2 (Lahdelma & Salminen 2001): sample weight vectors, rank
  every sample, report rank acceptability, the probability of being in the
  top k, and central weights.
* ``bootstrap`` resamples participants with replacement: how much of the
  result rests on who happened to be in the room.
* ``method_agreement`` runs all four methods on the same room.

A priority nobody scored (``ranking.methods``: a NaN score) is never a
contender anywhere here: it is never in a top-k set, its SMAA rank
acceptabilities and probabilities are all 0, it is never first, and in a
bootstrap resample in which nobody drawn scored a priority, that priority
is out of the top k of that resample.

Weight-independent work (aggregation, normalisation) is done once per call
by ``_Engine`` so that a batch of weight vectors costs one vectorised call.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ranking.aggregate import aggregate
from ranking.methods import (
    Method,
    RankingOptions,
    ballot_weights,
    contest_points,
    participant_matrix,
    rank,
    tie_counts,
    topsis_closeness,
    weighted_sum_scores,
)
from ranking.model import Choice, RankingInputError, ScoreSet, frozen_array
from ranking.normalize import normalize
from ranking.ranks import TIE_RULE, TIE_TOLERANCE, check_top, min_ranks, top_k_mask
from ranking.resample import top_masks as _top_masks_vectorised
from ranking.weights import normalize_weights, participant_weight_vectors

if TYPE_CHECKING:
    import pandas as pd

#: Width of the bracket at which the threshold search of the non-linear
#: methods stops; the reported threshold is the bracket's midpoint.
SEARCH_TOLERANCE = 1e-6

#: How far past a threshold ``WeightInterval.top_below``/``top_above`` look:
#: clear of the hair-wide tie at the crossing itself (about 1e-9 wide).
PAST_BOUND = 1e-6

#: Default Dirichlet concentration κ for sampling "around" the agreed weights
#: (α = κ·w).  Each weight then has mean w_c and standard deviation
#: √(w_c(1 − w_c)/(κ + 1)): for w_c = 0.2 about 0.056, i.e. the room's
#: weights give or take roughly a quarter.
DEFAULT_CONCENTRATION = 50.0


def _check_count(value: int, what: str, least: int = 1) -> int:
    count = int(value)
    if count != value or count < least:
        raise RankingInputError(f"{what} must be a whole number of at least {least}, not {value!r}")
    return count


# --------------------------------------------------------------------------- batch scoring


@dataclass(frozen=True, eq=False)
class _Engine:
    """The weight-independent parts of a ranking, prepared once.

    ``scores`` gives the method's scores for a batch of weight vectors
    ``(S, C)`` as ``(S, N)``, equal to ``rank(score_set, options, w).scores``
    for each row ``w``; ``inside_scores`` the same for the scored priorities
    only (the columns ``inside``), which are all that SMAA ranks.  Borda and
    Copeland score every participant's own utilities (``contest_points``).
    """

    options: RankingOptions
    normalized: np.ndarray  # the room's aggregate matrix, normalised as the method does
    scored: np.ndarray  # per priority: anybody answered it
    voters: np.ndarray  # participants' weights for Borda/Copeland
    ballots: np.ndarray | None  # Borda/Copeland: participants' normalised matrices (P, inside, C)

    @classmethod
    def prepare(cls, score_set: ScoreSet, options: RankingOptions) -> _Engine:
        agg = aggregate(score_set, options.aggregation, options.balance_groups, options.min_responses)
        scored = agg.scored
        normalized = (
            normalize(agg.matrix, score_set.criteria, options.normalization)
            if scored.any()
            else np.full(agg.matrix.shape, np.nan)
        )
        ballots = None
        if options.method in (Method.BORDA, Method.COPELAND) and scored.any():
            ballots = participant_matrix(score_set, agg.matrix, options.normalization)[:, scored]
        return cls(options, normalized, scored, ballot_weights(score_set, options.balance_groups), ballots)

    @property
    def inside(self) -> np.ndarray:
        return np.flatnonzero(self.scored)

    def inside_scores(self, weights: np.ndarray) -> np.ndarray:
        method = self.options.method
        if method is Method.WEIGHTED_SUM:
            return weighted_sum_scores(self.normalized[self.inside], weights)
        if method is Method.TOPSIS:
            return topsis_closeness(self.normalized[self.inside], weights)
        return contest_points(self.ballots, self.voters, weights, method)

    def scores(self, weights: np.ndarray) -> np.ndarray:
        out = np.full((len(weights), self.scored.size), np.nan)
        if self.scored.any():
            out[:, self.scored] = self.inside_scores(weights)
        return out


# --------------------------------------------------------------------------- one-way


def vary_weight(weights: np.ndarray | Sequence[float], criterion: int, t: float | np.ndarray) -> np.ndarray:
    """Weights with criterion ``criterion`` set to ``t`` and the others rescaled.

    The others keep their proportions: w_j(t) = w_j·(1 − t)/(1 − w_c).  When
    the criterion already carries all the weight (the others are all 0) the
    others share 1 − t equally.  A lone criterion always carries all the
    weight (weights are normalised to sum 1), so its weights do not vary.

    w(t) = (1 − t)·w(0) + t·e_c is linear in t, hence so is every
    weighted-sum score.  ``t`` scalar gives (C,); an array (T,) gives (T, C).
    """
    w = normalize_weights(weights)
    ts = np.asarray(t, dtype=float)
    if ((ts < 0) | (ts > 1) | np.isnan(ts)).any():
        raise RankingInputError(f"a varied weight must lie between 0 and 1, not {t!r}")
    n = w.size
    if n == 1:
        return np.ones((*ts.shape, 1))
    rest = w.copy()
    rest[criterion] = 0.0
    total = rest.sum()
    if total > 0:
        rest /= total
    else:
        rest[:] = 1.0 / (n - 1)
        rest[criterion] = 0.0
    unit = np.zeros(n)
    unit[criterion] = 1.0
    return (1.0 - ts)[..., None] * rest + ts[..., None] * unit


@dataclass(frozen=True)
class WeightInterval:
    """Where one criterion's weight can go without changing the top-k set.

    The set is unchanged for every weight strictly between ``lower`` and
    ``upper``; ``None`` means it never changes on that side within [0, 1].
    An interval only a hair wide (about 1e-9) around the weight means the
    agreed weight sits on a tie at the cut: the tie holds only there, so any
    real change of the weight changes the set.  ``top_below`` and
    ``top_above`` are the top-k sets ``PAST_BOUND`` (1e-6) beyond ``lower``
    and ``upper`` (empty where the bound is None), so the report can say
    what would replace what.
    """

    criterion: str
    weight: float
    lower: float | None
    upper: float | None
    top_below: tuple[str, ...] = ()
    top_above: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class OneWayResult:
    """One-way sensitivity of the top-k set to each criterion weight.

    ``sweep_scores[c, g, i]`` is priority i's score when criterion c's weight
    is ``grid[g]`` (the other weights rescaled by ``vary_weight``): the data
    for a line chart.  ``exact`` is True when the thresholds were solved
    (weighted sum) rather than searched.
    """

    top: int
    options: RankingOptions
    priorities: tuple[str, ...]
    criteria: tuple[str, ...]
    weights: np.ndarray
    current_top: tuple[str, ...]
    thresholds: tuple[WeightInterval, ...]
    grid: np.ndarray
    sweep_scores: np.ndarray
    exact: bool
    tie_rule: str = TIE_RULE

    def interval(self, criterion: str) -> WeightInterval:
        for interval in self.thresholds:
            if interval.criterion == criterion:
                return interval
        raise RankingInputError(f"unknown criterion {criterion!r}")

    def table(self) -> pd.DataFrame:
        """One row per criterion: agreed weight and the stable interval (NaN: never changes)."""
        import pandas as pd  # here, not at the top: `python -m ranking` starts without pandas

        return pd.DataFrame(
            {
                "criterion": [i.criterion for i in self.thresholds],
                "weight": [i.weight for i in self.thresholds],
                "lower": [np.nan if i.lower is None else i.lower for i in self.thresholds],
                "upper": [np.nan if i.upper is None else i.upper for i in self.thresholds],
            }
        )


def _exact_interval(start: np.ndarray, end: np.ndarray, weight: float, k: int) -> tuple[float | None, float | None]:
    """The stable interval under the weighted sum, solved exactly.

    Score i is the line s_i(t) = start_i + slope_i·t, so the ranks can only
    change where the gap between two lines, d_ij(t) = d0 + dm·t, reaches the
    engine's tie tolerance τ (``ranking.ranks``): at t = (±τ − d0)/dm, i.e.
    within τ/|dm| of the line crossing t = −d0/dm.  Those points in (0, 1)
    together with 0, 1 and the agreed weight cut [0, 1] into pieces on which
    every rank, and so the top-k set, is constant.  We evaluate the set once
    per piece (at its midpoint) and walk out from the agreed weight to the
    first piece whose set differs; its near end is the threshold.  Using the
    tolerance rather than the bare crossing makes the interval agree exactly
    with ``rank`` (two priorities within τ tie, which already changes the set
    at the cut).  All pairs are used, not only inside/outside pairs, because
    with ties at the cut a crossing between two members can also change it.
    """
    slope = end - start
    i, j = np.triu_indices(start.size, 1)
    d0, dm = start[i] - start[j], slope[i] - slope[j]
    crossing = dm != 0  # parallel lines keep their gap
    t = np.concatenate([(TIE_TOLERANCE - d0[crossing]) / dm[crossing], (-TIE_TOLERANCE - d0[crossing]) / dm[crossing]])
    breaks = np.unique(np.concatenate([[0.0, weight, 1.0], t[(t > 0) & (t < 1)]]))
    middles = (breaks[:-1] + breaks[1:]) / 2
    reference = top_k_mask(start + slope * weight, k)
    changed = (top_k_mask(start + slope * middles[:, None], k) != reference).any(axis=1)
    here = int(np.searchsorted(breaks, weight))
    right = np.flatnonzero(changed[here:])
    left = np.flatnonzero(changed[:here])
    upper = float(breaks[here + right[0]]) if right.size else None
    lower = float(breaks[left[-1] + 1]) if left.size else None
    return lower, upper


def _searched_interval(
    same: Callable[[float], bool], weight: float, grid: np.ndarray, changed: np.ndarray
) -> tuple[float | None, float | None]:
    """The stable interval for a non-linear method.

    ``changed[g]`` says whether the set at ``grid[g]`` differs from the
    agreed one; ``same(t)`` evaluates that at any t.  The nearest changed
    grid point on each side of the agreed weight brackets the threshold with
    its unchanged neighbour, then bisection narrows the bracket to
    ``SEARCH_TOLERANCE`` and the midpoint is reported.  A change that is
    undone within one grid step can be missed.
    """

    def bisect(inside: float, outside: float) -> float:
        while abs(outside - inside) > SEARCH_TOLERANCE:
            middle = (inside + outside) / 2
            if same(middle):
                inside = middle
            else:
                outside = middle
        return (inside + outside) / 2

    right = np.flatnonzero(changed & (grid > weight))
    left = np.flatnonzero(changed & (grid < weight))
    upper = bisect(max(weight, float(grid[right[0] - 1])), float(grid[right[0]])) if right.size else None
    lower = bisect(min(weight, float(grid[left[-1] + 1])), float(grid[left[-1]])) if left.size else None
    return lower, upper


def one_way(score_set: ScoreSet, options: RankingOptions, top: int, grid: int = 101) -> OneWayResult:
    """One-way sensitivity of the top-``top`` set to each criterion's weight.

    For every criterion c its weight t runs over [0, 1] with the other weights
    rescaled proportionally (``vary_weight``).  The result gives, per
    criterion, the interval of t around the agreed weight on which the top-k
    set (min-rank rule: ties at the cut are all in) is unchanged, and the set
    ``PAST_BOUND`` beyond each bound.

    * Weighted sum: scores are linear in t, so the thresholds are solved
      from the line crossings (see ``_exact_interval``), not searched.
    * TOPSIS, Borda, Copeland: scores are not linear in t.  The set is
      evaluated on the ``grid`` sweep, then the first change on each side is
      refined by bisection to within ``SEARCH_TOLERANCE`` (1e-6).
    """
    n = len(score_set.priorities)
    k = check_top(top, n)
    n_grid = _check_count(grid, "grid", least=2)
    engine = _Engine.prepare(score_set, options)
    weights = score_set.weights
    names = score_set.priority_names
    ts = np.linspace(0.0, 1.0, n_grid)
    reference = top_k_mask(engine.scores(weights[None, :]), k)[0]
    exact = options.method is Method.WEIGHTED_SUM

    def top_at(c: int, t: float) -> np.ndarray:
        return top_k_mask(engine.scores(vary_weight(weights, c, np.array([t]))), k)[0]

    def past(c: int, bound: float | None, step: float) -> tuple[str, ...]:
        if bound is None:
            return ()
        mask = top_at(c, min(1.0, max(0.0, bound + step)))
        return tuple(name for name, inside in zip(names, mask, strict=True) if inside)

    sweeps, intervals = [], []
    for c, criterion in enumerate(score_set.criterion_names):
        weight = float(weights[c])
        if exact:
            start = engine.normalized @ vary_weight(weights, c, 0.0)
            end = engine.normalized @ vary_weight(weights, c, 1.0)
            sweep = start + (end - start) * ts[:, None]
            lower, upper = _exact_interval(start, end, weight, k)
        else:
            sweep = engine.scores(vary_weight(weights, c, ts))
            changed = (top_k_mask(sweep, k) != reference).any(axis=1)
            lower, upper = _searched_interval(
                lambda t, c=c: bool((top_at(c, t) == reference).all()), weight, ts, changed
            )
        sweeps.append(sweep)
        intervals.append(
            WeightInterval(criterion, weight, lower, upper, past(c, lower, -PAST_BOUND), past(c, upper, PAST_BOUND))
        )
    return OneWayResult(
        top=k,
        options=options,
        priorities=names,
        criteria=score_set.criterion_names,
        weights=frozen_array(weights),
        current_top=tuple(name for name, inside in zip(names, reference, strict=True) if inside),
        thresholds=tuple(intervals),
        grid=frozen_array(ts),
        sweep_scores=frozen_array(np.stack(sweeps)),
        exact=exact,
    )


# --------------------------------------------------------------------------- SMAA-2


class WeightSampling(Choice):
    """Where SMAA's weight vectors come from."""

    UNIFORM = "uniform"  # uniform on the simplex: no preference information at all
    AROUND = "around"  # Dirichlet centred on the agreed weights
    PARTICIPANTS = "participants"  # the participants' own weight vectors, resampled


def sample_weights(
    rng: np.random.Generator,
    samples: int,
    sampling: WeightSampling | str,
    base_weights: np.ndarray | Sequence[float],
    concentration: float = DEFAULT_CONCENTRATION,
    participant_vectors: np.ndarray | Sequence[Sequence[float]] | None = None,
    names: Sequence[str] = (),
) -> np.ndarray:
    """``samples`` weight vectors (S, C), each summing to 1.

    * uniform: Dirichlet(1, …, 1), the uniform distribution on the simplex
      (SMAA's "no weight information").
    * around: Dirichlet(κ·w) with κ = ``concentration``: mean w, spread
      shrinking as κ grows (see ``DEFAULT_CONCENTRATION``).  A criterion with
      agreed weight 0 stays at 0: the room switched it off and noise should
      not switch it back on.
    * participants: rows drawn with replacement from ``participant_vectors``
      (participants × criteria, e.g. 100-point allocations), each row
      normalised to sum 1; all-zero rows (nothing allocated) are dropped.
    """
    sampling = WeightSampling.parse(sampling)
    n_samples = _check_count(samples, "samples")
    base = normalize_weights(base_weights, names)
    n = base.size
    if sampling is WeightSampling.UNIFORM:
        return rng.dirichlet(np.ones(n), size=n_samples)
    if sampling is WeightSampling.AROUND:
        kappa = float(concentration)
        if not np.isfinite(kappa) or kappa <= 0:
            raise RankingInputError(f"concentration must be a positive number, not {concentration!r}")
        out = np.zeros((n_samples, n))
        on = base > 0
        out[:, on] = rng.dirichlet(kappa * base[on], size=n_samples) if on.sum() > 1 else 1.0
        return out
    if participant_vectors is None:
        raise RankingInputError("sampling from participants needs the participants' weight vectors")
    vectors = np.asarray(participant_vectors, dtype=float)
    if vectors.ndim != 2 or vectors.shape[1] != n:
        raise RankingInputError(f"participants' weight vectors must be a table of rows × {n} criteria")
    bad = np.argwhere(~np.isfinite(vectors) | (vectors < 0))
    if bad.size:
        row, c = bad[0]
        label = names[c] if c < len(names) else f"#{c + 1}"
        raise RankingInputError(
            f"participant weight vector {row + 1} has {vectors[row, c]!r} for criterion {label!r}; "
            "weights must be non-negative numbers"
        )
    rows = participant_weight_vectors(vectors)
    if not len(rows):
        raise RankingInputError("no participant weight vector has any weight")
    return rows[rng.integers(0, len(rows), size=n_samples)]


@dataclass(frozen=True, eq=False)
class SMAAResult:
    """SMAA-2 descriptive measures (Lahdelma & Salminen 2001).

    * ``rank_acceptability[i, r]``: share of weight samples in which priority
      i has rank r + 1 (min-rank rule, so tied priorities both count at the
      better rank and each row sums to 1);
    * ``p_top[i]``: share of samples in which i's rank is at most ``top``;
    * ``central_weights[i]``: the mean weight vector of the samples in which
      i ranked first (NaN row if it never did): the typical view under which
      i would be the room's first choice.

    A priority nobody scored is not a contender: its row of
    ``rank_acceptability`` and its ``p_top`` are 0 and it is never first.

    SMAA-2's confidence factor is left out: with one fixed (aggregated)
    matrix it is 1 for every priority with central weights under the
    weighted sum (its favourable weights form a convex set) and says little
    under the other methods.  Participant uncertainty is ``bootstrap``'s job.
    """

    options: RankingOptions
    priorities: tuple[str, ...]
    criteria: tuple[str, ...]
    top: int
    seed: int
    samples: int
    sampling: WeightSampling
    concentration: float
    rank_acceptability: np.ndarray
    p_top: np.ndarray
    central_weights: np.ndarray
    tie_rule: str = TIE_RULE

    @property
    def p_first(self) -> np.ndarray:
        return self.rank_acceptability[:, 0]

    def table(self) -> pd.DataFrame:
        """One row per priority, most often in the top k first (ties by name)."""
        import pandas as pd  # here, not at the top: `python -m ranking` starts without pandas

        order = sorted(range(len(self.priorities)), key=lambda i: (-self.p_top[i], self.priorities[i]))
        return pd.DataFrame(
            {
                "priority": [self.priorities[i] for i in order],
                "p_top": [float(self.p_top[i]) for i in order],
                "p_first": [float(self.p_first[i]) for i in order],
            }
        )


#: Weight samples scored and ranked at a time by ``smaa``: the temporaries
#: are a few (chunk × priorities) arrays, so memory stays flat however many
#: samples are asked for, and the chunk still amortises numpy's overheads.
SMAA_CHUNK = 2048


@dataclass
class _SMAATally:
    """SMAA-2's counts, accumulated chunk by chunk over the weight samples."""

    scored: np.ndarray
    top: int
    at_rank: np.ndarray  # (N, N): samples with priority i at rank r + 1
    in_top: np.ndarray  # (N,): samples with priority i's rank ≤ top
    wins: np.ndarray  # (N,): samples with priority i first
    weight_of_wins: np.ndarray  # (N, C): sum of those samples' weights

    @classmethod
    def start(cls, scored: np.ndarray, top: int, n_criteria: int) -> _SMAATally:
        n = scored.size
        return cls(scored, top, np.zeros((n, n)), np.zeros(n), np.zeros(n), np.zeros((n, n_criteria)))

    def add(self, scores: np.ndarray, weights: np.ndarray) -> None:
        """Count one chunk: the scored priorities' scores (S, inside) under weights (S, C).

        The min-ranks come from ``tie_counts`` (a sort per sample) among the
        scored priorities only, which is what ``min_ranks`` gives them: a NaN
        score never beats anybody.
        """
        inside = np.flatnonzero(self.scored)
        n = self.scored.size
        if np.isnan(scores).any():  # not expected: a scored priority always has a score
            ranks = min_ranks(scores)
            who = np.broadcast_to(inside, ranks.shape)
            rank0 = np.minimum(ranks, n) - 1
        else:
            order, _, upto = tie_counts(scores)
            who = inside[order]
            rank0 = inside.size - upto  # min-rank − 1, at each sorted position
        self.at_rank += np.bincount((who * n + rank0).ravel(), minlength=n * n).reshape(n, n)
        self.in_top += np.bincount(who[rank0 < self.top], minlength=n)
        rows, positions = np.nonzero(rank0 == 0)
        first = np.zeros((len(weights), n))
        first[rows, who[rows, positions]] = 1.0
        self.wins += first.sum(axis=0)
        self.weight_of_wins += first.T @ weights


def smaa(
    score_set: ScoreSet,
    options: RankingOptions,
    top: int,
    samples: int = 20000,
    sampling: WeightSampling | str = WeightSampling.UNIFORM,
    concentration: float = DEFAULT_CONCENTRATION,
    participant_vectors: np.ndarray | Sequence[Sequence[float]] | None = None,
    seed: int = 0,
) -> SMAAResult:
    """SMAA-2 with ``samples`` weight vectors drawn by ``sample_weights`` from
    ``np.random.default_rng(seed)``.

    The samples are drawn at once (so a seed gives the same samples whatever
    the chunking), then scored and ranked ``SMAA_CHUNK`` at a time: a matrix
    product for the weighted sum and for TOPSIS, every participant's sorted
    utilities for Borda and Copeland.  Memory stays flat and time grows
    linearly with the sample count.
    """
    k = check_top(top, len(score_set.priorities))
    sampling = WeightSampling.parse(sampling)
    rng = np.random.default_rng(seed)
    weights = sample_weights(
        rng, samples, sampling, score_set.weights, concentration, participant_vectors, score_set.criterion_names
    )
    engine = _Engine.prepare(score_set, options)
    tally = _SMAATally.start(engine.scored, k, weights.shape[1])
    for start in range(0, len(weights) if engine.scored.any() else 0, SMAA_CHUNK):
        chunk = weights[start : start + SMAA_CHUNK]
        tally.add(engine.inside_scores(chunk), chunk)
    with np.errstate(invalid="ignore", divide="ignore"):
        central = tally.weight_of_wins / tally.wins[:, None]
    central[tally.wins == 0] = np.nan
    n_samples = len(weights)
    return SMAAResult(
        options=options,
        priorities=score_set.priority_names,
        criteria=score_set.criterion_names,
        top=k,
        seed=seed,
        samples=n_samples,
        sampling=sampling,
        concentration=float(concentration),
        rank_acceptability=frozen_array(tally.at_rank / n_samples),
        p_top=frozen_array(tally.in_top / n_samples),
        central_weights=frozen_array(central),
    )


# --------------------------------------------------------------------------- bootstrap


@dataclass(frozen=True, eq=False)
class BootstrapResult:
    """Share of participant resamples in which each priority made the top k."""

    priorities: tuple[str, ...]
    top: int
    resamples: int
    seed: int
    p_top: np.ndarray
    tie_rule: str = TIE_RULE


def bootstrap(
    score_set: ScoreSet, options: RankingOptions, top: int, resamples: int = 2000, seed: int = 0
) -> BootstrapResult:
    """Resample the room's participants with replacement ``resamples`` times
    (``np.random.default_rng(seed)``) and re-rank each resample with the
    agreed weights; ``p_top`` is the share of resamples in which each
    priority made the top k.

    Every method and option is vectorised (``ranking.resample``: count
    matrices for the mean, histograms or a sort of the draws for the median,
    every ballot's pairwise comparisons for Borda and Copeland), with the
    same masks as a ``rank`` of each resample.  Resampling ignores groups,
    so a small group can be missing from a resample.
    """
    k = check_top(top, len(score_set.priorities))
    n_resamples = _check_count(resamples, "resamples")
    rng = np.random.default_rng(seed)
    n_participants = score_set.scores.shape[0]
    indices = rng.integers(0, n_participants, size=(n_resamples, n_participants))
    masks = _top_masks_vectorised(score_set, options, k, indices)
    return BootstrapResult(
        priorities=score_set.priority_names,
        top=k,
        resamples=n_resamples,
        seed=seed,
        p_top=frozen_array(masks.mean(axis=0)),
    )


# --------------------------------------------------------------------------- method agreement


@dataclass(frozen=True, eq=False)
class MethodAgreement:
    """The top k under each method, and the priorities every method puts there.

    ``ranks[m, i]`` is priority i's min-rank under ``methods[m]``; ``agreed``
    is ordered by mean rank across methods, then name.  ``scored[i]`` is
    False for a priority nobody scored: its ranks are the place after the
    last scored priority, and it is in no method's top k.
    """

    top: int
    methods: tuple[Method, ...]
    priorities: tuple[str, ...]
    tops: tuple[tuple[str, ...], ...]
    ranks: np.ndarray
    agreed: tuple[str, ...]
    scored: np.ndarray
    tie_rule: str = TIE_RULE

    def in_top(self) -> np.ndarray:
        """methods × priorities: True where that method puts the priority in its top k."""
        return (self.ranks <= self.top) & self.scored[None, :]


def method_agreement(score_set: ScoreSet, top: int, options: RankingOptions | None = None) -> MethodAgreement:
    """Rank with all four methods, sharing ``options``' aggregation settings
    (aggregation, group balance, minimum responses).  Each method uses its
    own default normalisation (vector for TOPSIS, scale for the others), as
    a method chosen on its own would."""
    options = options or RankingOptions()
    k = check_top(top, len(score_set.priorities))
    methods = tuple(Method)
    results = [
        rank(
            score_set,
            RankingOptions(
                method=method,
                aggregation=options.aggregation,
                balance_groups=options.balance_groups,
                min_responses=options.min_responses,
            ),
        )
        for method in methods
    ]
    ranks = np.stack([r.ranks for r in results])
    names = score_set.priority_names
    inside = ((ranks <= k) & results[0].scored).all(axis=0)
    mean_rank = ranks.mean(axis=0)
    agreed = tuple(names[i] for i in sorted(np.flatnonzero(inside), key=lambda i: (mean_rank[i], names[i])))
    return MethodAgreement(
        top=k,
        methods=methods,
        priorities=names,
        tops=tuple(r.top(k) for r in results),
        ranks=frozen_array(ranks, dtype=int),
        agreed=agreed,
        scored=frozen_array(results[0].scored, dtype=bool),
    )


__all__ = [
    "DEFAULT_CONCENTRATION",
    "PAST_BOUND",
    "SEARCH_TOLERANCE",
    "BootstrapResult",
    "MethodAgreement",
    "OneWayResult",
    "SMAAResult",
    "WeightInterval",
    "WeightSampling",
    "bootstrap",
    "method_agreement",
    "one_way",
    "sample_weights",
    "smaa",
    "vary_weight",
]
