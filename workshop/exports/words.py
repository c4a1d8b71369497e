"""How the exports put numbers, names and the ranking method into words (shared by every format)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from ranking.methods import RankingOptions
from workshop.models import WeightMethod

WEIGHT_METHOD_TEXT = {
    WeightMethod.DIRECT: "set directly by the facilitator",
    WeightMethod.RANK_ORDER: "derived from a ranking of the criteria (rank-order centroid weights)",
    WeightMethod.PAIRWISE: "derived from pairwise comparisons of the criteria (AHP, principal eigenvector)",
    WeightMethod.PARTICIPANTS: "the room's own: the mean of the participants' 100-point allocations",
    WeightMethod.SWING: (
        "set by swing (DCLG MCA manual): the criteria ordered by how much the swing from the worst to the best "
        "point of their scale matters, the first given 100 and each other a number relative to it, the weights "
        "being those numbers divided by their total"
    ),
}


def pseudonym(number: int) -> str:
    return f"Participant {number}"


def percent(share: float, digits: int = 0) -> str:
    return f"{100 * share:.{digits}f}%"


def name_list(names: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C' (names in single quotes)."""
    quoted = [f"'{n}'" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def number(value: float) -> float | None:
    """A float for the report, None where the engine gave NaN (undefined)."""
    return None if math.isnan(value) else float(value)


def method_text(options: RankingOptions) -> str:
    """The ranking method in words, as every export states it."""
    balanced = ", each stakeholder group counting equally" if options.balance_groups else ""
    return (
        f"{options.method.label} of the room's {options.aggregation.value} scores{balanced} "
        f"({options.normalization.value} normalisation)"
    )
