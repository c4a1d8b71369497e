"""The workbook's record sheets: the setup as entered and every answer, reason and change as it was given.

The criteria, priorities and rounds as set up, the raw answers of every
participant (under a pseudonym), the reasons given for changes and the audit
log.  They are laid out with ``workshop.exports.tables``' types; its
``sheet_tables`` puts them in the workbook's sheet order.
"""

from __future__ import annotations

from collections.abc import Sequence

from workshop.exports.model import REASONS_NOTE, ExportContent, RawAnswer
from workshop.exports.tables import DEC, INT, PCT, WHEN, Cell, Column, Table, make_table, naive_utc

#: The columns every raw sheet starts with: a ``RawAnswer``'s (``_raw``).
_RAW_COLUMNS: tuple[Column | str, ...] = (Column("Round", INT), "Participant", "Stakeholder group")


def _raw(answer: RawAnswer, *cells: Cell) -> list[Cell]:
    """A raw sheet's row: the answer's round, participant and group, then ``cells``."""
    return [answer.round_number, answer.participant, answer.group, *cells]


def raw_scores_table(content: ExportContent) -> Table:
    columns = (*_RAW_COLUMNS, "Priority", "Criterion", Column("Score", DEC))
    rows = [_raw(s, s.priority, s.criterion, s.score) for s in content.raw_scores]
    note = "One row per participant, priority and criterion. A blank score is 'don't know' or not answered. "
    return make_table("Raw scores", columns, rows, note + content.pseudonym_note)


def descriptors_text(points: Sequence[int], descriptors: Sequence[str]) -> str:
    return "\n".join(f"{p} = {d}" for p, d in zip(points, descriptors, strict=True) if d)


def criteria_table(content: ExportContent) -> Table:
    columns = (
        "Criterion",
        "Description",
        "Direction",
        Column("Scale from", INT),
        Column("Scale to", INT),
        "Descriptors",
    )
    rows = [
        [
            c.name,
            c.description,
            c.direction.value,
            c.scale_min,
            c.scale_max,
            descriptors_text(c.scale_points, c.descriptors),
        ]
        for c in content.criteria
    ]
    return make_table("Criteria", columns, rows)


def priorities_table(content: ExportContent) -> Table:
    rows = [[p.position, p.name, p.theme, p.description, p.evidence] for p in content.priorities]
    return make_table("Priorities", (Column("#", INT), "Priority", "Theme", "Description", "Evidence"), rows)


def rounds_table(content: ExportContent) -> Table:
    columns = (
        Column("Round", INT),
        "Title",
        "Kind",
        "State",
        Column("Priorities", INT),
        Column("Respondents", INT),
        "Respondents by group",
        Column("Opened (UTC)", WHEN),
        Column("Closed (UTC)", WHEN),
        Column("Revealed (UTC)", WHEN),
    )
    rows = [
        [
            r.number,
            r.title,
            r.kind.value,
            r.state.value,
            r.priorities,
            r.respondents,
            "; ".join(f"{g.group or 'no group'}: {g.count}" for g in r.by_group),
            naive_utc(r.opened_at),
            naive_utc(r.closed_at),
            naive_utc(r.revealed_at),
        ]
        for r in content.rounds
    ]
    return make_table("Rounds", columns, rows)


def raw_allocations_table(content: ExportContent) -> Table:
    columns = (*_RAW_COLUMNS, "Criterion", Column("Points", INT), Column("Share", PCT))
    rows = [_raw(a, a.criterion, a.points, a.share) for a in content.raw_allocations]
    return make_table("Raw allocations", columns, rows)


def raw_rankings_table(content: ExportContent) -> Table:
    columns = (*_RAW_COLUMNS, Column("Position", INT), "Priority")
    rows = [_raw(r, r.position, r.priority) for r in content.raw_rankings]
    return make_table("Raw rankings", columns, rows)


def audit_table(content: ExportContent) -> Table:
    columns = (Column("When (UTC)", WHEN), "Who", "Action", "Detail")
    rows = [[naive_utc(e.at), e.actor, e.action, e.detail] for e in content.audit]
    note = "Changes of workshop and round state; individual answers are their own record (Raw sheets)."
    return make_table("Audit log", columns, rows, note)


def reasons_table(content: ExportContent) -> Table:
    columns = (Column("Round", INT), "Priority", "Criterion", "Change", "Reason")
    rows = [[r.round_number, r.priority, r.criterion, r.change, r.reason] for r in content.change_reasons]
    return make_table("Reasons for changes", columns, rows, REASONS_NOTE)
