"""Prioritise's decision engine: pure numpy/pandas, no UI, no database.

See DESIGN.md §3 for the conventions every function here follows.
"""

from ranking.aggregate import AggregateMatrix, Aggregation, aggregate
from ranking.methods import Method, RankingOptions, RankingResult, rank
from ranking.model import Criterion, Direction, Priority, RankingInputError, ScoreSet
from ranking.normalize import Normalization, normalize
from ranking.ranks import TIE_RULE, min_ranks
from ranking.weights import AHPResult, ahp, allocation_weights, combine_pairwise, normalize_weights, rank_order_centroid

__all__ = [
    "TIE_RULE",
    "AHPResult",
    "AggregateMatrix",
    "Aggregation",
    "Criterion",
    "Direction",
    "Method",
    "Normalization",
    "Priority",
    "RankingInputError",
    "RankingOptions",
    "RankingResult",
    "ScoreSet",
    "aggregate",
    "ahp",
    "allocation_weights",
    "combine_pairwise",
    "min_ranks",
    "normalize",
    "normalize_weights",
    "rank",
    "rank_order_centroid",
]
