"""The board paper's comparison with last year's decision, for an annual review: kept, dropped and new, with reasons."""

from __future__ import annotations

from workshop.exports import blocks as paper
from workshop.exports.model import ExportContent
from workshop.exports.tables import INT, Column, Table
from workshop.exports.words import name_list
from workshop.plan_words import number_text
from workshop.review import ReviewComparison

SECTION_TITLE = "Compared with last year's decision"


def comparison_table(review: ReviewComparison) -> Table:
    """Every priority agreed last year or this year: kept, dropped or new, with its reason (the
    board paper and the workbook's sheet)."""
    return Table(
        "Compared with last year",
        (
            Column("Change"),
            Column("Priority"),
            Column("Last year's place", INT),
            Column("This year's place", INT),
            Column("Reason"),
            Column("Last year's reason"),
        ),
        tuple(
            (r.change.value.capitalize(), r.name, r.last_position, r.position, r.reason_text, r.last_rationale)
            for r in review.rows
        ),
    )


def progress_table(review: ReviewComparison) -> Table:
    """Last year's indicators: where each stood a year before its latest value, where it is, and its status."""
    change = {r.name: r.change.value for r in review.rows}
    return Table(
        "Indicators over the year",
        tuple(Column(c) for c in ("Priority", "This year", "Indicator", "From", "Over the year", "Target", "Status")),
        tuple(
            (
                i.priority,
                change.get(i.priority, "not decided yet"),
                i.name,
                i.year_before[0],
                i.progress_text,
                f"{number_text(i.target, i.unit)} by {i.target_date:%b %Y}",
                i.status.value,
            )
            for i in review.basis.indicators
        ),
    )


def _progress(review: ReviewComparison) -> list[paper.Block]:
    if not review.basis.indicators:
        return [paper.Paragraph("Last year's decision had no indicators recorded, so there is no progress to report.")]
    return [
        paper.Subheading("Last year's indicators over the year"),
        paper.TableBlock(
            progress_table(review),
            "Each indicator from a year before its latest value (or its baseline) to its latest, and its status then",
        ),
    ]


def review_tables(content: ExportContent) -> tuple[Table, ...]:
    """The workbook's sheets for an annual review (none for a workshop that is not one): the comparison
    once this year's shortlist is agreed, and last year's indicators over the year when it had any."""
    review = content.review
    if review is None:
        return ()
    tables = [comparison_table(review)] if review.decided else []
    if review.basis.indicators:
        tables.append(progress_table(review))
    return tuple(tables)


def review_section(content: ExportContent) -> paper.Section | None:
    """The section, or None when the workshop is not an annual review."""
    review = content.review
    if review is None:
        return None
    basis = review.basis
    blocks: list[paper.Block] = [
        paper.Facts(
            (
                ("Last year's workshop", f"{basis.title} (code {basis.code})"),
                ("Last year's decision", f"{basis.decided_at.day} {basis.decided_at:%B %Y}, by {basis.decided_by}"),
                ("Agreed then", name_list([p.name for p in basis.agreed])),
            )
        )
    ]
    if not review.decided:
        blocks.append(
            paper.Notice(
                "This year's board has not agreed its shortlist yet. When the facilitator records it, this section "
                "will say which of last year's priorities were kept, which were dropped and which are new, each "
                "with its reason.",
                draft=True,
            )
        )
        return paper.Section("review", "10", SECTION_TITLE, (*blocks, *_progress(review)))
    blocks.append(paper.Paragraph(review.summary, "This year's decision: "))
    blocks.append(paper.TableBlock(comparison_table(review), "Last year's agreed priorities and this year's, and why"))
    if review.missing_reasons:
        blocks.append(
            paper.Notice(
                f"No reason has been recorded yet for dropping {name_list(list(review.missing_reasons))}. "
                "The facilitator records it on the Agree page."
            )
        )
    return paper.Section("review", "10", SECTION_TITLE, (*blocks, *_progress(review)))
