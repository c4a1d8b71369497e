"""The board paper's section per consultation round: who it was for, its closing time, whether each
person answered a share of the list, and its coverage (``workshop.consultation_facts``), with what it
said (``report_said``) once it has closed."""

from __future__ import annotations

from dataclasses import replace

from workshop.consultation_facts import ConsultationFacts, answers_meaning, consultation_facts, has_run
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
    """The facts of each consultation round that has run, in round order, each with the coverage
    *Live control*'s coverage panel shows (``WorkshopService.coverage``, for every kind of round)."""
    answered = {found.round.id for found in said}
    found = []
    for rnd in workshop.rounds:
        if not (rnd.is_consultation and has_run(rnd)):
            continue
        if rnd.young_ballot and rnd.id not in answered:
            continue  # a ballot nobody answered says nothing (as ``WorkshopService.consultations``)
        found.append(consultation_facts(rnd, workshop, service.coverage(key, rnd.id)))
    return tuple(found)


def _coverage_table(facts: ConsultationFacts) -> Table:
    coverage = facts.coverage
    return Table(
        f"consultation-coverage-{facts.round.number}",
        (Column("Priority"), Column("Given to", INT), Column("Answers", INT), Column(f"Below {coverage.minimum}")),
        tuple((p.name, p.given, p.answers, "yes" if p.answers < coverage.minimum else "") for p in coverage.priorities),
        answers_meaning(facts.round),
    )


def _section(content: ExportContent, facts: ConsultationFacts, n: int) -> paper.Section:
    said = next((s for s in content.consultations if s.round.id == facts.round.id), None)
    rnd = facts.round
    fact_block = paper.Facts(facts.pairs)
    coverage = paper.TableBlock(_coverage_table(facts), f"Coverage: {rnd.label}")
    if said is not None:  # its facts, what it said, then its coverage
        section = consultation_section(content, said, n)
        return replace(section, blocks=(fact_block, *section.blocks, coverage))
    blocks: tuple[paper.Block, ...] = (
        paper.Paragraph(f"{rnd.label} was a consultation: a {rnd.kind.value} round that reached beyond the room."),
        fact_block,
        coverage,
    )
    return paper.Section(f"consultation-{rnd.number}", f"6.{n}", f"Consultation: {rnd.label}", blocks)


def consultation_sections(content: ExportContent) -> tuple[paper.Section, ...]:
    """A section per consultation round (6.1, 6.2, …), in round order."""
    return tuple(_section(content, facts, n) for n, facts in enumerate(content.consultation_facts, start=1))
