"""Which text participants read, and how easy it is: the Flesch reading ease the setup shows
(``ranking.readability``), aiming at 60 for the ordinary rounds and 70 for a young people's ballot."""

from __future__ import annotations

from dataclasses import dataclass

from ranking.readability import YOUNG_PEOPLE_TARGET, Readability, readability
from workshop.ballot import ballot_texts
from workshop.models import Round, RoundKind, RoundState, Workshop


@dataclass(frozen=True)
class ScoredText:
    """One body of participant-facing text, scored as a whole."""

    label: str
    reading: Readability


def general_texts(workshop: Workshop) -> tuple[str, ...]:
    """What a participant of an ordinary round reads: the workshop's description, each priority's name
    and description, each criterion's name, description and scale descriptors."""
    texts = [workshop.description]
    for p in workshop.priorities:
        texts += [f"{p.name}.", p.description]
    for c in workshop.criteria:
        texts += [f"{c.name}.", c.description, *(f"{d}." for d in c.descriptors if d)]
    return tuple(t for t in texts if t.strip())


def _whole_list_ballot(workshop: Workshop) -> Round:
    """A ballot on every priority, to score the plain words before any ballot round is added."""
    ids = tuple(p.id for p in workshop.priorities)
    now = workshop.created_at
    kind, draft = RoundKind.SCORING, RoundState.DRAFT
    return Round(0, workshop.id, 0, "Your say", kind, draft, ids, None, now, None, None, None, young_ballot=True)


def setup_readability(workshop: Workshop) -> tuple[ScoredText, ...]:
    """The ordinary rounds' text (aim 60) and each young people's ballot's (aim 70); before any ballot
    is added, the plain-language titles and sentences as a ballot on the whole list would show them."""
    scored = [ScoredText("The workshop, its priorities and criteria", readability(general_texts(workshop)))]
    ballots = [r for r in workshop.rounds if r.young_ballot] or (
        [_whole_list_ballot(workshop)] if any(p.plain_title or p.plain_sentence for p in workshop.priorities) else []
    )
    for rnd in ballots:
        label = f"Young people's ballot: {rnd.label}" if rnd.number else "A young people's ballot on the whole list"
        scored.append(ScoredText(label, readability(ballot_texts(rnd, workshop.priorities), YOUNG_PEOPLE_TARGET)))
    return tuple(scored)
