"""Readings shown in more than one place (Results, Live and Agree pages, the
projector, the exports), each made by one function or held in one constant
here, so the screen and the board paper always say the same thing:

* ``NOT_SCORED`` and ``rank_label``: a priority nobody scored;
* ``TIE_SENTENCE``: the engine's tie rule, as people read it;
* ``agreement_reading``: Kendall's W in words;
* ``contested_words``: why a priority is contested;
* ``swap`` and ``change_words``: what comes into and drops out of a top k;
* ``suggested_size`` and ``suggest_followup``: the follow-up round's list;
* ``few_answers_sentence``: the priorities of a shared round with too few answers to rank with confidence.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ranking.consensus import CUTOFF_PLACES
from ranking.ranks import TIE_WORDS, display_order

#: What a priority nobody scored shows instead of a rank or a score.
NOT_SCORED = "not scored"
#: The tie rule, as every caption and export says it.
TIE_SENTENCE = f"Ties: {TIE_WORDS}."


def rank_label(name: str, rank: int | None) -> str:
    """'3. Name', or 'Name (not scored)' for a priority nobody scored (rank None)."""
    return f"{name} ({NOT_SCORED})" if rank is None else f"{rank}. {name}"


def few_answers_sentence(names: Sequence[str], minimum: int) -> str | None:
    """The warning for priorities with fewer than ``minimum`` answers on some criterion (a round that gave
    each participant part of the list), or None when there are none.  ``names`` are plain text; callers
    that render markdown make them inert."""
    if not names:
        return None
    listed = "; ".join(names)
    one = len(names) == 1
    return (
        f"Too few answers to rank with confidence: {listed} {'has' if one else 'have'} fewer than {minimum} "
        f"answers on at least one criterion, so {'its' if one else 'their'} place could move with a few more."
    )


# --------------------------------------------------------------------------- Kendall's W

#: Kendall's W read on Schmidt's (1997) scale for rankings by a panel
#: ("Managing Delphi surveys using nonparametric statistical techniques",
#: Decision Sciences 28(3)): .1 very weak, .3 weak, .5 moderate, .7 strong.
W_READINGS = (
    (0.1, "very weak agreement: the room orders the priorities very differently"),
    (0.3, "weak agreement: people share only a loose sense of the order"),
    (0.5, "moderate agreement: a shared order with real differences"),
    (0.7, "strong agreement: most people order the priorities alike"),
    (math.inf, "very strong agreement: nearly everyone orders the priorities alike"),
)
NO_W_READING = "no reading: fewer than two priorities, or everyone scored every priority the same"


def agreement_reading(w: float | None) -> str:
    """Kendall's W in plain English (see ``W_READINGS``); None or NaN: no reading."""
    if w is None or math.isnan(w):
        return NO_W_READING
    return next(text for bound, text in W_READINGS if w < bound)


# --------------------------------------------------------------------------- contested priorities

#: Why a priority is contested (``ranking.consensus``), as the Results page and the board paper say it.
DIVIDED = "the room is divided on it"
NEAR_LINE = "close to the line between in and out"


def contested_words(high_spread: bool, near_cutoff: bool) -> str:
    """Why a priority is contested: one reason, both joined by "; ", or "" when it is not."""
    return "; ".join(words for words, flag in ((DIVIDED, high_spread), (NEAR_LINE, near_cutoff)) if flag)


# --------------------------------------------------------------------------- a changed top k


def swap(current: Sequence[str], other: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(coming in, dropping out) going from the ``current`` top k to ``other``, each in its own set's order."""
    return tuple(n for n in other if n not in current), tuple(n for n in current if n not in other)


def change_words(coming: Sequence[str], going: Sequence[str], quote: Callable[[Sequence[str]], str]) -> str:
    """'X and Y come in and Z drops out' (``quote`` lists the names for the medium: plotly, markdown, paper);
    with neither, the top changes only through a tie at the cut-off."""
    parts = []
    if coming:
        parts.append(f"{quote(coming)} {'comes' if len(coming) == 1 else 'come'} in")
    if going:
        parts.append(f"{quote(going)} {'drops' if len(going) == 1 else 'drop'} out")
    return " and ".join(parts) or "the top changes through a tie at the cut-off"


# --------------------------------------------------------------------------- the follow-up round

#: A follow-up round takes the top ten (docs/ARCHITECTURE.md §6: "a second round on a shortlist of about ten").
SUGGESTED_SIZE = 10


@dataclass(frozen=True)
class FollowupSuggestion:
    """Priorities suggested for a follow-up round, in the computed order, each with why."""

    size: int
    names: tuple[str, ...]
    reasons: tuple[str, ...]


def suggested_size(n_priorities: int, places: int) -> int:
    """How many priorities a follow-up round takes by default: the top ten,
    or twice the shortlist's places when that is more, never more than there are.

    A follow-up round is there to choose the places from more than the
    places: with twice as many, at least half of what it asks about drops
    out, so the room still has a choice to make (and for the usual five
    places this is docs/ARCHITECTURE.md §6's "shortlist of about ten").  It is never fewer than
    the places, unless the list itself is shorter."""
    return min(max(SUGGESTED_SIZE, 2 * places), n_priorities)


def suggest_followup(
    names: Sequence[str],
    ranks: Sequence[int] | np.ndarray,
    high_spread: Sequence[bool],
    size: int,
    places: int = CUTOFF_PLACES,
) -> FollowupSuggestion:
    """Everything ranked ``size`` or better (a tie at the cut brings all its
    members in), plus the priorities ranked within ``places`` below the cut
    that the room is divided on: their place rests on a split room, and a
    second round after discussion may well move them up.  Priorities below
    the cut on which the room agrees stay out.

    Names come in the display order (rank, then name).
    """
    if not 1 <= size <= len(names):
        raise ValueError(f"the follow-up round's size must be from 1 to {len(names)}, not {size}")
    rank_list = [int(r) for r in ranks]
    order = display_order(np.asarray(rank_list), tuple(names))
    chosen, reasons = [], []
    for i in order:
        r = rank_list[i]
        if r <= size:
            chosen.append(names[i])
            reasons.append(f"rank {r}: in the top {size}")
        elif r <= size + places and high_spread[i]:
            chosen.append(names[i])
            reasons.append(f"rank {r}: just below the top {size}, and the room is divided on it")
    return FollowupSuggestion(size, tuple(chosen), tuple(reasons))
