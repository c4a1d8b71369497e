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


@dataclass(frozen=True)
class ConsensusRow:
    """One priority (or one priority on one criterion) as every place shows it; shares are fractions 0..1,
    None where nobody answered."""

    priority: str
    status: Status
    answers: int
    share_high: float | None
    share_low: float | None
    dont_know: float | None
    median: float | None
    ipr: float | None
    ipras: float | None
    disagreement: bool

    @property
    def status_words(self) -> str:
        return STATUS_WORDS[self.status]


@dataclass(frozen=True)
class SensitivityRow:
    """A priority whose status another common rule changes: its status under the stated rule and under each."""

    priority: str
    stated: Status
    under: tuple[Status, ...]  # one per ``ConsensusSummary.variants``


@dataclass(frozen=True)
class ConsensusSummary:
    """What the Results page, the projector and the board paper show of a round under the rule."""

    round_label: str
    rule: str  # the rule in one sentence
    weighted: bool  # several criteria: the rule reads each participant's weighted score
    rows: tuple[ConsensusRow, ...]  # the room's order
    variants: tuple[str, ...]  # the other common rules, by name
    changes: tuple[SensitivityRow, ...]  # only the priorities some other rule changes
    criteria: tuple[str, ...] = ()  # the working's criteria (several criteria only)
    by_criterion: tuple[tuple[ConsensusRow, ...], ...] = ()  # by_criterion[c][i]

    def count(self, status: Status) -> int:
        return sum(r.status is status for r in self.rows)

    @property
    def counts_words(self) -> str:
        return (
            f"{self.count(Status.IN)} IN, {self.count(Status.OUT)} OUT and {self.count(Status.NONE)} with no "
            f"consensus, of {len(self.rows)} priorities."
        )

    @property
    def sensitivity_words(self) -> str:
        """Which priorities the other rules move, in a sentence."""
        if not self.changes:
            return f"No priority changes status under the other common rules ({'; '.join(self.variants)})."
        names = "; ".join(c.priority for c in self.changes)
        return (
            f"{len(self.changes)} of {len(self.rows)} priorities change status under another common rule: {names}. "
            "The rule chosen changes the answer for these, so the discussion should look at them."
        )


def _number(value: float) -> float | None:
    return None if value != value else float(value)  # NaN (nobody answered) is None


def _row(p: PriorityConsensus) -> ConsensusRow:
    return ConsensusRow(
        p.priority,
        p.status,
        p.answers,
        _number(p.share_high),
        _number(p.share_low),
        _number(p.dont_know_share),
        _number(p.median),
        _number(p.ipr),
        _number(p.ipras),
        p.disagreement,
    )


def consensus_summary(reading: ConsensusReading, round_label: str) -> ConsensusSummary:
    """The reading as every place shows it (the one function the screen, the projector and the exports use)."""
    report = reading.report
    changes = tuple(
        SensitivityRow(p.priority, p.status, tuple(v.statuses[i] for v in reading.sensitivity))
        for i, p in enumerate(report.priorities)
        if any(v.statuses[i] is not p.status for v in reading.sensitivity)
    )
    several = reading.several_criteria
    return ConsensusSummary(
        round_label=round_label,
        rule=report.rule.words,
        weighted=several,
        rows=tuple(_row(p) for p in report.priorities),
        variants=tuple(v.variant.label for v in reading.sensitivity),
        changes=changes,
        criteria=report.criteria if several else (),
        by_criterion=tuple(tuple(_row(p) for p in c) for c in report.by_criterion) if several else (),
    )


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


__all__ = [
    "DISAGREEMENT_RULE",
    "STATUS_WORDS",
    "WEIGHTED_NOTE",
    "ConsensusReading",
    "ConsensusRow",
    "ConsensusSummary",
    "SensitivityRow",
    "consensus_reading",
    "consensus_summary",
]
