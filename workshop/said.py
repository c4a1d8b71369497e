"""What a consultation round said (a young people's ballot, ``workshop.ballot``, or any round that
reached beyond the room, ``Round.is_consultation``: a closing time, an audience, a share of the list):
its ranking in plain words, answers per priority and by group, and the one evidence sentence shown on
each priority's card in later rounds, on the Results page and in the board paper ("Young people's
consultation: ranked 3rd of 32, 412 answers").  Pure: results in, frozen readings out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ranking.methods import RankingResult
from workshop.ballot import AGE_BANDS, BALLOT_QUESTION, pick_question
from workshop.models import Participant, Round, RoundKind, RoundState, Workshop
from workshop.results import RankingRoundResults, RoundResults, ScoringResults

#: What a young people's ballot is called in its evidence sentence and its heading.
CONSULTATION_LABEL = "Young people's consultation"
HEADING = "What young people said"
#: How a consultation on several criteria counts a priority's answers (the view and the board paper).
ANSWERS_ON_CRITERIA = (
    "A priority's answers are the fewest views given on any one criterion (“don't know” is not a view)."
)


def audience_words(rnd: Round, workshop: Workshop) -> str:
    """The round's stakeholder groups, in the workshop's order ("Partner agencies and Parents"); "" for
    everyone."""
    names = [g.name for g in workshop.groups if g.id in rnd.audience]
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


def consultation_heading(rnd: Round, workshop: Workshop) -> str:
    """The view's heading: "What young people said" for a ballot, "What Partner agencies said" for a
    consultation of some groups, else "What the consultation said"."""
    if rnd.young_ballot:
        return HEADING
    audience = audience_words(rnd, workshop)
    return f"What {audience} said" if audience else "What the consultation said"


def consultation_label(rnd: Round, workshop: Workshop) -> str:
    """How an evidence sentence names the consultation: "Young people's consultation" for a ballot,
    "Consultation of Partner agencies", or the round's title."""
    if rnd.young_ballot:
        return CONSULTATION_LABEL
    audience = audience_words(rnd, workshop)
    return f"Consultation of {audience}" if audience else rnd.title


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st…"""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@dataclass(frozen=True)
class SaidRow:
    priority_id: int
    name: str  # the priority's name, as the board knows it
    title: str  # what the ballot called it
    rank: int | None  # None: nobody gave a view on it
    answers: int  # answers that gave a view ("Not sure" is not one, as in the engine's response count)
    in_top: bool

    @property
    def rank_text(self) -> str:
        return "—" if self.rank is None else str(self.rank)


@dataclass(frozen=True)
class Said:
    """A consultation round's result in the words its readers use."""

    round: Round
    rows: tuple[SaidRow, ...]  # in the computed order, best first
    respondents: int  # people who answered at least one question
    by_group: tuple[tuple[str, int], ...]  # (group, respondents), in the workshop's group order
    top: int  # the shortlist's places among the round's priorities
    by_age: tuple[tuple[str, int], ...] = ()  # (age band, respondents) of those who gave one, youngest first
    heading: str = HEADING  # ``consultation_heading``
    label: str = CONSULTATION_LABEL  # ``consultation_label``
    audience: str = ""  # ``audience_words``: the groups it was for ("" for everyone)
    criteria: tuple[str, ...] = ()  # a scoring round's criteria, as asked (a ballot: its one question)

    @property
    def whom(self) -> str:
        """Who was asked, in a sentence's words: "young people", "people from Partner agencies", "people"."""
        if self.ballot:
            return "young people"
        return f"people from {self.audience}" if self.audience else "people"

    @property
    def people_label(self) -> str:
        """ "Young people who took part" for a ballot, else "People who took part"."""
        return "Young people who took part" if self.ballot else "People who took part"

    @property
    def ballot(self) -> bool:
        """A young people's ballot (one plain question, or pick your top few)."""
        return self.round.young_ballot

    @property
    def picks(self) -> bool:
        """A ranking round (a "pick your top few" ballot, or a consultation's ranking): a row's answers are
        the people who placed it in their ranking."""
        return self.round.kind is RoundKind.RANKING

    @property
    def question(self) -> str:
        """What was asked: the ballot's one question, or a round's criteria."""
        if self.ballot:
            return pick_question(self.round) if self.picks else BALLOT_QUESTION
        if self.picks:
            return f"Put the priorities in order, most important first (the top {self.round.ranking_length})."
        return "Score each priority on " + "; ".join(self.criteria) + "."

    @property
    def answers_label(self) -> str:
        """The heading of a row's count: "Picked by" (a ranking) or "Answers"."""
        return "Picked by" if self.picks else "Answers"

    @property
    def answers(self) -> int:
        return sum(r.answers for r in self.rows)

    def row(self, priority_id: int) -> SaidRow | None:
        return next((r for r in self.rows if r.priority_id == priority_id), None)

    @property
    def top_rows(self) -> tuple[SaidRow, ...]:
        """The top ``top``, with any tied at the cut (the engine's one tie rule)."""
        return tuple(r for r in self.rows if r.in_top)

    @property
    def top_words(self) -> str:
        """ "Their top 5", or "Their top 5 (7, with ties at the cut)"."""
        n = len(self.top_rows)
        return f"Their top {self.top}" + (f" ({n}, with ties at the cut)" if n > self.top else "")


def said(ranking: RankingResult, rnd: Round, workshop: Workshop, participants: Sequence[Participant] = ()) -> Said:
    """The round's ranking (the engine's, under the workshop's options) as ``Said``;
    ``participants`` are those who answered (none: the counts by group are left empty).  A priority's
    answers are the views given on it (the engine's response count; "don't know" and "Not sure" are
    none); on several criteria, the fewest given on any one of them."""
    by_name = {p.name: p for p in workshop.priorities}
    top = workshop.shortlist_places(len(ranking.names))
    in_top = set(ranking.top(top))
    counts = ranking.aggregate.counts.min(axis=1) if ranking.aggregate.counts.ndim == 2 else ranking.aggregate.counts
    rows = tuple(
        SaidRow(
            by_name[ranking.names[i]].id,
            ranking.names[i],
            by_name[ranking.names[i]].ballot_title,
            int(ranking.ranks[i]) if ranking.scored[i] else None,
            int(counts[i]),
            ranking.names[i] in in_top,
        )
        for i in ranking.order
    )
    criteria = () if rnd.young_ballot else tuple(c.name for c in workshop.criteria)
    return said_rows(rows, rnd, workshop, participants, top, criteria)


def said_rows(
    rows: tuple[SaidRow, ...],
    rnd: Round,
    workshop: Workshop,
    participants: Sequence[Participant],
    top: int,
    criteria: tuple[str, ...] = (),
) -> Said:
    """``Said`` from its rows, with who took part counted by group and by age band."""
    groups = Counter(p.group or "" for p in participants)
    order = [g.name for g in workshop.groups] + [""]
    by_group = tuple((g or "No group", groups[g]) for g in order if groups[g])
    ages = Counter(p.age_band for p in participants if p.age_band)
    by_age = tuple((band, ages[band]) for band in AGE_BANDS if ages[band])
    heading, label = consultation_heading(rnd, workshop), consultation_label(rnd, workshop)
    audience = audience_words(rnd, workshop)
    return Said(rnd, rows, len(participants), by_group, top, by_age, heading, label, audience, criteria)


def said_of_picks(results: RankingRoundResults, workshop: Workshop) -> Said:
    """A ranking round's tally (a pick ballot's, or a consultation's ranking: Borda or group-fair, as any
    ranking round) as ``Said``: a row's answers are how many placed it in their ranking; a priority
    nobody placed has no rank (it shares the last points)."""
    tally = results.tally
    picked = Counter(pid for order in results.orderings for pid in order)
    top = workshop.shortlist_places(len(tally.priorities))
    order = tally.order
    in_top = {i for i in order if tally.ranks[i] <= top}
    rows = tuple(
        SaidRow(
            p.id,
            p.name,
            p.ballot_title,
            int(tally.ranks[i]) if picked[p.id] else None,
            picked[p.id],
            i in in_top and picked[p.id] > 0,
        )
        for i in order
        for p in (tally.priorities[i],)
    )
    return said_rows(rows, results.round, workshop, results.participants, top)


def said_of(results: RoundResults, workshop: Workshop) -> Said:
    """What a consultation round said, from its results: a scoring round's ranking or a ranking
    round's tally (the one entry point for the Results page, the service and the board paper)."""
    if isinstance(results, RankingRoundResults):
        return said_of_picks(results, workshop)
    assert isinstance(results, ScoringResults)
    return said(results.ranking, results.round, workshop, results.participants)


def evidence_sentence(result: Said, priority_id: int) -> str | None:
    """The one sentence a later round's card and the board paper show for a priority
    ("Young people's consultation: ranked 3rd of 32, 412 answers"); None if it was not in the round."""
    row = result.row(priority_id)
    if row is None:
        return None
    if result.picks:
        picked = f"picked by {row.answers:,} of {result.respondents:,}"
        if row.rank is None:
            return f"{result.label}: not picked (by none of {result.respondents:,})"
        return f"{result.label}: ranked {ordinal(row.rank)} of {len(result.rows)}, {picked}"
    answers = f"{row.answers:,} answer" + ("" if row.answers == 1 else "s")
    if row.rank is None:
        return f"{result.label}: not ranked (no views given), {answers}"
    return f"{result.label}: ranked {ordinal(row.rank)} of {len(result.rows)}, {answers}"


def consultation_rounds(workshop: Workshop, before: Round | None = None) -> tuple[Round, ...]:
    """The workshop's consultation rounds (``Round.is_consultation``) of priorities that have run
    (closed or revealed), in order; with ``before``, only those numbered before it (the evidence a
    later round's cards show)."""
    return tuple(
        r
        for r in workshop.rounds
        if r.is_consultation
        and r.kind in (RoundKind.SCORING, RoundKind.RANKING)
        and r.state in (RoundState.CLOSED, RoundState.REVEALED)
        and (before is None or r.number < before.number)
    )
