"""The statements on the path of every save, built once, and the round-state timestamps."""

from __future__ import annotations

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite

from workshop import schema as s
from workshop.models import RoundState

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
_TOUCH_PRESENT = _TOUCH.where(_p.c.removed_at.is_(None))
_ROUND = select(_r).where(_r.c.id == bindparam("round_id"))
_ROUND_STATE = (
    select(_r.c.state, s.round_consultations.c.closes_at, _r.c.opened_at)
    .outerjoin(s.round_consultations, s.round_consultations.c.round_id == _r.c.id)
    .where(_r.c.id == bindparam("round_id"))
)
_ROUND_PRIORITIES = (
    select(_rp.c.priority_id)
    .join(s.priorities, s.priorities.c.id == _rp.c.priority_id)
    .where(_rp.c.round_id == bindparam("round_id"))
    .order_by(s.priorities.c.position, s.priorities.c.id)
)
# A round's consultation settings and audience (for every round read), a participant's share (every save).
_rc, _ra, _rs = s.round_consultations, s.round_audiences, s.round_shares
_CONSULTATION = select(_rc).where(_rc.c.round_id.in_(bindparam("round_ids", expanding=True)))
_AUDIENCES = (
    select(_ra.c.round_id, _ra.c.group_id)
    .where(_ra.c.round_id.in_(bindparam("round_ids", expanding=True)))
    .order_by(_ra.c.group_id)
)
_SHARE = (
    select(_rs.c.priority_id)
    .join(s.priorities, s.priorities.c.id == _rs.c.priority_id)
    .where(_rs.c.round_id == bindparam("round_id"), _rs.c.participant_id == bindparam("participant_id"))
    .order_by(s.priorities.c.position, s.priorities.c.id)
)
_CRITERIA = (
    select(_c, s.criterion_swings.c.swing)
    .outerjoin(s.criterion_swings, s.criterion_swings.c.criterion_id == _c.c.id)
    .where(_c.c.workshop_id == bindparam("workshop_id"))
    .order_by(_c.c.position, _c.c.id)
)
_score_key = [s.scores.c.round_id, s.scores.c.participant_id, s.scores.c.priority_id, s.scores.c.criterion_id]
_UPSERT_SCORES = {
    dialect: insert_.on_conflict_do_update(
        index_elements=_score_key,
        set_={
            "value": insert_.excluded.value,
            "updated_at": insert_.excluded.updated_at,
            "reason": insert_.excluded.reason,  # a changed answer's earlier reason no longer holds
        },
    )
    for dialect, insert_ in (("sqlite", sqlite.insert(s.scores)), ("postgresql", postgresql.insert(s.scores)))
}
