"""The Excel workbook: one sheet per table, the 'About' sheet second.

Every sheet has a bold, filled header row that stays in view (frozen
panes), an autofilter, column widths fitted to the content (within limits)
and number formats by column type: percentages as 0%, scores to three
decimals, datetimes as UTC.  The workbook is written in openpyxl's
write-only mode (rows streamed to the file, no cell objects kept): the raw
scores of a 300-person room are 48,000 rows.  Every text cell, headings included, goes
through ``spreadsheet_text``, so no name or rationale can become a formula.
"""

from __future__ import annotations

import io
from copy import copy

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from workshop.exports.model import ExportContent
from workshop.exports.safety import spreadsheet_text
from workshop.exports.tables import Cell, Format, Table, about_table, sheet_tables

HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
HEADER_FONT = Font(bold=True, color="FFFFFF")
NUMBER_FORMATS = {
    Format.INTEGER: "0",
    Format.DECIMAL: "0.000",
    Format.PERCENT: "0.0%",
    Format.DATETIME: "yyyy-mm-dd hh:mm",
}
MIN_WIDTH, MAX_WIDTH = 8, 60
WRAP_FROM = 40  # columns with longer text wrap instead of widening further
#: One shared style object: openpyxl compares a new one with every style it holds, per cell.
WRAP_TOP = Alignment(wrap_text=True, vertical="top")


def _cell(value: Cell) -> Cell:
    return spreadsheet_text(value) if isinstance(value, str) else value


def _width(table: Table, column: int) -> float:
    """Characters wide: the longest line of the heading or any value (dates ~16)."""
    heading = len(table.columns[column].title)
    longest = 0
    for row in table.rows:
        value = row[column]
        if isinstance(value, str):
            longest = max(longest, *(len(line) for line in value.split("\n")))
        elif value is not None:
            longest = max(longest, 16 if table.columns[column].format is Format.DATETIME else len(f"{value:.3f}"))
    return float(min(MAX_WIDTH, max(MIN_WIDTH, min(heading, 30), longest) + 2))


class _Styles:
    """Write-only cells carrying the header and per-column styles.  The
    style of a cell is set on one template per column and shared (the
    ``StyleArray`` copied): assigning a style object to each cell makes
    openpyxl look it up among the styles it holds, cell by cell."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self._templates: dict[tuple[str | None, bool, bool], WriteOnlyCell] = {}

    def cell(self, value: Cell, number_format: str | None = None, wrap: bool = False, header: bool = False):
        if not (number_format or wrap or header):
            return value
        style = (number_format, wrap, header)
        template = self._templates.get(style)
        if template is None:
            template = WriteOnlyCell(self.ws)
            if number_format:
                template.number_format = number_format
            if wrap or header:
                template.alignment = WRAP_TOP
            if header:
                template.fill, template.font = HEADER_FILL, HEADER_FONT
            self._templates[style] = template
        cell = WriteOnlyCell(self.ws, value)
        cell._style = copy(template._style)
        return cell


def _sheet(ws: Worksheet, table: Table) -> None:
    """One table on a write-only sheet: widths, frozen header and filter first (they are written
    before the rows), then the header row and the rows, each cell styled by its column."""
    formats = []
    for n, column in enumerate(table.columns, start=1):
        width = _width(table, n - 1)
        ws.column_dimensions[get_column_letter(n)].width = width
        formats.append((NUMBER_FORMATS.get(column.format), column.format is Format.TEXT and width >= WRAP_FROM))
    ws.freeze_panes = "A2"
    if table.rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{len(table.rows) + 1}"
    styles = _Styles(ws)
    ws.append([styles.cell(_cell(c.title), header=True) for c in table.columns])
    for row in table.rows:
        ws.append([styles.cell(_cell(v), *style) for v, style in zip(row, formats, strict=True)])


def render_xlsx(content: ExportContent) -> bytes:
    tables = sheet_tables(content)
    ordered = (tables[0], about_table(content, tables), *tables[1:])
    book = Workbook(write_only=True)
    for table in ordered:
        _sheet(book.create_sheet(table.name), table)
    book.properties.title = content.workshop.title[:200]
    book.properties.creator = "Prioritise"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
