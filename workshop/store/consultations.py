"""Reading and writing consultation rounds' closing times, audiences, shares of the list and coverage."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy import delete, func, insert, select

from workshop import schema as s
from workshop.models import DEFAULT_SHARE_MINIMUM, DEFAULT_SHARE_SEED, Round, Share, ShareMode
from workshop.store.base import Rows
from workshop.store.statements import _AUDIENCES, _CONSULTATION, _SHARE


class ConsultationRows(Rows):
    # ------------------------------------------------------------------ reading rounds

    def _consulted(self, rounds: Sequence[Round]) -> tuple[Round, ...]:
        """``rounds`` with their closing times, shares and audiences, as they stand at ``self.now``."""
        if not rounds:
            return ()
        ids = {"round_ids": [r.id for r in rounds]}  # statements built once: this is on every save's path
        settings = {row.round_id: row for row in self.conn.execute(_CONSULTATION, ids)}
        audiences: dict[int, list[int]] = {}
        for row in self.conn.execute(_AUDIENCES, ids):
            audiences.setdefault(row.round_id, []).append(row.group_id)
        out = []
        for rnd in rounds:
            row = settings.get(rnd.id)
            share = None
            if row is not None and row.share_mode is not None:
                share = Share(ShareMode(row.share_mode), row.share_size, row.share_seed, row.share_minimum)
            closes_at = None if row is None else row.closes_at
            full = replace(rnd, closes_at=closes_at, share=share, audience=tuple(audiences.get(rnd.id, ())))
            out.append(full if closes_at is None else full.as_of(self.now))
        return tuple(out)

    def closing_time(self, round_id: int) -> datetime | None:
        rc = s.round_consultations
        return self.conn.scalar(select(rc.c.closes_at).where(rc.c.round_id == round_id))

    # ------------------------------------------------------------------ writing settings

    def _settings_row(self, round_id: int) -> dict[str, object]:
        rc = s.round_consultations
        row = self.conn.execute(select(rc).where(rc.c.round_id == round_id)).one_or_none()
        if row is None:
            return {
                "round_id": round_id,
                "closes_at": None,
                "share_mode": None,
                "share_size": None,
                "share_seed": DEFAULT_SHARE_SEED,
                "share_minimum": DEFAULT_SHARE_MINIMUM,
            }
        return dict(row._mapping)

    def _write_settings(self, values: dict[str, object]) -> None:
        columns = ["closes_at", "share_mode", "share_size", "share_seed", "share_minimum"]
        self._upsert(s.round_consultations, values, ["round_id"], columns)

    def set_closing_time(self, round_id: int, closes_at: datetime | None) -> None:
        self._write_settings({**self._settings_row(round_id), "closes_at": closes_at})

    def set_share(self, round_id: int, share: Share | None) -> None:
        values = self._settings_row(round_id)
        if share is None:
            values.update(share_mode=None, share_size=None)
        else:
            values.update(
                share_mode=share.mode.value, share_size=share.size, share_seed=share.seed, share_minimum=share.minimum
            )
        self._write_settings(values)

    def set_audience(self, round_id: int, group_ids: Iterable[int]) -> None:
        ra = s.round_audiences
        self.conn.execute(delete(ra).where(ra.c.round_id == round_id))
        rows = [{"round_id": round_id, "group_id": gid} for gid in sorted(set(group_ids))]
        if rows:
            self.conn.execute(insert(ra), rows)

    # ------------------------------------------------------------------ shares

    def share_counts(self, round_id: int) -> dict[int, int]:
        """Per priority id, how many participants' shares hold it (priorities given to nobody are absent)."""
        rs = s.round_shares
        query = select(rs.c.priority_id, func.count()).where(rs.c.round_id == round_id).group_by(rs.c.priority_id)
        return {pid: int(n) for pid, n in self.conn.execute(query)}

    def participant_share(self, round_id: int, participant_id: int) -> tuple[int, ...]:
        """The priority ids of the participant's share, in the workshop's order (empty: none given yet)."""
        return tuple(self.conn.scalars(_SHARE, {"round_id": round_id, "participant_id": participant_id}))

    def insert_shares(self, round_id: int, shares: Sequence[tuple[int, Sequence[int]]]) -> None:
        """Give each (participant id, priority ids) its share, in one statement."""
        rows = [
            {"round_id": round_id, "participant_id": participant_id, "priority_id": pid}
            for participant_id, priority_ids in shares
            for pid in priority_ids
        ]
        if rows:
            self.conn.execute(insert(s.round_shares), rows)

    def shares(self, round_id: int) -> tuple[tuple[int, tuple[int, ...]], ...]:
        """Every participant's share: (participant id, priority ids), by participant id."""
        rs = s.round_shares
        found: dict[int, list[int]] = {}
        query = select(rs.c.participant_id, rs.c.priority_id).where(rs.c.round_id == round_id)
        for row in self.conn.execute(query.order_by(rs.c.participant_id, rs.c.priority_id)):
            found.setdefault(row.participant_id, []).append(row.priority_id)
        return tuple((pid, tuple(ids)) for pid, ids in found.items())

    # ------------------------------------------------------------------ answers per priority

    def complete_answers(
        self, round_id: int, criteria: int, participant_id: int | None = None
    ) -> dict[int, int]:
        """Per priority id, how many participants (or whether ``participant_id``: 0 or 1) answered it on
        all ``criteria`` criteria ("don't know" counts as an answer)."""
        sc = s.scores
        where = [sc.c.round_id == round_id]
        if participant_id is not None:
            where.append(sc.c.participant_id == participant_id)
        cells = (
            select(sc.c.priority_id, sc.c.participant_id)
            .where(*where)
            .group_by(sc.c.priority_id, sc.c.participant_id)
            .having(func.count() >= criteria)
            .subquery()
        )
        query = select(cells.c.priority_id, func.count()).group_by(cells.c.priority_id)
        return {pid: int(n) for pid, n in self.conn.execute(query)}

    def views_per_priority(self, round_id: int, criterion_ids: Sequence[int]) -> dict[int, int]:
        """Per priority id, the engine's response count of a scoring round's priority: the fewest views
        given on any one of ``criterion_ids`` (a "don't know", a NULL score, is not a view; priorities
        nobody scored are absent)."""
        sc = s.scores
        query = (
            select(sc.c.priority_id, sc.c.criterion_id, func.count(sc.c.value))
            .where(sc.c.round_id == round_id)
            .group_by(sc.c.priority_id, sc.c.criterion_id)
        )
        cells: dict[int, dict[int, int]] = {}
        for pid, cid, n in self.conn.execute(query):
            cells.setdefault(pid, {})[cid] = int(n)
        return {pid: min((views.get(cid, 0) for cid in criterion_ids), default=0) for pid, views in cells.items()}
