"""Consultation rounds: their audience and share of the list, closing times, each participant's share, coverage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from workshop.errors import InvalidInput
from workshop.models import (
    DEFAULT_SHARE_MINIMUM,
    DEFAULT_SHARE_SEED,
    MyShare,
    Participant,
    PriorityCoverage,
    Round,
    RoundCoverage,
    RoundKind,
    RoundState,
    Share,
    ShareMode,
    deadline_words,
    whole_number,
)
from workshop.service.base import FACILITATOR, SYSTEM, ServiceBase, _actor
from workshop.shares import balanced_share, share_rng, theme_share
from workshop.store import Transaction

MAX_SHARE_MINIMUM = 10_000


class ConsultationsMixin(ServiceBase):
    # ================================================================== the facilitator

    def set_consultation(
        self,
        key: str,
        round_id: int,
        audience: Sequence[str] = (),
        share_mode: ShareMode | str | None = None,
        share_size: int | None = None,
        minimum: int = DEFAULT_SHARE_MINIMUM,
        seed: int = DEFAULT_SHARE_SEED,
    ) -> Round:
        """Make a draft scoring round a consultation: for the stakeholder groups named in ``audience``
        (none: everyone), and giving each participant only part of the list (``share_mode`` balanced:
        ``share_size`` priorities each; themes: the themes they choose; None: every priority).
        ``minimum`` is the number of answers a priority needs before its place is read with confidence."""
        mode = None if share_mode is None else self._share_mode(share_mode)
        low = whole_number(minimum, "minimum number of answers")
        if not 0 <= low <= MAX_SHARE_MINIMUM:
            raise InvalidInput(f"The minimum number of answers must be between 0 and {MAX_SHARE_MINIMUM:,}.")
        tie_seed = whole_number(seed, "share seed")
        with self._editing_round(key, round_id) as (tx, rnd, now):
            if rnd.state is not RoundState.DRAFT:
                raise InvalidInput(f"{rnd.short_label} has already opened; its audience and share are fixed.")
            groups = {g.name.casefold(): g for g in tx.groups(rnd.workshop_id)}
            chosen = []
            for name in audience:
                group = groups.get(str(name).strip().casefold())
                if group is None:
                    raise InvalidInput(f"'{name}' is not one of this workshop's stakeholder groups.")
                chosen.append(group.id)
            share = self._share(rnd, mode, share_size, low, tie_seed)
            tx.set_audience(round_id, chosen)
            tx.set_share(round_id, share)
            names = ", ".join(g.name for g in groups.values() if g.id in chosen) or "everyone"
            detail = f"{rnd.label}: for {names}; " + (share.describe if share else "every priority")
            tx.audit(rnd.workshop_id, now, FACILITATOR, "consultation set", detail)
            return self._round(tx, round_id)

    @staticmethod
    def _share_mode(value: ShareMode | str) -> ShareMode:
        try:
            return ShareMode(value)
        except ValueError:
            options = ", ".join(f"'{m.value}'" for m in ShareMode)
            raise InvalidInput(f"The share must be one of {options}, not {value!r}.") from None

    @staticmethod
    def _share(rnd: Round, mode: ShareMode | None, size: int | None, minimum: int, seed: int) -> Share | None:
        if mode is None:
            if size is not None:
                raise InvalidInput("Choose how the share is given before its size.")
            return None
        if rnd.kind is not RoundKind.SCORING:
            raise InvalidInput("Only a scoring round can give each participant part of the list.")
        if mode is ShareMode.THEMES:
            if size is not None:
                raise InvalidInput("A share by themes takes every priority of the themes chosen: give no size.")
            return Share(mode, None, seed, minimum)
        if size is None:
            raise InvalidInput("Give the number of priorities each participant answers.")
        n = whole_number(size, "number of priorities each participant answers")
        if not 1 <= n <= len(rnd.priority_ids):
            raise InvalidInput(f"Each participant can answer between 1 and {len(rnd.priority_ids)} priorities.")
        return Share(mode, n, seed, minimum)

    def extend_round(self, key: str, round_id: int, closes_at: datetime) -> Round:
        """Move a consultation's closing time later: while it is open, or after its closing time has
        closed it (which opens it again until the new time, if no other round for its audience is open)."""
        with self._editing_round(key, round_id) as (tx, rnd, now):
            if rnd.closes_at is None:
                raise InvalidInput(f"{rnd.short_label} has no closing time; it closes when you close it.")
            if not (rnd.state is RoundState.OPEN or rnd.closed_by_deadline):
                raise InvalidInput(f"{rnd.short_label} was closed by hand; reopen it instead.")
            when = self._closing_time(closes_at, now)
            if when <= rnd.closes_at:
                raise InvalidInput(
                    f"The new closing time must be after {deadline_words(rnd.closes_at)}; to end it sooner, close it."
                )
            if rnd.state is not RoundState.OPEN:
                self._refuse_overlap(tx, rnd)
                self._record_deadline_closure(tx, rnd, store_closed=False)
            tx.set_closing_time(round_id, when)
            detail = f"{rnd.label}: from {deadline_words(rnd.closes_at)} to {deadline_words(when)}"
            tx.audit(rnd.workshop_id, now, FACILITATOR, "closing time extended", detail)
            return self._round(tx, round_id)

    @staticmethod
    def _record_deadline_closure(tx: Transaction, rnd: Round, store_closed: bool) -> None:
        """Write down that the closing time closed ``rnd`` (``Round.as_of``), as of that time, before a
        facilitator's change to it: in the audit log, and as its stored state unless it is being
        extended (then it stays open)."""
        assert rnd.closes_at is not None
        if store_closed:
            tx.set_round_state(rnd.id, RoundState.CLOSED, rnd.closes_at)
        tx.audit(rnd.workshop_id, rnd.closes_at, SYSTEM, "round closed at its closing time", rnd.label)

    @staticmethod
    def _closing_time(closes_at: datetime, now: datetime) -> datetime:
        if closes_at.tzinfo is None:
            raise InvalidInput("Give the closing time with its time zone.")
        if closes_at <= now:
            raise InvalidInput(f"The closing time must be in the future (it is now {deadline_words(now)}).")
        return closes_at

    @staticmethod
    def _refuse_overlap(tx: Transaction, rnd: Round) -> None:
        """Only one round is open at a time for any participant: two rounds may be open together only
        when each is for some stakeholder groups and no group is in both."""
        for other in tx.rounds(rnd.workshop_id):
            if other.id == rnd.id or other.state is not RoundState.OPEN:
                continue
            apart = rnd.audience and other.audience and not set(rnd.audience) & set(other.audience)
            if not apart:
                raise InvalidInput(f"{other.short_label} is still open; close it first.")

    def coverage(self, key: str, round_id: int) -> RoundCoverage:
        """Per priority of the round: how many participants were given it and how many answered it, and
        which have fewer answers than the round's minimum: the one computation *Live control*'s coverage
        panel and the board paper read, for every kind of round.

        *Given to*: with a share, the participants whose share holds the priority; without one, every
        participant the round is open to (its audience's groups, or everyone), removed participants
        included (as a share given to them is kept).  *Answers* is the engine's response count, so it
        matches the Results page, "What young people said" and the evidence sentence:

        - a scoring round: the fewest views given on the priority on any one criterion (a "don't know"
          is not a view), which is what the Results page's "too few answers" warning compares with
          the minimum;
        - a young people's ballot of one question: the views given on it ("Not sure" is not one);
        - a ranking round, a pick ballot among them: every ranking cast, on every listed priority (each
          respondent was given the whole list, and not picking a priority is an answer about it);
        - a weighting round has no priorities, so no rows."""
        workshop_id = self._round_workshop(round_id)
        self._authorise(key, workshop_id)
        with self._store.read() as tx:
            rnd = self._round(tx, round_id)
            return self._coverage(tx, rnd)

    @classmethod
    def _coverage(cls, tx: Transaction, rnd: Round) -> RoundCoverage:
        names = {p.id: p.name for p in tx.priorities(rnd.workshop_id)}
        if rnd.share is None:
            asked = sum(1 for p in tx.participants(rnd.workshop_id) if rnd.open_to(p.group_id))
            given = dict.fromkeys(rnd.priority_ids, asked)
        else:
            given = tx.share_counts(rnd.id)
        answers = cls._answers(tx, rnd)
        minimum = rnd.share.minimum if rnd.share else DEFAULT_SHARE_MINIMUM
        rows = tuple(
            PriorityCoverage(pid, names[pid], given.get(pid, 0), answers.get(pid, 0)) for pid in rnd.priority_ids
        )
        return RoundCoverage(rnd.id, minimum, rows)

    @staticmethod
    def _answers(tx: Transaction, rnd: Round) -> dict[int, int]:
        """Per priority id, its answers as ``coverage`` counts them (absent: none)."""
        if rnd.kind is RoundKind.RANKING:
            cast = len(tx.answer_counts(rnd.id, RoundKind.RANKING))
            return dict.fromkeys(rnd.priority_ids, cast)
        if rnd.kind is not RoundKind.SCORING:
            return {}
        if rnd.young_ballot:
            return tx.ballot_views(rnd.id)
        return tx.views_per_priority(rnd.id, [c.id for c in tx.criteria(rnd.workshop_id)])

    # ================================================================== the participant

    def my_share(self, token: str, round_id: int) -> MyShare:
        """The priorities this participant is asked about in the round and which they have answered.
        A balanced share is given on the participant's first visit while the round is open (the fewest
        given so far first) and kept from then on; a share by themes is empty until they choose."""
        with self._store.read() as tx:
            participant = self._participant(tx, token)
            rnd = self._participant_round(tx, participant, round_id)
            mine = tx.participant_share(round_id, participant.id) if rnd.share else rnd.priority_ids
            needs_share = (
                rnd.share is not None
                and rnd.share.mode is ShareMode.BALANCED
                and not mine
                and rnd.state is RoundState.OPEN
                and rnd.open_to(participant.group_id)
            )
        if needs_share:
            with self._store.write() as tx:
                self._bump(tx, participant.workshop_id)
                rnd = self._round(tx, round_id)
                mine = tx.participant_share(round_id, participant.id) or self._give_share(tx, rnd, participant)
        with self._store.read() as tx:
            return self._my_share(tx, rnd, participant.id, mine)

    @staticmethod
    def _give_share(tx: Transaction, rnd: Round, participant: Participant) -> tuple[int, ...]:
        assert rnd.share is not None and rnd.share.size is not None
        if rnd.state is not RoundState.OPEN:
            return ()
        given = tx.share_counts(rnd.id)
        counts = [given.get(pid, 0) for pid in rnd.priority_ids]
        picked = balanced_share(counts, rnd.share.size, share_rng(rnd.share.seed, participant.number))
        mine = tuple(rnd.priority_ids[i] for i in picked)
        tx.insert_shares(rnd.id, [(participant.id, mine)])
        return mine

    @staticmethod
    def _my_share(tx: Transaction, rnd: Round, participant_id: int, mine: Sequence[int]) -> MyShare:
        if rnd.young_ballot:  # its answers are the ballot's ("Not sure" is the participant's answer too)
            done = {e.priority_id: 1 for e in tx.participant_ballot(rnd.id, participant_id)}
        else:
            done = tx.complete_answers(rnd.id, len(tx.criteria(rnd.workshop_id)), participant_id)
        themes: tuple[str, ...] = ()
        if rnd.share is not None and rnd.share.mode is ShareMode.THEMES:
            theme_of = {p.id: p.theme for p in tx.priorities(rnd.workshop_id)}
            themes = tuple(dict.fromkeys(theme_of[pid] for pid in mine))
        return MyShare(
            rnd.id,
            None if rnd.share is None else rnd.share.mode,
            tuple(mine),
            tuple(pid for pid in mine if done.get(pid)),
            themes,
        )

    def choose_themes(self, token: str, round_id: int, themes: Sequence[str]) -> MyShare:
        """A participant of a round shared by themes chooses theirs (once: the share is then kept)."""
        now = self._clock()
        with self._store.write() as tx:
            participant = self._participant(tx, token)
            self._bump(tx, participant.workshop_id)
            rnd = self._participant_round(tx, participant, round_id)
            if rnd.share is None or rnd.share.mode is not ShareMode.THEMES:
                raise InvalidInput(f"{rnd.short_label} does not ask you to choose themes.")
            self._answering(rnd, RoundKind.SCORING, participant)
            if tx.participant_share(round_id, participant.id):
                raise InvalidInput("You have already chosen your themes for this round.")
            listed = [p for p in tx.priorities(rnd.workshop_id) if p.id in rnd.priority_ids]
            mine = theme_share(listed, themes)
            tx.insert_shares(round_id, [(participant.id, mine)])
            chosen = ", ".join(dict.fromkeys(p.theme for p in listed if p.id in mine))
            tx.audit(rnd.workshop_id, now, _actor(participant.id), "themes chosen", f"{rnd.label}: {chosen}")
        with self._store.read() as tx:
            return self._my_share(tx, rnd, participant.id, mine)
