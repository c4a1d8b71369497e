"""The board paper's words and layout, shared by the HTML and Word reports.

``board_paper`` turns ``ExportContent`` and its charts into a ``Report``: a
title block and numbered sections made of a few kinds of block (paragraph,
list, notice, key facts, table, figure, sub-heading).  ``html_report`` and
``docx_report`` only lay these blocks out, so both files say exactly the
same thing.

The sections follow the ISPOR MCDA good-practice checklist (Marsh et al.
2016: report and justify each step) and accountability for reasonableness
(Daniels & Sabin: publish the decision and its reasons): the decision
problem, the options and their evidence, the criteria and their scales,
how scores and weights were elicited, the method, the results, where the
room disagreed, how robust the result is, the decision with its rationale
and departures, and an appendix with the full tables.
"""

from __future__ import annotations

from dataclasses import replace

from workshop.exports.blocks import Block, Report, Section
from workshop.exports.charts import Charts
from workshop.exports.model import ExportContent
from workshop.exports.report_consultation import consultation_sections
from workshop.exports.report_context import (
    collection,
    criteria,
    date_text,
    method,
    priorities,
    problem,
    summary,
)
from workshop.exports.report_findings import appendix, disagreement, results, robustness_words, sensitivity, shortlist
from workshop.exports.report_reasons import feedback_blocks
from workshop.exports.report_review import review_section

__all__ = ["board_paper", "robustness_words"]


def _with(section: Section, blocks: tuple[Block, ...]) -> Section:
    return replace(section, blocks=section.blocks + blocks)


def board_paper(content: ExportContent, charts: Charts | None) -> Report:
    w = content.workshop
    return Report(
        title=w.title,
        organisation=w.organisation,
        kind="Board paper: agreeing our priorities",
        date_text=date_text(content),
        status=content.status,
        draft=content.is_draft,
        generated=f"Prepared by Prioritise on {content.generated_at:%d %B %Y at %H:%M} UTC",
        sections=tuple(
            section
            for section in (
                summary(content),
                problem(content),
                priorities(content),
                criteria(content),
                _with(collection(content, charts), feedback_blocks(content)),
                method(content),
                results(content, charts),
                *consultation_sections(content),
                disagreement(content, charts),
                sensitivity(content, charts),
                shortlist(content),
                review_section(content),
                appendix(content),
            )
            if section is not None
        ),
    )
