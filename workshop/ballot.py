"""The young people's ballot: its one question, worded answers, privacy notice and texts to score.

A young people's ballot is a scoring round (``Round.young_ballot``) that asks one plain question
about each priority instead of scoring it on the workshop's criteria, or a ranking round that asks
them to pick their top few from a short list (``pick_question``; stored as any ranking, tallied by
Borda or the group-fair rule).  Its answers are stored in
``ballot_answers`` and read as a one-criterion score table (``BALLOT_CRITERION_ID``), so results,
disagreement and robustness are computed by the engine exactly as for any scoring round.

Children's data (the UK's age-appropriate design code): the ballot asks for no name, and the service
refuses one (``NAME_REFUSED``) for anyone joining while a ballot is open and any answer from a
participant who gave one; it keeps nothing beyond the chosen group and an optional age band
(``AGE_BANDS``, asked only while a ballot is open) and collects no free text, so its
exports and archive hold nothing that could identify a child.  ``PRIVACY_NOTICE`` says so before the
first question.
"""

from __future__ import annotations

from collections.abc import Sequence

from ranking.model import Direction
from workshop.models import Criterion, Priority, Round, RoundKind

BALLOT_QUESTION = "How important is this to you?"
#: The worded answers, for the values 1, 2, 3 (None is ``NOT_SURE``).
BALLOT_ANSWERS = ("Not important", "A bit important", "Very important")
NOT_SURE = "Not sure"
#: The id the ballot's one question has in a score table (no criterion row has id 0).
BALLOT_CRITERION_ID = 0
#: The optional age bands a ballot may ask for (nothing finer: a band, never a birth date).
AGE_BANDS = ("Under 11", "11 to 13", "14 to 15", "16 to 17", "18 to 25")
AGE_QUESTION = "How old are you? (You can skip this.)"
#: The refusals, in plain words.
NAME_REFUSED = "This is a young people's ballot: it does not ask for your name, so please leave the name empty."
AGE_REFUSED = "Only a young people's ballot asks for an age group."
#: "Pick your top three from these eight": a ballot on a ranking round (``pick_count`` of its list).
PICK_QUESTION = "Which matter most to you? Pick your top {n}, your favourite first."
#: The most priorities a pick ballot lists on its one phone screen.
PICK_LIST_MAX = 12
NAMED_ANSWER_REFUSED = (
    "This young people's ballot takes answers without names. Join again through its link, without a name."
)

PRIVACY_NOTICE = (
    "We will not ask for your name.",
    "We only keep the group you choose, your age group if you give it, and your answers.",
    "Nobody can tell which answers are yours.",
    'You can say "Not sure" or stop at any time.',
)


def ballot_refusal(kind: RoundKind, pick_count: int | None, listed: int) -> str | None:
    """Why a young people's ballot cannot be of this kind and size, in plain words (None: it can): a
    scoring round asks its one question of each priority; a ranking round asks them to pick their top
    ``pick_count`` from a short list (at most ``PICK_LIST_MAX``, fewer picks than priorities)."""
    if kind is RoundKind.SCORING:
        return None
    if kind is not RoundKind.RANKING:
        return "A young people's ballot is a scoring round (one question) or a ranking round (pick your top few)."
    if pick_count is None:
        return "A young people's ballot on a ranking round picks a top few: say how many to pick (for example 3 of 8)."
    if listed > PICK_LIST_MAX:
        return f"A young people's ballot lists at most {PICK_LIST_MAX} priorities to pick from; this one has {listed}."
    if pick_count >= listed:
        return f"A young people's ballot picks fewer than all its priorities: pick at most {listed - 1} of {listed}."
    return None


def pick_question(rnd: Round) -> str:
    """The pick ballot's one question ("Which matter most to you? Pick your top 3, …")."""
    return PICK_QUESTION.format(n=rnd.ranking_length)


def ballot_criterion() -> Criterion:
    """The ballot's one question as a criterion of the engine's kind: 1..3, more is more important."""
    return Criterion(
        id=BALLOT_CRITERION_ID,
        position=1,
        name=BALLOT_QUESTION,
        description="",
        direction=Direction.BENEFIT,
        scale_min=1,
        scale_max=len(BALLOT_ANSWERS),
        descriptors=BALLOT_ANSWERS,
        weight=1.0,
    )


def answer_words(value: float | None) -> str:
    """The worded answer for a stored value."""
    if value is None or value != value:  # None or NaN
        return NOT_SURE
    return BALLOT_ANSWERS[int(value) - 1]


def ballot_texts(rnd: Round, priorities: Sequence[Priority]) -> tuple[str, ...]:
    """Every piece of text a young person reads in this ballot, for the readability score: the round's
    title, the notice, the question and its answers once, and each priority's title and sentence."""
    covered = [p for p in priorities if p.id in rnd.priority_ids]
    titles = tuple(f"{p.ballot_title}." for p in covered)
    sentences = tuple(p.ballot_sentence for p in covered if p.ballot_sentence)
    if rnd.kind is RoundKind.RANKING:
        return (f"{rnd.title}.", *PRIVACY_NOTICE, pick_question(rnd), *titles, *sentences)
    answers = " ".join(f"{a}." for a in (*BALLOT_ANSWERS, NOT_SURE))
    return (f"{rnd.title}.", *PRIVACY_NOTICE, BALLOT_QUESTION, answers, *titles, *sentences)


def missing_plain_words(rnd: Round, priorities: Sequence[Priority]) -> tuple[str, ...]:
    """The round's priorities that have no plain-language title (the ballot shows their names)."""
    return tuple(p.name for p in priorities if p.id in rnd.priority_ids and not p.plain_title)
