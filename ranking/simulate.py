"""A simulated workshop room, for demonstrations, examples and tests.

The model is deliberately simple and stated here so nobody mistakes its
output for evidence:

* each priority has a latent "true" standing on each criterion, partly shared
  across criteria (a priority that is a big need tends to be severe too);
* each stakeholder group champions one "home" theme (health partners rate
  "Be healthy" higher: give it in ``home_themes``, or it is drawn at random),
  leans a little towards or away from the other themes and, less strongly,
  towards particular priorities;
* each participant is a little more generous or severe than the room, and
  adds noise to every score;
* every cell is "don't know" (NaN) with probability ``dont_know``.

Scores are integers on each criterion's scale; a cost criterion is scored in
reverse (a priority that stands well scores low).  Group sizes are uneven,
as in a real room (every group has at least one member when there are
enough participants).  All randomness comes from the ``rng`` passed in.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ranking.model import Criterion, Priority, RankingInputError, ScoreSet

#: Allocations are made in steps of this many points, as people do on paper.
ALLOCATION_STEP = 5
ALLOCATION_TOTAL = 100


def participant_names(count: int) -> tuple[str, ...]:
    """P001, P002, ... (wider numbers when there are over 999)."""
    width = max(3, len(str(count)))
    return tuple(f"P{n:0{width}d}" for n in range(1, count + 1))


def assign_groups(groups: Sequence[str], participants: int, rng: np.random.Generator) -> tuple[str, ...]:
    """Uneven group sizes in a shuffled joining order.

    Every group gets two members (when there are enough participants) plus a
    multinomial share of the rest drawn around Dirichlet(2, …, 2), so some
    partners send many people and some few.
    """
    names = tuple(groups)
    if participants < 1:
        raise RankingInputError("a simulated room needs at least one participant")
    if not names:
        return ("",) * participants
    base = min(2, participants // len(names))
    extra = participants - base * len(names)
    sizes = base + rng.multinomial(extra, rng.dirichlet(np.full(len(names), 2.0)))
    labels = np.repeat(np.arange(len(names)), sizes)
    return tuple(names[g] for g in rng.permutation(labels))


def _integer_bounds(criterion: Criterion) -> tuple[int, int]:
    if not criterion.has_scale:
        raise RankingInputError(f"criterion {criterion.name!r} needs a scale (min and max) to simulate scores")
    lo, hi = math.ceil(criterion.scale_min), math.floor(criterion.scale_max)
    if hi <= lo:
        raise RankingInputError(f"criterion {criterion.name!r} has no two whole-number points to score on")
    return lo, hi


def simulate_room(
    priorities: Sequence[Priority],
    criteria: Sequence[Criterion],
    groups: Sequence[str],
    participants: int,
    rng: np.random.Generator,
    dont_know: float = 0.05,
    *,
    home_themes: Sequence[tuple[str, str]] = (),
    theme_bias: float = 0.12,
    priority_bias: float = 0.06,
    leniency: float = 0.05,
    noise: float = 0.12,
) -> ScoreSet:
    """A room of ``participants`` scoring every priority on every criterion.

    The spreads are fractions of each criterion's scale span (0.12 on a 1–5
    scale is about half a point): ``theme_bias`` is the standard deviation of
    a group's lean towards a theme, ``priority_bias`` of its lean towards one
    priority, ``leniency`` of a participant's overall generosity and
    ``noise`` of a single score.
    """
    priorities, criteria = tuple(priorities), tuple(criteria)
    if not priorities or not criteria:
        raise RankingInputError("a simulated room needs priorities and criteria")
    if not 0 <= dont_know < 1:
        raise RankingInputError(f"dont_know must be a probability below 1, not {dont_know!r}")
    bounds = np.array([_integer_bounds(c) for c in criteria], dtype=float)  # (C, 2)
    n, c = len(priorities), len(criteria)
    room_groups = assign_groups(groups, participants, rng)
    group_names = list(dict.fromkeys(room_groups))
    themes = list(dict.fromkeys(p.theme for p in priorities))
    theme_of = np.array([themes.index(p.theme) for p in priorities])
    group_of = np.array([group_names.index(g) for g in room_groups])

    # Latent standing in [0, 1]: 0.5 is middling.  A shared factor per priority
    # correlates its criteria; the criterion-specific part keeps them distinct.
    standing = 0.5 + 0.18 * (0.6 * rng.standard_normal((n, 1)) + 0.8 * rng.standard_normal((n, c)))
    # Each group's lean: one "home" theme it champions, plus smaller random leans.
    lean_theme = theme_bias * rng.standard_normal((len(group_names), len(themes)))
    home = rng.integers(len(themes), size=len(group_names))
    for group, theme in home_themes:
        if group not in groups:
            raise RankingInputError(f"home theme given for unknown group {group!r}")
        if theme not in themes:
            raise RankingInputError(f"home theme {theme!r} of group {group!r} is not a priority's theme")
        if group in group_names:
            home[group_names.index(group)] = themes.index(theme)
    lean_theme[np.arange(len(group_names)), home] += 1.5 * theme_bias
    lean_priority = priority_bias * rng.standard_normal((len(group_names), n))
    group_lean = lean_theme[:, theme_of] + lean_priority  # (G, N)

    view = (
        standing[None, :, :]
        + group_lean[group_of][:, :, None]
        + leniency * rng.standard_normal((participants, 1, 1))
        + noise * rng.standard_normal((participants, n, c))
    )
    view = np.clip(view, 0.0, 1.0)
    cost = np.array([crit.is_cost for crit in criteria])
    view = np.where(cost, 1.0 - view, view)
    lo, hi = bounds[:, 0], bounds[:, 1]
    scores = np.clip(np.rint(lo + view * (hi - lo)), lo, hi)
    scores[rng.random(scores.shape) < dont_know] = np.nan
    return ScoreSet(priorities, criteria, scores, participant_names(participants), room_groups)


def _round_to_total(shares: np.ndarray, units: int) -> np.ndarray:
    """Largest-remainder rounding of each row of shares (summing 1) to
    whole units summing exactly ``units``."""
    exact = shares * units
    whole = np.floor(exact).astype(int)
    short = units - whole.sum(axis=1)
    order = np.argsort(-(exact - whole), axis=1, kind="stable")
    for row, missing in enumerate(short):
        whole[row, order[row, :missing]] += 1
    return whole


def simulate_allocations(
    criteria: Sequence[Criterion],
    participant_groups: Sequence[str],
    rng: np.random.Generator,
    *,
    group_spread: float = 0.35,
    concentration: float = 15.0,
) -> np.ndarray:
    """Each participant's 100 points across the criteria: integers (P, C).

    One row per entry of ``participant_groups`` (pass a simulated room's
    ``groups`` so allocations and scores describe the same people).  The
    room's centre is the criteria's agreed weights; each group's centre
    tilts it by a log-normal factor per criterion (``group_spread``); each
    participant draws Dirichlet(``concentration`` × group centre).  Points go
    in steps of 5, summing exactly 100.
    """
    criteria = tuple(criteria)
    if not criteria:
        raise RankingInputError("allocations need criteria")
    if not participant_groups:
        raise RankingInputError("allocations need at least one participant")
    base = np.array([c.weight for c in criteria], dtype=float)
    base = base / base.sum() if base.sum() > 0 else np.full(len(criteria), 1.0 / len(criteria))
    base = np.maximum(base, 0.02)  # a zero-weight criterion still gets the odd point
    group_names = list(dict.fromkeys(participant_groups))
    tilt = np.exp(group_spread * rng.standard_normal((len(group_names), len(criteria))))
    centres = base * tilt
    centres /= centres.sum(axis=1, keepdims=True)
    rows = np.array([group_names.index(g) for g in participant_groups])
    shares = np.array([rng.dirichlet(concentration * centres[g]) for g in rows])
    return _round_to_total(shares, ALLOCATION_TOTAL // ALLOCATION_STEP) * ALLOCATION_STEP


__all__ = [
    "ALLOCATION_STEP",
    "ALLOCATION_TOTAL",
    "assign_groups",
    "participant_names",
    "simulate_allocations",
    "simulate_room",
]
