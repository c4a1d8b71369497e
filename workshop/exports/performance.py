"""The quarterly performance report as a file: ``render_performance`` gives HTML (prints to A4), Word or Excel.

``build_performance`` reads the plan through the service (the facilitator's key is checked
there) and computes everything once (``performance_model``); each format only renders it
(``performance_report``): the HTML and Word files lay out the same ``Report`` as the board
paper's renderers do, and the workbook has one sheet of all indicators.
"""

from __future__ import annotations

from datetime import UTC, datetime

from workshop.errors import InvalidInput
from workshop.exports import ExportFile
from workshop.exports.docx_report import render_docx
from workshop.exports.formats import FileFormat, FileKind, register
from workshop.exports.html_report import render_html
from workshop.exports.performance_model import PerformanceContent, performance_content
from workshop.exports.performance_report import indicators_table, performance_paper
from workshop.exports.safety import filename
from workshop.exports.xlsx_export import write_workbook
from workshop.models import parse_period
from workshop.service import WorkshopService


class PerformanceFormat(FileFormat):
    HTML = "html"
    DOCX = "docx"
    XLSX = "xlsx"

    @classmethod
    def _what(cls) -> str:
        return "performance report's format"


register(
    {
        PerformanceFormat.HTML: FileKind("Performance report (HTML, prints to PDF)", "html"),
        PerformanceFormat.DOCX: FileKind("Performance report (Word)", "docx"),
        PerformanceFormat.XLSX: FileKind("Performance indicators (Excel)", "xlsx"),
    }
)


def build_performance(
    service: WorkshopService, key: str, workshop_id: int, period: str | None = None, now: datetime | None = None
) -> PerformanceContent:
    """The report for ``period`` ("2012-Q1", "2012-03"; None: the latest with any value).  Raises
    InvalidInput for a period that is not one, before anything is read, or before a decision; and the
    service's errors."""
    asked = None if period is None or not str(period).strip() else parse_period(period)
    plan = service.plan(key, workshop_id)
    if not plan.agreed:
        raise InvalidInput("There is nothing to report yet: record the agreed priorities, then their indicators.")
    organisation = service.workshop_by_id(workshop_id, key).organisation
    return performance_content(plan, organisation, now or datetime.now(UTC), asked)


def _workbook(content: PerformanceContent) -> bytes:
    return write_workbook((indicators_table(content),), f"{content.title}: performance {content.period_label}")


def render_performance(content: PerformanceContent, fmt: PerformanceFormat | str) -> ExportFile:
    """One format of an already built report."""
    export = PerformanceFormat.parse(fmt)
    if export is PerformanceFormat.XLSX:
        data = _workbook(content)
    else:
        report = performance_paper(content)
        data = render_html(report) if export is PerformanceFormat.HTML else render_docx(report)
    day = content.period.end if content.period is not None else content.generated_at.date()
    name = filename(f"{content.title} performance {content.period_label}", day, export.extension)
    return ExportFile(name, export.media_type, data)
