"""The archive's consistency checks: every reference, audit entry and time as the service could have written it."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from workshop.archive.model import (
    ACTORS,
    PARTICIPANT_ACTOR,
    ArchiveError,
)
from workshop.ballot import AGE_BANDS, BALLOT_ANSWERS, ballot_refusal
from workshop.joining import MAX_PARTICIPANT_CAP
from workshop.models import ALLOCATION_POINTS, MAX_NAME_LENGTH, CriterionSpec, RoundKind, RoundState, ShareMode

if TYPE_CHECKING:
    from workshop.archive.model import ArchivedRound, WorkshopArchive


def check_archive(archive: WorkshopArchive) -> None:
    """Raise ``ArchiveError`` naming the first item the service could not have written."""
    from workshop.archive.plan import check_plan  # the plan's module reads the model too
    from workshop.archive.review import check_review

    _check_references(archive)
    for p in archive.participants:
        if p.age_band is not None and (p.age_band not in AGE_BANDS or p.display_name is not None):
            bands = ", ".join(AGE_BANDS)
            raise ArchiveError(f"Participant {p.number}: an age group is one of {bands}, and never beside a name.")
    _check_audit(archive)
    _check_times(archive)
    check_plan(archive)
    check_review(archive)


def _numbered(numbers: Sequence[int], what: str) -> None:
    for expected, number in enumerate(numbers, start=1):
        if number != expected:
            raise ArchiveError(f"{what} must be numbered 1, 2, 3… in order; number {expected} is {number}.")


def _check_references(archive: WorkshopArchive) -> None:
    setup = archive.setup
    groups = {g.name for g in setup.groups}
    _numbered([p.number for p in archive.participants], "Participants")
    for p in archive.participants:
        if p.group is not None and p.group not in groups:
            raise ArchiveError(f"Participant {p.number}: the group '{p.group}' is not one of the workshop's groups.")
    _numbered([r.number for r in archive.rounds], "Rounds")
    open_rounds = [r.number for r in archive.rounds if r.state is RoundState.OPEN]
    if len(open_rounds) > 1:
        raise ArchiveError(f"Rounds {open_rounds[0]} and {open_rounds[1]} are both open; only one round can be.")
    started = [r.number for r in archive.rounds if r.state is not RoundState.DRAFT]
    if started and archive.setup_locked_at is None:
        raise ArchiveError(f"Round {started[0]} has been opened, so the setup must have a time it was locked.")
    for rnd in archive.rounds:
        _check_round(archive, rnd)
    rounds = {r.number for r in archive.rounds}
    priorities = {p.name for p in setup.priorities}
    for n, decision in enumerate(archive.decisions, start=1):
        where = f"Decision {n}"
        if decision.round is not None and decision.round not in rounds:
            raise ArchiveError(f"{where}: there is no round {decision.round}.")
        if not decision.decided_by.strip():
            raise ArchiveError(f"{where}: it does not say who decided.")
        if not decision.shortlist:
            raise ArchiveError(f"{where}: the shortlist is empty.")
        _known_once([c.priority for c in decision.shortlist], priorities, f"{where}, shortlist", "priority")
        _known_once([d.priority for d in decision.departures], priorities, f"{where}, departures", "priority")
        for departure in decision.departures:
            if departure.computed_rank is not None and departure.computed_rank < 1:
                raise ArchiveError(f"{where}: the computed rank of '{departure.priority}' must be 1 or more.")


def _known_once(names: Sequence[str], known: set[str], where: str, what: str) -> None:
    seen: set[str] = set()
    for name in names:
        if name not in known:
            raise ArchiveError(f"{where}: the {what} '{name}' is not in the workshop's setup.")
        if name in seen:
            raise ArchiveError(f"{where}: the {what} '{name}' appears twice.")
        seen.add(name)


def _check_round(archive: WorkshopArchive, rnd: ArchivedRound) -> None:
    where = f"Round {rnd.number}"
    if not rnd.title.strip() or len(rnd.title) > MAX_NAME_LENGTH:
        raise ArchiveError(f"{where}: the title must be 1 to {MAX_NAME_LENGTH} characters.")
    _known_once(rnd.priorities, {p.name for p in archive.setup.priorities}, where, "priority")
    if rnd.kind is RoundKind.WEIGHTING and (rnd.priorities or rnd.pick_count is not None):
        raise ArchiveError(f"{where}: a weighting round takes no priorities.")
    if rnd.pick_count is not None and (
        rnd.kind is not RoundKind.RANKING or not 1 <= rnd.pick_count <= len(rnd.priorities)
    ):
        raise ArchiveError(f"{where}: only a ranking round picks a top N, between 1 and its number of priorities.")
    stamps = {"opened_at": rnd.opened_at, "closed_at": rnd.closed_at, "revealed_at": rnd.revealed_at}
    needed = {
        RoundState.DRAFT: (),
        RoundState.OPEN: ("opened_at",),
        RoundState.CLOSED: ("opened_at", "closed_at"),
        RoundState.REVEALED: ("opened_at", "closed_at", "revealed_at"),
    }[rnd.state]
    missing = [name for name in needed if stamps[name] is None]
    if missing:
        raise ArchiveError(f"{where} is {rnd.state.value} but has no '{missing[0]}' time.")
    if rnd.state is RoundState.DRAFT and any(stamps.values()):
        raise ArchiveError(f"{where} is a draft but has been opened, closed or revealed.")
    answers = {RoundKind.SCORING: rnd.scores, RoundKind.WEIGHTING: rnd.allocations, RoundKind.RANKING: rnd.rankings}
    for kind, rows in answers.items():
        if rows and (kind is not rnd.kind or rnd.state is RoundState.DRAFT):
            raise ArchiveError(f"{where} is a {rnd.state.value} {rnd.kind.value} round but has {kind.value} answers.")
    participants = {p.number for p in archive.participants}
    covered = set(rnd.priorities)
    criteria = {c.name: c for c in archive.setup.criteria}

    def who(n: int, participant: int, row: str) -> str:
        if participant not in participants:
            raise ArchiveError(f"{where}, {row} {n}: there is no participant {participant}.")
        return f"{where}, {row} {n} (participant {participant})"

    def in_round(place: str, priority: str) -> None:
        if priority not in covered:
            raise ArchiveError(f"{place}: the priority '{priority}' is not part of the round.")

    def criterion(place: str, name: str) -> CriterionSpec:
        if name not in criteria:
            raise ArchiveError(f"{place}: the criterion '{name}' is not in the workshop's setup.")
        return criteria[name]

    cells: set[tuple[int, str, str]] = set()
    for n, score in enumerate(rnd.scores, start=1):
        cell = (score.participant, score.priority, score.criterion)
        scale = criteria.get(score.criterion)
        if (  # the usual case, without building the row's name (a 300-person round has 50,000 rows)
            scale is not None
            and score.participant in participants
            and score.priority in covered
            and (score.value is None or scale.scale_min <= score.value <= scale.scale_max)
            and cell not in cells
        ):
            cells.add(cell)
            continue
        place = who(n, score.participant, "score")
        in_round(place, score.priority)
        scale = criterion(place, score.criterion)
        if score.value is not None and not scale.scale_min <= score.value <= scale.scale_max:
            raise ArchiveError(
                f"{place}: {score.value:g} is off the scale of '{scale.name}' ({scale.scale_min}..{scale.scale_max})."
            )
        raise ArchiveError(f"{place}: a second score for '{score.priority}' on '{score.criterion}'.")
    spent: Counter[int] = Counter()
    given: set[tuple[int, str]] = set()
    for n, allocation in enumerate(rnd.allocations, start=1):
        place = who(n, allocation.participant, "allocation")
        criterion(place, allocation.criterion)
        if allocation.points < 0 or (allocation.participant, allocation.criterion) in given:
            raise ArchiveError(f"{place}: the points for '{allocation.criterion}' are negative or given twice.")
        given.add((allocation.participant, allocation.criterion))
        spent[allocation.participant] += allocation.points
        if spent[allocation.participant] > ALLOCATION_POINTS:
            raise ArchiveError(f"{place}: more than {ALLOCATION_POINTS} points in all.")
    for participant, points in spent.items():
        if points == 0:
            raise ArchiveError(
                f"{where}: participant {participant} gave no points at all (the service takes at least one)."
            )
    _check_consultation(archive, rnd, participants)
    length = rnd.pick_count or len(rnd.priorities)
    ranked: dict[int, set[object]] = defaultdict(set)
    for n, ranking in enumerate(rnd.rankings, start=1):
        place = who(n, ranking.participant, "ranking")
        in_round(place, ranking.priority)
        if not 1 <= ranking.position <= length:
            raise ArchiveError(f"{place}: position {ranking.position} is outside 1..{length}.")
        mine = ranked[ranking.participant]
        if ranking.priority in mine or ranking.position in mine:
            raise ArchiveError(f"{place}: '{ranking.priority}' or position {ranking.position} is ranked twice.")
        mine.update((ranking.priority, ranking.position))
    _check_ballot(archive, rnd, who, in_round)


def _check_ballot(
    archive: WorkshopArchive,
    rnd: ArchivedRound,
    who: Callable[[int, int, str], str],
    in_round: Callable[[str, str], None],
) -> None:
    """A ballot's answers: only in a young people's ballot (a scoring round that has run), each on
    the ballot's scale once per priority, and none from a named participant (``workshop.ballot``:
    the service never stores a name with a ballot answer, so an archive that does is not its own)."""
    where = f"Round {rnd.number}"
    refusal = ballot_refusal(rnd.kind, rnd.pick_count, len(rnd.priorities)) if rnd.young_ballot else None
    if refusal is not None:  # a scoring ballot, or a pick ballot the service could have made
        raise ArchiveError(f"{where}: {refusal}")
    if rnd.ballot and (not rnd.young_ballot or rnd.state is RoundState.DRAFT):
        raise ArchiveError(f"{where} is not a young people's ballot that has run, but has ballot answers.")
    if rnd.young_ballot and rnd.scores:
        raise ArchiveError(f"{where} is a young people's ballot but has scores on the criteria.")
    named = {p.number for p in archive.participants if p.display_name is not None}
    if rnd.young_ballot and any(r.participant in named for r in rnd.rankings):
        raise ArchiveError(f"{where}: a young people's ballot takes no names, but a participant who picked has one.")
    answered: set[tuple[int, str]] = set()
    for n, answer in enumerate(rnd.ballot, start=1):
        place = who(n, answer.participant, "ballot answer")
        in_round(place, answer.priority)
        if answer.participant in named:
            raise ArchiveError(f"{place}: a young people's ballot takes no names, but this participant has one.")
        if answer.value is not None and not 1 <= answer.value <= len(BALLOT_ANSWERS):
            raise ArchiveError(
                f"{place}: {answer.value} is not one of the ballot's answers (1..{len(BALLOT_ANSWERS)})."
            )
        if (answer.participant, answer.priority) in answered:
            raise ArchiveError(f"{place}: a second answer for '{answer.priority}'.")
        answered.add((answer.participant, answer.priority))


def _check_consultation(archive: WorkshopArchive, rnd: ArchivedRound, participants: set[int]) -> None:
    """A round's closing time, audience and shares: known groups, a share the service could have set
    (a scoring round; a balanced share no larger than the list), shares of known participants and of the
    round's own priorities, each given once."""
    where = f"Round {rnd.number}"
    _known_once(rnd.audience, {g.name for g in archive.setup.groups}, where, "stakeholder group")
    share = rnd.share
    if share is not None:
        if rnd.kind is not RoundKind.SCORING:
            raise ArchiveError(f"{where} is a {rnd.kind.value} round but gives each participant a share.")
        balanced = share.mode is ShareMode.BALANCED
        if balanced != (share.size is not None) or (balanced and not 1 <= (share.size or 0) <= len(rnd.priorities)):
            raise ArchiveError(f"{where}: a {share.mode.value} share of {share.size} priorities is not possible.")
        if share.minimum < 0:
            raise ArchiveError(f"{where}: the share's minimum number of answers is negative.")
    elif rnd.shares:
        raise ArchiveError(f"{where} gives no shares but has participants' shares.")
    covered, seen = set(rnd.priorities), set()
    for n, (who, priority) in enumerate(rnd.shares, start=1):
        if who not in participants or priority not in covered or (who, priority) in seen:
            raise ArchiveError(
                f"{where}, share {n}: participant {who} and '{priority}' are unknown, not in the round, or given twice."
            )
        seen.add((who, priority))


def _check_audit(archive: WorkshopArchive) -> None:
    """Audit entries as the service writes them: by the facilitator, the system or a participant (by number)."""
    numbers = {p.number for p in archive.participants}
    for n, entry in enumerate(archive.audit_log, start=1):
        where = f"Audit entry {n}"
        if entry.actor == PARTICIPANT_ACTOR:
            if entry.participant not in numbers:
                raise ArchiveError(f"{where}: there is no participant {entry.participant}.")
        elif entry.participant is not None:
            raise ArchiveError(f"{where}: only an entry by '{PARTICIPANT_ACTOR}' names a participant.")
        elif entry.actor.startswith(PARTICIPANT_ACTOR + ":"):
            raise ArchiveError(
                f"{where}: the actor '{entry.actor}' names a database id; "
                f"name participants by number ('actor': '{PARTICIPANT_ACTOR}', 'participant': N)."
            )
        elif entry.actor not in ACTORS:
            actors = ", ".join(f"'{a}'" for a in ACTORS)
            raise ArchiveError(f"{where}: the actor must be one of {actors}, not '{entry.actor[:40]}'.")
        if not entry.action.strip() or any(c in entry.action for c in "\t\n\r"):
            raise ArchiveError(f"{where}: the action must be one line of text, such as 'round opened'.")


def _stamp(moment: datetime) -> str:
    return moment.isoformat()


def _after(earlier: datetime | None, later: datetime | None, message: str) -> None:
    """Refuse ``later`` when it is before ``earlier``; ``message`` says so, given both times."""
    if earlier is not None and later is not None and later < earlier:
        raise ArchiveError(message.format(earlier=_stamp(earlier), later=_stamp(later)))


#: The order a round's times must be in, by its state: each stamp is the latest time the round
#: reached that state (a reopened round keeps the times it was closed and revealed before).
_ROUND_ORDER: dict[RoundState, tuple[tuple[str, str], ...]] = {
    RoundState.DRAFT: (),
    RoundState.OPEN: (("closed", "opened"), ("revealed", "opened")),
    RoundState.CLOSED: (("opened", "closed"), ("revealed", "closed")),
    RoundState.REVEALED: (("opened", "closed"), ("closed", "revealed")),
}


def _check_times(archive: WorkshopArchive) -> None:
    """Times in an order the service's clock could have written them: nothing before the workshop
    was created, no answer before its participant joined or its round was created, a round's
    times in the order of its states."""
    created = archive.created_at
    before_workshop = "{later}) is before the workshop was created ({earlier})."
    _after(created, archive.exported_at, "The archive's export time (" + before_workshop)
    _after(created, archive.setup_locked_at, "The time the setup was locked (" + before_workshop)
    cap = archive.participant_cap
    if cap is not None and not 1 <= cap <= MAX_PARTICIPANT_CAP:
        raise ArchiveError(f"The archive's participant cap {cap} is not between 1 and {MAX_PARTICIPANT_CAP:,}.")
    joined = {}
    for p in archive.participants:
        where = f"Participant {p.number}"
        _after(created, p.joined_at, f"{where}: the time they joined (" + before_workshop)
        _after(p.joined_at, p.last_seen, f"{where} was last seen ({{later}}) before they joined ({{earlier}}).")
        if p.removed_at is not None:
            _after(p.joined_at, p.removed_at, f"{where} was removed ({{later}}) before they joined ({{earlier}}).")
        joined[p.number] = p.joined_at
    made = {}
    for rnd in archive.rounds:
        where = f"Round {rnd.number}"
        _after(created, rnd.created_at, f"{where} was created (" + before_workshop)
        stamps = {"opened": rnd.opened_at, "closed": rnd.closed_at, "revealed": rnd.revealed_at}
        for name, stamp in stamps.items():
            _after(rnd.created_at, stamp, f"{where} was {name} ({{later}}) before it was created ({{earlier}}).")
        _after(rnd.created_at, rnd.closes_at, f"{where} closes ({{later}}) before it was created ({{earlier}}).")
        for first, then in _ROUND_ORDER[rnd.state]:
            _after(stamps[first], stamps[then], f"{where} was {then} ({{later}}) before it was {first} ({{earlier}}).")
        rows = (("score", rnd.scores), ("allocation", rnd.allocations), ("ranking", rnd.rankings))
        for row, answers in (*rows, ("ballot answer", rnd.ballot)):
            _answer_times(f"{where}, {row}", archive, rnd, joined, answers)
        made[rnd.number] = rnd.created_at
    dated = [
        (f"Decision {n} was recorded", x.decided_at, None if x.round is None else (made[x.round], f"round {x.round}"))
        for n, x in enumerate(archive.decisions, start=1)
    ] + [
        (
            f"Audit entry {n} is dated",
            e.at,
            None if e.participant is None else (joined[e.participant], f"participant {e.participant}"),
        )
        for n, e in enumerate(archive.audit_log, start=1)
    ]
    for what, moment, needed in dated:
        _after(created, moment, f"{what} ({{later}}) before the workshop was created ({{earlier}}).")
        if needed is not None:  # the round it was measured on was created, the participant joined
            since, who = needed
            done = "was created" if who.startswith("round") else "joined"
            _after(since, moment, f"{what} ({{later}}) before {who} {done} ({{earlier}}).")


def _answer_times(
    where: str, archive: WorkshopArchive, rnd: ArchivedRound, joined: dict[int, datetime], answers: Iterable[_Answer]
) -> None:
    """No answer dated before its workshop, its round or its participant (each needed to give it)."""
    for n, answer in enumerate(answers, start=1):
        earliest = max(rnd.created_at, joined[answer.participant])  # the round is no older than the workshop
        if answer.updated_at < earliest:
            place = f"{where} {n} (participant {answer.participant}): its time ({{later}}) is before"
            _after(archive.created_at, answer.updated_at, f"{place} the workshop was created ({{earlier}}).")
            _after(rnd.created_at, answer.updated_at, f"{place} the round was created ({{earlier}}).")
            _after(joined[answer.participant], answer.updated_at, f"{place} they joined ({{earlier}}).")


class _Answer(Protocol):
    @property
    def participant(self) -> int: ...

    @property
    def updated_at(self) -> datetime: ...
