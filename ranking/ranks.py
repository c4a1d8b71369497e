"""The one tie rule of the engine.

Ranks are "min" ranks (competition ranking, "1224"): equal scores share the
better rank and the next rank is skipped.  Scores closer than ``TIE_TOLERANCE``
count as equal, so floating-point noise (0.1 + 0.2 vs 0.3) never breaks a tie.
Display order among tied priorities is alphabetical by name, which is stable
and says nothing about merit.

A NaN score (no score could be computed: a priority nobody scored) has no
place among the ranked.  Its rank is N + 1, one past the last place of the
N priorities, shared by every NaN score: it sorts after every real score,
and no rule of the form "rank ≤ k" (k ≤ N) can ever count it in the top k.
"""

from __future__ import annotations

import numpy as np

from ranking.model import Priority, RankingInputError

TIE_TOLERANCE = 1e-9
#: The tie rule in words; ``TIE_RULE`` adds its name ("min"), ``ranking.readings.TIE_SENTENCE`` says it to people.
TIE_WORDS = "equal scores share the better rank (1, 2, 2, 4)"
TIE_RULE = f"min: {TIE_WORDS}"


def min_ranks(scores: np.ndarray) -> np.ndarray:
    """Rank along the last axis, higher score = better = rank 1.

    Works on any leading shape, so ``(samples, priorities)`` ranks every
    sample at once: rank_i = 1 + #{j : score_j > score_i + tol}; a NaN
    score gets N + 1 (see the module docstring).
    """
    s = np.asarray(scores, dtype=float)
    missing = np.isnan(s)
    s = np.where(missing, -np.inf, s)
    better = s[..., None, :] > s[..., :, None] + TIE_TOLERANCE
    return np.where(missing, s.shape[-1] + 1, 1 + better.sum(axis=-1))


def top_k_mask(scores: np.ndarray, k: int) -> np.ndarray:
    """True where rank <= k (ties at the boundary are all in) and the score
    is a number: a priority nobody scored is never in the top k."""
    s = np.asarray(scores, dtype=float)
    return (min_ranks(s) <= k) & ~np.isnan(s)


def check_top(k: object, n: int) -> int:
    """``k`` as an int from 1 to ``n`` (the number of priorities), or RankingInputError.

    The one check of a top-k argument: a whole number (int or numpy integer;
    not a bool, not a float, even 2.0) in range.  Every engine function and
    figure taking a ``top`` uses it, so all refuse and accept the same."""
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or not 1 <= k <= n:
        raise RankingInputError(f"the shortlist size must be a whole number from 1 to {n}, not {k!r}")
    return int(k)


def display_order(ranks: np.ndarray, names: tuple[str, ...]) -> list[int]:
    """Indices sorted by rank, then name."""
    return sorted(range(len(names)), key=lambda i: (int(ranks[i]), names[i]))


class Ranked:
    """How any ranking of priorities is read, wherever it comes from (the engine's ``RankingResult``,
    a round's ``workshop.standing.Standing``): names, the display order, the unscored and the top k.

    A subclass (a frozen dataclass) has ``priorities`` (each with a ``name``) and ``ranks``, and says
    which priorities anybody ``scored``."""

    priorities: tuple[Priority, ...]
    ranks: np.ndarray

    @property
    def scored(self) -> np.ndarray:
        raise NotImplementedError

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.priorities)

    @property
    def order(self) -> list[int]:
        """Priority indices best first (ties by name); priorities nobody scored last."""
        return display_order(self.ranks, self.names)

    @property
    def unscored(self) -> tuple[str, ...]:
        """Names of the priorities nobody has scored, in display order."""
        return tuple(self.names[i] for i in self.order if not self.scored[i])

    def top(self, k: int) -> tuple[str, ...]:
        """Names of the scored priorities ranked k or better (ties at the cut all in)."""
        return tuple(self.names[i] for i in self.order if self.ranks[i] <= k and self.scored[i])
