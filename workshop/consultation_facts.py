"""The facts of a consultation round the board paper and the facilitator's coverage panel state: who it
was for, when it closed, whether each person answered a share of the list, and how far the answers
covered it (answers per priority, lowest and median, and the priorities below the minimum).

One function (``consultation_facts``) builds them and one (``coverage_words``) words the coverage, so
*Live control* and the board paper give the same numbers.  Pure: a round, its workshop and its
coverage in, frozen facts out."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from workshop.models import (
    DEFAULT_SHARE_MINIMUM,
    PriorityCoverage,
    Round,
    RoundCoverage,
    RoundState,
    ShareMode,
    Workshop,
    deadline_words,
)
from workshop.said import Said


def has_run(rnd: Round) -> bool:
    return rnd.state in (RoundState.OPEN, RoundState.CLOSED, RoundState.REVEALED)


def coverage_words(coverage: RoundCoverage) -> str:
    """ "Answers per priority: lowest 4, median 6; 3 of 32 below the minimum of 5." """
    answers = [p.answers for p in coverage.priorities]
    if not answers:
        return "No priorities."
    below = len(coverage.below)
    return (
        f"Answers per priority: lowest {min(answers):,}, median {median(answers):,g}; "
        f"{below} of {len(answers)} below the minimum of {coverage.minimum}."
    )


def said_coverage(found: Said) -> RoundCoverage:
    """A ballot's coverage from what it said: every respondent was given every priority, and a
    priority's answers are the views given on it (or, for a pick ballot, the people who picked it)."""
    minimum = found.round.share.minimum if found.round.share else DEFAULT_SHARE_MINIMUM
    rows = tuple(PriorityCoverage(r.priority_id, r.name, found.respondents, r.answers) for r in found.rows)
    return RoundCoverage(found.round.id, minimum, rows)


@dataclass(frozen=True)
class ConsultationFacts:
    round: Round
    audience: tuple[str, ...]  # the groups' names, in the workshop's order; empty: everyone
    coverage: RoundCoverage

    @property
    def audience_words(self) -> str:
        return "; ".join(self.audience) if self.audience else "Everyone"

    @property
    def closing_words(self) -> str:
        rnd = self.round
        if rnd.closes_at is None:
            return "No closing time: closed by the facilitator"
        if rnd.closed_at is not None and rnd.closed_at < rnd.closes_at:
            return f"{deadline_words(rnd.closes_at)} (closed early, {deadline_words(rnd.closed_at)})"
        return deadline_words(rnd.closes_at)

    @property
    def share_words(self) -> str:
        share = self.round.share
        if share is None:
            return "No: everyone was asked about every priority"
        if share.mode is ShareMode.THEMES:
            return "Yes: each person answered the themes they chose"
        return f"Yes: {share.size} priorities per person, balanced across the list"

    @property
    def below_words(self) -> str:
        return "; ".join(p.name for p in self.coverage.below) or "None"

    @property
    def pairs(self) -> tuple[tuple[str, str], ...]:
        """The facts as the board paper lists them."""
        return (
            ("Who it was for", self.audience_words),
            ("Closing time", self.closing_words),
            ("A share of the list", self.share_words),
            ("Coverage", coverage_words(self.coverage)),
            (f"Priorities below the minimum of {self.coverage.minimum}", self.below_words),
        )


def consultation_facts(rnd: Round, workshop: Workshop, coverage: RoundCoverage) -> ConsultationFacts:
    """The facts of one consultation round (the one place they are put together)."""
    names = tuple(g.name for g in workshop.groups if g.id in rnd.audience)
    return ConsultationFacts(rnd, names, coverage)
