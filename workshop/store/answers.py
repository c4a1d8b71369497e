"""Reading and writing answers: score cells, point allocations and rankings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import delete, func, insert, select, update

from workshop import schema as s
from workshop.models import (
    AllocationRecord,
    BallotRecord,
    CriterionPoints,
    RankingRecord,
    RoundKind,
    ScoreEntry,
    ScoreRecord,
    ScoreTable,
    Stamped,
)
from workshop.models.answers import R
from workshop.store.base import Rows
from workshop.store.statements import _UPSERT_SCORES

#: The table each kind of answer is stored in; a record's fields are its columns.
_TABLES = {
    ScoreRecord: s.scores,
    AllocationRecord: s.allocations,
    RankingRecord: s.rankings,
    BallotRecord: s.ballot_answers,
}
_MARKS = (func.count, func.max)  # AnswerRows.answers_mark, of each table's ids
#: The order ``stamped`` lists each kind of answer in.
_ORDER = {
    ScoreRecord: ("participant_id", "priority_id", "criterion_id"),
    AllocationRecord: ("participant_id", "criterion_id"),
    RankingRecord: ("participant_id", "position"),
    BallotRecord: ("participant_id", "priority_id"),
}


def _stamped_rows(round_id: int, rows: Sequence[Stamped[Any]]) -> list[dict[str, Any]]:
    """Insert parameters for stamped records: the record's fields, the round and the time."""
    return [
        dict(round_id=round_id, **{f.name: getattr(r.record, f.name) for f in fields(r.record)}, updated_at=r.at)
        for r in rows
    ]


class AnswerRows(Rows):
    # ------------------------------------------------------------------ answers

    def _records(self, record: type[R], round_id: int) -> tuple[R, ...]:
        """Every answer of one kind in the round (fetched at once and unpacked: a 300-person round has
        48,000 score rows)."""
        t = _TABLES[record]
        rows = self.conn.execute(select(*(t.c[f.name] for f in fields(record))).where(t.c.round_id == round_id))
        return tuple(record(*row) for row in rows.all())

    def answers_mark(self, round_ids: Sequence[int]) -> tuple[int, ...]:
        """For each kind of answer, how many the rounds hold and the latest row's id: one statement,
        read from the indexes.  Used only for closed rounds (``service.results``' memo of what
        consultations said, whose key also holds the rounds as they stand): a closed round's
        answers can only be deleted (a removal, which lowers the count); new ones come only while
        it is open again, and then it closes at a new time."""
        ids = [int(i) for i in round_ids]
        tables = (s.scores, s.allocations, s.rankings, s.ballot_answers)
        marks = [
            select(mark(t.c.id)).where(t.c.round_id.in_(ids)).scalar_subquery() for t in tables for mark in _MARKS
        ]
        return tuple(int(value or 0) for value in self.conn.execute(select(*marks)).one())

    def stamped(self, record: type[R], round_id: int) -> tuple[Stamped[R], ...]:
        """Every answer of one kind (a ``ScoreRecord``, ``AllocationRecord`` or ``RankingRecord``) in the
        round with the time it was last changed, by participant (``_ORDER``)."""
        t = _TABLES[record]
        rows = self.conn.execute(
            select(*(t.c[f.name] for f in fields(record)), t.c.updated_at)
            .where(t.c.round_id == round_id)
            .order_by(*(t.c[name] for name in _ORDER[record]))
        )
        return tuple(Stamped(record(*row[:-1]), row[-1]) for row in rows)

    def insert_stamped(self, record: type[R], round_id: int, rows: Sequence[Stamped[R]]) -> None:
        """Add answers of one kind with their own times (restoring an archive into an empty round)."""
        if rows:
            self.conn.execute(insert(_TABLES[record]), _stamped_rows(round_id, rows))

    def upsert_scores(self, round_id: int, rows: Sequence[Stamped[ScoreRecord]]) -> None:
        """Insert or overwrite score cells (one statement, executed for all rows)."""
        if rows:
            self.conn.execute(_UPSERT_SCORES[self.conn.dialect.name], _stamped_rows(round_id, rows))

    def scores(self, round_id: int) -> tuple[ScoreRecord, ...]:
        return self._records(ScoreRecord, round_id)

    def score_table(self, round_id: int) -> ScoreTable:
        """The round's scores as columns, fetched from the driver's own cursor
        into numpy: SQLAlchemy's row objects alone cost twice the fetch for a
        300-person round (bench/RESULTS.md, Store).  ``round_id`` is inlined
        as an integer literal, so the SQL is the same on every database."""
        t = s.scores
        query = select(t.c.participant_id, t.c.priority_id, t.c.criterion_id, t.c.value).where(
            t.c.round_id == int(round_id)
        )
        sql = str(query.compile(dialect=self.conn.dialect, compile_kwargs={"literal_binds": True}))
        cursor = self.conn.connection.cursor()
        try:
            cursor.execute(sql)
            rows = np.array(cursor.fetchall(), dtype=float).reshape(-1, 4)  # None becomes NaN
        finally:
            cursor.close()
        ids = rows[:, :3].astype(np.int64)
        return ScoreTable(ids[:, 0], ids[:, 1], ids[:, 2], rows[:, 3])

    def participant_scores(self, round_id: int, participant_id: int) -> tuple[ScoreEntry, ...]:
        t = s.scores
        rows = self.conn.execute(
            select(t.c.priority_id, t.c.criterion_id, t.c.value)
            .where(t.c.round_id == round_id, t.c.participant_id == participant_id)
            .order_by(t.c.priority_id, t.c.criterion_id)
        )
        return tuple(ScoreEntry(r.priority_id, r.criterion_id, r.value) for r in rows)

    def set_score_reason(
        self, round_id: int, participant_id: int, priority_id: int, criterion_id: int, reason: str | None
    ) -> bool:
        """Store (or clear, with None) the reason given for a score; False when there is no such score."""
        t = s.scores
        done = self.conn.execute(
            update(t)
            .where(
                t.c.round_id == round_id,
                t.c.participant_id == participant_id,
                t.c.priority_id == priority_id,
                t.c.criterion_id == criterion_id,
            )
            .values(reason=reason)
        )
        return bool(done.rowcount)

    def participant_reasons(self, round_id: int, participant_id: int) -> tuple[ScoreRecord, ...]:
        """The participant's scores in the round that carry a reason."""
        t = s.scores
        rows = self.conn.execute(
            select(*(t.c[f.name] for f in fields(ScoreRecord))).where(
                t.c.round_id == round_id, t.c.participant_id == participant_id, t.c.reason.is_not(None)
            )
        )
        return tuple(ScoreRecord(*row) for row in rows)

    def save_allocation(
        self, round_id: int, participant_id: int, points: Sequence[CriterionPoints], at: datetime
    ) -> None:
        for item in points:
            self._upsert(
                s.allocations,
                dict(
                    round_id=round_id,
                    participant_id=participant_id,
                    criterion_id=item.criterion_id,
                    points=item.points,
                    updated_at=at,
                ),
                keys=("round_id", "participant_id", "criterion_id"),
                update_cols=("points", "updated_at"),
            )

    def allocations(self, round_id: int) -> tuple[AllocationRecord, ...]:
        return self._records(AllocationRecord, round_id)

    def participant_allocation(self, round_id: int, participant_id: int) -> tuple[CriterionPoints, ...]:
        t, c = s.allocations, s.criteria
        rows = self.conn.execute(
            select(t.c.criterion_id, t.c.points)
            .join(c, c.c.id == t.c.criterion_id)
            .where(t.c.round_id == round_id, t.c.participant_id == participant_id)
            .order_by(c.c.position)
        )
        return tuple(CriterionPoints(r.criterion_id, r.points) for r in rows)

    def save_ranking(self, round_id: int, participant_id: int, priority_ids: Sequence[int], at: datetime) -> None:
        """Replace the participant's ranking for the round."""
        t = s.rankings
        self.conn.execute(delete(t).where(t.c.round_id == round_id, t.c.participant_id == participant_id))
        self.conn.execute(
            insert(t),
            [
                dict(round_id=round_id, participant_id=participant_id, priority_id=pid, position=n, updated_at=at)
                for n, pid in enumerate(priority_ids, start=1)
            ],
        )

    def rankings(self, round_id: int) -> tuple[RankingRecord, ...]:
        return self._records(RankingRecord, round_id)

    def participant_ranking(self, round_id: int, participant_id: int) -> tuple[int, ...]:
        t = s.rankings
        return tuple(
            self.conn.scalars(
                select(t.c.priority_id)
                .where(t.c.round_id == round_id, t.c.participant_id == participant_id)
                .order_by(t.c.position)
            )
        )

    def answer_counts(self, round_id: int, kind: RoundKind) -> tuple[tuple[int, int], ...]:
        """(participant id, rows answered) for everyone who answered the round."""
        table = {RoundKind.SCORING: s.scores, RoundKind.WEIGHTING: s.allocations, RoundKind.RANKING: s.rankings}[kind]
        rows = self.conn.execute(
            select(table.c.participant_id, func.count())
            .where(table.c.round_id == round_id)
            .group_by(table.c.participant_id)
        )
        return tuple((r[0], r[1]) for r in rows)
