"""The store: the one place SQL is written.

``Store`` owns the engine and hands out transactions; ``Transaction`` is
the narrow interface the service talks to.  It returns the frozen
dataclasses of ``workshop.models`` and never checks permissions: that is
the service's job.

Writes for one workshop are serialised: a write transaction calls
``bump_version`` before it reads anything it will act on.  On PostgreSQL
the UPDATE takes the workshop row's lock, so a score save that checks
"is the round open?" after the bump cannot interleave with the close; on
SQLite ``BEGIN IMMEDIATE`` already serialises every writer.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine, Row, Table, bindparam, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ranking.methods import RankingOptions
from ranking.model import Direction
from ranking.robustness import RobustnessOptions
from workshop import schema as s
from workshop.db import get_engine, transaction
from workshop.decision import CheckedDecision, Measurement, measurement_from_json, measurement_json
from workshop.migrations import migrate
from workshop.models import (
    AllocationRecord,
    AuditEntry,
    Criterion,
    CriterionPoints,
    CriterionSpec,
    Decision,
    Departure,
    Group,
    GroupSpec,
    Participant,
    Priority,
    PrioritySpec,
    RankingRecord,
    Round,
    RoundKind,
    RoundStage,
    RoundState,
    ScoreEntry,
    ScoreRecord,
    ScoreTable,
    ShortlistEntry,
    Stamped,
    SyncCount,
    WeightMethod,
    Workshop,
    WorkshopDetails,
    WorkshopSummary,
)


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str) -> Store:
        """The store for ``url``, migrated to the latest schema."""
        store = cls(get_engine(url))
        store.migrate()
        return store

    def migrate(self) -> tuple[int, ...]:
        return migrate(self.engine)

    @contextmanager
    def read(self) -> Iterator[Transaction]:
        with transaction(self.engine, write=False) as conn:
            yield Transaction(conn)

    @contextmanager
    def write(self) -> Iterator[Transaction]:
        """A write transaction: committed when the block ends, rolled back if it raises."""
        with transaction(self.engine, write=True) as conn:
            yield Transaction(conn)


_ROUND_STAMP = {
    RoundState.OPEN: "opened_at",
    RoundState.CLOSED: "closed_at",
    RoundState.REVEALED: "revealed_at",
}


# Statements on the path of every save, built once.  Building a Core statement
# costs several times more than executing a built one (about 190 µs against
# 40 µs here: the column proxies and the cache key are made anew each time), and
# a busy room saves a hundred cells a second, each in a transaction that on
# PostgreSQL holds the workshop's row lock (bench/RESULTS.md, Store).
_w, _p, _g, _r, _rp, _c = s.workshops, s.participants, s.stakeholder_groups, s.rounds, s.round_priorities, s.criteria
_BUMP = update(_w).where(_w.c.id == bindparam("workshop_id")).values(version=_w.c.version + 1).returning(_w.c.version)
_PARTICIPANT = (
    select(_p, _g.c.name.label("group_name"))
    .outerjoin(_g, _g.c.id == _p.c.group_id)
    .where(_p.c.token_hash == bindparam("token_hash"))
)
_TOUCH = update(_p).where(_p.c.id == bindparam("participant_id")).values(last_seen=bindparam("seen"))
_ROUND = select(_r).where(_r.c.id == bindparam("round_id"))
_ROUND_STATE = select(_r.c.state).where(_r.c.id == bindparam("round_id"))
_ROUND_PRIORITIES = (
    select(_rp.c.priority_id)
    .join(s.priorities, s.priorities.c.id == _rp.c.priority_id)
    .where(_rp.c.round_id == bindparam("round_id"))
    .order_by(s.priorities.c.position, s.priorities.c.id)
)
_CRITERIA = select(_c).where(_c.c.workshop_id == bindparam("workshop_id")).order_by(_c.c.position, _c.c.id)
_score_key = [s.scores.c.round_id, s.scores.c.participant_id, s.scores.c.priority_id, s.scores.c.criterion_id]
_UPSERT_SCORES = {
    dialect: insert_.on_conflict_do_update(
        index_elements=_score_key, set_={"value": insert_.excluded.value, "updated_at": insert_.excluded.updated_at}
    )
    for dialect, insert_ in (("sqlite", sqlite.insert(s.scores)), ("postgresql", postgresql.insert(s.scores)))
}


class Transaction:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._insert = sqlite.insert if conn.dialect.name == "sqlite" else postgresql.insert

    # ------------------------------------------------------------------ helpers

    def _upsert(self, table: Table, values: dict[str, Any], keys: Sequence[str], update_cols: Sequence[str]) -> None:
        stmt = self._insert(table).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=[table.c[k] for k in keys], set_={c: stmt.excluded[c] for c in update_cols}
        )
        self.conn.execute(stmt)

    def _sync_named(self, table: Table, workshop_id: int, rows: list[dict[str, Any]]) -> SyncCount:
        """Make ``table``'s rows for the workshop exactly ``rows`` (in order),
        keeping the id of every row whose name is unchanged."""
        existing = {
            r.name: r.id
            for r in self.conn.execute(select(table.c.id, table.c.name).where(table.c.workshop_id == workshop_id))
        }
        wanted = {row["name"] for row in rows}
        removed = [row_id for name, row_id in existing.items() if name not in wanted]
        if removed:
            self.conn.execute(delete(table).where(table.c.id.in_(removed)))
        for position, row in enumerate(rows, start=1):
            values = {**row, "position": position}
            if row["name"] in existing:
                self.conn.execute(update(table).where(table.c.id == existing[row["name"]]).values(**values))
            else:
                self.conn.execute(insert(table).values(workshop_id=workshop_id, **values))
        kept = len(wanted & existing.keys())
        return SyncCount(added=len(rows) - kept, kept=kept, removed=len(removed))

    # ------------------------------------------------------------------ workshops

    def code_taken(self, code: str) -> bool:
        return self.conn.scalar(select(s.workshops.c.id).where(s.workshops.c.code == code)) is not None

    def insert_workshop(
        self,
        code: str,
        details: WorkshopDetails,
        shortlist_size: int,
        weight_method: WeightMethod,
        key_hash: str,
        created_at: datetime,
        ranking: RankingOptions | None = None,
        robustness: RobustnessOptions | None = None,
    ) -> int:
        return self.conn.execute(
            insert(s.workshops)
            .values(
                code=code,
                title=details.title,
                organisation=details.organisation,
                event_date=details.date,
                description=details.description,
                shortlist_size=shortlist_size,
                weight_method=weight_method.value,
                key_hash=key_hash,
                created_at=created_at,
                version=1,
                **_ranking_columns(ranking or RankingOptions()),
                **_robustness_columns(robustness or RobustnessOptions()),
            )
            .returning(s.workshops.c.id)
        ).scalar_one()

    def workshop_id(self, code: str) -> int | None:
        if not code.isprintable():  # no code holds a control character, and PostgreSQL cannot compare NUL
            return None
        return self.conn.scalar(select(s.workshops.c.id).where(s.workshops.c.code == code))

    def key_hash(self, workshop_id: int) -> str | None:
        return self.conn.scalar(select(s.workshops.c.key_hash).where(s.workshops.c.id == workshop_id))

    def version(self, workshop_id: int) -> int | None:
        return self.conn.scalar(select(s.workshops.c.version).where(s.workshops.c.id == workshop_id))

    def bump_version(self, workshop_id: int) -> int | None:
        """Add one to the workshop's change counter (locking its row); None if
        there is no such workshop."""
        return self.conn.execute(_BUMP, {"workshop_id": workshop_id}).scalar_one_or_none()

    def setup_locked(self, workshop_id: int) -> bool:
        return self.setup_locked_at(workshop_id) is not None

    def setup_locked_at(self, workshop_id: int) -> datetime | None:
        w = s.workshops
        return self.conn.scalar(select(w.c.setup_locked_at).where(w.c.id == workshop_id))

    def lock_setup(self, workshop_id: int, at: datetime) -> None:
        w = s.workshops
        self.conn.execute(
            update(w).where(w.c.id == workshop_id, w.c.setup_locked_at.is_(None)).values(setup_locked_at=at)
        )

    def update_details(self, workshop_id: int, details: WorkshopDetails) -> None:
        self.conn.execute(
            update(s.workshops)
            .where(s.workshops.c.id == workshop_id)
            .values(
                title=details.title,
                organisation=details.organisation,
                event_date=details.date,
                description=details.description,
            )
        )

    def set_shortlist_size(self, workshop_id: int, size: int) -> None:
        self.conn.execute(update(s.workshops).where(s.workshops.c.id == workshop_id).values(shortlist_size=size))

    def set_weight_method(self, workshop_id: int, method: WeightMethod) -> None:
        self.conn.execute(update(s.workshops).where(s.workshops.c.id == workshop_id).values(weight_method=method.value))

    def ranking(self, workshop_id: int) -> RankingOptions | None:
        """The workshop's ranking options, or None if there is no such workshop."""
        w = s.workshops
        row = self.conn.execute(
            select(w.c.ranking_method, w.c.ranking_aggregation, w.c.ranking_balanced).where(w.c.id == workshop_id)
        ).one_or_none()
        return None if row is None else _ranking(row)

    def set_ranking(self, workshop_id: int, ranking: RankingOptions) -> None:
        """Store the workshop's ranking options (method, aggregation, group balance)."""
        self.conn.execute(
            update(s.workshops).where(s.workshops.c.id == workshop_id).values(**_ranking_columns(ranking))
        )

    def robustness(self, workshop_id: int) -> RobustnessOptions | None:
        """The workshop's robustness settings, or None if there is no such workshop."""
        w = s.workshops
        columns = [w.c[name] for name in _ROBUSTNESS_COLUMNS.values()]
        row = self.conn.execute(select(*columns).where(w.c.id == workshop_id)).one_or_none()
        return None if row is None else _robustness(row)

    def set_robustness(self, workshop_id: int, robustness: RobustnessOptions) -> None:
        """Store the workshop's robustness settings (SMAA and bootstrap)."""
        self.conn.execute(
            update(s.workshops).where(s.workshops.c.id == workshop_id).values(**_robustness_columns(robustness))
        )

    def workshops(self) -> tuple[WorkshopSummary, ...]:
        w = s.workshops
        rows = self.conn.execute(
            select(w.c.id, w.c.code, w.c.title, w.c.organisation, w.c.event_date, w.c.created_at).order_by(
                w.c.created_at.desc(), w.c.id.desc()
            )
        )
        return tuple(WorkshopSummary(r.id, r.code, r.title, r.organisation, r.event_date, r.created_at) for r in rows)

    def workshop(self, workshop_id: int) -> Workshop | None:
        w = s.workshops
        row = self.conn.execute(select(w).where(w.c.id == workshop_id)).one_or_none()
        if row is None:
            return None
        return Workshop(
            id=row.id,
            code=row.code,
            title=row.title,
            organisation=row.organisation,
            date=row.event_date,
            description=row.description,
            shortlist_size=row.shortlist_size,
            weight_method=WeightMethod(row.weight_method),
            created_at=row.created_at,
            setup_locked=row.setup_locked_at is not None,
            version=row.version,
            priorities=self.priorities(workshop_id),
            criteria=self.criteria(workshop_id),
            groups=self.groups(workshop_id),
            rounds=self.rounds(workshop_id),
            ranking=_ranking(row),
            robustness=_robustness(row),
        )

    # ------------------------------------------------------------------ setup lists

    def priorities(self, workshop_id: int) -> tuple[Priority, ...]:
        p = s.priorities
        rows = self.conn.execute(select(p).where(p.c.workshop_id == workshop_id).order_by(p.c.position, p.c.id))
        return tuple(Priority(r.id, r.position, r.name, r.theme, r.description, r.evidence) for r in rows)

    def criteria(self, workshop_id: int) -> tuple[Criterion, ...]:
        return tuple(_criterion(r) for r in self.conn.execute(_CRITERIA, {"workshop_id": workshop_id}))

    def groups(self, workshop_id: int) -> tuple[Group, ...]:
        g = s.stakeholder_groups
        rows = self.conn.execute(select(g).where(g.c.workshop_id == workshop_id).order_by(g.c.position, g.c.id))
        return tuple(Group(r.id, r.position, r.name, r.description) for r in rows)

    def save_priorities(self, workshop_id: int, specs: Sequence[PrioritySpec]) -> SyncCount:
        rows = [dict(name=p.name, theme=p.theme, description=p.description, evidence=p.evidence) for p in specs]
        return self._sync_named(s.priorities, workshop_id, rows)

    def save_criteria(self, workshop_id: int, specs: Sequence[CriterionSpec]) -> SyncCount:
        rows = [
            dict(
                name=c.name,
                description=c.description,
                direction=c.direction.value,
                scale_min=c.scale_min,
                scale_max=c.scale_max,
                descriptors=json.dumps(list(c.descriptors), ensure_ascii=False),
                weight=c.weight,
            )
            for c in specs
        ]
        return self._sync_named(s.criteria, workshop_id, rows)

    def save_groups(self, workshop_id: int, specs: Sequence[GroupSpec]) -> SyncCount:
        rows = [dict(name=g.name, description=g.description) for g in specs]
        return self._sync_named(s.stakeholder_groups, workshop_id, rows)

    def groups_in_use(self, workshop_id: int) -> tuple[str, ...]:
        """Names of the workshop's groups that participants have joined."""
        g, p = s.stakeholder_groups, s.participants
        return tuple(
            self.conn.scalars(
                select(g.c.name)
                .where(g.c.workshop_id == workshop_id, g.c.id.in_(select(p.c.group_id)))
                .order_by(g.c.position)
            )
        )

    def set_weights(self, weights: Iterable[tuple[int, float]]) -> None:
        for criterion_id, weight in weights:
            self.conn.execute(update(s.criteria).where(s.criteria.c.id == criterion_id).values(weight=weight))

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
        return tuple(_round(row, covered[row.id]) for row in rows)

    def round(self, round_id: int) -> Round | None:
        row = self.conn.execute(_ROUND, {"round_id": round_id}).one_or_none()
        if row is None:
            return None
        return _round(row, tuple(self.conn.scalars(_ROUND_PRIORITIES, {"round_id": round_id})))

    def round_stages(self, workshop_id: int) -> tuple[RoundStage, ...]:
        r = s.rounds
        query = select(r.c.id, r.c.state).where(r.c.workshop_id == workshop_id).order_by(r.c.number)
        return tuple(RoundStage(row.id, RoundState(row.state)) for row in self.conn.execute(query))

    def latest_decision_id(self, workshop_id: int) -> int | None:
        d = s.decisions
        query = select(d.c.id).where(d.c.workshop_id == workshop_id).order_by(d.c.decided_at.desc(), d.c.id.desc())
        return self.conn.scalar(query.limit(1))

    def round_state(self, round_id: int) -> RoundState | None:
        state = self.conn.scalar(_ROUND_STATE, {"round_id": round_id})
        return None if state is None else RoundState(state)

    def insert_round(
        self,
        workshop_id: int,
        title: str,
        kind: RoundKind,
        priority_ids: Sequence[int],
        pick_count: int | None,
        created_at: datetime,
    ) -> int:
        r = s.rounds
        number = 1 + (self.conn.scalar(select(func.max(r.c.number)).where(r.c.workshop_id == workshop_id)) or 0)
        round_id = self.conn.execute(
            insert(r)
            .values(
                workshop_id=workshop_id,
                number=number,
                title=title,
                kind=kind.value,
                state=RoundState.DRAFT.value,
                pick_count=pick_count,
                created_at=created_at,
            )
            .returning(r.c.id)
        ).scalar_one()
        self.set_round_priorities(round_id, priority_ids)
        return round_id

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

    # ------------------------------------------------------------------ participants

    def insert_participant(
        self, workshop_id: int, token_hash: str, display_name: str | None, group_id: int | None, at: datetime
    ) -> int:
        p = s.participants
        number = 1 + (self.conn.scalar(select(func.max(p.c.number)).where(p.c.workshop_id == workshop_id)) or 0)
        return self.conn.execute(
            insert(p)
            .values(
                workshop_id=workshop_id,
                number=number,
                token_hash=token_hash,
                display_name=display_name,
                group_id=group_id,
                joined_at=at,
                last_seen=at,
            )
            .returning(p.c.id)
        ).scalar_one()

    def _participants(self, *where: Any) -> list[Participant]:
        p, g = s.participants, s.stakeholder_groups
        rows = self.conn.execute(
            select(p, g.c.name.label("group_name"))
            .outerjoin(g, g.c.id == p.c.group_id)
            .where(*where)
            .order_by(p.c.number)
        )
        return [
            Participant(r.id, r.workshop_id, r.number, r.display_name, r.group_name, r.joined_at, r.last_seen)
            for r in rows
        ]

    def participant(self, token_hash: str) -> Participant | None:
        r = self.conn.execute(_PARTICIPANT, {"token_hash": token_hash}).one_or_none()
        if r is None:
            return None
        return Participant(r.id, r.workshop_id, r.number, r.display_name, r.group_name, r.joined_at, r.last_seen)

    def participants(self, workshop_id: int) -> tuple[Participant, ...]:
        return tuple(self._participants(s.participants.c.workshop_id == workshop_id))

    def touch(self, participant_id: int, at: datetime) -> None:
        self.conn.execute(_TOUCH, {"participant_id": participant_id, "seen": at})

    # ------------------------------------------------------------------ answers

    def upsert_scores(self, round_id: int, rows: Sequence[Stamped[ScoreRecord]]) -> None:
        """Insert or overwrite score cells (one statement, executed for all rows)."""
        if not rows:
            return
        self.conn.execute(
            _UPSERT_SCORES[self.conn.dialect.name],
            [
                dict(
                    round_id=round_id,
                    participant_id=r.record.participant_id,
                    priority_id=r.record.priority_id,
                    criterion_id=r.record.criterion_id,
                    value=r.record.value,
                    updated_at=r.at,
                )
                for r in rows
            ],
        )

    def scores(self, round_id: int) -> tuple[ScoreRecord, ...]:
        t = s.scores
        rows = self.conn.execute(
            select(t.c.participant_id, t.c.priority_id, t.c.criterion_id, t.c.value).where(t.c.round_id == round_id)
        ).all()  # fetched at once and unpacked: a 300-person round has 48,000 rows
        return tuple(ScoreRecord(p, i, c, v) for p, i, c, v in rows)

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

    def stamped_scores(self, round_id: int) -> tuple[Stamped[ScoreRecord], ...]:
        """The round's scores with the time each was last changed (participant, priority, criterion order)."""
        t = s.scores
        rows = self.conn.execute(
            select(t.c.participant_id, t.c.priority_id, t.c.criterion_id, t.c.value, t.c.updated_at)
            .where(t.c.round_id == round_id)
            .order_by(t.c.participant_id, t.c.priority_id, t.c.criterion_id)
        )
        return tuple(
            Stamped(ScoreRecord(r.participant_id, r.priority_id, r.criterion_id, r.value), r.updated_at) for r in rows
        )

    def participant_scores(self, round_id: int, participant_id: int) -> tuple[ScoreEntry, ...]:
        t = s.scores
        rows = self.conn.execute(
            select(t.c.priority_id, t.c.criterion_id, t.c.value)
            .where(t.c.round_id == round_id, t.c.participant_id == participant_id)
            .order_by(t.c.priority_id, t.c.criterion_id)
        )
        return tuple(ScoreEntry(r.priority_id, r.criterion_id, r.value) for r in rows)

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
        t = s.allocations
        rows = self.conn.execute(
            select(t.c.participant_id, t.c.criterion_id, t.c.points).where(t.c.round_id == round_id)
        )
        return tuple(AllocationRecord(r.participant_id, r.criterion_id, r.points) for r in rows)

    def stamped_allocations(self, round_id: int) -> tuple[Stamped[AllocationRecord], ...]:
        t = s.allocations
        rows = self.conn.execute(
            select(t.c.participant_id, t.c.criterion_id, t.c.points, t.c.updated_at)
            .where(t.c.round_id == round_id)
            .order_by(t.c.participant_id, t.c.criterion_id)
        )
        return tuple(Stamped(AllocationRecord(r.participant_id, r.criterion_id, r.points), r.updated_at) for r in rows)

    def insert_allocations(self, round_id: int, rows: Sequence[Stamped[AllocationRecord]]) -> None:
        """Add allocation rows with their own times (restoring an archive into an empty round)."""
        if rows:
            self.conn.execute(
                insert(s.allocations),
                [
                    dict(
                        round_id=round_id,
                        participant_id=r.record.participant_id,
                        criterion_id=r.record.criterion_id,
                        points=r.record.points,
                        updated_at=r.at,
                    )
                    for r in rows
                ],
            )

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
        t = s.rankings
        rows = self.conn.execute(
            select(t.c.participant_id, t.c.priority_id, t.c.position).where(t.c.round_id == round_id)
        )
        return tuple(RankingRecord(r.participant_id, r.priority_id, r.position) for r in rows)

    def stamped_rankings(self, round_id: int) -> tuple[Stamped[RankingRecord], ...]:
        t = s.rankings
        rows = self.conn.execute(
            select(t.c.participant_id, t.c.priority_id, t.c.position, t.c.updated_at)
            .where(t.c.round_id == round_id)
            .order_by(t.c.participant_id, t.c.position)
        )
        return tuple(Stamped(RankingRecord(r.participant_id, r.priority_id, r.position), r.updated_at) for r in rows)

    def insert_rankings(self, round_id: int, rows: Sequence[Stamped[RankingRecord]]) -> None:
        """Add ranking rows with their own times (restoring an archive into an empty round)."""
        if rows:
            self.conn.execute(
                insert(s.rankings),
                [
                    dict(
                        round_id=round_id,
                        participant_id=r.record.participant_id,
                        priority_id=r.record.priority_id,
                        position=r.record.position,
                        updated_at=r.at,
                    )
                    for r in rows
                ],
            )

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

    # ------------------------------------------------------------------ decisions and audit

    def insert_decision(self, workshop_id: int, decision: CheckedDecision, at: datetime) -> int:
        decision_id = self.conn.execute(
            insert(s.decisions)
            .values(
                workshop_id=workshop_id,
                round_id=decision.round_id,
                decided_by=decision.decided_by,
                decided_at=at,
                note=decision.note,
            )
            .returning(s.decisions.c.id)
        ).scalar_one()
        departures = {d.priority_id: d for d in decision.departures}
        items = []
        for position, entry in enumerate(decision.shortlist, start=1):
            departure = departures.pop(entry.priority_id, None)
            items.append(_item(decision_id, entry.priority_id, entry.name, position, entry.rationale, departure))
        items += [_item(decision_id, d.priority_id, d.name, None, "", d) for d in departures.values()]
        self.conn.execute(insert(s.decision_items), items)
        if decision.measurement is not None:
            self.conn.execute(
                insert(s.decision_measurements).values(
                    decision_id=decision_id, measurement=measurement_json(decision.measurement)
                )
            )
        return decision_id

    def latest_decision(self, workshop_id: int) -> Decision | None:
        found = self._decisions(workshop_id, latest=True)
        return found[0] if found else None

    def decisions(self, workshop_id: int) -> tuple[Decision, ...]:
        """Every decision recorded for the workshop, oldest first."""
        return self._decisions(workshop_id, latest=False)

    def _decisions(self, workshop_id: int, latest: bool) -> tuple[Decision, ...]:
        d, i, m = s.decisions, s.decision_items, s.decision_measurements
        query = select(d, m.c.measurement).outerjoin(m, m.c.decision_id == d.c.id).where(d.c.workshop_id == workshop_id)
        if latest:
            query = query.order_by(d.c.decided_at.desc(), d.c.id.desc()).limit(1)
        else:
            query = query.order_by(d.c.decided_at, d.c.id)
        found = []
        for row in self.conn.execute(query).all():
            items = self.conn.execute(
                select(i).where(i.c.decision_id == row.id).order_by(i.c.position.nulls_last(), i.c.id)
            ).all()
            measured = None if row.measurement is None else measurement_from_json(row.measurement, row.round_id)
            in_round = {p.priority_id for p in measured.priorities} if measured is not None else None
            shortlist = tuple(
                ShortlistEntry(r.priority_id, r.rationale, r.name or "") for r in items if r.position is not None
            )
            departures = tuple(
                sorted(
                    (
                        Departure(
                            r.priority_id,
                            r.name or "",
                            r.computed_rank,
                            added=r.position is not None,
                            in_round=in_round is None or r.priority_id in in_round,
                            reason=r.departure_reason,
                        )
                        for r in items
                        if r.departure_reason is not None
                    ),
                    key=_computed_order(measured),
                )
            )
            found.append(
                Decision(
                    row.id,
                    workshop_id,
                    row.round_id,
                    row.decided_by,
                    row.decided_at,
                    shortlist,
                    departures,
                    row.note,
                    measured,
                )
            )
        return tuple(found)

    def audit(self, workshop_id: int, at: datetime, actor: str, action: str, detail: str) -> None:
        self.conn.execute(
            insert(s.audit_log).values(workshop_id=workshop_id, at=at, actor=actor, action=action, detail=detail)
        )

    def audit_entries(self, workshop_id: int) -> tuple[AuditEntry, ...]:
        a = s.audit_log
        rows = self.conn.execute(select(a).where(a.c.workshop_id == workshop_id).order_by(a.c.id))
        return tuple(AuditEntry(r.id, r.at, r.actor, r.action, r.detail) for r in rows)


def _ranking(row: Row[Any]) -> RankingOptions:
    return RankingOptions(
        method=row.ranking_method, aggregation=row.ranking_aggregation, balance_groups=bool(row.ranking_balanced)
    )


def _ranking_columns(ranking: RankingOptions) -> dict[str, Any]:
    """The workshops columns that hold its ranking options (normalisation follows the method)."""
    return {
        "ranking_method": ranking.method.value,
        "ranking_aggregation": ranking.aggregation.value,
        "ranking_balanced": ranking.balance_groups,
    }


#: RobustnessOptions field → its workshops column (migration 3).
_ROBUSTNESS_COLUMNS = {
    "sampling": "smaa_sampling",
    "samples": "smaa_samples",
    "seed": "smaa_seed",
    "concentration": "smaa_concentration",
    "resamples": "bootstrap_resamples",
    "bootstrap_seed": "bootstrap_seed",
}


def _robustness(row: Row[Any]) -> RobustnessOptions:
    return RobustnessOptions(**{name: getattr(row, column) for name, column in _ROBUSTNESS_COLUMNS.items()})


def _robustness_columns(robustness: RobustnessOptions) -> dict[str, Any]:
    values = {column: getattr(robustness, name) for name, column in _ROBUSTNESS_COLUMNS.items()}
    values["smaa_sampling"] = robustness.sampling.value
    return values


def _criterion(row: Row[Any]) -> Criterion:
    return Criterion(
        id=row.id,
        position=row.position,
        name=row.name,
        description=row.description,
        direction=Direction(row.direction),
        scale_min=row.scale_min,
        scale_max=row.scale_max,
        descriptors=tuple(json.loads(row.descriptors)),
        weight=row.weight,
    )


def _round(row: Row[Any], priority_ids: tuple[int, ...]) -> Round:
    return Round(
        id=row.id,
        workshop_id=row.workshop_id,
        number=row.number,
        title=row.title,
        kind=RoundKind(row.kind),
        state=RoundState(row.state),
        priority_ids=priority_ids,
        pick_count=row.pick_count,
        created_at=row.created_at,
        opened_at=row.opened_at,
        closed_at=row.closed_at,
        revealed_at=row.revealed_at,
    )


def _computed_order(measured: Measurement | None) -> Callable[[Departure], tuple[int, int, str]]:
    """Departures in the computed order (as ``workshop.decision.departures`` lists them), then from outside."""
    place = {p.priority_id: n for n, p in enumerate(measured.priorities)} if measured is not None else {}
    return lambda d: (place.get(d.priority_id, len(place)), d.computed_rank or 10**9, d.name)


def _item(
    decision_id: int, priority_id: int, name: str, position: int | None, rationale: str, departure: Departure | None
) -> dict[str, Any]:
    return dict(
        decision_id=decision_id,
        priority_id=priority_id,
        name=name,
        position=position,
        rationale=rationale,
        computed_rank=departure.computed_rank if departure else None,
        departure_reason=departure.reason if departure else None,
    )
