"""Exports: what survives the workshop day.

``render(service, key, workshop_id, fmt)`` gives one file:

* ``csv``: a .zip of shortlist.csv, ranking.csv and raw_scores.csv (with a README);
* ``xlsx``: an Excel workbook, one sheet per table, the audit log included;
* ``html``: the board paper as one self-contained HTML file that prints to A4;
* ``docx``: the same board paper as a Word document, for councils that edit papers in Word;
* ``summary``: a plain-language summary on one printable A4 page (HTML), with its reading ease,
  for the people who took part and the child-friendly version of the plan (``summary.py``).

All four render one ``ExportContent`` (``content.build_content``), computed
once; the app builds it once and renders every format from it
(``render_content``), the two papers sharing their charts.  The robustness
analyses are kept per state of the workshop (``analysis._sensitivity``), so
another export of an unchanged workshop does not run them again.  The facilitator's key is checked by the service.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from workshop.exports.charts import Charts, build_charts
from workshop.exports.content import ExportContent, build_content
from workshop.exports.csv_export import render_csv_zip
from workshop.exports.docx_report import render_docx
from workshop.exports.formats import FileFormat, FileKind, register
from workshop.exports.html_report import render_html
from workshop.exports.report import board_paper
from workshop.exports.safety import filename
from workshop.exports.summary import render_summary
from workshop.exports.xlsx_export import render_xlsx
from workshop.service import WorkshopService


class ExportFormat(FileFormat):
    CSV = "csv"
    XLSX = "xlsx"
    HTML = "html"
    DOCX = "docx"
    SUMMARY = "summary"


register(
    {
        ExportFormat.CSV: FileKind("CSV tables (.zip)", "zip"),
        ExportFormat.XLSX: FileKind("Excel workbook", "xlsx"),
        ExportFormat.HTML: FileKind("Board paper (HTML, prints to PDF)", "html"),
        ExportFormat.DOCX: FileKind("Board paper (Word)", "docx"),
        ExportFormat.SUMMARY: FileKind("Plain-language summary (one page)", "html"),
    }
)


@dataclass(frozen=True)
class ExportFile:
    filename: str  # ASCII: <slug of the title>-<date>.<extension>
    media_type: str
    data: bytes


#: The last content's charts: the HTML and Word papers of one content draw them once.
_last_charts: tuple[ExportContent, Charts | None] | None = None


def _charts(content: ExportContent) -> Charts | None:
    global _last_charts
    last = _last_charts
    if last is not None and last[0] is content:
        return last[1]
    charts = build_charts(content)
    _last_charts = (content, charts)
    return charts


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a file is written, then as it was.

    Writing makes hundreds of thousands of small objects that form no cycles
    (a workbook's cells, a paper's XML elements); each few hundred of them set
    off a collection that walks everything alive, the content's 48,000 raw
    scores included: a third of the Excel writer's time (bench/RESULTS.md,
    board paper).  Nothing is lost: cycles made meanwhile are collected after.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def render_content(content: ExportContent, fmt: ExportFormat | str) -> ExportFile:
    """One format of an already built ``ExportContent``."""
    export = ExportFormat.parse(fmt)
    with _collector_paused():
        if export is ExportFormat.CSV:
            data = render_csv_zip(content)
        elif export is ExportFormat.XLSX:
            data = render_xlsx(content)
        elif export is ExportFormat.SUMMARY:
            data = render_summary(content)
        else:
            report = board_paper(content, _charts(content))
            data = render_html(report) if export is ExportFormat.HTML else render_docx(report)
    title = f"{content.workshop.title} summary" if export is ExportFormat.SUMMARY else content.workshop.title
    return ExportFile(filename(title, content.report_date, export.extension), export.media_type, data)


def render(service: WorkshopService, key: str, workshop_id: int, fmt: ExportFormat | str) -> ExportFile:
    """Export a workshop in one format (``csv``, ``xlsx``, ``html`` or ``docx``).

    Raises ``InvalidInput`` for an unknown format (before reading anything)
    and the service's ``PermissionDenied``/``NotFound`` for a wrong key or
    an unknown workshop.  A workshop with no decision yet exports as a draft.
    """
    export = ExportFormat.parse(fmt)
    return render_content(build_content(service, key, workshop_id), export)


__all__ = ["ExportContent", "ExportFile", "ExportFormat", "build_content", "render", "render_content"]
