"""Feedback between rounds: a round's settings, the earlier answers shown back, keeping them, reasons, attrition."""

from __future__ import annotations

from collections.abc import Sequence

from workshop.errors import InvalidInput, RoundNotOpen
from workshop.feedback import (
    MAX_REASON_LENGTH,
    Attrition,
    ChangeReason,
    RoundFeedback,
    attrition,
    change_reasons,
    crossed,
    earlier_round,
    no_feedback,
    previous_round,
    round_feedback,
)
from workshop.models import (
    FeedbackSettings,
    Participant,
    Round,
    RoundKind,
    RoundState,
    SaveReceipt,
    ScoreEntry,
    ScoreRecord,
    plain_text,
)
from workshop.service.base import FACILITATOR, ServiceBase
from workshop.service.results import ResultsMixin
from workshop.store import Transaction


def check_feedback(kind: RoundKind, settings: FeedbackSettings) -> FeedbackSettings:
    """The settings, if the round can have them: only a scoring round shows earlier answers back."""
    if kind is not RoundKind.SCORING and settings != FeedbackSettings():
        raise InvalidInput(
            f"Feedback between rounds is for scoring rounds; a {kind.value} round shows no earlier answers."
        )
    return settings


def feedback_words(settings: FeedbackSettings) -> str:
    """The settings in the audit log's words."""
    split = "by stakeholder group" if settings.split.value == "groups" else "as the whole room"
    return (
        f"earlier answers {split}, {'pre-selected' if settings.preselect else 'not pre-selected'}, "
        f"{'asking' if settings.ask_why else 'not asking'} why answers changed"
    )


def _answer(entries: Sequence[ScoreEntry], cell: tuple[int, int]) -> float | None:
    """The answer to a cell (None: "don't know" or not answered)."""
    return next((e.value for e in entries if (e.priority_id, e.criterion_id) == cell), None)


class FeedbackMixin(ServiceBase):
    def set_round_feedback(self, key: str, round_id: int, settings: FeedbackSettings) -> Round:
        """Change a scoring round's feedback between rounds, before or while it runs (not once it has run).
        Facilitator only, recorded in the audit log."""
        with self._editing_round(key, round_id) as (tx, rnd, now):
            check_feedback(rnd.kind, settings)
            if rnd.state in (RoundState.CLOSED, RoundState.REVEALED):
                raise InvalidInput(f"{rnd.short_label} has run; its feedback settings can no longer change.")
            tx.set_round_feedback(round_id, settings)
            tx.audit(
                rnd.workshop_id, now, FACILITATOR, "round feedback set", f"{rnd.label}: {feedback_words(settings)}"
            )
            return self._round(tx, round_id)

    @staticmethod
    def _feedback(tx: Transaction, rnd: Round, participant: Participant | None) -> RoundFeedback:
        earlier = earlier_round(tx.rounds(rnd.workshop_id), rnd)
        if earlier is None:
            return no_feedback(rnd)
        workshop_id = rnd.workshop_id
        return round_feedback(
            rnd,
            earlier,
            tx.criteria(workshop_id),
            tx.score_table(earlier.id),
            tx.participants(workshop_id),
            [g.name for g in tx.groups(workshop_id)],
            participant,
        )

    @staticmethod
    def _earlier(tx: Transaction, rnd: Round) -> Round:
        earlier = earlier_round(tx.rounds(rnd.workshop_id), rnd)
        if earlier is None:
            raise InvalidInput(f"{rnd.short_label} does not follow an earlier scoring round.")
        return earlier

    def my_feedback(self, token: str, round_id: int) -> RoundFeedback:
        """What a participant sees beside each question of a follow-up round: the room's earlier answers
        (counts and medians only, ``ranking.feedback``) and their own earlier answer; nobody else's.
        Refused for a round not yet opened: opening the follow-up round is what shows the room the earlier
        round's answers (which may not have been revealed)."""
        with self._store.read() as tx:
            participant = self._participant(tx, token)
            rnd = self._participant_round(tx, participant, round_id)
            if rnd.state is RoundState.DRAFT:
                raise RoundNotOpen(f"{rnd.short_label} has not opened yet.")
            return self._feedback(tx, rnd, participant)

    def round_feedback(self, key: str, round_id: int) -> RoundFeedback:
        """The facilitator's preview of what the room sees (the same lines; no one's own answer)."""
        workshop_id = self._round_workshop(round_id)
        self._authorise(key, workshop_id)
        with self._store.read() as tx:
            return self._feedback(tx, self._round(tx, round_id), None)

    def _open_followup(self, tx: Transaction, participant: Participant, round_id: int, priority_id: int) -> Round:
        rnd = self._participant_round(tx, participant, round_id)
        self._answering(rnd, RoundKind.SCORING, participant)
        if priority_id not in rnd.priority_ids:
            raise InvalidInput(f"That priority is not part of {rnd.short_label}.")
        return rnd

    def keep_earlier_answers(self, token: str, round_id: int, priority_id: int) -> SaveReceipt:
        """Keep the participant's earlier answers to a priority as their answers in this round: one
        action for the whole card (every criterion they answered earlier; "don't know" stays "don't
        know").  Any reason given for a change is dropped with the change."""
        with self._store.read() as tx:
            participant = self._participant(tx, token)
            rnd = self._open_followup(tx, participant, round_id, priority_id)
            earlier = self._earlier(tx, rnd)
            mine = [e for e in tx.participant_scores(earlier.id, participant.id) if e.priority_id == priority_id]
        if not mine:
            raise InvalidInput(f"You did not answer this priority in {earlier.short_label}.")
        # The earlier round has run, so its answers cannot change before this save: the save is the
        # participant's own, with every check a save has (open round, share, scale).
        return self.save_scores(token, round_id, [ScoreEntry(priority_id, e.criterion_id, e.value) for e in mine])

    def save_change_reason(
        self, token: str, round_id: int, priority_id: int, criterion_id: int, reason: str
    ) -> SaveReceipt:
        """Store why the participant moved an answer across the scale (bottom third ↔ top third) from the
        earlier round; empty text clears it.  Only in a round that asks why, and only for such a change."""
        text = plain_text(reason, "reason")
        if len(text) > MAX_REASON_LENGTH:
            raise InvalidInput(f"The reason is longer than {MAX_REASON_LENGTH:,} characters; it was not saved.")
        now = self._clock()
        with self._store.write() as tx:
            participant = self._participant(tx, token)
            rnd = self._open_followup(tx, participant, round_id, priority_id)
            if not rnd.feedback.ask_why:
                raise InvalidInput(f"{rnd.short_label} does not ask why answers changed.")
            criterion = next((c for c in tx.criteria(rnd.workshop_id) if c.id == criterion_id), None)
            if criterion is None:
                raise InvalidInput("That criterion is not part of this workshop.")
            earlier = self._earlier(tx, rnd)
            cell = (priority_id, criterion_id)
            before = _answer(tx.participant_scores(earlier.id, participant.id), cell)
            after = _answer(tx.participant_scores(round_id, participant.id), cell)
            if not crossed(criterion, before, after):
                raise InvalidInput(
                    "A reason is asked only for an answer moved between the bottom and the top third of the "
                    "scale since the earlier round; it was not saved."
                )
            version = self._bump(tx, participant.workshop_id)
            tx.set_score_reason(round_id, participant.id, priority_id, criterion_id, text or None)
            tx.touch(participant.id, now)
        return SaveReceipt(now, version)

    def my_change_reasons(self, token: str, round_id: int) -> tuple[ScoreRecord, ...]:
        """The participant's own answers in the round that carry a reason (to show what they wrote)."""
        with self._store.read() as tx:
            participant = self._participant(tx, token)
            self._participant_round(tx, participant, round_id)
            return tx.participant_reasons(round_id, participant.id)

    def change_reasons(self, key: str, round_id: int) -> tuple[ChangeReason, ...]:
        """The reasons given in a round for answers moved across the scale, anonymised (no name, no
        number; in the order of the priorities and criteria, then of the text).  Facilitator only."""
        workshop_id = self._round_workshop(round_id)
        self._authorise(key, workshop_id)
        with self._store.read() as tx:
            rnd = self._round(tx, round_id)
            earlier = earlier_round(tx.rounds(workshop_id), rnd)
            if earlier is None:
                return ()
            priorities = [p for p in tx.priorities(workshop_id) if p.id in rnd.priority_ids]
            return change_reasons(priorities, tx.criteria(workshop_id), tx.scores(earlier.id), tx.scores(round_id))

    def attrition(self, key: str, round_id: int) -> Attrition:
        """Completion by round × stakeholder group (every round that has been open, and this one), who
        answered the previous round but nothing of this one, and who is still to finish it."""
        workshop_id = self._round_workshop(round_id)
        self._authorise(key, workshop_id)
        with self._store.read() as tx:
            rnd = self._round(tx, round_id)
            rounds = tx.rounds(workshop_id)
            shown = [r for r in rounds if r.state is not RoundState.DRAFT or r.id == rnd.id]
            tabulated = [(r, ResultsMixin._progress(tx, workshop_id, r)) for r in shown]
            groups = [g.name for g in tx.groups(workshop_id)]
            return attrition(rnd, previous_round(rounds, rnd), tabulated, groups)
