"""Reading and writing rounds, their priorities and their states."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, insert, select, update

from workshop import schema as s
from workshop.models import FeedbackSettings, Round, RoundKind, RoundStage, RoundState, state_at
from workshop.store.consultations import ConsultationRows
from workshop.store.convert import _feedback_columns, _round
from workshop.store.statements import _ROUND, _ROUND_PRIORITIES, _ROUND_STAMP, _ROUND_STATE


class RoundRows(ConsultationRows):
    """Rounds as they stand at the transaction's time (``Round.as_of``): a consultation whose closing
    time has come is read as closed, by every page and every save."""

    # ------------------------------------------------------------------ rounds

    def _round_priority_ids(self, round_ids: Sequence[int]) -> dict[int, tuple[int, ...]]:
        rp, p = s.round_priorities, s.priorities
        found: dict[int, list[int]] = {rid: [] for rid in round_ids}
        rows = self.conn.execute(
            select(rp.c.round_id, rp.c.priority_id)
            .join(p, p.c.id == rp.c.priority_id)
            .where(rp.c.round_id.in_(round_ids))
            .order_by(p.c.position, p.c.id)
        )
        for r in rows:
            found[r.round_id].append(r.priority_id)
        return {rid: tuple(ids) for rid, ids in found.items()}

    def rounds(self, workshop_id: int) -> tuple[Round, ...]:
        r = s.rounds
        rows = list(self.conn.execute(select(r).where(r.c.workshop_id == workshop_id).order_by(r.c.number)))
        covered = self._round_priority_ids([row.id for row in rows])
        return self._consulted([_round(row, covered[row.id]) for row in rows])

    def round(self, round_id: int) -> Round | None:
        row = self.conn.execute(_ROUND, {"round_id": round_id}).one_or_none()
        if row is None:
            return None
        return self._consulted([_round(row, tuple(self.conn.scalars(_ROUND_PRIORITIES, {"round_id": round_id})))])[0]

    def round_stages(self, workshop_id: int) -> tuple[RoundStage, ...]:
        r, rc = s.rounds, s.round_consultations
        query = (
            select(r.c.id, r.c.state, rc.c.closes_at)
            .outerjoin(rc, rc.c.round_id == r.c.id)
            .where(r.c.workshop_id == workshop_id)
            .order_by(r.c.number)
        )
        return tuple(
            RoundStage(row.id, self._state(row.state, row.closes_at))
            for row in self.conn.execute(query)
        )

    def latest_decision_id(self, workshop_id: int) -> int | None:
        d = s.decisions
        query = select(d.c.id).where(d.c.workshop_id == workshop_id).order_by(d.c.decided_at.desc(), d.c.id.desc())
        return self.conn.scalar(query.limit(1))

    def round_state(self, round_id: int) -> RoundState | None:
        mark = self.round_mark(round_id)
        return None if mark is None else self._state(mark[0], mark[1])

    def round_mark(self, round_id: int) -> tuple[str, datetime | None, datetime | None] | None:
        """The round's stored state, closing time and opening time (one statement): what can change of
        a round that has opened (``service.base.ServiceBase._opened_round``)."""
        row = self.conn.execute(_ROUND_STATE, {"round_id": round_id}).one_or_none()
        return None if row is None else (row.state, row.closes_at, row.opened_at)

    def _state(self, stored: str, closes_at: datetime | None) -> RoundState:
        state = RoundState(stored)
        return state if closes_at is None else state_at(state, closes_at, self.now)

    def insert_round(
        self,
        workshop_id: int,
        title: str,
        kind: RoundKind,
        priority_ids: Sequence[int],
        pick_count: int | None,
        created_at: datetime,
        feedback: FeedbackSettings | None = None,
        young_ballot: bool = False,
    ) -> int:
        r = s.rounds
        number = self._next_number(r, workshop_id)
        round_id = self._new_row(
            r,
            workshop_id=workshop_id,
            number=number,
            title=title,
            kind=kind.value,
            state=RoundState.DRAFT.value,
            pick_count=pick_count,
            created_at=created_at,
            **_feedback_columns(feedback or FeedbackSettings()),
            young_ballot=young_ballot,
        )
        self.set_round_priorities(round_id, priority_ids)
        return round_id

    def set_round_feedback(self, round_id: int, feedback: FeedbackSettings) -> None:
        self.conn.execute(update(s.rounds).where(s.rounds.c.id == round_id).values(**_feedback_columns(feedback)))

    def set_round_priorities(self, round_id: int, priority_ids: Sequence[int]) -> None:
        rp = s.round_priorities
        self.conn.execute(delete(rp).where(rp.c.round_id == round_id))
        if priority_ids:
            self.conn.execute(insert(rp), [{"round_id": round_id, "priority_id": pid} for pid in priority_ids])

    def set_round_state(self, round_id: int, state: RoundState, at: datetime) -> None:
        self.conn.execute(
            update(s.rounds).where(s.rounds.c.id == round_id).values(state=state.value, **{_ROUND_STAMP[state]: at})
        )

    def restore_round_state(
        self,
        round_id: int,
        state: RoundState,
        opened_at: datetime | None,
        closed_at: datetime | None,
        revealed_at: datetime | None,
    ) -> None:
        """Set a round's state and all three times at once (restoring an archive)."""
        self.conn.execute(
            update(s.rounds)
            .where(s.rounds.c.id == round_id)
            .values(state=state.value, opened_at=opened_at, closed_at=closed_at, revealed_at=revealed_at)
        )
