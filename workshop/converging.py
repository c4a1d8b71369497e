"""A scoring round under the workshop's consensus rule, with the rule's sensitivity: the one reading the Results
page, the projector and the board paper all show (pure functions over ``ranking.consensus_rule``)."""

from __future__ import annotations

from dataclasses import dataclass

from ranking.consensus_rule import (
    ConsensusReport,
    ConsensusRule,
    PriorityConsensus,
    Status,
    VariantOutcome,
    consensus_report,
    rule_sensitivity,
)
from ranking.model import RankingInputError
from workshop.errors import InvalidInput
from workshop.models import ConsensusSettings, scale_problem
from workshop.results import ScoringResults

#: How every place names a status.
STATUS_WORDS = {Status.IN: "IN", Status.OUT: "OUT", Status.NONE: "no consensus"}
DISAGREEMENT_RULE = (
    "Disagreement (RAND/UCLA): IPR = P70 − P30 is above IPRAS = 2.35 + 1.5·|5 − (P30 + P70)/2| on a 1–9 scale; "
    "other scales are rescaled onto 1–9 and IPRAS expressed back in their own units."
)
WEIGHTED_NOTE = (
    "With several criteria the rule reads each participant's own weighted score of the priority, on the common "
    "scale; the working shows the rule on each criterion alone."
)


@dataclass(frozen=True, eq=False)
class ConsensusReading:
    """The round's ``report`` (statuses, shares, medians, disagreement; per criterion in its working) and
    ``sensitivity``: the statuses under the other common rules."""

    report: ConsensusReport
    sensitivity: tuple[VariantOutcome, ...]

    @property
    def rule(self) -> ConsensusRule:
        return self.report.rule

    @property
    def priorities(self) -> tuple[PriorityConsensus, ...]:
        return self.report.priorities

    @property
    def several_criteria(self) -> bool:
        return len(self.report.criteria) > 1

    def counts(self) -> dict[Status, int]:
        """How many priorities have each status."""
        return {s: sum(p.status is s for p in self.priorities) for s in Status}

    @property
    def summary(self) -> str:
        """One sentence: how many are in, out and undecided under the rule."""
        n = self.counts()
        return (
            f"{n[Status.IN]} IN, {n[Status.OUT]} OUT and {n[Status.NONE]} with no consensus "
            f"of {len(self.priorities)} priorities."
        )

    @property
    def changed(self) -> tuple[str, ...]:
        """The priorities whose status some other common rule changes, in the room's order."""
        moved = {c.priority for v in self.sensitivity for c in v.changes}
        return tuple(p.priority for p in self.priorities if p.priority in moved)


def consensus_reading(scoring: ScoringResults, settings: ConsensusSettings) -> ConsensusReading:
    """The round's answers under the workshop's rule (the room's weights), or InvalidInput saying why the rule
    cannot be applied (no common scale, bands off the scale)."""
    score_set = scoring.score_set
    problem = scale_problem(score_set.criteria)  # type: ignore[arg-type]  (a workshop's criteria all have scales)
    if problem is not None:
        raise InvalidInput(problem)
    scale = (float(score_set.criteria[0].scale_min), float(score_set.criteria[0].scale_max))  # type: ignore[arg-type]
    rule = settings.rule(scale)
    try:
        report = consensus_report(score_set, rule)
    except RankingInputError as exc:
        raise InvalidInput(f"The consensus rule cannot be applied: {exc}.") from None
    return ConsensusReading(report, rule_sensitivity(report))


__all__ = ["DISAGREEMENT_RULE", "STATUS_WORDS", "WEIGHTED_NOTE", "ConsensusReading", "consensus_reading"]
