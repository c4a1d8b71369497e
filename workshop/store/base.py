"""The connection every group of row access shares, and the helpers that write lists of named rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from workshop.models import SyncCount


class Rows:
    def __init__(self, conn: Connection, clock: Callable[[], datetime] | None = None) -> None:
        self.conn = conn
        self._clock = clock or (lambda: datetime.now(UTC))
        self._now: datetime | None = None
        self._insert = sqlite.insert if conn.dialect.name == "sqlite" else postgresql.insert

    @property
    def now(self) -> datetime:
        """The time rounds are read at (``Round.as_of``): the store's clock, read once per transaction
        and only when a round with a closing time is read (so a live workshop's clock is not read more)."""
        if self._now is None:
            self._now = self._clock()
        return self._now

    # ------------------------------------------------------------------ helpers

    def _next_number(self, table: Table, workshop_id: int) -> int:
        """The number the workshop's next row of ``table`` gets (participants and rounds: 1, 2, 3…)."""
        return 1 + (self.conn.scalar(select(func.max(table.c.number)).where(table.c.workshop_id == workshop_id)) or 0)

    def _new_row(self, table: Table, **values: Any) -> int:
        """Insert one row into ``table``; return its id."""
        return self.conn.execute(insert(table).values(**values).returning(table.c.id)).scalar_one()

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
