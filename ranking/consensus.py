"""Where the room disagrees: spread, concordance, stakeholder groups, contested priorities.

Everything here starts from each participant's *own* view of each priority:
the weighted sum of their scale-normalised scores with the room's weights
(``ranking.methods.participant_utilities``).  Where they said "don't know"
the room's aggregate for that cell stands in, so not knowing reads as going
along with the room, never as dissent.  A participant who scored nothing at
all is left out, as from Borda and Copeland: their view would be the room's.
These utilities always use the criteria's *scales* (docs/ARCHITECTURE.md §3), whatever
normalisation the room's ranking uses, so a spread is a share of the scale
range (0..1) and means the same for every priority.

* **Spread** per priority: standard deviation and interquartile range of the
  participants' utilities.  The standard deviation is the *population* one
  (ddof = 0): the room is everyone whose view counts, not a sample of a wider
  population, and one participant gives 0 rather than undefined.  The IQR
  uses numpy's default linear interpolation (Hyndman & Fan type 7).
* **Concordance**: Kendall's W over the participants' rankings, ties
  corrected (Kendall & Babington Smith 1939; Siegel & Castellan 1988, §9.5).
  Here nobody's "don't know" is filled in: filling it with the room's
  aggregate would hand every participant the same ranking wherever they did
  not answer, and a room answering at random with many "don't know"s read
  as agreeing.  Each participant ranks a priority by the weighted mean of
  the criteria they did score for it (weights rescaled over those) and
  does not rank a priority they scored on no weighted criterion; W over
  such incomplete rankings is Kendall's generalisation (see ``kendall_w``).
* **Groups**: each stakeholder group ranked on its own (``rank`` on its
  members only, same options and weights) and Spearman's ρ between that
  ranking and the room's, over the priorities the group scored: a priority
  it did not score is left out, not counted as its last.  Fewer than
  ``MIN_COMPARED`` such priorities give no ρ (NaN).  Participants without a
  group are in no group view.
* **Contested** priorities, the ones the facilitator should steer discussion
  to, flagged with a reason (see ``consensus``).

A priority nobody scored (``ranking.methods``) takes no part: its spread is
NaN, it is never contested, and concordance, the spread quartile, the
cut-off and the groups' correlations are all measured over the scored
priorities only.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ranking.methods import RankingOptions, RankingResult, participant_utilities, rank
from ranking.model import RankingInputError, ScoreSet, frozen_array
from ranking.normalize import Normalization, normalize
from ranking.ranks import TIE_TOLERANCE, check_top

if TYPE_CHECKING:
    import pandas as pd

#: A priority's spread counts as high only above this standard deviation of
#: the participants' utilities (a share of the scale range: 0.125 is half a
#: point on a 1–5 scale), so a room that broadly agrees has no "high spread"
#: however its small differences rank.
SPREAD_FLOOR = 0.125
#: ...and only in the top quarter of this room's spreads.
SPREAD_QUANTILE = 0.75
#: "Near the cut-off" means able to occupy a place within this many places of
#: the line between k and k + 1: places k − 1, k, k + 1 and k + 2 for 2.
CUTOFF_PLACES = 2

#: Spearman's ρ between a group and the room needs this many priorities both
#: scored: over two it is always ±1, whatever the group thinks.
MIN_COMPARED = 3

#: How non-response is treated, in words for the screen and the board paper.
CONCORDANCE_RULE = (
    "Each participant's ranking covers only the priorities they scored: a 'don't know' is left out, never "
    "filled in from the room, and W is Kendall's generalisation to incomplete rankings (Kendall 1962; Brueckl 2011)."
)
GROUP_RHO_RULE = (
    "A group's ρ is measured over the priorities the group scored: one it did not score is left out, not counted "
    f"as its last, and with fewer than {MIN_COMPARED} to compare there is no ρ."
)

# --------------------------------------------------------------------------- rank statistics


def mid_ranks(scores: np.ndarray) -> np.ndarray:
    """Ranks along the last axis, higher score = rank 1, ties sharing the mean
    of the places they occupy (1, 2.5, 2.5, 4).

    Kendall's W and Spearman's ρ need these "mid" ranks; the engine's display
    rule (``min_ranks``) would bias both.  Scores within ``TIE_TOLERANCE``
    tie, as everywhere in the engine.
    """
    s = _nan_last(scores)
    better = (s[..., None, :] > s[..., :, None] + TIE_TOLERANCE).sum(axis=-1)
    return 1.0 + better + (_tie_sizes(s) - 1) / 2.0


def _nan_last(scores: np.ndarray) -> np.ndarray:
    """NaN (no score could be computed) ranks below every real score, as in ``min_ranks``."""
    s = np.asarray(scores, dtype=float)
    return np.where(np.isnan(s), -np.inf, s)


def _tie_sizes(scores: np.ndarray) -> np.ndarray:
    """For each entry, how many entries of its row (itself included) it ties with."""
    s = _nan_last(scores)
    a, b = s[..., None, :], s[..., :, None]
    with np.errstate(invalid="ignore"):  # −inf − −inf
        return ((a == b) | (np.abs(a - b) <= TIE_TOLERANCE)).sum(axis=-1)


@dataclass(frozen=True, eq=False)
class Concordance:
    """Kendall's coefficient of concordance W with its working.

    ``ranks`` (m raters × n items) are mid-ranks, NaN where a rater did not
    rank an item.  For complete rankings ``rank_sums`` are their column sums
    R_i, ``s`` = Σ (R_i − R̄)² and ``ties`` = Σ_j Σ (t³ − t) over every
    rater's tie groups; for incomplete ones (``complete`` False) these are
    NaN and ``mean_rho`` holds the weighted mean of the raters' pairwise
    Spearman ρ that W comes from.  ``raters_per_item`` is k, the mean number
    of raters ranking an item (m when complete).  ``chi_square`` = k(n − 1)W
    is approximately χ² with ``df`` = n − 1 degrees of freedom when no
    agreement is the truth (for n > 7; Siegel & Castellan 1988).  W is NaN
    when it is undefined: fewer than two items or raters to compare, or
    every rater tied every item.
    """

    w: float
    m: int
    n: int
    ranks: np.ndarray
    rank_sums: np.ndarray
    s: float
    ties: float
    chi_square: float
    df: int
    complete: bool = True
    raters_per_item: float = float("nan")
    mean_rho: float = float("nan")


def kendall_w(scores: np.ndarray) -> Concordance:
    """Kendall's W of ``scores`` (m raters × n items, higher = better; NaN =
    the rater did not rank that item).

    Complete rankings: W = (12 Σ R_i² − 3 m² n (n + 1)²) / (m² n (n² − 1) − m Σ T_j)
    (Siegel & Castellan 1988, eq. 9.16), which is 12 S/(m²(n³ − n) − m Σ T_j)
    with S the squared deviations of the rank sums from their mean m(n + 1)/2.
    0 = no agreement, 1 = everyone ranked alike.

    Incomplete rankings: W = (1 + (k − 1) ρ̄)/k (Kendall 1962, p. 95, the
    identity between W and the mean pairwise Spearman ρ), generalised to
    randomly incomplete data by Brueckl (2011) as in R's ``irrNA::kendallNA``
    and ``DescTools::KendallW``: each pair of raters is correlated over the
    items both ranked, ρ̄ is the mean of those ρ weighted by (items in common
    − 1) (Taylor 1987), a pair whose ρ is undefined (one of them tied all
    their common items) counting 0, and k is the mean number of raters per
    item.  A rater who ranked fewer than two items is left out.  No value is
    imputed, so a room answering at random reads W ≈ 1/k, as a complete one
    reads 1/m; on complete untied rankings both formulas give the same W.
    """
    x = np.asarray(scores, dtype=float)
    if x.ndim != 2 or x.shape[0] == 0:
        raise RankingInputError("Kendall's W needs a table of raters × items")
    x = x[(~np.isnan(x)).sum(axis=1) >= 2] if np.isnan(x).any() else x
    if x.shape[0] == 0 or np.isnan(x).any():
        return _kendall_w_incomplete(x)
    m, n = x.shape
    ranks = mid_ranks(x)
    rank_sums = ranks.sum(axis=0)
    s = float(((rank_sums - m * (n + 1) / 2.0) ** 2).sum())
    # Every member of a tie group of size t contributes t² − 1, so a group
    # contributes t(t² − 1) = t³ − t in all.
    ties = float((_tie_sizes(x) ** 2 - 1).sum())
    denominator = m**2 * (n**3 - n) - m * ties
    w = 12.0 * s / denominator if denominator > 0 else float("nan")
    return Concordance(
        w=w,
        m=m,
        n=n,
        ranks=frozen_array(ranks),
        rank_sums=frozen_array(rank_sums),
        s=s,
        ties=ties,
        chi_square=m * (n - 1) * w,
        df=n - 1,
        raters_per_item=float(m),
    )


def _kendall_w_incomplete(x: np.ndarray) -> Concordance:
    """W over incomplete rankings (see ``kendall_w``), vectorised over rater pairs."""
    m, n = x.shape
    seen = ~np.isnan(x)
    # rank[a, b, i]: item i's mid-rank among the items raters a and b both ranked, as rater a ranks them.
    common = seen[:, None, :] & seen[None, :, :]
    s = np.where(seen, x, 0.0)
    above = (s[:, None, :] > s[:, :, None] + TIE_TOLERANCE) & seen[:, None, :]  # [a, i, j]: a puts j above i
    level = (np.abs(s[:, None, :] - s[:, :, None]) <= TIE_TOLERANCE) & seen[:, None, :]
    cf = common.astype(float)
    better = cf @ np.swapaxes(above, 1, 2).astype(float)  # [a, b, i]: Σ_j common[a, b, j] above[a, i, j]
    tied = cf @ np.swapaxes(level, 1, 2).astype(float)
    shared = cf.sum(axis=-1)
    deviation = np.where(common, better + (tied + 1) / 2 - (shared[..., None] + 1) / 2, 0.0)
    cross = (deviation * np.swapaxes(deviation, 0, 1)).sum(axis=-1)
    spread = (deviation**2).sum(axis=-1)
    product = spread * spread.T
    rho = np.where(product > 0, cross / np.sqrt(np.where(product > 0, product, 1.0)), 0.0)
    lower = np.tril(np.ones((m, m), dtype=bool), -1)
    weight = np.where(lower, np.maximum(shared - 1, 0), 0)
    defined = lower & (product > 0) & (weight > 0)
    k = float(seen.sum(axis=0).mean()) if n else float("nan")
    if n < 2 or not defined.any():
        mean_rho = w = float("nan")
    else:
        mean_rho = float((rho * weight).sum() / weight.sum())
        w = (1.0 + mean_rho * (k - 1.0)) / k
    ranks = np.full(x.shape, np.nan)
    for r in range(m):
        ranks[r, seen[r]] = mid_ranks(x[r, seen[r]])
    return Concordance(
        w=w,
        m=m,
        n=n,
        ranks=frozen_array(ranks),
        rank_sums=frozen_array(np.full(n, np.nan)),
        s=float("nan"),
        ties=float("nan"),
        chi_square=k * (n - 1) * w,
        df=n - 1,
        complete=False,
        raters_per_item=k,
        mean_rho=mean_rho,
    )


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman's ρ between two score vectors (higher = better): the Pearson
    correlation of their mid-ranks, which handles ties.  NaN when either
    vector ranks everything equal (no ranking to correlate)."""
    ra, rb = mid_ranks(a), mid_ranks(b)
    da, db = ra - ra.mean(), rb - rb.mean()
    denominator = np.sqrt((da**2).sum() * (db**2).sum())
    return float((da * db).sum() / denominator) if denominator > 0 else float("nan")


# --------------------------------------------------------------------------- groups


@dataclass(frozen=True, eq=False)
class GroupView:
    """One stakeholder group's own ranking and how it agrees with the room's.

    ``spearman`` is Spearman's ρ against the room's scores over the
    ``compared`` priorities the group scored (a priority it did not score is
    left out, not taken as its last): 1 = same order, −1 = reversed, NaN when
    fewer than ``MIN_COMPARED`` were compared or the group ranks them all equal.
    """

    group: str
    size: int
    scores: np.ndarray
    ranks: np.ndarray
    spearman: float
    compared: int


def _group_views(score_set: ScoreSet, options: RankingOptions, room: RankingResult) -> tuple[GroupView, ...]:
    labels = np.array(score_set.groups, dtype=object)
    views = []
    for group in score_set.group_names:
        members = np.flatnonzero(labels == group)
        try:
            result = rank(score_set.subset(members), options, weights=room.weights)
        except RankingInputError as exc:  # e.g. a scale-less criterion the group never scored
            raise RankingInputError(f"group {group!r}: {exc}") from None
        both = result.scored & room.scored
        compared = int(both.sum())
        views.append(
            GroupView(
                group=group,
                size=int(members.size),
                scores=result.scores,
                ranks=result.ranks,
                spearman=spearman(result.scores[both], room.scores[both]) if compared >= MIN_COMPARED else np.nan,
                compared=compared,
            )
        )
    return tuple(views)


# --------------------------------------------------------------------------- consensus


@dataclass(frozen=True, eq=False)
class Consensus:
    """How far the room agrees, with the working.

    Arrays indexed by priority follow ``room.priorities``.  ``utilities``
    (participants × priorities) are the participants' own scale-normalised
    weighted sums the spreads come from, one row per name in
    ``participants`` (those who scored anything); ``std`` and ``iqr`` are
    their spread per priority; ``criterion_std`` (priorities × criteria) is
    the population standard deviation of the raw scores on each criterion,
    "don't know" left out (NaN where nobody answered).  ``spread_quartile``
    is the 75th percentile of ``std`` that "high spread" had to reach.
    """

    room: RankingResult
    top: int
    participants: tuple[str, ...]
    utilities: np.ndarray
    std: np.ndarray
    iqr: np.ndarray
    criterion_std: np.ndarray
    concordance: Concordance
    groups: tuple[GroupView, ...]
    #: Per priority, why it is contested (both may hold); the words: ``ranking.readings.contested_words``.
    high_spread: np.ndarray
    near_cutoff: np.ndarray
    spread_quartile: float
    spread_floor: float
    cutoff_places: int

    @property
    def names(self) -> tuple[str, ...]:
        return self.room.names

    @property
    def kendall_w(self) -> float:
        return self.concordance.w

    @property
    def contested(self) -> np.ndarray:
        """Per priority: flagged for discussion, for either reason."""
        return self.high_spread | self.near_cutoff

    def table(self) -> pd.DataFrame:
        """One row per priority in the room's order, with its spread and flag."""
        import pandas as pd  # here, not at the top: `python -m ranking` starts without pandas

        order = self.room.order
        return pd.DataFrame(
            {
                "rank": [int(self.room.ranks[i]) for i in order],
                "priority": [self.names[i] for i in order],
                "score": [float(self.room.scores[i]) for i in order],
                "std": [float(self.std[i]) for i in order],
                "iqr": [float(self.iqr[i]) for i in order],
                "contested": [bool(self.contested[i]) for i in order],
                "high_spread": [bool(self.high_spread[i]) for i in order],
                "near_cutoff": [bool(self.near_cutoff[i]) for i in order],
            }
        )

    @property
    def group_ranks(self) -> np.ndarray:
        """Priorities × groups matrix of each group's own ranks."""
        if not self.groups:
            return np.zeros((len(self.names), 0), dtype=int)
        return np.stack([view.ranks for view in self.groups], axis=1)

    @property
    def group_scored(self) -> np.ndarray:
        """Priorities × groups: True where somebody in the group scored the priority."""
        if not self.groups:
            return np.zeros((len(self.names), 0), dtype=bool)
        return np.stack([~np.isnan(view.scores) for view in self.groups], axis=1)

    @property
    def group_rank_range(self) -> np.ndarray:
        """Per priority, worst minus best rank the groups that scored it give
        it (0 when fewer than two groups scored it)."""
        ranks, scored = self.group_ranks, self.group_scored
        if ranks.shape[1] < 2:
            return np.zeros(len(self.names), dtype=int)
        best = np.where(scored, ranks, np.iinfo(int).max).min(axis=1)
        worst = np.where(scored, ranks, 0).max(axis=1)
        return np.where(scored.sum(axis=1) >= 2, worst - best, 0)

    def group_table(self) -> pd.DataFrame:
        """Priorities (rows, the room's order) × the room's and each group's
        rank, plus ``range``, the gap between the groups' best and worst rank."""
        import pandas as pd  # here, not at the top: `python -m ranking` starts without pandas

        order = self.room.order
        ranks, spread = self.group_ranks, self.group_rank_range
        table = pd.DataFrame(
            {"priority": [self.names[i] for i in order], "room": [int(self.room.ranks[i]) for i in order]}
        )
        for g, view in enumerate(self.groups):
            table[view.group] = [int(ranks[i, g]) for i in order]
        table["range"] = [int(spread[i]) for i in order]
        return table

    def where_groups_disagree(self) -> tuple[str, ...]:
        """Priorities the groups rank differently, widest gap first (then the
        room's rank, then name).  Empty when the groups agree or there are
        fewer than two."""
        spread = self.group_rank_range
        ranks = self.room.ranks
        chosen = [i for i in range(len(self.names)) if spread[i] > 0]
        chosen.sort(key=lambda i: (-int(spread[i]), int(ranks[i]), self.names[i]))
        return tuple(self.names[i] for i in chosen)


def own_views(score_set: ScoreSet, weights: np.ndarray) -> np.ndarray:
    """Participants × priorities: the weighted mean of each participant's own
    scale-normalised scores over the criteria they answered, the weights
    rescaled over those; NaN where they answered no criterion of positive
    weight.  Nothing is filled in from the room: the concordance's input,
    and the "your score" a participant sees beside the room's."""
    scores = score_set.scores
    answered = ~np.isnan(scores)
    normalized = np.where(answered, normalize(scores, score_set.criteria, Normalization.SCALE), 0.0)
    counted = answered * np.asarray(weights, dtype=float)
    total = counted.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, (normalized * counted).sum(axis=-1) / total, np.nan)


def _near_cutoff(ranks: np.ndarray, top: int, places: int) -> np.ndarray:
    """True where a priority can occupy a place in k − places + 1 .. k + places.

    A priority of (min) rank r tied with t − 1 others occupies places
    r .. r + t − 1 between them, so a tie that straddles the line counts
    however far up it starts.  With k = N there is no line and nothing is near it.
    """
    n = ranks.size
    if top >= n:
        return np.zeros(n, dtype=bool)
    first = ranks
    last = ranks + _tie_sizes(ranks.astype(float)) - 1
    return (last >= top - places + 1) & (first <= top + places)


def consensus(
    score_set: ScoreSet,
    options: RankingOptions | None = None,
    top: int = 5,
    *,
    weights: np.ndarray | None = None,
    spread_floor: float = SPREAD_FLOOR,
    cutoff_places: int = CUTOFF_PLACES,
) -> Consensus:
    """Disagreement analysis of a room for a shortlist of ``top``.

    ``options`` and ``weights`` are passed to ``rank`` for the room's ranking
    and for every group's.

    A priority is **contested** when it has

    * **high spread** (``Consensus.high_spread``): the standard deviation of the participants'
      utilities is in the top quarter of this room's spreads (at or above
      their 75th percentile) *and* above ``spread_floor``, so the most
      divided quarter is named but a room that agrees names none; or is
    * **near the cut-off** (``Consensus.near_cutoff``): able to occupy one of the places within
      ``cutoff_places`` of the line between ``top`` and ``top`` + 1 (k − 1 to
      k + 2 by default), counting every place a tie shares, since a small
      change of mind moves it across the line.  Rank is used rather than a
      score margin because Borda, Copeland, TOPSIS and the weighted sum score
      on different scales.

    Either makes it contested; ``ranking.readings.contested_words`` says why in words.
    """
    options = options or RankingOptions()
    n = len(score_set.priorities)
    top = check_top(top, n)
    if not np.isfinite(spread_floor) or spread_floor < 0:
        raise RankingInputError(f"the spread floor must be a non-negative number, not {spread_floor!r}")
    if cutoff_places < 0:
        raise RankingInputError(f"the places either side of the cut-off must not be negative, not {cutoff_places!r}")

    room = rank(score_set, options, weights=weights)
    scored = room.scored
    answered = ~np.isnan(score_set.scores).all(axis=(1, 2))
    if not answered.any():
        answered[:] = True
    utilities = participant_utilities(score_set, room.weights, room.matrix, Normalization.SCALE)[answered]
    std = utilities.std(axis=0)
    q1, q3 = np.percentile(utilities, [25, 75], axis=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # criteria nobody scored for a priority
        criterion_std = np.nanstd(score_set.scores, axis=0)

    quartile = float(np.quantile(std[scored], SPREAD_QUANTILE)) if scored.any() else float("nan")
    high = scored & (std >= quartile - TIE_TOLERANCE) & (std > spread_floor)
    near = np.zeros(n, dtype=bool)
    near[scored] = _near_cutoff(room.ranks[scored], int(top), cutoff_places)
    return Consensus(
        room=room,
        top=int(top),
        participants=tuple(p for p, a in zip(score_set.participants, answered, strict=True) if a),
        utilities=frozen_array(utilities),
        std=frozen_array(std),
        iqr=frozen_array(q3 - q1),
        criterion_std=frozen_array(criterion_std),
        concordance=kendall_w(own_views(score_set, room.weights)[answered][:, scored]),
        groups=_group_views(score_set, options, room),
        high_spread=frozen_array(high, dtype=bool),
        near_cutoff=frozen_array(near, dtype=bool),
        spread_quartile=quartile,
        spread_floor=float(spread_floor),
        cutoff_places=int(cutoff_places),
    )


__all__ = [
    "CONCORDANCE_RULE",
    "CUTOFF_PLACES",
    "GROUP_RHO_RULE",
    "MIN_COMPARED",
    "SPREAD_FLOOR",
    "Concordance",
    "Consensus",
    "GroupView",
    "consensus",
    "kendall_w",
    "mid_ranks",
    "own_views",
    "spearman",
]
