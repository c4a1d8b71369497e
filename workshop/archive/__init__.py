"""The workshop archive: a whole workshop as one JSON document, to keep the
record after the event and to restore it into any Prioritise database.

Format ``prioritise-workshop``, version 4::

    {"format": "prioritise-workshop", "format_version": 4, "exported_at": T,
     "workshop": {"code", "created_at": T, "setup_locked_at": T | null},
     "setup": {"title", "organisation", "date": "YYYY-MM-DD" | null, "description",
               "shortlist_size", "weight_method",
               "ranking": {"method", "aggregation", "balance_groups": true | false},
               "robustness": {"sampling", "samples", "seed", "concentration",
                              "resamples", "bootstrap_seed"},
               "priorities": [{"name", "theme", "description", "evidence"}],
               "criteria": [{"name", "description", "direction", "scale_min", "scale_max",
                             "descriptors": [one per scale point], "weight"}],
               "groups": [{"name", "description"}]},
     "participants": [{"number", "display_name" | null, "group" | null, "joined_at": T, "last_seen": T}],
     "rounds": [{"number", "title", "kind", "state", "pick_count" | null, "priorities": [names],
                 "created_at": T, "opened_at", "closed_at", "revealed_at": T | null,
                 "scores": [[participant, priority, criterion, value | null, updated_at]],
                 "allocations": [[participant, criterion, points, updated_at]],
                 "rankings": [[participant, priority, position, updated_at]]}],
     "decisions": [{"decided_at": T, "decided_by", "round": number | null, "note",
                    "shortlist": [{"priority", "rationale"}],
                    "departures": [{"priority", "computed_rank" | null, "reason"}],
                    "measured": {"basis", "options": {"method", "normalization", "aggregation",
                                                      "balance_groups", "min_responses"} | null,
                                 "weights": [[criterion, weight]], "answers", "workshop_version",
                                 "priorities": [[priority, rank | null, score | null, answers]]} | null}],
     "audit_log": [{"at": T, "actor", "participant": number | null, "action", "detail"}]}

``T`` is an ISO 8601 time with its UTC offset.  ``ranking`` is how the
workshop's scoring rounds are ranked (``Workshop.ranking``: method
"weighted-sum", "topsis", "borda" or "copeland"; aggregation "mean" or
"median").  Version 1 had no ``ranking``: a version-1 archive imports with
the defaults every workshop was ranked with then (weighted sum of the mean,
not group-balanced).  ``robustness`` is the workshop's SMAA and bootstrap
settings (``Workshop.robustness``: sampling "uniform", "around" or
"participants"); versions 1 and 2 had none and import with the defaults of
``RobustnessOptions()`` (migration 3 gave existing workshops the same).
From version 4 a decision carries what it was
measured against (``workshop.decision.Measurement``: the basis round's
computed ranking when it was recorded, in the computed order; ``options``
null for a ranking round's Borda count); it is null for a decision recorded
before decisions kept their figures.  Importing checks every decision as the
service checks one it records (see ``restore``).  Priorities, criteria and
groups are named by name (unique within a workshop), participants and rounds
by number; the document holds no database id, so it means the same in any
database.  A score ``value`` of null is "don't know"; an unanswered cell has
no row.  An audit entry by a participant has ``"actor": "participant"`` and
the participant's number.

Deliberately left out: the facilitator key and its hash, participants'
tokens and their hashes, and the change counter.  An archive is a record
that gets passed around (board secretary, auditors, a records store), so it
carries no credential of any kind.  Consequences, by design:

* importing creates a new workshop with a **new join code and a new
  facilitator key**, shown once to whoever imports it (they hold the file
  and the server, so they are the one to hand the key on).  Any key or
  facilitator link that leaked during the event (a projected URL, a shared
  laptop's history) does not open the restored copy;
* imported participants **cannot resume**: their answers are kept, under
  their numbers, as the record, but no token opens their place again.  If a
  round is reopened after an import, people join again as new participants.

Importing appends one audit entry (actor ``system``, action ``workshop
imported``) naming the archive's original code and export time, so a
restored workshop says that it is one.  Apart from that entry, the code and
the export time, exporting an imported workshop gives back the same
document.

``loads`` checks the format name and version, every field's type and every
reference (a score naming an unknown priority, a participant in an unknown
group, two rounds numbered 2 …) and raises ``ArchiveError`` naming the item;
``WorkshopArchive`` checks the references itself, so nothing unchecked
reaches ``restore``, which the service runs in one transaction.
"""

from __future__ import annotations

import json
import math
import secrets
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from ranking.aggregate import Aggregation
from ranking.methods import Method, RankingOptions
from ranking.model import Direction
from ranking.normalize import Normalization
from ranking.ranks import min_ranks
from ranking.robustness import RobustnessOptions
from ranking.sensitivity import WeightSampling
from workshop.decision import (
    CheckedDecision,
    DepartureReason,
    MeasuredPriority,
    Measurement,
    check_reasons,
    departures,
    shortlist_places,
)
from workshop.errors import InvalidInput, NotFound
from workshop.models import (
    ALLOCATION_POINTS,
    MAX_NAME_LENGTH,
    MAX_TEXT_LENGTH,
    AllocationRecord,
    CriterionSpec,
    GroupSpec,
    PrioritySpec,
    RankingRecord,
    Round,
    RoundKind,
    RoundState,
    ScoreRecord,
    ShortlistEntry,
    Stamped,
    WeightMethod,
    WorkshopDetails,
    WorkshopSetup,
    plain_text,
)

if TYPE_CHECKING:
    from workshop.store import Transaction

FORMAT_NAME = "prioritise-workshop"
FORMAT_VERSION = 4
#: The first format version whose setup holds the workshop's ranking options.
RANKING_SINCE = 2
#: The first format version whose setup holds the workshop's robustness settings.
ROBUSTNESS_SINCE = 3
PARTICIPANT_ACTOR = "participant"
MAX_ACTOR_LENGTH = 40  # audit_log.actor
MAX_ACTION_LENGTH = 60  # audit_log.action


class ArchiveError(InvalidInput):
    """An archive that cannot be imported; the message names the item."""


# --------------------------------------------------------------------------- the archive


@dataclass(frozen=True)
class ArchivedParticipant:
    number: int
    display_name: str | None
    group: str | None
    joined_at: datetime
    last_seen: datetime


@dataclass(frozen=True)
class ArchivedScore:
    participant: int  # participant number
    priority: str
    criterion: str
    value: float | None  # None = "don't know"
    updated_at: datetime


@dataclass(frozen=True)
class ArchivedAllocation:
    participant: int
    criterion: str
    points: int
    updated_at: datetime


@dataclass(frozen=True)
class ArchivedRanking:
    participant: int
    priority: str
    position: int
    updated_at: datetime


@dataclass(frozen=True)
class ArchivedRound:
    number: int
    title: str
    kind: RoundKind
    state: RoundState
    pick_count: int | None
    priorities: tuple[str, ...]
    created_at: datetime
    opened_at: datetime | None
    closed_at: datetime | None
    revealed_at: datetime | None
    scores: tuple[ArchivedScore, ...]
    allocations: tuple[ArchivedAllocation, ...]
    rankings: tuple[ArchivedRanking, ...]


@dataclass(frozen=True)
class ArchivedChoice:
    priority: str
    rationale: str


@dataclass(frozen=True)
class ArchivedDeparture:
    priority: str
    computed_rank: int | None
    reason: str


@dataclass(frozen=True)
class ArchivedStanding:
    priority: str
    rank: int | None
    score: float | None
    answers: int


@dataclass(frozen=True)
class ArchivedMeasurement:
    """What a decision was measured against (``workshop.decision.Measurement``, priorities by name)."""

    basis: str
    options: RankingOptions | None
    weights: tuple[tuple[str, float], ...]
    answers: int
    workshop_version: int
    priorities: tuple[ArchivedStanding, ...]


@dataclass(frozen=True)
class ArchivedDecision:
    decided_at: datetime
    decided_by: str
    round: int | None  # round number
    note: str
    shortlist: tuple[ArchivedChoice, ...]
    departures: tuple[ArchivedDeparture, ...]
    measured: ArchivedMeasurement | None = None  # None in archives before format 4


@dataclass(frozen=True)
class ArchivedAuditEntry:
    at: datetime
    actor: str  # "facilitator", "system" or "participant" (then ``participant`` is their number)
    participant: int | None
    action: str
    detail: str


@dataclass(frozen=True)
class WorkshopArchive:
    """A whole workshop, without ids or credentials.  Construction checks
    every reference and raises ``ArchiveError`` naming the first bad item."""

    exported_at: datetime
    code: str  # the join code when exported; an import gets a new one
    created_at: datetime
    setup_locked_at: datetime | None
    setup: WorkshopSetup
    participants: tuple[ArchivedParticipant, ...]
    rounds: tuple[ArchivedRound, ...]
    decisions: tuple[ArchivedDecision, ...]
    audit_log: tuple[ArchivedAuditEntry, ...]

    def __post_init__(self) -> None:
        _check_references(self)


# --------------------------------------------------------------------------- reference checks


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
        place = who(n, score.participant, "score")
        in_round(place, score.priority)
        scale = criterion(place, score.criterion)
        if score.value is not None and not scale.scale_min <= score.value <= scale.scale_max:
            raise ArchiveError(
                f"{place}: {score.value:g} is off the scale of '{scale.name}' ({scale.scale_min}..{scale.scale_max})."
            )
        cell = (score.participant, score.priority, score.criterion)
        if cell in cells:
            raise ArchiveError(f"{place}: a second score for '{score.priority}' on '{score.criterion}'.")
        cells.add(cell)
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


# --------------------------------------------------------------------------- from and to the store


def read_archive(tx: Transaction, workshop_id: int, exported_at: datetime) -> WorkshopArchive:
    """The workshop as an archive (the caller has checked the facilitator key)."""
    workshop = tx.workshop(workshop_id)
    if workshop is None:
        raise NotFound("That workshop does not exist.")
    priority = {p.id: p.name for p in workshop.priorities}
    criterion = {c.id: c.name for c in workshop.criteria}
    people = tx.participants(workshop_id)
    number = {p.id: p.number for p in people}
    # Answers in setup order (participant, priority, criterion), not id order: ids
    # need not follow positions, and an imported copy must list them the same way.
    p_place = {p.id: n for n, p in enumerate(workshop.priorities)}
    c_place = {c.id: n for n, c in enumerate(workshop.criteria)}
    rounds = []
    for rnd in workshop.rounds:
        stamped_scores = sorted(
            tx.stamped_scores(rnd.id),
            key=lambda s: (
                number[s.record.participant_id],
                p_place[s.record.priority_id],
                c_place[s.record.criterion_id],
            ),
        )
        scores = tuple(
            ArchivedScore(
                number[s.record.participant_id],
                priority[s.record.priority_id],
                criterion[s.record.criterion_id],
                s.record.value,
                s.at,
            )
            for s in stamped_scores
        )
        stamped_allocations = sorted(
            tx.stamped_allocations(rnd.id),
            key=lambda a: (number[a.record.participant_id], c_place[a.record.criterion_id]),
        )
        allocations = tuple(
            ArchivedAllocation(number[a.record.participant_id], criterion[a.record.criterion_id], a.record.points, a.at)
            for a in stamped_allocations
        )
        stamped_rankings = sorted(
            tx.stamped_rankings(rnd.id), key=lambda r: (number[r.record.participant_id], r.record.position)
        )
        rankings = tuple(
            ArchivedRanking(number[r.record.participant_id], priority[r.record.priority_id], r.record.position, r.at)
            for r in stamped_rankings
        )
        rounds.append(
            ArchivedRound(
                rnd.number,
                rnd.title,
                rnd.kind,
                rnd.state,
                rnd.pick_count,
                tuple(priority[pid] for pid in rnd.priority_ids),
                rnd.created_at,
                rnd.opened_at,
                rnd.closed_at,
                rnd.revealed_at,
                scores,
                allocations,
                rankings,
            )
        )
    round_number = {r.id: r.number for r in workshop.rounds}
    decisions = tuple(
        ArchivedDecision(
            d.decided_at,
            d.decided_by,
            None if d.round_id is None else round_number[d.round_id],
            d.note,
            tuple(ArchivedChoice(e.name or priority[e.priority_id], e.rationale) for e in d.shortlist),
            tuple(
                ArchivedDeparture(x.name or priority[x.priority_id], x.computed_rank, x.reason) for x in d.departures
            ),
            _archived_measurement(d.measurement),
        )
        for d in tx.decisions(workshop_id)
    )
    audit = []
    for entry in tx.audit_entries(workshop_id):
        actor, _, pid = entry.actor.partition(":")
        if actor == PARTICIPANT_ACTOR and pid.isdigit() and int(pid) in number:
            audit.append(ArchivedAuditEntry(entry.at, actor, number[int(pid)], entry.action, entry.detail))
        else:
            audit.append(ArchivedAuditEntry(entry.at, entry.actor, None, entry.action, entry.detail))
    setup = WorkshopSetup(
        details=WorkshopDetails(workshop.title, workshop.organisation, workshop.date, workshop.description),
        priorities=tuple(PrioritySpec(p.name, p.theme, p.description, p.evidence) for p in workshop.priorities),
        criteria=tuple(
            CriterionSpec(c.name, c.description, c.direction, c.scale_min, c.scale_max, c.descriptors, c.weight)
            for c in workshop.criteria
        ),
        groups=tuple(GroupSpec(g.name, g.description) for g in workshop.groups),
        shortlist_size=workshop.shortlist_size,
        weight_method=workshop.weight_method,
        ranking=workshop.ranking,
        robustness=workshop.robustness,
    )
    return WorkshopArchive(
        exported_at=exported_at,
        code=workshop.code,
        created_at=workshop.created_at,
        setup_locked_at=tx.setup_locked_at(workshop_id),
        setup=setup,
        participants=tuple(
            ArchivedParticipant(p.number, p.display_name, p.group, p.joined_at, p.last_seen) for p in people
        ),
        rounds=tuple(rounds),
        decisions=decisions,
        audit_log=tuple(audit),
    )


def unusable_token_hash() -> str:
    """A token hash no token can match (``hash_token`` gives 64 hex digits):
    an imported participant's place, which nobody can resume."""
    return "imported:" + secrets.token_hex(24)


def restore(
    tx: Transaction,
    archive: WorkshopArchive,
    code: str,
    key_hash: str,
    measure: Callable[[Transaction, int, int | None], tuple[Round, Measurement]],
) -> int:
    """Write ``archive`` as a new workshop with this code and key hash; return its id.

    Each decision is checked as the service checks one it records
    (``workshop.decision``): against the ranking it was measured against
    (the archive's, from format 4; in older archives the basis round's
    ranking from the restored answers, computed by ``measure`` as the
    service does), its departures derived and compared with the archive's,
    each with its reason.  A forged or inconsistent decision is refused.

    Run it inside one write transaction: anything that fails rolls it all back."""
    setup = archive.setup
    wid = tx.insert_workshop(
        code,
        setup.details,
        setup.shortlist_size,
        setup.weight_method,
        key_hash,
        archive.created_at,
        setup.ranking,
        setup.robustness,
    )
    tx.save_priorities(wid, setup.priorities)
    tx.save_criteria(wid, setup.criteria)
    tx.save_groups(wid, setup.groups)
    if archive.setup_locked_at is not None:
        tx.lock_setup(wid, archive.setup_locked_at)
    priority = {p.name: p.id for p in tx.priorities(wid)}
    criterion = {c.name: c.id for c in tx.criteria(wid)}
    group = {g.name: g.id for g in tx.groups(wid)}
    person: dict[int, int] = {}
    for p in archive.participants:  # numbered 1, 2, 3… in order, as insert_participant numbers them
        pid = tx.insert_participant(
            wid, unusable_token_hash(), p.display_name, None if p.group is None else group[p.group], p.joined_at
        )
        tx.touch(pid, p.last_seen)
        person[p.number] = pid
    round_id: dict[int, int] = {}
    for rnd in archive.rounds:  # numbered 1, 2, 3… in order, as insert_round numbers them
        rid = tx.insert_round(
            wid, rnd.title, rnd.kind, [priority[name] for name in rnd.priorities], rnd.pick_count, rnd.created_at
        )
        round_id[rnd.number] = rid
        if rnd.state is not RoundState.DRAFT:
            tx.restore_round_state(rid, rnd.state, rnd.opened_at, rnd.closed_at, rnd.revealed_at)
        tx.upsert_scores(
            rid,
            [
                Stamped(
                    ScoreRecord(person[s.participant], priority[s.priority], criterion[s.criterion], s.value),
                    s.updated_at,
                )
                for s in rnd.scores
            ],
        )
        tx.insert_allocations(
            rid,
            [
                Stamped(AllocationRecord(person[a.participant], criterion[a.criterion], a.points), a.updated_at)
                for a in rnd.allocations
            ],
        )
        tx.insert_rankings(
            rid,
            [
                Stamped(RankingRecord(person[r.participant], priority[r.priority], r.position), r.updated_at)
                for r in rnd.rankings
            ],
        )
    for n, d in enumerate(archive.decisions, start=1):
        basis, now = measure(tx, wid, None if d.round is None else round_id[d.round])
        try:
            measured = now if d.measured is None else _measurement(d.measured, basis, priority)
            checked = _checked_decision(d, basis, measured, priority, setup.shortlist_size)
        except InvalidInput as exc:
            raise ArchiveError(f"Decision {n}: {exc.message}") from None
        tx.insert_decision(wid, checked, d.decided_at)
    for entry in archive.audit_log:
        actor = entry.actor if entry.participant is None else f"{PARTICIPANT_ACTOR}:{person[entry.participant]}"
        tx.audit(wid, entry.at, actor, entry.action, entry.detail)
    return wid


def _archived_measurement(m: Measurement | None) -> ArchivedMeasurement | None:
    if m is None:
        return None
    return ArchivedMeasurement(
        m.basis,
        m.options,
        m.weights,
        m.answers,
        m.workshop_version,
        tuple(ArchivedStanding(p.name, p.rank, p.score, p.answers) for p in m.priorities),
    )


def _measurement(archived: ArchivedMeasurement, basis: Round, priority: dict[str, int]) -> Measurement:
    """The archive's measurement with the restored ids, or InvalidInput when
    it could not have been computed from its own round: a priority not in
    the round or left out, or ranks that do not follow from its scores."""
    listed = [p.priority for p in archived.priorities]
    in_round = {pid for pid in basis.priority_ids}
    outside = [name for name in listed if priority[name] not in in_round] if set(listed) <= priority.keys() else None
    if outside is None or outside or len(set(listed)) != len(listed) or len(listed) != len(in_round):
        raise InvalidInput(f"the ranking it was measured against does not list the priorities of {basis.short_label}.")
    scores = np.array([np.nan if p.score is None else p.score for p in archived.priorities], dtype=float)
    expected = [None if math.isnan(x) else int(r) for x, r in zip(scores, min_ranks(scores), strict=True)]
    if [p.rank for p in archived.priorities] != expected:
        raise InvalidInput("the computed ranks it was measured against do not follow from their scores.")
    return Measurement(
        round_id=basis.id,
        round_label=basis.label,
        basis=archived.basis,
        options=archived.options,
        weights=archived.weights,
        answers=archived.answers,
        workshop_version=archived.workshop_version,
        priorities=tuple(
            MeasuredPriority(priority[p.priority], p.priority, p.rank, p.score, p.answers)
            for p in archived.priorities
        ),
    )


def _checked_decision(
    d: ArchivedDecision, basis: Round, measured: Measurement, priority: dict[str, int], size: int
) -> CheckedDecision:
    """The archived decision checked as the service checks one (``workshop.decision``), or InvalidInput."""
    names = {pid: name for name, pid in priority.items()}
    ids = [priority[c.priority] for c in d.shortlist]
    places = shortlist_places(size, basis)
    if len(ids) != places:
        raise InvalidInput(f"the shortlist has {len(ids)} priorities; it needs exactly {places}.")
    found = departures(measured, ids, names, places)
    archived = {x.priority: x for x in d.departures}
    derived = {x.name for x in found}
    for name in archived:
        if name not in derived:
            raise InvalidInput(
                f"'{name}' is listed as a departure, but there the shortlist agrees with the computed top {places}."
            )
    for departure in found:
        given = archived.get(departure.name)
        if given is None or not given.reason.strip():
            raise InvalidInput(f"'{departure.name}' is {departure.change} ({departure.rank_words}) with no reason.")
        if given.computed_rank != departure.computed_rank:
            raise InvalidInput(
                f"the departure '{departure.name}' gives computed rank {given.computed_rank}, "
                f"but the ranking it was measured against has it at {departure.rank_words}."
            )
    reasons = [DepartureReason(priority[x.priority], x.reason) for x in d.departures]
    return CheckedDecision(
        round_id=basis.id,
        decided_by=d.decided_by,
        note=d.note,
        shortlist=tuple(ShortlistEntry(priority[c.priority], c.rationale, c.priority) for c in d.shortlist),
        departures=check_reasons(found, reasons),
        measurement=measured,
    )


# --------------------------------------------------------------------------- to JSON


def _measured_document(m: ArchivedMeasurement | None) -> dict[str, object] | None:
    if m is None:
        return None
    o = m.options
    return {
        "basis": m.basis,
        "options": None
        if o is None
        else {
            "method": o.method.value,
            "normalization": None if o.normalization is None else o.normalization.value,
            "aggregation": o.aggregation.value,
            "balance_groups": o.balance_groups,
            "min_responses": o.min_responses,
        },
        "weights": [[name, weight] for name, weight in m.weights],
        "answers": m.answers,
        "workshop_version": m.workshop_version,
        "priorities": [[p.priority, p.rank, _num(p.score), p.answers] for p in m.priorities],
    }


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _num(value: float | None) -> float | int | None:
    """Whole numbers are written without ".0" (4, not 4.0); read back as floats."""
    return int(value) if value is not None and float(value).is_integer() else value


def _document(archive: WorkshopArchive) -> dict[str, object]:
    """The archive as JSON-ready values (the edge of the module: ``dumps`` writes it)."""
    setup = archive.setup
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "exported_at": _time(archive.exported_at),
        "workshop": {
            "code": archive.code,
            "created_at": _time(archive.created_at),
            "setup_locked_at": _time(archive.setup_locked_at),
        },
        "setup": {
            "title": setup.details.title,
            "organisation": setup.details.organisation,
            "date": None if setup.details.date is None else setup.details.date.isoformat(),
            "description": setup.details.description,
            "shortlist_size": setup.shortlist_size,
            "weight_method": setup.weight_method.value,
            "ranking": {
                "method": setup.ranking.method.value,
                "aggregation": setup.ranking.aggregation.value,
                "balance_groups": setup.ranking.balance_groups,
            },
            "robustness": {
                "sampling": setup.robustness.sampling.value,
                "samples": setup.robustness.samples,
                "seed": setup.robustness.seed,
                "concentration": _num(setup.robustness.concentration),
                "resamples": setup.robustness.resamples,
                "bootstrap_seed": setup.robustness.bootstrap_seed,
            },
            "priorities": [
                {"name": p.name, "theme": p.theme, "description": p.description, "evidence": p.evidence}
                for p in setup.priorities
            ],
            "criteria": [
                {
                    "name": c.name,
                    "description": c.description,
                    "direction": c.direction.value,
                    "scale_min": c.scale_min,
                    "scale_max": c.scale_max,
                    "descriptors": list(c.descriptors),
                    "weight": _num(c.weight),
                }
                for c in setup.criteria
            ],
            "groups": [{"name": g.name, "description": g.description} for g in setup.groups],
        },
        "participants": [
            {
                "number": p.number,
                "display_name": p.display_name,
                "group": p.group,
                "joined_at": _time(p.joined_at),
                "last_seen": _time(p.last_seen),
            }
            for p in archive.participants
        ],
        "rounds": [
            {
                "number": r.number,
                "title": r.title,
                "kind": r.kind.value,
                "state": r.state.value,
                "pick_count": r.pick_count,
                "priorities": list(r.priorities),
                "created_at": _time(r.created_at),
                "opened_at": _time(r.opened_at),
                "closed_at": _time(r.closed_at),
                "revealed_at": _time(r.revealed_at),
                "scores": [
                    [s.participant, s.priority, s.criterion, _num(s.value), _time(s.updated_at)] for s in r.scores
                ],
                "allocations": [[a.participant, a.criterion, a.points, _time(a.updated_at)] for a in r.allocations],
                "rankings": [[k.participant, k.priority, k.position, _time(k.updated_at)] for k in r.rankings],
            }
            for r in archive.rounds
        ],
        "decisions": [
            {
                "decided_at": _time(d.decided_at),
                "decided_by": d.decided_by,
                "round": d.round,
                "note": d.note,
                "shortlist": [{"priority": c.priority, "rationale": c.rationale} for c in d.shortlist],
                "departures": [
                    {"priority": x.priority, "computed_rank": x.computed_rank, "reason": x.reason} for x in d.departures
                ],
                "measured": _measured_document(d.measured),
            }
            for d in archive.decisions
        ],
        "audit_log": [
            {"at": _time(e.at), "actor": e.actor, "participant": e.participant, "action": e.action, "detail": e.detail}
            for e in archive.audit_log
        ],
    }


def _write(value: object, indent: str) -> str:
    """Indented JSON, except that a list of plain values stays on one line:
    one line per answer row, so a 300-person archive stays readable and small."""
    inner = indent + "  "
    if isinstance(value, dict) and value:
        items = [f"{inner}{json.dumps(k)}: {_write(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        return "[\n" + ",\n".join(inner + _write(v, inner) for v in value) + "\n" + indent + "]"
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def dumps(archive: WorkshopArchive) -> str:
    return _write(_document(archive), "") + "\n"


# --------------------------------------------------------------------------- from JSON

E = TypeVar("E", bound=StrEnum)


def _kind(value: object) -> str:
    if value is None:
        return "null"
    names = {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list", dict: "an object"}
    return names.get(type(value), type(value).__name__)


def _whole(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ArchiveError(f"{where} must be a whole number, not {_kind(value)}.")
    return value


def _text(value: object, where: str, limit: int | None) -> str:
    if not isinstance(value, str):
        raise ArchiveError(f"{where} must be text, not {_kind(value)}.")
    if limit is not None and len(value) > limit:
        raise ArchiveError(f"{where} is longer than {limit} characters.")
    try:
        plain_text(value, "text")  # the models' rule (PostgreSQL cannot store NUL); the value is kept as it is
    except InvalidInput:
        raise ArchiveError(f"{where} contains a control character.") from None
    return value


def _value(value: object, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ArchiveError(f"{where} must be a number or null, not {_kind(value)}.")
    return float(value)


def _time_of(value: object, where: str) -> datetime:
    text = _text(value, where, 40)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ArchiveError(f"{where} is not an ISO 8601 time: '{text}'.") from None
    if moment.tzinfo is None:
        raise ArchiveError(f"{where} has no UTC offset: '{text}'.")
    return moment


class _Object:
    """A JSON object being read, with where it is for messages."""

    def __init__(self, value: object, where: str) -> None:
        if not isinstance(value, dict):
            raise ArchiveError(f"{where} must be a JSON object, not {_kind(value)}.")
        self.value: dict[str, object] = value
        self.where = where

    def get(self, key: str) -> object:
        if key not in self.value:
            raise ArchiveError(f"{self.where}: '{key}' is missing.")
        return self.value[key]

    def has(self, key: str) -> bool:
        """True when ``key`` is there and not null."""
        return self.value.get(key) is not None

    def place(self, key: str) -> str:
        return f"{self.where}: '{key}'"

    def text(self, key: str, limit: int | None = MAX_TEXT_LENGTH) -> str:
        return _text(self.get(key), self.place(key), limit)

    def optional_text(self, key: str, limit: int = MAX_NAME_LENGTH) -> str | None:
        return self.text(key, limit) if self.has(key) else None

    def whole(self, key: str) -> int:
        return _whole(self.get(key), self.place(key))

    def optional_whole(self, key: str) -> int | None:
        return self.whole(key) if self.has(key) else None

    def number(self, key: str) -> float:
        value = _value(self.get(key), self.place(key))
        if value is None:
            raise ArchiveError(f"{self.place(key)} must be a number, not null.")
        return value

    def time(self, key: str) -> datetime:
        return _time_of(self.get(key), self.place(key))

    def flag(self, key: str) -> bool:
        value = self.get(key)
        if not isinstance(value, bool):
            raise ArchiveError(f"{self.place(key)} must be true or false, not {_kind(value)}.")
        return value

    def optional_time(self, key: str) -> datetime | None:
        return self.time(key) if self.has(key) else None

    def items(self, key: str) -> list[object]:
        value = self.get(key)
        if not isinstance(value, list):
            raise ArchiveError(f"{self.place(key)} must be a list, not {_kind(value)}.")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        return tuple(
            _text(v, f"{self.place(key)}, item {n}", MAX_TEXT_LENGTH) for n, v in enumerate(self.items(key), 1)
        )

    def objects(self, key: str, label: str) -> list[_Object]:
        return [_Object(item, f"{label} {n}") for n, item in enumerate(self.items(key), start=1)]

    def child(self, key: str, label: str) -> _Object:
        return _Object(self.get(key), label)

    def choice(self, key: str, options: type[E], what: str) -> E:
        value = self.text(key, 20)
        try:
            return options(value)
        except ValueError:
            names = ", ".join(f"'{m.value}'" for m in options)
            raise ArchiveError(f"{self.where}: the {what} must be one of {names}, not '{value}'.") from None


def _row(item: object, where: str, columns: str) -> list[object]:
    """An answer row: a list of as many items as ``columns`` names."""
    count = len(columns.split(", "))
    if not isinstance(item, list) or len(item) != count:
        raise ArchiveError(f"{where} must be a list of {count} items ({columns}).")
    return item


def _score(item: object, where: str) -> ArchivedScore:
    participant, priority, criterion, value, at = _row(item, where, "participant, priority, criterion, value, time")
    return ArchivedScore(
        _whole(participant, f"{where}: the participant"),
        _text(priority, f"{where}: the priority", MAX_NAME_LENGTH),
        _text(criterion, f"{where}: the criterion", MAX_NAME_LENGTH),
        _value(value, f"{where}: the value"),
        _time_of(at, f"{where}: the time"),
    )


def _allocation(item: object, where: str) -> ArchivedAllocation:
    participant, criterion, points, at = _row(item, where, "participant, criterion, points, time")
    return ArchivedAllocation(
        _whole(participant, f"{where}: the participant"),
        _text(criterion, f"{where}: the criterion", MAX_NAME_LENGTH),
        _whole(points, f"{where}: the points"),
        _time_of(at, f"{where}: the time"),
    )


def _ranking(item: object, where: str) -> ArchivedRanking:
    participant, priority, position, at = _row(item, where, "participant, priority, position, time")
    return ArchivedRanking(
        _whole(participant, f"{where}: the participant"),
        _text(priority, f"{where}: the priority", MAX_NAME_LENGTH),
        _whole(position, f"{where}: the position"),
        _time_of(at, f"{where}: the time"),
    )


@contextmanager
def _naming(where: str) -> Iterator[None]:
    """Turn a model's own InvalidInput into an ArchiveError saying where it is."""
    try:
        yield
    except ArchiveError:
        raise
    except InvalidInput as exc:
        detail = "; ".join(exc.problems) if exc.problems else exc.message
        raise ArchiveError(f"{where}: {detail}", exc.problems) from None


def _ranking_options(setup: _Object, version: int) -> RankingOptions:
    """The workshop's ranking options; the defaults for a version-1 archive, which had none."""
    if version < RANKING_SINCE:
        return RankingOptions()
    o = setup.child("ranking", f"{setup.where}: the ranking")
    return RankingOptions(
        o.choice("method", Method, "ranking method"),
        None,
        o.choice("aggregation", Aggregation, "aggregation"),
        o.flag("balance_groups"),
    )


def _robustness_options(setup: _Object, version: int) -> RobustnessOptions:
    """The workshop's robustness settings; the defaults for an archive from before version 3.
    Their bounds are checked by ``WorkshopSetup`` (named by ``_naming``)."""
    if version < ROBUSTNESS_SINCE:
        return RobustnessOptions()
    o = setup.child("robustness", f"{setup.where}: the robustness settings")
    return RobustnessOptions(
        o.choice("sampling", WeightSampling, "weight sampling"),
        o.whole("samples"),
        o.whole("seed"),
        o.number("concentration"),
        o.whole("resamples"),
        o.whole("bootstrap_seed"),
    )


def _setup(doc: _Object, version: int) -> WorkshopSetup:
    setup = doc.child("setup", "The setup")
    with _naming(setup.where):
        event_date = setup.optional_text("date", 10)
        try:
            when = None if event_date is None else date.fromisoformat(event_date)
        except ValueError:
            raise ArchiveError(f"The setup: 'date' must be a date like 2011-03-01, not '{event_date}'.") from None
        details = WorkshopDetails(setup.text("title"), setup.text("organisation"), when, setup.text("description"))
    priorities = []
    for o in setup.objects("priorities", "Priority"):
        with _naming(o.where):
            priorities.append(PrioritySpec(o.text("name"), o.text("theme"), o.text("description"), o.text("evidence")))
    criteria = []
    for o in setup.objects("criteria", "Criterion"):
        with _naming(o.where):
            criteria.append(
                CriterionSpec(
                    o.text("name"),
                    o.text("description"),
                    o.choice("direction", Direction, "direction"),
                    o.whole("scale_min"),
                    o.whole("scale_max"),
                    o.texts("descriptors"),
                    o.number("weight"),
                )
            )
    groups = []
    for o in setup.objects("groups", "Group"):
        with _naming(o.where):
            groups.append(GroupSpec(o.text("name"), o.text("description")))
    with _naming(setup.where):
        return WorkshopSetup(
            details,
            tuple(priorities),
            tuple(criteria),
            tuple(groups),
            setup.whole("shortlist_size"),
            setup.choice("weight_method", WeightMethod, "weight method"),
            ranking=_ranking_options(setup, version),
            robustness=_robustness_options(setup, version),
        )


def _round(o: _Object) -> ArchivedRound:
    w = o.where
    return ArchivedRound(
        number=o.whole("number"),
        title=o.text("title", MAX_NAME_LENGTH),
        kind=o.choice("kind", RoundKind, "round kind"),
        state=o.choice("state", RoundState, "round state"),
        pick_count=o.optional_whole("pick_count"),
        priorities=o.texts("priorities"),
        created_at=o.time("created_at"),
        opened_at=o.optional_time("opened_at"),
        closed_at=o.optional_time("closed_at"),
        revealed_at=o.optional_time("revealed_at"),
        scores=tuple(_score(r, f"{w}, score {n}") for n, r in enumerate(o.items("scores"), 1)),
        allocations=tuple(_allocation(r, f"{w}, allocation {n}") for n, r in enumerate(o.items("allocations"), 1)),
        rankings=tuple(_ranking(r, f"{w}, ranking {n}") for n, r in enumerate(o.items("rankings"), 1)),
    )


def _decision(o: _Object) -> ArchivedDecision:
    return ArchivedDecision(
        decided_at=o.time("decided_at"),
        decided_by=o.text("decided_by", MAX_NAME_LENGTH),
        round=o.optional_whole("round"),
        note=o.text("note"),
        shortlist=tuple(
            ArchivedChoice(c.text("priority", MAX_NAME_LENGTH), c.text("rationale"))
            for c in o.objects("shortlist", f"{o.where}, shortlist entry")
        ),
        departures=tuple(
            ArchivedDeparture(x.text("priority", MAX_NAME_LENGTH), x.optional_whole("computed_rank"), x.text("reason"))
            for x in o.objects("departures", f"{o.where}, departure")
        ),
        measured=_measured(o.child("measured", f"{o.where}: what it was measured against"))
        if o.has("measured")
        else None,
    )


def _measured(o: _Object) -> ArchivedMeasurement:
    options = None
    if o.has("options"):
        x = o.child("options", f"{o.where}: the ranking options")
        options = RankingOptions(
            x.choice("method", Method, "ranking method"),
            x.choice("normalization", Normalization, "normalisation"),
            x.choice("aggregation", Aggregation, "aggregation"),
            x.flag("balance_groups"),
            x.whole("min_responses"),
        )
    weights = []
    for n, item in enumerate(o.items("weights"), start=1):
        where = f"{o.where}, weight {n}"
        name, weight = _row(item, where, "criterion, weight")
        weights.append((_text(name, where, MAX_NAME_LENGTH), _number(weight, where)))
    priorities = []
    for n, item in enumerate(o.items("priorities"), start=1):
        where = f"{o.where}, priority {n}"
        name, rank, score, answers = _row(item, where, "priority, rank, score, answers")
        priorities.append(
            ArchivedStanding(
                _text(name, where, MAX_NAME_LENGTH),
                None if rank is None else _whole(rank, where),
                _value(score, where),
                _whole(answers, where),
            )
        )
    return ArchivedMeasurement(
        basis=o.text("basis", MAX_NAME_LENGTH),
        options=options,
        weights=tuple(weights),
        answers=o.whole("answers"),
        workshop_version=o.whole("workshop_version"),
        priorities=tuple(priorities),
    )


def _number(value: object, where: str) -> float:
    found = _value(value, where)
    if found is None:
        raise ArchiveError(f"{where} must be a number, not null.")
    return found


def _check_format(doc: _Object) -> int:
    """The archive's format version, if this Prioritise reads it."""
    name = doc.value.get("format")
    if name != FORMAT_NAME:
        shown = "" if name is None else f" (its format is {json.dumps(name, ensure_ascii=False)[:60]})"
        raise ArchiveError(f"This is not a Prioritise workshop archive{shown}.")
    if "format_version" not in doc.value:
        raise ArchiveError("The archive does not say its format version.")
    version = doc.value["format_version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ArchiveError(f"The archive's format version {json.dumps(version)[:20]} is not one Prioritise writes.")
    if version > FORMAT_VERSION:
        raise ArchiveError(
            f"The archive is format version {version}; this Prioritise reads version {FORMAT_VERSION}. "
            "Import it with a newer Prioritise."
        )
    return version


def _reject_constant(name: str) -> float:
    raise ArchiveError(f"The archive contains {name}, which is not a number JSON allows.")


def loads(data: bytes | str) -> WorkshopArchive:
    """Read and check an archive; raise ``ArchiveError`` naming the first problem."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ArchiveError(f"The archive is not UTF-8 text (byte {exc.start}).") from None
    try:
        raw = json.loads(data, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise ArchiveError(
            f"The archive is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."
        ) from None
    except RecursionError:
        raise ArchiveError("The archive is nested too deeply to be a Prioritise archive.") from None
    if not isinstance(raw, dict):
        raise ArchiveError(f"This is not a Prioritise workshop archive (it is {_kind(raw)}, not an object).")
    doc = _Object(raw, "The archive")
    version = _check_format(doc)
    workshop = doc.child("workshop", "The archive's workshop")
    participants = tuple(
        ArchivedParticipant(
            number=o.whole("number"),
            display_name=o.optional_text("display_name"),
            group=o.optional_text("group"),
            joined_at=o.time("joined_at"),
            last_seen=o.time("last_seen"),
        )
        for o in doc.objects("participants", "Participant")
    )
    audit = tuple(
        ArchivedAuditEntry(
            at=o.time("at"),
            actor=o.text("actor", MAX_ACTOR_LENGTH),
            participant=o.optional_whole("participant"),
            action=o.text("action", MAX_ACTION_LENGTH),
            detail=o.text("detail", limit=None),
        )
        for o in doc.objects("audit_log", "Audit entry")
    )
    return WorkshopArchive(
        exported_at=doc.time("exported_at"),
        code=workshop.text("code", 20),
        created_at=workshop.time("created_at"),
        setup_locked_at=workshop.optional_time("setup_locked_at"),
        setup=_setup(doc, version),
        participants=participants,
        rounds=tuple(_round(o) for o in doc.objects("rounds", "Round")),
        decisions=tuple(_decision(o) for o in doc.objects("decisions", "Decision")),
        audit_log=audit,
    )
