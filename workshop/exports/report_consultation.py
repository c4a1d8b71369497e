"""The board paper's section per consultation round: who it was for, its closing time, whether each
person answered a share of the list, and its coverage (``workshop.consultation_facts``), with what a
young people's ballot said (``report_said``) where the round was one."""

from __future__ import annotations

from dataclasses import replace

from workshop.consultation_facts import ConsultationFacts, consultation_facts, has_run, said_coverage
from workshop.exports import blocks as paper
from workshop.exports.model import ExportContent
from workshop.exports.report_said import consultation_section
from workshop.exports.tables import INT, Column, Table
from workshop.models import Workshop
from workshop.said import Said
from workshop.service import WorkshopService


def round_facts(
    service: WorkshopService, key: str, workshop: Workshop, said: tuple[Said, ...]
) -> tuple[ConsultationFacts, ...]:
    """The facts of each consultation round that has run, in round order: a ballot's coverage from what
    it said, any other round's from the service (as *Live control*'s coverage panel reads it)."""
    by_round = {found.round.id: found for found in said}
    found = []
    for rnd in workshop.rounds:
        if not (rnd.is_consultation and has_run(rnd)):
            continue
        if rnd.young_ballot and rnd.id not in by_round:
            continue  # a ballot nobody answered says nothing (as ``WorkshopService.consultations``)
        coverage = said_coverage(by_round[rnd.id]) if rnd.young_ballot else service.coverage(key, rnd.id)
        found.append(consultation_facts(rnd, workshop, coverage))
    return tuple(found)


def _coverage_table(facts: ConsultationFacts) -> Table:
    coverage = facts.coverage
    return Table(
        f"consultation-coverage-{facts.round.number}",
        (Column("Priority"), Column("Given to", INT), Column("Answers", INT), Column(f"Below {coverage.minimum}")),
        tuple((p.name, p.given, p.answers, "yes" if p.answers < coverage.minimum else "") for p in coverage.priorities),
        "Answers: participants who answered the priority on every criterion.",
    )


def _section(content: ExportContent, facts: ConsultationFacts, n: int) -> paper.Section:
    said = next((s for s in content.consultations if s.round.id == facts.round.id), None)
    fact_block = paper.Facts(facts.pairs)
    rnd = facts.round
    coverage = paper.TableBlock(_coverage_table(facts), f"Coverage: {rnd.label}")
    if said is not None:  # its facts, then what it said (and, for a share of the list, its coverage)
        section = consultation_section(content, said, n)
        return replace(section, blocks=(fact_block, *section.blocks, *((coverage,) if rnd.share else ())))
    blocks: tuple[paper.Block, ...] = (
        paper.Paragraph(f"{rnd.label} was a consultation: a {rnd.kind.value} round that reached beyond the room."),
        fact_block,
        coverage,
    )
    return paper.Section(f"consultation-{rnd.number}", f"6.{n}", f"Consultation: {rnd.label}", blocks)


def consultation_sections(content: ExportContent) -> tuple[paper.Section, ...]:
    """A section per consultation round (6.1, 6.2, …), in round order."""
    return tuple(_section(content, facts, n) for n, facts in enumerate(content.consultation_facts, start=1))
