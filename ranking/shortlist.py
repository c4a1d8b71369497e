"""The constrained shortlist: the k priorities with the highest total score
that respect the facilitator's constraints, with every adjustment to the
plain top k explained (an ``Adjustment``; the board's own departures from the
computed order are ``workshop.decision.Departure``).

Constraints: priorities the facilitator *must include* (forced in), priorities
they *exclude* (never chosen), and at most ``max_per_theme`` priorities from
any one theme.  A priority with no theme (``""``) is not limited by the cap,
exactly as if it were its own theme.

**Why taking priorities greedily in score order is optimal.**  The sets with
at most m per theme form a partition matroid (each theme a block of
capacity m; a priority without a theme is a block of its own, which a cap of
at least 1 never limits); keeping at most k of them is its truncation, still
a matroid.  Excluding priorities deletes them and forcing the must-includes in
contracts the matroid by them (allowed because they are independent: at most
k of them and none of their themes over the cap); deletion and contraction
give matroids again.  On a matroid, scanning elements in descending weight
and keeping each one that leaves the set independent gives a maximum-weight
basis (Rado 1957; Edmonds 1971), and all bases have the same size, so if the
scan stops short of k places no k priorities satisfy the constraints at all.
The tests check this against brute force over every k-subset.

**Priorities nobody scored** (a NaN score: ``ranking.methods``) are never
chosen for a place of their own: they are passed over with the reason
``NOT_SCORED_REASON``, and if that leaves places empty the shortlist is
refused with a message that names them.  The facilitator can still force
one in as a must-include, which is then a recorded adjustment like any other.

**Ties.**  The scan follows the room's order: rank (higher score first), then
name.  When a tie at the k-th place has more members than places left, the
alphabetically first go in; the others are recorded as dropped with the tie
as the reason, so the facilitator can settle it with a must-include.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from enum import Enum, StrEnum

import numpy as np

from ranking.methods import RankingResult
from ranking.model import RankingInputError
from ranking.ranks import check_top


class Change(StrEnum):
    """How the shortlist differs from the plain top k at one priority."""

    ADDED = "added"
    DROPPED = "dropped"


ADDED, DROPPED = Change.ADDED, Change.DROPPED


class Cause(Enum):
    """Why a priority was passed over, or brought in (the words: ``cause_words``)."""

    MUST_INCLUDE = "must-include"
    NEXT_IN_LINE = "next in line"
    EXCLUDED = "excluded"
    NOT_SCORED = "not scored"
    THEME_CAP = "theme cap"
    NO_PLACE = "no place left"


MUST_INCLUDE_REASON = "must-include chosen by the facilitator"
EXCLUDED_REASON = "excluded by the facilitator"
NOT_SCORED_REASON = "nobody has scored it"


@dataclass(frozen=True)
class Refusal:
    """Why an unforced priority was passed over: the cause, with the theme
    and the names it already holds for ``Cause.THEME_CAP``."""

    cause: Cause
    theme: str = ""
    members: tuple[str, ...] = ()


def cause_words(refusal: Refusal, cap: int | None) -> str:
    """A refusal in words, as the Agree page shows a departure's reason ("" for no place left)."""
    if refusal.cause is Cause.EXCLUDED:
        return EXCLUDED_REASON
    if refusal.cause is Cause.NOT_SCORED:
        return NOT_SCORED_REASON
    if refusal.cause is Cause.THEME_CAP:
        return f"theme {refusal.theme!r} already has {cap} (cap {cap}): {_quote(list(refusal.members))}"
    return ""


def _names(value: tuple[str, ...] | list[str] | str, what: str) -> tuple[str, ...]:
    names = (value,) if isinstance(value, str) else tuple(value)
    for name, count in Counter(names).items():
        if count > 1:
            raise RankingInputError(f"priority {name!r} appears more than once in {what}")
    return names


@dataclass(frozen=True)
class ShortlistConstraints:
    """What the facilitator requires of the shortlist (see the module docstring)."""

    max_per_theme: int | None = None
    must_include: tuple[str, ...] = ()
    must_exclude: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        cap = self.max_per_theme
        if cap is not None and (isinstance(cap, bool) or not isinstance(cap, int) or cap < 1):
            raise RankingInputError(f"the most per theme must be a whole number of at least 1, not {cap!r}")
        include = _names(self.must_include, "must-include")
        exclude = _names(self.must_exclude, "must-exclude")
        for name in include:
            if name in exclude:
                raise RankingInputError(f"priority {name!r} is both a must-include and a must-exclude")
        object.__setattr__(self, "must_include", include)
        object.__setattr__(self, "must_exclude", exclude)


@dataclass(frozen=True)
class Adjustment:
    """A difference between the constrained shortlist and the plain top k, and why."""

    priority: str
    change: Change
    reason: str  # in words (``cause_words``, or the must-include / next-in-line / no-place sentence)
    cause: Cause


@dataclass(frozen=True)
class Shortlist:
    """The chosen k (in the room's order) beside the plain top k.

    ``plain_top`` is ``result.top(k)``: it has more than k members when a tie
    straddles the k-th place.
    """

    top: int
    chosen: tuple[str, ...]
    plain_top: tuple[str, ...]
    adjustments: tuple[Adjustment, ...]
    total_score: float
    constraints: ShortlistConstraints


def _quote(names: list[str]) -> str:
    return ", ".join(repr(name) for name in names)


def _check(result: RankingResult, top: int, constraints: ShortlistConstraints) -> None:
    for what, names in (("must-include", constraints.must_include), ("must-exclude", constraints.must_exclude)):
        for name in names:
            if name not in result.names:
                raise RankingInputError(f"unknown priority {name!r} in {what}")
    if len(constraints.must_include) > top:
        raise RankingInputError(
            f"{len(constraints.must_include)} must-include priorities do not fit in a shortlist of {top}"
        )
    cap = constraints.max_per_theme
    if cap is None:
        return
    themes = {p.name: p.theme for p in result.priorities}
    by_theme: dict[str, list[str]] = {}
    for name in constraints.must_include:
        if themes[name]:
            by_theme.setdefault(themes[name], []).append(name)
    for theme, members in by_theme.items():
        if len(members) > cap:
            raise RankingInputError(
                f"{len(members)} must-include priorities are in theme {theme!r} "
                f"({_quote(members)}) but the cap is {cap} per theme"
            )


def shortlist(result: RankingResult, top: int, constraints: ShortlistConstraints | None = None) -> Shortlist:
    """Choose the k priorities of ``result`` with the highest total score that
    satisfy ``constraints`` (optimal: see the module docstring).

    Raises ``RankingInputError`` for unknown names, more must-includes than
    k, must-includes of one theme over the cap, or when fewer than k
    priorities can be chosen at all.
    """
    constraints = constraints or ShortlistConstraints()
    top = check_top(top, len(result.names))
    _check(result, top, constraints)
    names = result.names
    theme = [p.theme for p in result.priorities]
    cap = constraints.max_per_theme
    forced = {names.index(name) for name in constraints.must_include}
    excluded = {names.index(name) for name in constraints.must_exclude}
    order = result.order

    chosen = set(forced)
    per_theme = Counter(theme[i] for i in forced if theme[i])
    refused: dict[int, Refusal] = {}  # why an unforced priority was passed over
    for i in order:
        if i in forced:
            continue
        if i in excluded:
            refused[i] = Refusal(Cause.EXCLUDED)
        elif np.isnan(result.scores[i]):
            refused[i] = Refusal(Cause.NOT_SCORED)
        elif cap is not None and theme[i] and per_theme[theme[i]] >= cap:
            members = tuple(names[j] for j in order if j in chosen and theme[j] == theme[i])
            refused[i] = Refusal(Cause.THEME_CAP, theme[i], members)
        elif len(chosen) == top:
            refused[i] = Refusal(Cause.NO_PLACE)
        else:
            chosen.add(i)
            if theme[i]:
                per_theme[theme[i]] += 1
    if len(chosen) < top:
        raise RankingInputError(_infeasible(top, len(chosen), refused, cap, names))

    plain_top = result.top(top)
    adjustments = _adjustments(result, top, chosen, forced, refused, plain_top, cap)
    ordered = tuple(names[i] for i in order if i in chosen)
    return Shortlist(
        top=top,
        chosen=ordered,
        plain_top=plain_top,
        adjustments=adjustments,
        total_score=float(sum(result.scores[i] for i in chosen if not np.isnan(result.scores[i]))),
        constraints=constraints,
    )


def _infeasible(top: int, filled: int, refused: dict[int, Refusal], cap: int | None, names: tuple[str, ...]) -> str:
    causes_of = Counter(r.cause for r in refused.values())
    excluded, capped = causes_of[Cause.EXCLUDED], causes_of[Cause.THEME_CAP]
    unscored = [names[i] for i, r in refused.items() if r.cause is Cause.NOT_SCORED]
    causes, remedies = [], []
    if unscored:
        causes.append(f"{len(unscored)} nobody has scored: {_quote(unscored)}")
        remedies.append("score them in another round or make them must-includes")
    if excluded:
        causes.append(f"{excluded} excluded")
        remedies.append("exclude fewer priorities")
    if capped:
        causes.append(f"{capped} over the cap of {cap} per theme")
        remedies.append("raise the cap")
    return (
        f"only {filled} of the {top} places can be filled under these constraints "
        f"({', '.join(causes)}): {' or '.join(remedies)}, or shorten the list"
    )


def _adjustments(
    result: RankingResult,
    top: int,
    chosen: set[int],
    forced: set[int],
    refused: dict[int, Refusal],
    plain_top: tuple[str, ...],
    cap: int | None,
) -> tuple[Adjustment, ...]:
    names, ranks = result.names, result.ranks
    in_plain = {names.index(name) for name in plain_top}
    freeing = {refused[i].cause for i in in_plain if i in refused}
    freed_by = []
    if Cause.EXCLUDED in freeing:
        freed_by.append("an exclusion")
    if Cause.THEME_CAP in freeing:
        freed_by.append(f"the cap of {cap} per theme")

    adjustments = []
    for i in result.order:
        if i in chosen and i not in in_plain:
            if i in forced:
                adjustments.append(Adjustment(names[i], ADDED, MUST_INCLUDE_REASON, Cause.MUST_INCLUDE))
            else:
                reason = f"next in line (rank {ranks[i]}) for a place freed by {' and '.join(freed_by)}"
                adjustments.append(Adjustment(names[i], ADDED, reason, Cause.NEXT_IN_LINE))
        elif i in in_plain and i not in chosen:
            refusal = refused[i]
            reason = cause_words(refusal, cap) or _no_place(result, top, i, chosen, forced)
            adjustments.append(Adjustment(names[i], DROPPED, reason, refusal.cause))
    return tuple(adjustments)


def _no_place(result: RankingResult, top: int, i: int, chosen: set[int], forced: set[int]) -> str:
    """Why a plain-top priority found every place taken.

    Either must-includes ranked below it took places it would otherwise have
    had, or it shares a tie across the k-th place (its tie group runs past
    place k), or both: with neither, the priorities ranked at or above it
    fill at most k places, so one would have been left for it.
    """
    names, ranks, order = result.names, result.ranks, result.order
    below = [names[j] for j in order if j in forced and ranks[j] > ranks[i]]
    parts = []
    if below:
        parts.append(f"places taken by must-include {_quote(below)}")
    tied = [j for j in order if j != i and ranks[j] == ranks[i]]
    if ranks[i] + len(tied) > top:
        parts.append(f"tied at rank {ranks[i]} with {_quote([names[j] for j in tied])} across the cut-off")
        if any(j in chosen and j not in forced for j in tied):
            parts.append("tied priorities go in by name (use must-include to choose)")
    return "; ".join(parts)


__all__ = [
    "ADDED",
    "DROPPED",
    "EXCLUDED_REASON",
    "MUST_INCLUDE_REASON",
    "NOT_SCORED_REASON",
    "Adjustment",
    "Cause",
    "Change",
    "Refusal",
    "Shortlist",
    "ShortlistConstraints",
    "cause_words",
    "shortlist",
]
