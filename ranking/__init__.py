"""Prioritise's decision engine: pure numpy/pandas, no UI, no database.

See docs/ARCHITECTURE.md §3 for the conventions every function here follows.
"""

from ranking.aggregate import AggregateMatrix, Aggregation, aggregate
from ranking.consensus import Consensus, GroupView, consensus
from ranking.methods import Method, RankingOptions, RankingResult, rank
from ranking.model import Criterion, Direction, Priority, RankingInputError, ScoreSet
from ranking.normalize import Normalization, normalize
from ranking.ranks import TIE_RULE, min_ranks
from ranking.sensitivity import (
    BootstrapResult,
    MethodAgreement,
    OneWayResult,
    SMAAResult,
    WeightInterval,
    WeightSampling,
    bootstrap,
    method_agreement,
    one_way,
    smaa,
)
from ranking.shortlist import Adjustment, Shortlist, ShortlistConstraints, shortlist
from ranking.weights import AHPResult, ahp, allocation_weights, combine_pairwise, normalize_weights, rank_order_centroid

__all__ = [
    "TIE_RULE",
    "AHPResult",
    "Adjustment",
    "AggregateMatrix",
    "Aggregation",
    "BootstrapResult",
    "Consensus",
    "Criterion",
    "Direction",
    "GroupView",
    "Method",
    "MethodAgreement",
    "Normalization",
    "OneWayResult",
    "Priority",
    "RankingInputError",
    "RankingOptions",
    "RankingResult",
    "SMAAResult",
    "ScoreSet",
    "Shortlist",
    "ShortlistConstraints",
    "WeightInterval",
    "WeightSampling",
    "aggregate",
    "ahp",
    "allocation_weights",
    "bootstrap",
    "combine_pairwise",
    "consensus",
    "method_agreement",
    "min_ranks",
    "normalize",
    "normalize_weights",
    "one_way",
    "rank",
    "rank_order_centroid",
    "shortlist",
    "smaa",
]
