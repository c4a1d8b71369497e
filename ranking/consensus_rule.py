"""A stated consensus rule (Delphi-style bands and shares) and the RAND/UCLA disagreement index.

The rule (``ConsensusRule``): a priority is **in** when at least ``in_share``
of the answers lie in the high band of the scale and fewer than
``against_share`` in the low band; **out** in the mirror case (at least
``in_share`` in the low band, fewer than ``against_share`` in the high band);
otherwise there is **no consensus** ("none").  The defaults are 70% / 15%.
``strict_in`` turns "at least" into "more than"; ``strict_against`` (on by
default) is the "fewer than", off it reads "at most".  ``against_share`` may
not exceed ``in_share``, so no priority can be both in and out.

**The bands.**  By default the high band is the top third of the scale and the
low band the bottom third, defined on the scale's range R = max − min: the
high band holds the values x ≥ max − R/3, the low band x ≤ min + R/3, both
ends included.  On a scale of whole points (both ends whole numbers) the band
is written by its points: from ⌈max − R/3⌉ to max and from min to
⌊min + R/3⌋, so 7–9 and 1–3 on 1–9 (R/3 = 8/3), 4–5 and 1–2 on 1–5
(R/3 = 4/3), 7–10 and 0–3 on 0–10.  A value counts in a band when it lies
between the band's ends (within ``TIE_TOLERANCE``): a weighted score of 6.9
is not in 7–9.

**What is counted.**  Per priority, each participant's own weighted score of
it on the common scale: the weighted mean of their scale-normalised answers
over the criteria they answered (a cost criterion inverted, the weights
rescaled over those criteria; ``ranking.consensus.own_views``), mapped back
onto the scale as min + u·R.  With one benefit criterion that is the answer
itself.  A participant who answered no criterion of positive weight for the
priority said "don't know": they are left out of the denominator and their
share is reported (``dont_know_share``).  The working applies the same rule to
each criterion on its own (its weight alone; a cost criterion therefore reads
inverted, so "in" always means "for the priority").  The rule needs one
common scale: every criterion must have the same ``scale_min``/``scale_max``.

**Disagreement** (RAND/UCLA appropriateness method; Fitch et al. 2001, *The
RAND/UCLA Appropriateness Method User's Manual*, ch. 8): on a 1–9 scale
IPR = P70 − P30, IPRCP = (P30 + P70)/2, AI = |5 − IPRCP| and
IPRAS = 2.35 + 1.5·AI; the panel disagrees when IPR > IPRAS.  Percentiles are
numpy's default linear interpolation (Hyndman & Fan type 7, Excel's
PERCENTILE.INC), as for the IQR in ``ranking.consensus``.  The manual's worked
example (15 panellists, median 7, P30 7, P70 8 → IPRAS 6.1, no disagreement;
the distribution in Table 1 of BMJ Open 2012;2:e001431) comes out the same
under all nine Hyndman & Fan definitions, so the choice does not decide it.
**Other scales** are rescaled linearly onto 1–9 first (x' = 1 + 8(x − min)/R),
IPRAS is computed there and expressed back in the scale's own units
(× R/8), so ``ipr`` and ``ipras`` are both in the scale's units and compare
directly; on 1–9 both are the manual's numbers.

**Rule sensitivity** (``rule_sensitivity``): which priorities change status
under other common rules (``COMMON_VARIANTS``: 75%, 80%, and 70/15 with the
≥ turned into >), because the rule chosen changes the answer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np

from ranking.consensus import own_views
from ranking.model import Criterion, RankingInputError, ScoreSet, frozen_array
from ranking.ranks import TIE_TOLERANCE
from ranking.weights import normalize_weights

DEFAULT_IN_SHARE = 0.70
DEFAULT_AGAINST_SHARE = 0.15
#: The RAND/UCLA constants, on a 1–9 scale.
IPRAS_BASE = 2.35
IPRAS_ASYMMETRY = 1.5
RAND_MIN, RAND_MAX = 1.0, 9.0
RAND_MIDPOINT = 5.0


class Status(StrEnum):
    IN = "in"
    OUT = "out"
    NONE = "none"


# --------------------------------------------------------------------------- the rule


@dataclass(frozen=True)
class Band:
    """A closed interval of the scale, ``low`` to ``high``."""

    low: float
    high: float

    def __post_init__(self) -> None:
        for what, value in (("start", self.low), ("end", self.high)):
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                raise RankingInputError(f"a band's {what} must be a number, not {value!r}")
        if self.low > self.high:
            raise RankingInputError(f"a band must run from low to high, not {self.label}")
        object.__setattr__(self, "low", float(self.low))
        object.__setattr__(self, "high", float(self.high))

    @property
    def label(self) -> str:
        return f"{self.low:g}–{self.high:g}"

    def contains(self, values: np.ndarray) -> np.ndarray:
        v = np.asarray(values, dtype=float)
        return (v >= self.low - TIE_TOLERANCE) & (v <= self.high + TIE_TOLERANCE)


def _whole(value: float) -> bool:
    return float(value).is_integer()


def top_third(scale_min: float, scale_max: float) -> Band:
    """The high band by default: x ≥ max − R/3, written by its whole points on a whole-point scale."""
    lo = scale_max - (scale_max - scale_min) / 3
    if _whole(scale_min) and _whole(scale_max):
        lo = math.ceil(lo - TIE_TOLERANCE)
    return Band(lo, scale_max)


def bottom_third(scale_min: float, scale_max: float) -> Band:
    """The low band by default: x ≤ min + R/3, written by its whole points on a whole-point scale."""
    hi = scale_min + (scale_max - scale_min) / 3
    if _whole(scale_min) and _whole(scale_max):
        hi = math.floor(hi + TIE_TOLERANCE)
    return Band(scale_min, hi)


def _share(value: object, what: str, allow_zero: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise RankingInputError(f"the {what} must be a number from 0 to 1 (a fraction), not {value!r}")
    if not (0 <= value <= 1) or (value == 0 and not allow_zero):
        limit = "from 0%" if allow_zero else "above 0%"
        raise RankingInputError(f"the {what} must be {limit} and at most 100%, not {value * 100:g}%")
    return float(value)


@dataclass(frozen=True)
class ConsensusRule:
    """The rule a workshop states (see the module docstring).  Shares are fractions 0..1."""

    high_band: Band
    low_band: Band
    in_share: float = DEFAULT_IN_SHARE
    against_share: float = DEFAULT_AGAINST_SHARE
    strict_in: bool = False
    strict_against: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "in_share", _share(self.in_share, "share needed for consensus", False))
        object.__setattr__(self, "against_share", _share(self.against_share, "share against", True))
        if self.against_share > self.in_share:
            raise RankingInputError(
                f"the share against ({self.against_share:.0%}) must not be above the share needed for "
                f"consensus ({self.in_share:.0%}), or a priority could be both in and out"
            )
        if self.low_band.high >= self.high_band.low:
            raise RankingInputError(
                f"the low band ({self.low_band.label}) must lie below the high band ({self.high_band.label})"
            )

    @classmethod
    def for_scale(
        cls,
        scale_min: float,
        scale_max: float,
        *,
        high_band: Band | None = None,
        low_band: Band | None = None,
        in_share: float = DEFAULT_IN_SHARE,
        against_share: float = DEFAULT_AGAINST_SHARE,
        strict_in: bool = False,
        strict_against: bool = True,
    ) -> ConsensusRule:
        """The rule on a scale: bands given or the top and bottom thirds, each checked to lie on the scale."""
        if not (math.isfinite(scale_min) and math.isfinite(scale_max) and scale_min < scale_max):
            raise RankingInputError(f"the scale must run from a lower to a higher number, not {scale_min}..{scale_max}")
        high = high_band or top_third(scale_min, scale_max)
        low = low_band or bottom_third(scale_min, scale_max)
        for name, band in (("high", high), ("low", low)):
            if band.low < scale_min - TIE_TOLERANCE or band.high > scale_max + TIE_TOLERANCE:
                raise RankingInputError(
                    f"the {name} band {band.label} is not on the scale {scale_min:g}..{scale_max:g}"
                )
        return cls(high, low, in_share, against_share, strict_in, strict_against)

    def _reaches(self, share: float) -> bool:
        return share > self.in_share + TIE_TOLERANCE if self.strict_in else share >= self.in_share - TIE_TOLERANCE

    def _below_against(self, share: float) -> bool:
        if self.strict_against:
            return share < self.against_share - TIE_TOLERANCE
        return share <= self.against_share + TIE_TOLERANCE

    def status(self, share_high: float, share_low: float) -> Status:
        """In, out or none for these shares (NaN, when nobody answered: none)."""
        if math.isnan(share_high) or math.isnan(share_low):
            return Status.NONE
        if self._reaches(share_high) and self._below_against(share_low):
            return Status.IN
        if self._reaches(share_low) and self._below_against(share_high):
            return Status.OUT
        return Status.NONE

    @property
    def in_comparison(self) -> str:
        return ">" if self.strict_in else "≥"

    @property
    def against_comparison(self) -> str:
        return "<" if self.strict_against else "≤"

    @property
    def words(self) -> str:
        """The rule in one sentence, for the screen and the board paper."""
        at_least = "more than" if self.strict_in else "at least"
        fewer = "fewer than" if self.strict_against else "at most"
        return (
            f"In: {at_least} {self.in_share:.0%} of the answers in {self.high_band.label} and {fewer} "
            f"{self.against_share:.0%} in {self.low_band.label}; out: the mirror image; otherwise no consensus. "
            "“Don't know” is left out of the count."
        )


# --------------------------------------------------------------------------- per priority


@dataclass(frozen=True)
class PriorityConsensus:
    """One priority (or one priority on one criterion) under the rule, with the working.

    ``answers`` excludes "don't know"; shares are fractions of ``answers``
    (NaN when nobody answered, as are the percentiles); ``ipr`` and ``ipras``
    are in the scale's units (see the module docstring)."""

    priority: str
    answers: int
    dont_know: int
    share_high: float
    share_low: float
    median: float
    p30: float
    p70: float
    ipr: float
    ipras: float
    disagreement: bool
    status: Status

    @property
    def dont_know_share(self) -> float:
        """The share of everyone asked who said "don't know" (NaN when nobody was asked)."""
        asked = self.answers + self.dont_know
        return self.dont_know / asked if asked else float("nan")


def ipras(p30: float, p70: float, scale_min: float = RAND_MIN, scale_max: float = RAND_MAX) -> float:
    """RAND/UCLA IPRAS in the scale's units: 2.35 + 1.5·|5 − IPRCP| on 1–9, other scales rescaled."""
    factor = (RAND_MAX - RAND_MIN) / (scale_max - scale_min)
    centre = RAND_MIN + ((p30 + p70) / 2 - scale_min) * factor
    return (IPRAS_BASE + IPRAS_ASYMMETRY * abs(RAND_MIDPOINT - centre)) / factor


def assess(priority: str, values: np.ndarray, rule: ConsensusRule, scale: tuple[float, float]) -> PriorityConsensus:
    """One priority's answers (NaN = "don't know") under ``rule`` on ``scale``."""
    v = np.asarray(values, dtype=float)
    given = v[~np.isnan(v)]
    n = int(given.size)
    if n == 0:
        nan = float("nan")
        return PriorityConsensus(priority, 0, int(v.size), nan, nan, nan, nan, nan, nan, nan, False, Status.NONE)
    share_high = float(rule.high_band.contains(given).sum() / n)
    share_low = float(rule.low_band.contains(given).sum() / n)
    p30, median, p70 = (float(q) for q in np.percentile(given, [30, 50, 70]))
    ipr = p70 - p30
    index = ipras(p30, p70, *scale)
    return PriorityConsensus(
        priority=priority,
        answers=n,
        dont_know=int(v.size - n),
        share_high=share_high,
        share_low=share_low,
        median=median,
        p30=p30,
        p70=p70,
        ipr=ipr,
        ipras=index,
        disagreement=bool(ipr > index + TIE_TOLERANCE),
        status=rule.status(share_high, share_low),
    )


# --------------------------------------------------------------------------- a room


@dataclass(frozen=True, eq=False)
class ConsensusReport:
    """A room under a rule: ``priorities`` (one per priority, in the room's order) from
    ``values`` (participants × priorities: each participant's weighted score on the
    scale, NaN = "don't know"), and the working per criterion: ``by_criterion[c][i]``."""

    rule: ConsensusRule
    scale: tuple[float, float]
    criteria: tuple[str, ...]
    weights: np.ndarray
    values: np.ndarray
    priorities: tuple[PriorityConsensus, ...]
    by_criterion: tuple[tuple[PriorityConsensus, ...], ...]

    @property
    def statuses(self) -> tuple[Status, ...]:
        return tuple(p.status for p in self.priorities)

    def named(self, status: Status) -> tuple[str, ...]:
        return tuple(p.priority for p in self.priorities if p.status is status)


class ScaleError(RankingInputError):
    """The criteria have no one common scale; ``index`` is the criterion at fault."""

    def __init__(self, index: int, message: str) -> None:
        super().__init__(message)
        self.index = index


def common_scale(criteria: Sequence[Criterion]) -> tuple[float, float]:
    """The one scale every criterion shares, or ScaleError naming the odd one."""
    first = criteria[0]
    for c, crit in enumerate(criteria):
        if not crit.has_scale:
            raise ScaleError(
                c, f"criterion {crit.name!r} has no scale (give its min and max): the consensus bands are on the scale"
            )
    for c, crit in enumerate(criteria):
        if (crit.scale_min, crit.scale_max) != (first.scale_min, first.scale_max):
            raise ScaleError(
                c,
                f"criterion {crit.name!r} is scored on {crit.scale_min:g}..{crit.scale_max:g} but {first.name!r} on "
                f"{first.scale_min:g}..{first.scale_max:g}: the consensus rule needs one common scale",
            )
    return float(first.scale_min), float(first.scale_max)  # type: ignore[arg-type]


def weighted_scores(score_set: ScoreSet, weights: np.ndarray | None = None) -> np.ndarray:
    """Participants × priorities: each participant's own weighted score on the common scale (NaN = "don't know")."""
    lo, hi = common_scale(score_set.criteria)
    w = score_set.weights if weights is None else np.asarray(weights, dtype=float)
    own = own_views(score_set, w)
    return lo + own * (hi - lo)


def consensus_report(
    score_set: ScoreSet, rule: ConsensusRule | None = None, *, weights: np.ndarray | None = None
) -> ConsensusReport:
    """The room's status on every priority under ``rule`` (default 70/15 on the thirds of the common scale)."""
    scale = common_scale(score_set.criteria)
    rule = rule or ConsensusRule.for_scale(*scale)
    ConsensusRule.for_scale(*scale, high_band=rule.high_band, low_band=rule.low_band)  # the bands lie on the scale
    w = score_set.weights if weights is None else normalize_weights(weights, score_set.criterion_names)
    values = weighted_scores(score_set, w)
    names = score_set.priority_names
    overall = tuple(assess(name, values[:, i], rule, scale) for i, name in enumerate(names))
    per_criterion = []
    for c in range(len(score_set.criteria)):
        alone = np.eye(len(score_set.criteria))[c]
        view = weighted_scores(score_set, alone)
        per_criterion.append(tuple(assess(name, view[:, i], rule, scale) for i, name in enumerate(names)))
    return ConsensusReport(
        rule=rule,
        scale=scale,
        criteria=score_set.criterion_names,
        weights=frozen_array(w),
        values=frozen_array(values),
        priorities=overall,
        by_criterion=tuple(per_criterion),
    )


# --------------------------------------------------------------------------- rule sensitivity


@dataclass(frozen=True)
class RuleVariant:
    """Another rule to compare with, by name."""

    label: str
    rule: ConsensusRule


@dataclass(frozen=True)
class StatusChange:
    priority: str
    before: Status
    after: Status


@dataclass(frozen=True)
class VariantOutcome:
    """The statuses under one other rule and the priorities whose status differs from the stated rule's."""

    variant: RuleVariant
    statuses: tuple[Status, ...]
    changes: tuple[StatusChange, ...]


def common_variants(rule: ConsensusRule) -> tuple[RuleVariant, ...]:
    """The other common rules on the same bands: 75%, 80%, and the stated shares with ≥ turned into >."""
    variants = []
    for share in (0.75, 0.80):
        if abs(share - rule.in_share) > TIE_TOLERANCE:
            variants.append(RuleVariant(f"{share:.0%} / {rule.against_share:.0%}", replace(rule, in_share=share)))
    if not rule.strict_in:
        label = f"{rule.in_share:.0%} / {rule.against_share:.0%} with > for ≥"
        variants.append(RuleVariant(label, replace(rule, strict_in=True)))
    return tuple(variants)


def rule_sensitivity(
    report: ConsensusReport, variants: Sequence[RuleVariant] | None = None
) -> tuple[VariantOutcome, ...]:
    """Which priorities change status under each of ``variants`` (default ``common_variants``)."""
    chosen = common_variants(report.rule) if variants is None else tuple(variants)
    outcomes = []
    for variant in chosen:
        statuses = tuple(variant.rule.status(p.share_high, p.share_low) for p in report.priorities)
        changes = tuple(
            StatusChange(p.priority, p.status, after)
            for p, after in zip(report.priorities, statuses, strict=True)
            if after is not p.status
        )
        outcomes.append(VariantOutcome(variant, statuses, changes))
    return tuple(outcomes)


__all__ = [
    "DEFAULT_AGAINST_SHARE",
    "DEFAULT_IN_SHARE",
    "Band",
    "ConsensusReport",
    "ConsensusRule",
    "PriorityConsensus",
    "RuleVariant",
    "ScaleError",
    "Status",
    "StatusChange",
    "VariantOutcome",
    "assess",
    "bottom_third",
    "common_scale",
    "common_variants",
    "consensus_report",
    "ipras",
    "rule_sensitivity",
    "top_third",
    "weighted_scores",
]
