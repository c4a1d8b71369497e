"""Feedback between rounds in the exports: which rounds showed earlier answers back, and the reasons given for changes.

``feedback_content`` reads them through the service (the facilitator's key
is checked there) for ``build_content``; ``feedback_blocks`` is what the
board paper says of them (in section 4, how the answers were collected) and
``workshop.exports.record_tables.reasons_table`` the workbook's and the CSV's table.  A reason appears with
its priority, criterion and the direction of the change, never with a name
or a participant number, and not with the answers themselves: with the raw
scores beside it, a pair of exact answers could pick out who gave it.
"""

from __future__ import annotations

from workshop.exports import blocks as paper
from workshop.exports.model import ExportContent, FeedbackRound, ReasonRow
from workshop.exports.record_tables import reasons_table
from workshop.feedback import earlier_round
from workshop.models import RoundState, Workshop
from workshop.service import WorkshopService
from workshop.service.feedback import feedback_words


def feedback_content(
    service: WorkshopService, key: str, workshop: Workshop
) -> tuple[tuple[FeedbackRound, ...], tuple[ReasonRow, ...]]:
    """The follow-up rounds' feedback settings and the reasons given in them, in round order."""
    rounds, reasons = [], []
    for rnd in workshop.rounds:
        earlier = earlier_round(workshop.rounds, rnd)
        if earlier is None or rnd.state is RoundState.DRAFT:
            continue
        rounds.append(FeedbackRound(rnd.label, earlier.label, feedback_words(rnd.feedback)))
        reasons += [
            ReasonRow(rnd.number, r.priority, r.criterion, r.change, r.reason)
            for r in service.change_reasons(key, rnd.id)
        ]
    return tuple(rounds), tuple(reasons)


def feedback_blocks(content: ExportContent) -> tuple[paper.Block, ...]:
    """The board paper's words on feedback between rounds (nothing when no round showed any)."""
    if not content.feedback_rounds:
        return ()
    blocks: list[paper.Block] = [
        paper.Subheading("Feedback between rounds"),
        paper.Paragraph(
            "In each follow-up round, every participant saw beside each question their own earlier answer and the "
            "room's earlier answers (how many gave each point, and the median), as the facilitator set it:"
        ),
        paper.Bullets(
            tuple(f"{f.round_label} (after {f.earlier_label}): {f.settings}." for f in content.feedback_rounds)
        ),
    ]
    if content.change_reasons:
        blocks.append(paper.TableBlock(reasons_table(content), "Why answers changed"))
    return tuple(blocks)
