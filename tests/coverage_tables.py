"""Reading a consultation round's coverage table out of the board paper, in tests: its rows as the
paper builds them, and the rows a ``RoundCoverage`` should give (the numbers *Live control* shows)."""

from __future__ import annotations

from workshop.exports import build_content
from workshop.exports.blocks import TableBlock
from workshop.exports.report_consultation import consultation_sections
from workshop.models import RoundCoverage
from workshop.service import WorkshopService


def paper_coverage_rows(
    service: WorkshopService, key: str, workshop_id: int, round_id: int
) -> tuple[tuple[object, ...], ...]:
    """The rows of the board paper's coverage table for the round (its section must hold exactly one),
    having checked that the paper's facts carry the service's coverage, not a second count."""
    content = build_content(service, key, workshop_id)
    (facts,) = [f for f in content.consultation_facts if f.round.id == round_id]
    assert facts.coverage == service.coverage(key, round_id)
    number = facts.round.number
    (section,) = [s for s in consultation_sections(content) if s.anchor == f"consultation-{number}"]
    name = f"consultation-coverage-{number}"
    (table,) = [b.table for b in section.blocks if isinstance(b, TableBlock) and b.table.name == name]
    return table.rows


def coverage_rows(coverage: RoundCoverage) -> tuple[tuple[object, ...], ...]:
    """(priority, given to, answers, "yes" if below the minimum): the coverage as the paper's table states it."""
    low = coverage.minimum
    return tuple((p.name, p.given, p.answers, "yes" if p.answers < low else "") for p in coverage.priorities)
