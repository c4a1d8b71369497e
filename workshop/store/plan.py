"""Reading and writing the plan after the workshop: indicators, their actuals, leads' links and the status settings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from ranking.indicator_status import Better, StatusSettings
from ranking.periods import Period
from workshop import schema as s
from workshop.models import Actual, Indicator, IndicatorSpec, LeadLink, SyncCount
from workshop.store.base import Rows

#: The indicators' columns that hold their spec's field of the same name as it is.
_SPEC_COLUMNS = ("name", "unit", "baseline", "baseline_date", "baseline_source", "target", "target_date", "note")


class PlanRows(Rows):
    # ------------------------------------------------------------------ indicators

    def indicators(self, workshop_id: int) -> tuple[Indicator, ...]:
        i, p, g = s.indicators, s.priorities, s.stakeholder_groups
        rows = self.conn.execute(
            select(i, p.c.name.label("priority_name"), g.c.name.label("lead_name"))
            .join(p, p.c.id == i.c.priority_id)
            .outerjoin(g, g.c.id == i.c.lead_group_id)
            .where(i.c.workshop_id == workshop_id)
            .order_by(i.c.position, i.c.id)
        )
        return tuple(
            Indicator(
                r.id,
                r.priority_id,
                r.priority_name,
                r.position,
                r.name,
                r.unit,
                Better(r.direction),
                r.baseline,
                r.baseline_date,
                r.baseline_source,
                r.target,
                r.target_date,
                r.lead_group_id,
                r.lead_name or "",
                r.note,
            )
            for r in rows
        )

    def save_indicators(
        self, workshop_id: int, indicators: Sequence[tuple[IndicatorSpec, int, int | None]]
    ) -> SyncCount:
        """Make the workshop's indicators exactly these (spec, priority id, lead's group id or None),
        in order; an indicator whose name is unchanged keeps its id and so its actuals, a removed one
        loses them."""
        rows: list[dict[str, Any]] = [
            {
                **{column: getattr(spec, column) for column in _SPEC_COLUMNS},
                "priority_id": priority_id,
                "direction": spec.direction.value,
                "lead_group_id": lead_group_id,
            }
            for spec, priority_id, lead_group_id in indicators
        ]
        return self._sync_named(s.indicators, workshop_id, rows)

    def groups_leading(self, workshop_id: int) -> tuple[str, ...]:
        """Names of the workshop's groups that lead an indicator."""
        g, i = s.stakeholder_groups, s.indicators
        query = select(g.c.name).where(g.c.workshop_id == workshop_id, g.c.id.in_(select(i.c.lead_group_id)))
        return tuple(self.conn.scalars(query.order_by(g.c.position)))

    # ------------------------------------------------------------------ actuals

    def actuals(self, workshop_id: int) -> tuple[Actual, ...]:
        a, i = s.indicator_actuals, s.indicators
        rows = self.conn.execute(
            select(a).join(i, i.c.id == a.c.indicator_id).where(i.c.workshop_id == workshop_id).order_by(a.c.id)
        )
        return tuple(
            Actual(r.indicator_id, Period.parse(r.period), r.value, r.commentary, r.updated_at, r.updated_by)
            for r in rows
        )

    def save_actual(
        self, indicator_id: int, period: Period, value: float, commentary: str, at: datetime, by: str
    ) -> None:
        """Insert or replace one period's value of an indicator."""
        values = dict(
            indicator_id=indicator_id,
            period=period.label,
            value=value,
            commentary=commentary,
            updated_at=at,
            updated_by=by,
        )
        self._upsert(
            s.indicator_actuals, values, ("indicator_id", "period"), ("value", "commentary", "updated_at", "updated_by")
        )

    def delete_actual(self, indicator_id: int, period: Period) -> bool:
        a = s.indicator_actuals
        done = self.conn.execute(delete(a).where(a.c.indicator_id == indicator_id, a.c.period == period.label))
        return bool(done.rowcount)

    # ------------------------------------------------------------------ the status rule's settings

    def plan_settings(self, workshop_id: int) -> StatusSettings:
        row = self.conn.execute(select(s.plan_settings).where(s.plan_settings.c.workshop_id == workshop_id)).first()
        return StatusSettings() if row is None else StatusSettings(tolerance=row.tolerance, progress=row.progress)

    def set_plan_settings(self, workshop_id: int, settings: StatusSettings) -> None:
        values = dict(workshop_id=workshop_id, tolerance=settings.tolerance, progress=settings.progress)
        self._upsert(s.plan_settings, values, ("workshop_id",), ("tolerance", "progress"))

    # ------------------------------------------------------------------ leads' links

    def set_lead_link(self, workshop_id: int, priority_id: int, token_hash: str, at: datetime) -> None:
        """Issue the priority's link, replacing any earlier one (which stops working)."""
        values = dict(workshop_id=workshop_id, priority_id=priority_id, token_hash=token_hash, issued_at=at)
        self._upsert(s.lead_links, values, ("workshop_id", "priority_id"), ("token_hash", "issued_at"))

    def delete_lead_link(self, workshop_id: int, priority_id: int) -> bool:
        ll = s.lead_links
        done = self.conn.execute(delete(ll).where(ll.c.workshop_id == workshop_id, ll.c.priority_id == priority_id))
        return bool(done.rowcount)

    def lead_link(self, token_hash: str) -> tuple[int, int] | None:
        """The (workshop id, priority id) a lead's link is for, or None."""
        ll = s.lead_links
        row = self.conn.execute(select(ll.c.workshop_id, ll.c.priority_id).where(ll.c.token_hash == token_hash)).first()
        return None if row is None else (row.workshop_id, row.priority_id)

    def lead_links(self, workshop_id: int) -> tuple[LeadLink, ...]:
        ll, p = s.lead_links, s.priorities
        rows = self.conn.execute(
            select(ll.c.priority_id, p.c.name, ll.c.issued_at)
            .join(p, p.c.id == ll.c.priority_id)
            .where(ll.c.workshop_id == workshop_id)
            .order_by(p.c.position)
        )
        return tuple(LeadLink(r.priority_id, r.name, r.issued_at) for r in rows)
