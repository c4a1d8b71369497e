"""The facts of a consultation round the board paper and the facilitator's coverage panel state: who it
was for, when it closed, whether each person answered a share of the list, and how far the answers
covered it (answers per priority, lowest and median, and the priorities below the minimum).

One function (``consultation_facts``) builds them from the coverage ``WorkshopService.coverage``
computes, and one (``coverage_words``) words the coverage, so *Live control* and the board paper give
the same numbers.  Pure: a round, its workshop and its coverage in, frozen facts out."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from workshop.models import (
    Round,
    RoundCoverage,
    RoundKind,
    RoundState,
    ShareMode,
    Workshop,
    deadline_words,
)


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


def answers_meaning(rnd: Round) -> str:
    """What a coverage table's "Answers" counts for this kind of round (``WorkshopService.coverage``),
    under the table on *Live control* and in the board paper."""
    if rnd.kind is RoundKind.RANKING:
        cast = "ballots" if rnd.young_ballot else "rankings"
        return f"Answers: the {cast} cast; each answers every priority listed (not picking one is an answer too)."
    if rnd.young_ballot:
        return "Answers: the views given on the priority (“Not sure” is not counted, as in the ranking)."
    return "Answers: the fewest views given on the priority on any one criterion (“don't know” is not counted)."


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
