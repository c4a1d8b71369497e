"""Adding rounds and moving them through draft, open, closed and revealed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from workshop.ballot import ballot_refusal
from workshop.errors import InvalidInput
from workshop.models import FeedbackSettings, Priority, Round, RoundKind, RoundState, deadline_words, whole_number
from workshop.service.base import FACILITATOR, _parse_enum, _short_text
from workshop.service.consultations import ConsultationsMixin
from workshop.service.feedback import check_feedback, feedback_words
from workshop.store import Transaction


class RoundsMixin(ConsultationsMixin):
    @staticmethod
    def _round_priorities(
        kind: RoundKind, requested: Sequence[int], allowed: Sequence[Priority], pick_count: int | None, where: str
    ) -> tuple[int, ...]:
        """The requested priority ids, checked, in the workshop's order."""
        if kind is RoundKind.WEIGHTING:
            if requested or pick_count is not None:
                raise InvalidInput("A weighting round is about the criteria: it takes no priorities.")
            return ()
        ids = list(requested)
        if len(set(ids)) != len(ids):
            raise InvalidInput("A priority was chosen twice.")
        positions = {p.id: n for n, p in enumerate(allowed)}
        if any(pid not in positions for pid in ids):
            raise InvalidInput(f"A chosen priority is not in {where}.")
        minimum = 2 if kind is RoundKind.RANKING else 1
        if len(ids) < minimum:
            raise InvalidInput(f"Choose at least {minimum} priorities for a {kind.value} round.")
        if pick_count is not None:
            if kind is not RoundKind.RANKING:
                raise InvalidInput("Only a ranking round picks a top N.")
            n = whole_number(pick_count, "number to pick")
            if not 1 <= n <= len(ids):
                raise InvalidInput(f"The number to pick must be between 1 and {len(ids)}.")
        return tuple(sorted(ids, key=positions.__getitem__))

    def add_round(
        self,
        key: str,
        workshop_id: int,
        kind: RoundKind | str,
        title: str,
        priority_ids: Sequence[int] = (),
        pick_count: int | None = None,
        feedback: FeedbackSettings | None = None,
        young_ballot: bool = False,
    ) -> Round:
        """A new draft round at the end.  Ranking rounds order all their
        priorities, or pick the top ``pick_count``; a scoring round may carry
        feedback settings (``FeedbackSettings``, the defaults when None).  A
        young people's ballot (``workshop.ballot``) is a scoring round that asks
        one plain question about each priority instead of the criteria, or a
        ranking round that picks a top few (``workshop.ballot.ballot_refusal``),
        and takes no names."""
        round_kind = _parse_enum(RoundKind, kind, "round kind")
        title = _short_text(title, "round title")
        settings = check_feedback(round_kind, feedback or FeedbackSettings())
        with self._editing_workshop(key, workshop_id) as (tx, now):
            ids = self._round_priorities(
                round_kind, priority_ids, tx.priorities(workshop_id), pick_count, "this workshop"
            )
            refusal = ballot_refusal(round_kind, pick_count, len(ids)) if young_ballot else None
            if refusal is not None:
                raise InvalidInput(refusal)
            round_id = tx.insert_round(workshop_id, title, round_kind, ids, pick_count, now, settings, young_ballot)
            rnd = self._round(tx, round_id)
            what = "young people's ballot" if young_ballot else round_kind.value
            tx.audit(workshop_id, now, FACILITATOR, "round added", f"{rnd.label} ({what})")
            return rnd

    def create_followup_round(
        self,
        key: str,
        from_round_id: int,
        priority_ids: Sequence[int],
        kind: RoundKind | str | None = None,
        title: str | None = None,
        pick_count: int | None = None,
        feedback: FeedbackSettings | None = None,
    ) -> Round:
        """A draft round on a subset of a finished round's priorities (the
        shortlist for round 2).  Kind defaults to the earlier round's; a
        scoring round shows the earlier answers back as ``feedback`` says
        (the defaults when None: by group, not pre-selected, not asking why)."""
        with self._editing_round(key, from_round_id) as (tx, source, now):
            workshop_id = source.workshop_id
            if source.kind is RoundKind.WEIGHTING:
                raise InvalidInput("A follow-up round takes its priorities from a scoring or ranking round.")
            if source.state not in (RoundState.CLOSED, RoundState.REVEALED):
                raise InvalidInput(f"Close {source.short_label} before starting a follow-up round.")
            round_kind = source.kind if kind is None else _parse_enum(RoundKind, kind, "round kind")
            allowed = [p for p in tx.priorities(workshop_id) if p.id in source.priority_ids]
            ids = self._round_priorities(round_kind, priority_ids, allowed, pick_count, source.short_label)
            settings = check_feedback(round_kind, feedback or FeedbackSettings())
            text = _short_text(title, "round title") if title else f"Shortlist of {len(ids)} from round {source.number}"
            round_id = tx.insert_round(workshop_id, text, round_kind, ids, pick_count, now, settings)
            rnd = self._round(tx, round_id)
            detail = f"{rnd.label} ({round_kind.value}), from {source.label}"
            if round_kind is RoundKind.SCORING:
                detail += f"; {feedback_words(settings)}"
            tx.audit(workshop_id, now, FACILITATOR, "round added", detail)
            return rnd

    def _transition(self, key: str, round_id: int, action: str, closes_at: datetime | None = None) -> Round:
        with self._editing_round(key, round_id) as (tx, rnd, now):
            workshop_id = rnd.workshop_id
            if rnd.closed_by_deadline:
                self._record_deadline_closure(tx, rnd, store_closed=True)
            to, audit_action = self._check_transition(tx, rnd, action)
            detail = rnd.label
            if to is RoundState.OPEN:
                when = None if closes_at is None else self._closing_time(closes_at, now)
                tx.lock_setup(workshop_id, now)
                if when is not None or rnd.closes_at is not None:
                    tx.set_closing_time(round_id, when)
                detail += "" if when is None else f", until {deadline_words(when)}"
            elif closes_at is not None:
                raise InvalidInput("Only opening a round takes a closing time.")
            if action == "close" and rnd.closes_at is not None:
                audit_action = "round closed early"
                detail += f" (it was open until {deadline_words(rnd.closes_at)})"
            tx.set_round_state(round_id, to, now)
            tx.audit(workshop_id, now, FACILITATOR, audit_action, detail)
            return self._round(tx, round_id)

    @staticmethod
    def _check_transition(tx: Transaction, rnd: Round, action: str) -> tuple[RoundState, str]:
        """The state ``action`` leads to and its audit action, or a refusal.

        open: draft → open; close: open → closed; reveal: closed → revealed;
        reopen: closed or revealed → open.  Only one round is open at a time.
        """
        state, label = rnd.state, rnd.short_label
        refusal = {
            ("open", RoundState.OPEN): f"{label} is already open.",
            ("open", RoundState.CLOSED): f"{label} has already run; reopen it instead.",
            ("open", RoundState.REVEALED): f"{label} has already run; reopen it instead.",
            ("close", RoundState.DRAFT): f"{label} is not open.",
            ("close", RoundState.CLOSED): f"{label} is not open.",
            ("close", RoundState.REVEALED): f"{label} is not open.",
            ("reveal", RoundState.DRAFT): f"{label} has not run yet.",
            ("reveal", RoundState.OPEN): f"Close {label} before revealing its results.",
            ("reveal", RoundState.REVEALED): f"{label}'s results are already revealed.",
            ("reopen", RoundState.DRAFT): f"{label} has not run yet; open it instead.",
            ("reopen", RoundState.OPEN): f"{label} is already open.",
        }.get((action, state))
        if refusal:
            raise InvalidInput(refusal)
        if action == "close":
            return RoundState.CLOSED, "round closed"
        if action == "reveal":
            return RoundState.REVEALED, "round revealed"
        RoundsMixin._refuse_overlap(tx, rnd)
        if not rnd.young_ballot and not tx.criteria(rnd.workshop_id):
            raise InvalidInput("Add criteria before opening a round.")
        minimum = {RoundKind.WEIGHTING: 0, RoundKind.SCORING: 1, RoundKind.RANKING: 2}[rnd.kind]
        if len(rnd.priority_ids) < minimum:
            raise InvalidInput(f"{label} has too few priorities to open.")
        if action == "open":
            return RoundState.OPEN, "round opened"
        return RoundState.OPEN, "round reopened after reveal" if state is RoundState.REVEALED else "round reopened"

    def open_round(self, key: str, round_id: int, closes_at: datetime | None = None) -> Round:
        """draft → open.  The first opening locks the setup for good.  With ``closes_at`` (aware, in
        the future) the round is a consultation: it closes by itself at that time (``Round.as_of``)."""
        return self._transition(key, round_id, "open", closes_at)

    def close_round(self, key: str, round_id: int) -> Round:
        return self._transition(key, round_id, "close")

    def reveal_round(self, key: str, round_id: int) -> Round:
        return self._transition(key, round_id, "reveal")

    def reopen_round(self, key: str, round_id: int, closes_at: datetime | None = None) -> Round:
        """closed or revealed → open.  A reopened round's results are hidden
        from participants again until the next reveal; the audit log records
        whether it had been revealed.  It is open until ``closes_at``, or
        until it is closed when none is given (an earlier closing time is dropped)."""
        return self._transition(key, round_id, "reopen", closes_at)
