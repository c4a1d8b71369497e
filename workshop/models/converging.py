"""The settings of converging rounds a workshop stores: its consensus rule, its ballot rule and swing weights."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from ranking.consensus_rule import DEFAULT_AGAINST_SHARE, DEFAULT_IN_SHARE, Band, ConsensusRule
from ranking.model import RankingInputError
from workshop.errors import InvalidInput


class BallotRule(StrEnum):
    """How a ranking round's ballots are tallied (``ranking.ballots``, ``ranking.group_fair``)."""

    BORDA = "borda"  # every ballot pooled (the Borda count)
    GROUP_FAIR = "jla"  # each stakeholder group's tally re-scored by position, the groups added (JLA)

    @property
    def label(self) -> str:
        return BALLOT_RULE_LABELS[self]


BALLOT_RULE_LABELS = {
    BallotRule.BORDA: "Borda count of every ballot (pooled)",
    BallotRule.GROUP_FAIR: "Group-fair (James Lind Alliance): each stakeholder group counts the same",
}


@dataclass(frozen=True)
class ConsensusSettings:
    """A workshop's consensus rule as stored: the shares (fractions 0..1) and the bands, where a band of
    None is the engine's default on whatever the scale is (the top or bottom third, ``ranking.consensus_rule``)."""

    in_share: float = DEFAULT_IN_SHARE
    against_share: float = DEFAULT_AGAINST_SHARE
    high_band: Band | None = None
    low_band: Band | None = None

    @property
    def is_default(self) -> bool:
        return self == ConsensusSettings()

    def rule(self, scale: tuple[float, float]) -> ConsensusRule:
        """The engine's rule on ``scale``, or InvalidInput saying what does not fit it."""
        try:
            return ConsensusRule.for_scale(
                *scale,
                high_band=self.high_band,
                low_band=self.low_band,
                in_share=self.in_share,
                against_share=self.against_share,
            )
        except RankingInputError as exc:
            raise InvalidInput(f"The consensus rule does not work: {exc}.") from None


class _Scaled(Protocol):
    name: str
    scale_min: int
    scale_max: int


def scale_problem(criteria: Sequence[_Scaled]) -> str | None:
    """Why the consensus rule cannot be applied to these criteria, in a sentence naming the odd
    criterion, or None when they share one scale (``ranking.consensus_rule.common_scale``'s rule)."""
    if not criteria:
        return "The consensus rule needs criteria to score on."
    first = criteria[0]
    for c in criteria[1:]:
        if (c.scale_min, c.scale_max) != (first.scale_min, first.scale_max):
            return (
                f"The consensus rule needs one common scale: criterion '{c.name}' is scored "
                f"{c.scale_min:g}..{c.scale_max:g} but '{first.name}' {first.scale_min:g}..{first.scale_max:g}."
            )
    return None


def workshop_scale(criteria: Sequence[_Scaled]) -> tuple[float, float] | None:
    """The one scale every criterion shares, or None when they have none in common (or there are none)."""
    if scale_problem(criteria) is not None:
        return None
    return float(criteria[0].scale_min), float(criteria[0].scale_max)


def workshop_consensus(settings: object, scale: tuple[float, float] | None) -> ConsensusSettings:
    """``settings`` checked as a workshop stores them: the shares and bands make a rule, and on the
    workshop's common ``scale`` (when it has one) the bands lie on it.  InvalidInput says what is wrong."""
    if not isinstance(settings, ConsensusSettings):
        raise InvalidInput(f"The consensus rule must be ConsensusSettings, not {type(settings).__name__}.")
    try:
        if scale is not None:
            settings.rule(scale)
        else:  # no common scale yet: check the shares, and the bands' order when both are given
            both = settings.high_band is not None and settings.low_band is not None
            high = settings.high_band if both and settings.high_band else Band(1.0, 1.0)
            low = settings.low_band if both and settings.low_band else Band(0.0, 0.0)
            ConsensusRule(high, low, settings.in_share, settings.against_share)
    except RankingInputError as exc:
        raise InvalidInput(f"The consensus rule does not work: {exc}.") from None
    return ConsensusSettings(
        float(settings.in_share), float(settings.against_share), settings.high_band, settings.low_band
    )


def rule_words(settings: ConsensusSettings, scale: tuple[float, float] | None) -> str:
    """The stored rule in one sentence (for the audit log and where no scale is known)."""
    if scale is not None:
        return settings.rule(scale).words
    high = settings.high_band.label if settings.high_band else "the top third of the scale"
    low = settings.low_band.label if settings.low_band else "the bottom third"
    return (
        f"In: at least {settings.in_share:.0%} of the answers in {high} and fewer than "
        f"{settings.against_share:.0%} in {low}; out: the mirror image; otherwise no consensus."
    )


@dataclass(frozen=True)
class CriterionSwing:
    """One criterion's swing (0..100, the first given 100), listed in order of importance."""

    criterion_id: int
    swing: float


__all__ = [
    "BALLOT_RULE_LABELS",
    "BallotRule",
    "ConsensusSettings",
    "CriterionSwing",
    "rule_words",
    "scale_problem",
    "workshop_consensus",
    "workshop_scale",
]
