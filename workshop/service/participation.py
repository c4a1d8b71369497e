"""What a participant does: join, resume, heartbeat, save answers and read them back."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime

from workshop.ballot import AGE_BANDS, AGE_REFUSED, BALLOT_ANSWERS, NAME_REFUSED, NAMED_ANSWER_REFUSED
from workshop.errors import InvalidInput, NotFound, PermissionDenied, RoundNotOpen, WorkshopError
from workshop.joining import MAX_PARTICIPANT_CAP, removal_detail
from workshop.models import (
    ALLOCATION_POINTS,
    BallotRecord,
    CriterionPoints,
    MyAllocation,
    MyRanking,
    MyScores,
    Participant,
    Round,
    RoundKind,
    RoundState,
    SaveReceipt,
    ScoreEntry,
    ScoreRecord,
    Stamped,
    Workshop,
    finite_number,
    whole_number,
)
from workshop.security import hash_token, new_participant_token
from workshop.service.base import FACILITATOR, REMOVED, ServiceBase, _actor, _short_text
from workshop.store import Transaction


class ParticipationMixin(ServiceBase):
    def join(
        self, code: str, display_name: str | None = None, group: str | None = None, age_band: str | None = None
    ) -> Participant:
        """Join a workshop; the returned participant carries the token that
        identifies them from now on (keep it in the browser).  Refused while
        too many people join at once (``workshop.joining``) and once the
        workshop's participant cap is reached.  While a young people's ballot
        is open no name is taken, and an age band (``AGE_BANDS``) may be given;
        at no other time is one taken."""
        name = _short_text(display_name, "display name", required=False) or None
        if age_band is not None and age_band not in AGE_BANDS:
            raise InvalidInput(f"The age group must be one of {', '.join(AGE_BANDS)}.")
        with self._store.read() as tx:
            workshop_id = self._workshop_id_of(tx, code)
        self._joins.take(workshop_id)
        try:
            return self._join(workshop_id, name, group, age_band)
        except WorkshopError:
            self._joins.give_back(workshop_id)
            raise

    def _join(self, workshop_id: int, name: str | None, group: str | None, age_band: str | None) -> Participant:
        now = self._clock()
        with self._store.write() as tx:
            self._bump(tx, workshop_id)
            ballot = any(r.young_ballot and r.state is RoundState.OPEN for r in tx.rounds(workshop_id))
            if ballot and name is not None:
                raise InvalidInput(NAME_REFUSED)  # children's data: a ballot asks for no name (workshop.ballot)
            if age_band is not None and not ballot:
                raise InvalidInput(AGE_REFUSED)
            cap = tx.participant_cap(workshop_id)
            if cap is not None and tx.present_count(workshop_id) >= cap:
                raise PermissionDenied(
                    f"This workshop is full: it takes {cap} participants. Ask the facilitator if you should be in it."
                )
            groups = tx.groups(workshop_id)
            group_id = None
            if groups:
                wanted = str(group or "").strip().casefold()
                if not wanted:
                    raise InvalidInput("Choose your stakeholder group.")
                match = [g for g in groups if g.name.casefold() == wanted]
                if not match:
                    raise InvalidInput(f"'{group}' is not one of this workshop's stakeholder groups.")
                group_id = match[0].id
            elif group:
                raise InvalidInput("This workshop has no stakeholder groups.")
            token = new_participant_token()
            participant_id = tx.insert_participant(workshop_id, hash_token(token), name, group_id, now, age_band)
            participant = tx.participant(hash_token(token))
            assert participant is not None
            tx.audit(
                workshop_id,
                now,
                _actor(participant_id),
                "participant joined",
                participant.label + (f" ({participant.group})" if participant.group else ""),
            )
            return replace(participant, token=token)

    def set_participant_cap(self, key: str, workshop_id: int, cap: int | None) -> Workshop:
        """The most participants the workshop takes (None: no cap), allowed at
        any time; people already in stay in (removed participants do not
        count).  Facilitator only, recorded in the audit log."""
        value = None if cap is None else whole_number(cap, "participant cap")
        if value is not None and not 1 <= value <= MAX_PARTICIPANT_CAP:
            raise InvalidInput(f"The participant cap must be between 1 and {MAX_PARTICIPANT_CAP:,}, or none.")
        with self._editing_workshop(key, workshop_id) as (tx, now):
            tx.set_participant_cap(workshop_id, value)
            detail = "no cap" if value is None else f"at most {value} participants"
            tx.audit(workshop_id, now, FACILITATOR, "participant cap set", detail)
            return self._load(tx, workshop_id)

    def expect_joins(self, key: str, workshop_id: int, people: int) -> None:
        """Say that ``people`` are about to join at once, past the join rate limit
        (``workshop.joining``): for a room the system creates for the facilitator
        (``workshop.demo``'s simulated participants).  Facilitator only; this
        server's memory only; real joins are limited as before once it is spent."""
        count = whole_number(people, "number of people")
        if not 1 <= count <= MAX_PARTICIPANT_CAP:
            raise InvalidInput(f"The number of people joining must be between 1 and {MAX_PARTICIPANT_CAP:,}.")
        self._authorise(key, workshop_id)
        self._joins.expect(workshop_id, count)

    def remove_participant(self, key: str, workshop_id: int, participant_id: int, keep_answers: bool) -> Participant:
        """Remove a participant: their link is refused from now on, and their
        answers are kept (they still count in the results) or dropped from
        every round, the facilitator's choice.  Facilitator only, recorded in
        the audit log.  (The join code is public: a removed person can join
        again as someone new, unless the cap stops them.)"""
        with self._editing_workshop(key, workshop_id) as (tx, now):
            found = [p for p in tx.participants(workshop_id) if p.id == participant_id]
            if not found:
                raise NotFound("That participant is not part of this workshop.")
            participant = found[0]
            if participant.removed_at is not None:
                raise InvalidInput(f"{participant.label} has already been removed.")
            tx.remove_participant(participant.id, now, keep_answers)
            kept = "answers kept" if keep_answers else "answers dropped"
            detail = removal_detail(participant.number, participant.label, kept)
            tx.audit(workshop_id, now, FACILITATOR, "participant removed", detail)
            return replace(participant, removed_at=now)

    def resume(self, token: str) -> Participant:
        """The participant a token names (after a reload or a lost connection)."""
        with self._store.read() as tx:
            return replace(self._participant(tx, token), token=token)

    def heartbeat(self, token: str) -> None:
        """Record that the participant is still here (no change-counter bump)."""
        now = self._clock()
        with self._store.read() as tx:
            participant = self._participant(tx, token)
        self._store.write_together(lambda tx: self._present(tx, participant, now))

    def save_score(
        self, token: str, round_id: int, priority_id: int, criterion_id: int, value: float | None
    ) -> SaveReceipt:
        """Save one cell (idempotent; the last save wins).  ``None`` means
        "don't know".  Any number on the criterion's scale is accepted."""
        # Its arguments were checked at the boundary already: the one entry needs no second check.
        return self._save_scores(token, round_id, (ScoreEntry(priority_id, criterion_id, value),))

    def save_scores(self, token: str, round_id: int, entries: Sequence[ScoreEntry]) -> SaveReceipt:
        """Save several cells in one transaction, all or none: each is checked
        as ``save_score`` checks one, and a cell given twice keeps the later
        value.  For a table row edited at once, or cells saved in bulk."""
        return self._save_scores(token, round_id, entries)

    def _save_scores(self, token: str, round_id: int, entries: Sequence[ScoreEntry]) -> SaveReceipt:
        given = tuple(entries)
        if not given:
            raise InvalidInput("There are no scores to save.")
        values = [None if e.value is None else finite_number(e.value, "score") for e in given]
        now = self._clock()
        # Everything but "is the round still open?" and "is the participant still here?" is checked in a
        # read transaction first: the write then holds the write lock (SQLite's one writer, PostgreSQL's
        # workshop row, which every save in the room queues on) for four statements instead of ten, and
        # under a full room each statement inside waits for the GIL again (bench/RESULTS.md, "Live app
        # load").  Safe: answers are taken only while the round is open, and once a round has opened the
        # setup is locked for good, so the round's priorities, its audience and the criteria read here
        # cannot change before the write; a share, once given, is never changed; a refusal is simply
        # ordered before whatever changed the round since.
        with self._store.read() as tx:
            participant = self._participant(tx, token)
            rnd, criteria = self._opened_round(tx, participant, round_id)
            self._answering(rnd, RoundKind.SCORING, participant)
            if rnd.young_ballot:
                raise InvalidInput(f"{rnd.short_label} is a young people's ballot: it asks one question per priority.")
            covered = self._covered(tx, rnd, participant.id)
        cells: dict[tuple[int, int], Stamped[ScoreRecord]] = {}
        for entry, value in zip(given, values, strict=True):
            self._refuse_uncovered(rnd, entry.priority_id, covered)
            criterion = criteria.get(entry.criterion_id)
            if criterion is None:
                raise InvalidInput("That criterion is not part of this workshop.")
            if value is not None and not criterion.accepts(value):
                raise InvalidInput(
                    f"A score for '{criterion.name}' must be between {criterion.scale_min} and "
                    f"{criterion.scale_max}; {value:g} was not saved."
                )
            record = ScoreRecord(participant.id, entry.priority_id, entry.criterion_id, value)
            cells[entry.priority_id, entry.criterion_id] = Stamped(record, now)

        def write(tx: Transaction) -> int:
            version = self._still_open(tx, participant, round_id, now, "your scores were not changed")
            tx.upsert_scores(round_id, tuple(cells.values()))
            return version

        return SaveReceipt(now, self._store.write_together(write))

    def _still_open(self, tx: Transaction, participant: Participant, round_id: int, now: datetime, kept: str) -> int:
        """The checks a save makes inside its write, after those made before it: the workshop's version
        bumped (its lock), the participant still here (marked seen) and the round still open."""
        version = self._bump(tx, participant.workshop_id)
        self._present(tx, participant, now)
        if tx.round_state(round_id) is not RoundState.OPEN:
            raise RoundNotOpen(f"This round is closed; {kept}.")
        return version

    @staticmethod
    def _present(tx: Transaction, participant: Participant, now: datetime) -> None:
        """Mark the participant seen, refused if they have been removed since they were checked."""
        if not tx.touch_present(participant.id, now):
            raise PermissionDenied(REMOVED)

    @staticmethod
    def _covered(tx: Transaction, rnd: Round, participant_id: int) -> set[int]:
        """The priorities this participant may answer in the round: all of them, or their share."""
        covered = set(rnd.priority_ids)
        if rnd.share is not None:
            covered &= set(tx.participant_share(rnd.id, participant_id))
        return covered

    @staticmethod
    def _refuse_uncovered(rnd: Round, priority_id: int, covered: set[int]) -> None:
        if priority_id not in covered:
            where = "your share of " if priority_id in rnd.priority_ids else ""
            raise InvalidInput(f"That priority is not part of {where}{rnd.short_label}.")

    def save_ballot_answer(self, token: str, round_id: int, priority_id: int, value: int | None) -> SaveReceipt:
        """Save one answer of a young people's ballot (``workshop.ballot``): 1 (not
        important) to 3 (very important), or None for "not sure"; the last save
        wins.  Refused from a participant who gave a name (children's data)."""
        answer = None if value is None else whole_number(value, "answer")
        if answer is not None and not 1 <= answer <= len(BALLOT_ANSWERS):
            raise InvalidInput(f"An answer must be between 1 and {len(BALLOT_ANSWERS)}, or 'not sure'.")
        now = self._clock()
        with self._store.read() as tx:  # checked before the write, as a score is (_save_scores)
            participant = self._participant(tx, token)
            rnd, _ = self._opened_round(tx, participant, round_id)
            self._answering(rnd, RoundKind.SCORING, participant)
            if not rnd.young_ballot:
                raise InvalidInput(f"{rnd.short_label} is not a young people's ballot.")
            if participant.display_name is not None:
                raise PermissionDenied(NAMED_ANSWER_REFUSED)
            self._refuse_uncovered(rnd, priority_id, self._covered(tx, rnd, participant.id))

        def write(tx: Transaction) -> int:
            version = self._still_open(tx, participant, round_id, now, "your answers were not changed")
            tx.save_ballot_answer(round_id, BallotRecord(participant.id, priority_id, answer), now)
            return version

        return SaveReceipt(now, self._store.write_together(write))

    def save_allocation(self, token: str, round_id: int, points: Sequence[CriterionPoints]) -> SaveReceipt:
        """Save a whole 100-point allocation at once: whole numbers, none
        negative, at least 1 and at most 100 in total (the engine normalises
        each participant's allocation, so 80 points spent count as fully as
        100).  Criteria left out get 0."""
        given = [(p.criterion_id, whole_number(p.points, "number of points")) for p in points]
        if any(n < 0 for _, n in given):
            raise InvalidInput("Points must not be negative.")
        if len({cid for cid, _ in given}) != len(given):
            raise InvalidInput("A criterion was given points twice.")
        total = sum(n for _, n in given)
        if total > ALLOCATION_POINTS:
            raise InvalidInput(f"You have given {total} points; there are only {ALLOCATION_POINTS} to share.")
        if total == 0:
            raise InvalidInput("Give at least one point to a criterion.")
        with self._answer(token, round_id, RoundKind.WEIGHTING) as (tx, participant, _, receipt):
            criteria = [c.id for c in tx.criteria(participant.workshop_id)]
            if any(cid not in criteria for cid, _ in given):
                raise InvalidInput("That criterion is not part of this workshop.")
            by_id = dict(given)
            allocation = [CriterionPoints(cid, by_id.get(cid, 0)) for cid in criteria]
            tx.save_allocation(round_id, participant.id, allocation, receipt.saved_at)
        return receipt

    def save_ranking(self, token: str, round_id: int, priority_ids: Sequence[int]) -> SaveReceipt:
        """Save the participant's ranking (priority ids, best first), replacing
        any earlier one.  It may stop short of the round's full length;
        unranked priorities share the remaining Borda points."""
        ids = list(priority_ids)
        if len(set(ids)) != len(ids):
            raise InvalidInput("A priority appears twice in your ranking.")
        if not ids:
            raise InvalidInput("Rank at least one priority.")
        with self._answer(token, round_id, RoundKind.RANKING) as (tx, participant, rnd, receipt):
            if rnd.young_ballot and participant.display_name is not None:
                raise PermissionDenied(NAMED_ANSWER_REFUSED)  # children's data, as save_ballot_answer
            if any(pid not in rnd.priority_ids for pid in ids):
                raise InvalidInput(f"A ranked priority is not part of {rnd.short_label}.")
            if len(ids) > rnd.ranking_length:
                raise InvalidInput(f"Pick at most {rnd.ranking_length} priorities.")
            tx.save_ranking(round_id, participant.id, ids, receipt.saved_at)
        return receipt

    @contextmanager
    def _answer(
        self, token: str, round_id: int, kind: RoundKind
    ) -> Iterator[tuple[Transaction, Participant, Round, SaveReceipt]]:
        """A participant's save of a whole answer (an allocation or a ranking): a write transaction
        with the participant checked, the workshop's version bumped and the round checked to be open
        and of ``kind``; the participant is marked seen after the body has written.  (Scores are
        saved cell by cell and take the workshop's lock last: ``save_scores``.)"""
        now = self._clock()
        with self._store.write() as tx:
            participant = self._participant(tx, token)
            version = self._bump(tx, participant.workshop_id)
            rnd = self._participant_round(tx, participant, round_id)
            self._answering(rnd, kind, participant)
            yield tx, participant, rnd, SaveReceipt(now, version)
            tx.touch(participant.id, now)

    def my_scores(self, token: str, round_id: int) -> MyScores:
        with self._store.read() as tx:
            participant = self._participant(tx, token)
            rnd, _ = self._opened_round(tx, participant, round_id)
            if rnd.young_ballot:  # the ballot's answers, as entries of its one question (workshop.ballot)
                return MyScores(round_id, tx.participant_ballot(round_id, participant.id))
            return MyScores(round_id, tx.participant_scores(round_id, participant.id))

    def my_allocation(self, token: str, round_id: int) -> MyAllocation:
        with self._store.read() as tx:
            participant = self._participant(tx, token)
            self._participant_round(tx, participant, round_id)
            return MyAllocation(round_id, tx.participant_allocation(round_id, participant.id))

    def my_ranking(self, token: str, round_id: int) -> MyRanking:
        with self._store.read() as tx:
            participant = self._participant(tx, token)
            self._participant_round(tx, participant, round_id)
            return MyRanking(round_id, tx.participant_ranking(round_id, participant.id))
