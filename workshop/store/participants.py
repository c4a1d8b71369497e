"""Reading and writing participants: joining, presence and the token lookup."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from workshop import schema as s
from workshop.models import Participant
from workshop.store.base import Rows
from workshop.store.statements import _PARTICIPANT, _TOUCH, _TOUCH_PRESENT


class ParticipantRows(Rows):
    # ------------------------------------------------------------------ participants

    def insert_participant(
        self,
        workshop_id: int,
        token_hash: str,
        display_name: str | None,
        group_id: int | None,
        at: datetime,
        age_band: str | None = None,
    ) -> int:
        p = s.participants
        number = self._next_number(p, workshop_id)
        return self._new_row(
            p,
            workshop_id=workshop_id,
            number=number,
            token_hash=token_hash,
            display_name=display_name,
            group_id=group_id,
            age_band=age_band,
            joined_at=at,
            last_seen=at,
        )

    def insert_participants(
        self, workshop_id: int, people: Sequence[tuple[str, str | None, int | None, datetime]]
    ) -> tuple[int, ...]:
        """Add many participants at once, numbered on from the last in the order given: (token hash,
        display name, group id, joined at) each; their ids in that order (a simulated crowd, in bulk)."""
        p = s.participants
        first = self._next_number(p, workshop_id)
        rows = [
            {
                "workshop_id": workshop_id,
                "number": first + n,
                "token_hash": token_hash,
                "display_name": name,
                "group_id": group_id,
                "joined_at": at,
                "last_seen": at,
            }
            for n, (token_hash, name, group_id, at) in enumerate(people)
        ]
        if not rows:
            return ()
        self.conn.execute(insert(p), rows)
        numbers = select(p.c.number, p.c.id).where(p.c.workshop_id == workshop_id, p.c.number >= first)
        ids = {row.number: row.id for row in self.conn.execute(numbers)}
        return tuple(ids[first + n] for n in range(len(rows)))

    def _participants(self, *where: Any) -> list[Participant]:
        p, g = s.participants, s.stakeholder_groups
        rows = self.conn.execute(
            select(p, g.c.name.label("group_name"))
            .outerjoin(g, g.c.id == p.c.group_id)
            .where(*where)
            .order_by(p.c.number)
        )
        return [_participant(r) for r in rows]

    def participant(self, token_hash: str) -> Participant | None:
        r = self.conn.execute(_PARTICIPANT, {"token_hash": token_hash}).one_or_none()
        return None if r is None else _participant(r)

    def participants(self, workshop_id: int) -> tuple[Participant, ...]:
        """Everyone who joined, removed participants included (their kept answers still count)."""
        return tuple(self._participants(s.participants.c.workshop_id == workshop_id))

    def present_count(self, workshop_id: int) -> int:
        """Participants who joined and were not removed."""
        p = s.participants
        where = (p.c.workshop_id == workshop_id, p.c.removed_at.is_(None))
        return int(self.conn.scalar(select(func.count()).select_from(p).where(*where)) or 0)

    def remove_participant(self, participant_id: int, at: datetime, keep_answers: bool) -> None:
        """Mark the participant removed; drop every answer of theirs unless ``keep_answers``."""
        p = s.participants
        self.conn.execute(update(p).where(p.c.id == participant_id).values(removed_at=at))
        if not keep_answers:
            for table in (s.scores, s.allocations, s.rankings, s.ballot_answers):
                self.conn.execute(delete(table).where(table.c.participant_id == participant_id))

    def touch(self, participant_id: int, at: datetime) -> None:
        self.conn.execute(_TOUCH, {"participant_id": participant_id, "seen": at})

    def touch_present(self, participant_id: int, at: datetime) -> bool:
        """Mark the participant seen at ``at`` unless they have been removed: whether they are still there."""
        return self.conn.execute(_TOUCH_PRESENT, {"participant_id": participant_id, "seen": at}).rowcount == 1


def _participant(r: Any) -> Participant:
    return Participant(
        r.id, r.workshop_id, r.number, r.display_name, r.group_name, r.joined_at, r.last_seen,
        removed_at=r.removed_at, group_id=r.group_id, age_band=r.age_band,
    )
