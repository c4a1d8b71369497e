"""Reading and writing recorded decisions and the audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select

from workshop import schema as s
from workshop.decision import CheckedDecision, measurement_from_json, measurement_json
from workshop.models import AuditEntry, Decision, Departure, ShortlistEntry
from workshop.store.base import Rows
from workshop.store.convert import _computed_order, _item


class DecisionRows(Rows):
    # ------------------------------------------------------------------ decisions and audit

    def insert_decision(self, workshop_id: int, decision: CheckedDecision, at: datetime) -> int:
        decision_id = self._new_row(
            s.decisions,
            workshop_id=workshop_id,
            round_id=decision.round_id,
            decided_by=decision.decided_by,
            decided_at=at,
            note=decision.note,
        )
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
