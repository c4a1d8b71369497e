"""The quarterly performance report's words and tables, shared by its HTML, Word and Excel files.

``performance_paper`` lays ``PerformanceContent`` out as a ``Report`` of the board paper's blocks
(``workshop.exports.blocks``), which ``html_report`` and ``docx_report`` render as they render the
board paper: first the changes since the last period, then a summary, one section per agreed
priority (each indicator's status, value against the trajectory and the lead's commentary) and the
rule.  ``indicators_table`` is the one table of all indicators: the workbook's one sheet and the
report's appendix.
"""

from __future__ import annotations

from ranking.indicator_status import IndicatorStatus
from workshop.exports import blocks as paper
from workshop.exports.performance_model import IndicatorLine, PerformanceContent
from workshop.exports.tables import Cell, Column, Table
from workshop.plan_words import number_text

STATUS_ORDER = (IndicatorStatus.ON_TRACK, IndicatorStatus.BEHIND, IndicatorStatus.OFF_TRACK, IndicatorStatus.NO_DATA)


def indicators_table(content: PerformanceContent) -> Table:
    """Every indicator of the plan at the end of the period: one row each."""
    columns = (
        "Priority",
        "Indicator",
        "Unit",
        "Better",
        "Lead partner",
        "Baseline",
        "Baseline date",
        "Baseline source",
        "Target",
        "Target date",
        "Latest period",
        "Latest value",
        "Trajectory value",
        "Status",
        "Status last period",
        "Changed",
        "Lead's commentary",
    )
    rows: list[tuple[Cell, ...]] = [
        (
            i.priority,
            i.name,
            i.unit,
            i.better,
            i.lead,
            i.baseline,
            i.baseline_date.isoformat(),
            i.baseline_source,
            i.target,
            i.target_date.isoformat(),
            i.period or "",
            i.value,
            i.expected,
            i.status.value,
            i.previous_status.value,
            "Yes" if i.changed else "No",
            i.commentary,
        )
        for i in content.indicators
    ]
    return Table("Indicators", tuple(Column(c) for c in columns), tuple(rows))


def _indicator_rows(indicators: tuple[IndicatorLine, ...]) -> Table:
    return Table(
        "Indicators",
        tuple(
            Column(c) for c in ("Indicator", "Baseline", "Target", "Latest against the line", "Status", "Commentary")
        ),
        tuple(
            (
                f"{i.name} ({i.better}; lead: {i.lead or 'none'})",
                f"{number_text(i.baseline, i.unit)} ({i.baseline_date:%b %Y})",
                f"{number_text(i.target, i.unit)} by {i.target_date:%b %Y}",
                (f"{i.period}: " if i.period else "") + i.against_line,
                i.status.value + (f" (was {i.previous_status.value})" if i.changed else ""),
                i.commentary,
            )
            for i in indicators
        ),
    )


def _changes(content: PerformanceContent) -> paper.Section:
    """Status changes first, then the new values that left their indicator's status as it was."""
    title = f"Changes since {content.previous.label}" if content.previous else "Changes since the last period"
    if content.period is None:
        blocks: list[paper.Block] = [paper.Notice("No actual value has been entered for any indicator yet.")]
        return paper.Section("changes", "1", title, tuple(blocks))
    moved = [i for i in content.changes if i.changed]
    steady = [i for i in content.changes if not i.changed]
    if moved:
        blocks = [
            paper.Paragraph(f"{len(moved)} {'indicator' if len(moved) == 1 else 'indicators'} changed status:"),
            paper.Bullets(tuple(f"{i.priority}: {i.name}: {i.change_text}" for i in moved)),
        ]
    else:
        blocks = [paper.Paragraph(f"No indicator changed status in {content.period.label}.")]
    if steady:
        blocks.append(paper.Paragraph(f"New values for {content.period.label} with no change of status:"))
        blocks.append(paper.Bullets(tuple(f"{i.priority}: {i.name}: {i.change_text}" for i in steady)))
    return paper.Section("changes", "1", title, tuple(blocks))


def _summary(content: PerformanceContent) -> paper.Section:
    counts = ", ".join(f"{content.count(s)} {s.value}" for s in STATUS_ORDER)
    facts = tuple(
        (p.name, p.status.value + (f" (was {p.previous_status.value})" if p.status is not p.previous_status else ""))
        for p in content.priorities
    )
    blocks: list[paper.Block] = [
        paper.Paragraph(
            f"{len(content.indicators)} indicators for {len(content.priorities)} agreed priorities: {counts}."
        ),
    ]
    if facts:
        blocks.append(paper.Facts(facts))
    return paper.Section("summary", "2", "Each priority's status", tuple(blocks))


def _priority(number: int, index: int, content: PerformanceContent) -> paper.Section:
    p = content.priorities[index]
    blocks: list[paper.Block] = [paper.Paragraph(p.status.value.capitalize() + ".", "Status: ")]
    if p.indicators:
        blocks.append(paper.TableBlock(_indicator_rows(p.indicators)))
    else:
        blocks.append(paper.Notice("No indicator has been set for this priority yet."))
    return paper.Section(f"priority-{index + 1}", str(number), p.name, tuple(blocks))


def performance_paper(content: PerformanceContent) -> paper.Report:
    first = 3
    sections = [
        _changes(content),
        _summary(content),
        *(_priority(first + n, n, content) for n in range(len(content.priorities))),
        paper.Section(
            "rule",
            str(first + len(content.priorities)),
            "How status is decided",
            (paper.Paragraph(content.rule),),
        ),
        paper.Section("appendix", "Appendix", "All indicators", (paper.TableBlock(indicators_table(content)),)),
    ]
    return paper.Report(
        title=content.title,
        organisation=content.organisation,
        kind=f"Performance report: {content.period_label}",
        date_text=f"Values to the end of {content.period_label}",
        status=_status(content),
        draft=False,
        generated=f"Prepared by Prioritise on {content.generated_at:%d %B %Y at %H:%M} UTC",
        sections=tuple(sections),
        footer="Prioritise performance report",
    )


def _status(content: PerformanceContent) -> str:
    """ "Priorities: 2 on track, 2 behind, 1 off track" (the cover's badge)."""
    return "Priorities: " + ", ".join(
        f"{sum(1 for p in content.priorities if p.status is s)} {s.value}" for s in STATUS_ORDER
    )
