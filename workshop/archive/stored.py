"""The archive on the store's side: ``read_archive`` reads a workshop, ``restore`` writes one as a new workshop."""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np

from ranking.ranks import min_ranks
from workshop.archive.model import (
    PARTICIPANT_ACTOR,
    ArchivedAllocation,
    ArchivedAuditEntry,
    ArchivedBallotAnswer,
    ArchivedChoice,
    ArchivedDecision,
    ArchivedDeparture,
    ArchivedMeasurement,
    ArchivedParticipant,
    ArchivedRanking,
    ArchivedRound,
    ArchivedScore,
    ArchivedStanding,
    ArchiveError,
    WorkshopArchive,
)
from workshop.archive.plan import read_plan, restore_plan
from workshop.archive.review import read_review, restore_review
from workshop.decision import (
    CheckedDecision,
    DepartureReason,
    MeasuredPriority,
    Measurement,
    check_reasons,
    departures,
    shortlist_places,
)
from workshop.errors import InvalidInput, NoResultsYet, NotFound
from workshop.models import (
    AllocationRecord,
    BallotRecord,
    CriterionSpec,
    GroupSpec,
    PrioritySpec,
    RankingRecord,
    Round,
    RoundState,
    ScoreRecord,
    ShortlistEntry,
    Stamped,
    WorkshopDetails,
    WorkshopSetup,
)

if TYPE_CHECKING:
    from workshop.store import Transaction


#: The settings a workshop and its setup both hold, by the same names (an archive carries them all).
_SETTINGS = ("shortlist_size", "weight_method", "ranking", "robustness", "consensus", "ballot_rule")
#: What a decision's measurement and its archived copy both hold, by the same names.
_MEASURED = ("basis", "options", "weights", "answers", "workshop_version")


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
            tx.stamped(ScoreRecord, rnd.id),
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
                s.record.reason,
            )
            for s in stamped_scores
        )
        stamped_allocations = sorted(
            tx.stamped(AllocationRecord, rnd.id),
            key=lambda a: (number[a.record.participant_id], c_place[a.record.criterion_id]),
        )
        allocations = tuple(
            ArchivedAllocation(number[a.record.participant_id], criterion[a.record.criterion_id], a.record.points, a.at)
            for a in stamped_allocations
        )
        stamped_rankings = sorted(
            tx.stamped(RankingRecord, rnd.id), key=lambda r: (number[r.record.participant_id], r.record.position)
        )
        rankings = tuple(
            ArchivedRanking(number[r.record.participant_id], priority[r.record.priority_id], r.record.position, r.at)
            for r in stamped_rankings
        )
        ballot = tuple(
            ArchivedBallotAnswer(number[b.record.participant_id], priority[b.record.priority_id], b.record.value, b.at)
            for b in sorted(
                tx.stamped(BallotRecord, rnd.id),
                key=lambda b: (number[b.record.participant_id], p_place[b.record.priority_id]),
            )
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
                rnd.feedback,
                closes_at=rnd.closes_at,
                audience=tuple(g.name for g in workshop.groups if g.id in rnd.audience),
                share=rnd.share,
                shares=tuple(
                    (number[who], priority[pid])
                    for who, pids in sorted(tx.shares(rnd.id), key=lambda s: number[s[0]])
                    for pid in sorted(pids, key=p_place.__getitem__)
                ),
                young_ballot=rnd.young_ballot,
                ballot=ballot,
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
        priorities=tuple(
            PrioritySpec(p.name, p.theme, p.description, p.evidence, p.plain_title, p.plain_sentence)
            for p in workshop.priorities
        ),
        criteria=tuple(
            CriterionSpec(
                c.name, c.description, c.direction, c.scale_min, c.scale_max, c.descriptors, c.weight, c.swing
            )
            for c in workshop.criteria
        ),
        groups=tuple(GroupSpec(g.name, g.description) for g in workshop.groups),
        **{name: getattr(workshop, name) for name in _SETTINGS},
    )
    return WorkshopArchive(
        exported_at=exported_at,
        code=workshop.code,
        created_at=workshop.created_at,
        setup_locked_at=tx.setup_locked_at(workshop_id),
        setup=setup,
        participants=tuple(
            ArchivedParticipant(p.number, p.display_name, p.group, p.joined_at, p.last_seen, p.removed_at, p.age_band)
            for p in people
        ),
        rounds=tuple(rounds),
        decisions=decisions,
        audit_log=tuple(audit),
        participant_cap=workshop.participant_cap,
        plan=read_plan(tx, workshop_id),
        review=read_review(tx, workshop_id),
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
    wid = tx.insert_workshop(code, archive.setup, key_hash, archive.created_at)
    if archive.setup_locked_at is not None:
        tx.lock_setup(wid, archive.setup_locked_at)
    priority = {p.name: p.id for p in tx.priorities(wid)}
    criterion = {c.name: c.id for c in tx.criteria(wid)}
    group = {g.name: g.id for g in tx.groups(wid)}
    person: dict[int, int] = {}
    for p in archive.participants:  # numbered 1, 2, 3… in order, as insert_participant numbers them
        group_id = None if p.group is None else group[p.group]
        pid = tx.insert_participant(wid, unusable_token_hash(), p.display_name, group_id, p.joined_at, p.age_band)
        tx.touch(pid, p.last_seen)
        if p.removed_at is not None:  # before any answer is restored, so nothing is dropped
            tx.remove_participant(pid, p.removed_at, keep_answers=True)
        person[p.number] = pid
    if archive.participant_cap is not None:
        tx.set_participant_cap(wid, archive.participant_cap)
    round_id: dict[int, int] = {}
    for rnd in archive.rounds:  # numbered 1, 2, 3… in order, as insert_round numbers them
        ids = [priority[name] for name in rnd.priorities]
        rid = tx.insert_round(
            wid, rnd.title, rnd.kind, ids, rnd.pick_count, rnd.created_at, rnd.feedback, rnd.young_ballot
        )
        round_id[rnd.number] = rid
        if rnd.state is not RoundState.DRAFT:
            tx.restore_round_state(rid, rnd.state, rnd.opened_at, rnd.closed_at, rnd.revealed_at)
        if rnd.closes_at is not None or rnd.share is not None:
            tx.set_closing_time(rid, rnd.closes_at)
            tx.set_share(rid, rnd.share)
        tx.set_audience(rid, [group[name] for name in rnd.audience])
        given: dict[int, list[int]] = {}
        for who, name in rnd.shares:
            given.setdefault(person[who], []).append(priority[name])
        tx.insert_shares(rid, list(given.items()))
        tx.upsert_scores(
            rid,
            [
                Stamped(
                    ScoreRecord(person[s.participant], priority[s.priority], criterion[s.criterion], s.value, s.reason),
                    s.updated_at,
                )
                for s in rnd.scores
            ],
        )
        for record, rows, fields in (  # each kind of answer: its record's fields, by the restored ids
            (AllocationRecord, rnd.allocations, lambda a: (person[a.participant], criterion[a.criterion], a.points)),
            (RankingRecord, rnd.rankings, lambda r: (person[r.participant], priority[r.priority], r.position)),
            (BallotRecord, rnd.ballot, lambda b: (person[b.participant], priority[b.priority], b.value)),
        ):
            tx.insert_stamped(record, rid, [Stamped(record(*fields(row)), row.updated_at) for row in rows])
    for n, d in enumerate(archive.decisions, start=1):
        try:
            basis, now = measure(tx, wid, None if d.round is None else round_id[d.round])
            measured = now if d.measured is None else _measurement(d.measured, basis, priority)
            checked = _checked_decision(d, basis, measured, priority, archive.setup.shortlist_size)
        except (InvalidInput, NoResultsYet) as exc:  # e.g. measured against a round nobody answered
            raise ArchiveError(f"Decision {n}: {exc.message}") from None
        tx.insert_decision(wid, checked, d.decided_at)
    restore_plan(tx, wid, archive.plan)
    restore_review(tx, wid, archive.review)
    for entry in archive.audit_log:
        actor = entry.actor if entry.participant is None else f"{PARTICIPANT_ACTOR}:{person[entry.participant]}"
        tx.audit(wid, entry.at, actor, entry.action, entry.detail)
    return wid


def _archived_measurement(m: Measurement | None) -> ArchivedMeasurement | None:
    if m is None:
        return None
    return ArchivedMeasurement(
        **{name: getattr(m, name) for name in _MEASURED},
        priorities=tuple(ArchivedStanding(p.name, p.rank, p.score, p.answers) for p in m.priorities),
    )


def _measurement(archived: ArchivedMeasurement, basis: Round, priority: dict[str, int]) -> Measurement:
    """The archive's measurement with the restored ids, or InvalidInput when
    it could not have been computed from its own round: a priority not in
    the round or left out, or ranks that do not follow from its scores."""
    if sorted(priority.get(p.priority, -1) for p in archived.priorities) != sorted(basis.priority_ids):
        raise InvalidInput(f"the ranking it was measured against does not list the priorities of {basis.short_label}.")
    scores = np.array([np.nan if p.score is None else p.score for p in archived.priorities], dtype=float)
    expected = [None if math.isnan(x) else int(r) for x, r in zip(scores, min_ranks(scores), strict=True)]
    if [p.rank for p in archived.priorities] != expected:
        raise InvalidInput("the computed ranks it was measured against do not follow from their scores.")
    return Measurement(
        round_id=basis.id,
        round_label=basis.label,
        **{name: getattr(archived, name) for name in _MEASURED},
        priorities=tuple(
            MeasuredPriority(priority[p.priority], p.priority, p.rank, p.score, p.answers) for p in archived.priorities
        ),
    )


def _checked_decision(
    d: ArchivedDecision, basis: Round, measured: Measurement, priority: dict[str, int], shortlist_size: int
) -> CheckedDecision:
    """The archived decision checked as the service checks one (``workshop.decision``), or InvalidInput."""
    names = {pid: name for name, pid in priority.items()}
    ids = [priority[c.priority] for c in d.shortlist]
    places = shortlist_places(shortlist_size, basis)
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
