"""Feedback between rounds: the room's earlier answers to one question as counts and a median, and band crossings.

A follow-up round shows each participant, beside every question (a priority
on a criterion), the room's answers to it in the earlier round: how many
chose each point of the scale, how many said "don't know", and the median of
the answers on the scale ("don't know" left out).  Delphi practice (the
feedback of DelphiManager and ExpertLens; the group-split feedback trials)
splits it by stakeholder group, shown separately; the facilitator may show
the whole room instead.  ``feedback_lines`` makes these lines, and every
place that shows them (the participant's card, the facilitator's preview)
calls it, so they show the same numbers.

**Small groups.**  A line of fewer than ``MIN_SHOWN`` answers would let a
participant work out another person's answer (in a group of two, the other
answer is the line minus their own).  In the split by group, groups with
fewer answers are pooled into one line, "Other groups", shown when the pool
has at least ``MIN_SHOWN`` answers; a line with fewer is never shown, and
``left_out`` counts the answers not shown on any line.

**Band crossings.**  ``crossed_band`` says whether a changed answer moved
from the bottom third of the scale to the top third or back, with the
bands of ``ranking.consensus_rule`` (``bottom_third``, ``top_third``), so a
"why did you change?" question and the stated consensus rule read the scale
the same way.  "Don't know" on either side is no crossing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ranking.consensus_rule import Band, bottom_third, top_third

#: The fewest answers a feedback line shows (see the module docstring).
MIN_SHOWN = 3
WHOLE_ROOM = "Whole room"
OTHER_GROUPS = "Other groups"


@dataclass(frozen=True)
class FeedbackLine:
    """The earlier answers of one part of the room to one question."""

    label: str  # a group's name, OTHER_GROUPS or WHOLE_ROOM
    points: tuple[float, ...]  # the scale's points, low to high
    counts: tuple[int, ...]  # answers at each point
    dont_know: int
    median: float | None  # of the answers on the scale; None when all said "don't know"
    groups: tuple[str, ...] = ()  # the groups pooled in this line (OTHER_GROUPS), else empty

    @property
    def answers(self) -> int:
        """Answers on the scale ("don't know" not counted)."""
        return sum(self.counts)

    @property
    def responses(self) -> int:
        """Everyone who answered, "don't know" included."""
        return self.answers + self.dont_know


@dataclass(frozen=True)
class FeedbackReading:
    """The lines shown for one question, and how many answers no line shows."""

    lines: tuple[FeedbackLine, ...]
    left_out: int


def _point_index(values: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Each value's scale point (the nearest; answers are stored on the scale)."""
    return np.abs(values[:, None] - points[None, :]).argmin(axis=1)


def feedback_line(
    label: str, values: Sequence[float], points: Sequence[float], groups: Sequence[str] = ()
) -> FeedbackLine:
    """One line: the counts per scale point, "don't know" (NaN) and the median (numpy's, halfway between
    the two middle answers when their number is even)."""
    v = np.asarray(values, dtype=float)
    scale = np.asarray(points, dtype=float)
    known = v[~np.isnan(v)]
    counts = np.bincount(_point_index(known, scale), minlength=len(scale)) if known.size else np.zeros(len(scale))
    median = float(np.median(known)) if known.size else None
    return FeedbackLine(
        label,
        tuple(float(p) for p in scale),
        tuple(int(c) for c in counts),
        int(v.size - known.size),
        median,
        tuple(groups),
    )


def feedback_lines(
    values: Sequence[float],
    groups: Sequence[str | None],
    points: Sequence[float],
    by_group: bool,
    group_order: Sequence[str] = (),
) -> FeedbackReading:
    """The lines for one question: ``values`` are the earlier answers (NaN = "don't know"), one per
    participant who answered, ``groups`` their groups (None: no group).  Split by group (in
    ``group_order``, then any other group by name) or the whole room; lines of fewer than ``MIN_SHOWN``
    answers are pooled or left out (module docstring)."""
    v = np.asarray(values, dtype=float)
    if len(groups) != v.size:
        raise ValueError(f"{v.size} answers but {len(groups)} groups")
    named = [g for g in groups if g is not None]
    if not by_group or not named:
        line = feedback_line(WHOLE_ROOM, v, points)
        shown = line.responses >= MIN_SHOWN
        return FeedbackReading((line,) if shown else (), 0 if shown else line.responses)
    order = [g for g in group_order if g in set(named)] + sorted(set(named) - set(group_order))
    if any(g is None for g in groups):
        order.append("")  # participants without a group, pooled with the small groups
    label = [g or "" for g in groups]
    lines, small = [], []
    for group in order:
        mask = np.array([g == group for g in label])
        if group and int(mask.sum()) >= MIN_SHOWN:
            lines.append(feedback_line(group, v[mask], points))
        else:
            small.append(group)
    pooled = np.array([g in small for g in label])
    left_out = 0
    if pooled.any():
        if int(pooled.sum()) >= MIN_SHOWN:
            lines.append(feedback_line(OTHER_GROUPS, v[pooled], points, tuple(g for g in small if g)))
        else:
            left_out = int(pooled.sum())
    return FeedbackReading(tuple(lines), left_out)


def crossed_band(before: float | None, after: float | None, scale_min: float, scale_max: float) -> bool:
    """True when an answer moved between the bottom and the top third of the scale (either way)."""
    if before is None or after is None or math.isnan(before) or math.isnan(after):
        return False
    low, high = bottom_third(scale_min, scale_max), top_third(scale_min, scale_max)

    def within(band: Band, x: float) -> bool:
        return bool(band.contains(np.array([x]))[0])

    return (within(low, before) and within(high, after)) or (within(high, before) and within(low, after))
