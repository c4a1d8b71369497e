"""Choosing each participant's share of a round's list: balanced coverage or chosen themes (pure, no I/O).

The balanced rule: a participant gets the ``size`` priorities that the fewest
participants have been given so far, random among equals.  Counting what was
*given* (not what was answered) is what keeps a crowd arriving together
balanced: people who arrive in the same minute would otherwise all be given
the same unanswered priorities.  It keeps every priority within one of the
others at every step (the counts differ by at most one before a share, the
share takes all the lowest before any higher one, so they differ by at most
one after), so when everyone has finished every priority's answer count is
within one of the others.  The randomness is the round's seed and the
participant's number (``share_rng``), so the same room given the same seed
gets the same shares.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from workshop.errors import InvalidInput
from workshop.models import Priority


def share_rng(seed: int, participant_number: int) -> np.random.Generator:
    """The generator that breaks ties in one participant's share: the round's seed and their number."""
    return np.random.default_rng([seed, participant_number])


def balanced_share(given: Sequence[int], size: int, rng: np.random.Generator) -> tuple[int, ...]:
    """The positions (ascending) of the ``size`` priorities given out least so far (``given[i]``:
    how many shares hold priority i), random among equals; every priority when ``size`` covers them all."""
    counts = np.asarray(given, dtype=np.int64)
    if counts.ndim != 1 or size < 1:
        raise ValueError("a share takes a list of counts and a size of at least 1")
    order = np.lexsort((rng.random(counts.size), counts))  # by count, then a random tie-break
    return tuple(sorted(int(i) for i in order[:size]))


def theme_share(priorities: Sequence[Priority], themes: Sequence[str]) -> tuple[int, ...]:
    """The ids of the priorities in the chosen ``themes`` (matched ignoring case), in the list's order;
    refused when a theme is not one of the list's or none is chosen."""
    known = {p.theme.casefold(): p.theme for p in priorities if p.theme}
    wanted = {t.strip().casefold() for t in themes if t.strip()}
    if not wanted:
        raise InvalidInput("Choose at least one theme.")
    unknown = sorted(t for t in themes if t.strip() and t.strip().casefold() not in known)
    if unknown:
        raise InvalidInput(f"'{unknown[0]}' is not one of this round's themes.")
    return tuple(p.id for p in priorities if p.theme.casefold() in wanted)


def round_themes(priorities: Sequence[Priority]) -> tuple[str, ...]:
    """The themes of a round's priorities, in the order they first appear."""
    return tuple(dict.fromkeys(p.theme for p in priorities if p.theme))
