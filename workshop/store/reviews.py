"""Reading and writing annual reviews: the basis each compares with and the reasons for dropping priorities."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, select

from workshop import schema as s
from workshop.models import Stamped
from workshop.review import DroppedReason, ReviewBasis, basis_from_json, basis_json
from workshop.store.base import Rows


class ReviewRows(Rows):
    def insert_review(self, workshop_id: int, basis: ReviewBasis) -> None:
        self.conn.execute(insert(s.reviews).values(workshop_id=workshop_id, basis=basis_json(basis)))

    def review(self, workshop_id: int) -> ReviewBasis | None:
        text = self.conn.execute(select(s.reviews.c.basis).where(s.reviews.c.workshop_id == workshop_id)).scalar()
        return None if text is None else basis_from_json(text)

    def save_dropped_reason(self, workshop_id: int, reason: DroppedReason, at: datetime) -> None:
        """Set (or, given an empty reason, clear) the reason for dropping one priority."""
        r = s.review_reasons
        self.conn.execute(delete(r).where(r.c.workshop_id == workshop_id, r.c.priority == reason.priority))
        if reason.reason:
            self.conn.execute(
                insert(r).values(workshop_id=workshop_id, priority=reason.priority, reason=reason.reason, updated_at=at)
            )

    def dropped_reasons(self, workshop_id: int) -> tuple[DroppedReason, ...]:
        return tuple(stamped.record for stamped in self.stamped_dropped_reasons(workshop_id))

    def stamped_dropped_reasons(self, workshop_id: int) -> tuple[Stamped[DroppedReason], ...]:
        """The reasons with the time each was last changed (for the archive), by priority name."""
        r = s.review_reasons
        rows = self.conn.execute(select(r).where(r.c.workshop_id == workshop_id).order_by(r.c.priority))
        return tuple(Stamped(DroppedReason(row.priority, row.reason), row.updated_at) for row in rows)
