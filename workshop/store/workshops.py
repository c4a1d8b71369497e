"""Reading and writing a workshop's own row and its setup lists: priorities, criteria and groups."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import datetime

from sqlalchemy import delete, insert, select, update

from ranking.methods import RankingOptions
from ranking.robustness import RobustnessOptions
from workshop import schema as s
from workshop.models import (
    BallotRule,
    ConsensusSettings,
    Criterion,
    CriterionSpec,
    Group,
    GroupSpec,
    Priority,
    PrioritySpec,
    SyncCount,
    WeightMethod,
    Workshop,
    WorkshopDetails,
    WorkshopSetup,
    WorkshopSummary,
)
from workshop.store.base import Rows
from workshop.store.convert import (
    _ROBUSTNESS_COLUMNS,
    _ballot_rule,
    _consensus,
    _consensus_columns,
    _criterion,
    _ranking,
    _ranking_columns,
    _robustness,
    _robustness_columns,
    from_row,
)
from workshop.store.statements import _BUMP, _CRITERIA


class WorkshopRows(Rows):
    # ------------------------------------------------------------------ workshops

    def code_taken(self, code: str) -> bool:
        return self.conn.scalar(select(s.workshops.c.id).where(s.workshops.c.code == code)) is not None

    def insert_workshop(self, code: str, setup: WorkshopSetup, key_hash: str, created_at: datetime) -> int:
        """Write a new workshop's row and its setup lists (priorities, criteria, groups); return its id.
        Its rounds are the caller's (a new workshop's first rounds, or an archive's)."""
        details = setup.details
        workshop_id = self._new_row(
            s.workshops,
            code=code,
            title=details.title,
            organisation=details.organisation,
            event_date=details.date,
            description=details.description,
            shortlist_size=setup.shortlist_size,
            weight_method=setup.weight_method.value,
            key_hash=key_hash,
            created_at=created_at,
            version=1,
            **_ranking_columns(setup.ranking),
            **_robustness_columns(setup.robustness),
            **_consensus_columns(setup.consensus),
            ballot_rule=setup.ballot_rule.value,
        )
        self.save_priorities(workshop_id, setup.priorities)
        self.save_criteria(workshop_id, setup.criteria)
        self.save_groups(workshop_id, setup.groups)
        return workshop_id

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

    def set_shortlist_size(self, workshop_id: int, shortlist_size: int) -> None:
        w = s.workshops
        self.conn.execute(update(w).where(w.c.id == workshop_id).values(shortlist_size=shortlist_size))

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

    def set_consensus(self, workshop_id: int, consensus: ConsensusSettings) -> None:
        """Store the workshop's consensus rule."""
        self.conn.execute(
            update(s.workshops).where(s.workshops.c.id == workshop_id).values(**_consensus_columns(consensus))
        )

    def ballot_rule(self, workshop_id: int) -> tuple[BallotRule, int] | None:
        """How the workshop's ranking rounds are tallied, and its shortlist size (for the tallies' top k)."""
        w = s.workshops
        row = self.conn.execute(select(w.c.ballot_rule, w.c.shortlist_size).where(w.c.id == workshop_id)).one_or_none()
        return None if row is None else (_ballot_rule(row), int(row.shortlist_size))

    def set_ballot_rule(self, workshop_id: int, rule: BallotRule) -> None:
        """Store how the workshop's ranking rounds are tallied."""
        self.conn.execute(update(s.workshops).where(s.workshops.c.id == workshop_id).values(ballot_rule=rule.value))

    def set_swings(self, swings: Iterable[tuple[int, float | None]]) -> None:
        """Store each criterion's swing (None: the weights were not set by swing)."""
        for criterion_id, swing in swings:
            table = s.criterion_swings
            self.conn.execute(delete(table).where(table.c.criterion_id == criterion_id))
            if swing is not None:
                self.conn.execute(insert(table).values(criterion_id=criterion_id, swing=swing))

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
        return from_row(
            Workshop,
            row,
            date=row.event_date,
            weight_method=WeightMethod(row.weight_method),
            setup_locked=row.setup_locked_at is not None,
            priorities=self.priorities(workshop_id),
            criteria=self.criteria(workshop_id),
            groups=self.groups(workshop_id),
            rounds=self.rounds(workshop_id),
            ranking=_ranking(row),
            robustness=_robustness(row),
            consensus=_consensus(row),
            ballot_rule=_ballot_rule(row),
        )

    def participant_cap(self, workshop_id: int) -> int | None:
        """The workshop's participant cap alone (a join checks it; loading the whole workshop for it was
        most of a join's time, inside the write lock)."""
        w = s.workshops
        return self.conn.scalar(select(w.c.participant_cap).where(w.c.id == workshop_id))

    def set_participant_cap(self, workshop_id: int, cap: int | None) -> None:
        w = s.workshops
        self.conn.execute(update(w).where(w.c.id == workshop_id).values(participant_cap=cap))

    # ------------------------------------------------------------------ setup lists

    def priorities(self, workshop_id: int) -> tuple[Priority, ...]:
        p = s.priorities
        rows = self.conn.execute(select(p).where(p.c.workshop_id == workshop_id).order_by(p.c.position, p.c.id))
        return tuple(from_row(Priority, r) for r in rows)

    def criteria(self, workshop_id: int) -> tuple[Criterion, ...]:
        return tuple(_criterion(r) for r in self.conn.execute(_CRITERIA, {"workshop_id": workshop_id}))

    def groups(self, workshop_id: int) -> tuple[Group, ...]:
        g = s.stakeholder_groups
        rows = self.conn.execute(select(g).where(g.c.workshop_id == workshop_id).order_by(g.c.position, g.c.id))
        return tuple(Group(r.id, r.position, r.name, r.description) for r in rows)

    def save_priorities(self, workshop_id: int, specs: Sequence[PrioritySpec]) -> SyncCount:
        rows = [asdict(p) for p in specs]  # a spec's fields are the table's columns
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
        count = self._sync_named(s.criteria, workshop_id, rows)
        ids = {c.name: c.id for c in self.criteria(workshop_id)}
        self.set_swings((ids[c.name], c.swing) for c in specs)
        return count

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
