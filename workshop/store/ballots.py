"""Reading and writing a young people's ballot's answers (one per participant and priority)."""

from __future__ import annotations

from datetime import datetime

import numpy as np
from sqlalchemy import func, select

from workshop import schema as s
from workshop.ballot import BALLOT_CRITERION_ID
from workshop.models import BallotRecord, ScoreEntry, ScoreTable
from workshop.store.base import Rows


class BallotRows(Rows):
    # ------------------------------------------------------------------ young people's ballots

    def save_ballot_answer(self, round_id: int, record: BallotRecord, at: datetime) -> None:
        """Insert or overwrite one answer (the last save wins)."""
        self._upsert(
            s.ballot_answers,
            dict(
                round_id=round_id,
                participant_id=record.participant_id,
                priority_id=record.priority_id,
                value=record.value,
                updated_at=at,
            ),
            keys=("round_id", "participant_id", "priority_id"),
            update_cols=("value", "updated_at"),
        )

    def ballot_table(self, round_id: int) -> ScoreTable:
        """The ballot's answers as a one-criterion score table (``workshop.ballot.BALLOT_CRITERION_ID``),
        so that results are computed as for any scoring round."""
        t = s.ballot_answers
        rows = self.conn.execute(
            select(t.c.participant_id, t.c.priority_id, t.c.value).where(t.c.round_id == round_id)
        ).all()
        data = np.array([(r[0], r[1], np.nan if r[2] is None else r[2]) for r in rows], dtype=float).reshape(-1, 3)
        ids = data[:, :2].astype(np.int64)
        return ScoreTable(ids[:, 0], ids[:, 1], np.full(len(ids), BALLOT_CRITERION_ID, dtype=np.int64), data[:, 2])

    def participant_ballot(self, round_id: int, participant_id: int) -> tuple[ScoreEntry, ...]:
        """One participant's answers, as score entries of the ballot's one question."""
        t = s.ballot_answers
        rows = self.conn.execute(
            select(t.c.priority_id, t.c.value)
            .where(t.c.round_id == round_id, t.c.participant_id == participant_id)
            .order_by(t.c.priority_id)
        )
        return tuple(ScoreEntry(r.priority_id, BALLOT_CRITERION_ID, r.value) for r in rows)

    def ballot_counts(self, round_id: int) -> tuple[tuple[int, int], ...]:
        """(participant id, answers given) for everyone who answered the ballot."""
        t = s.ballot_answers
        rows = self.conn.execute(
            select(t.c.participant_id, func.count()).where(t.c.round_id == round_id).group_by(t.c.participant_id)
        )
        return tuple((r[0], r[1]) for r in rows)

    def ballot_views(self, round_id: int) -> dict[int, int]:
        """Per priority id, how many gave a view on it ("Not sure", a NULL value, is not one, as in the
        engine's response count; priorities nobody answered are absent)."""
        t = s.ballot_answers
        query = select(t.c.priority_id, func.count(t.c.value)).where(t.c.round_id == round_id).group_by(t.c.priority_id)
        return {pid: int(n) for pid, n in self.conn.execute(query)}
