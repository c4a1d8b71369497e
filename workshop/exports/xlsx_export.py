"""The Excel workbook: one sheet per table, the 'About' sheet second.

Every sheet has a bold, filled header row that stays in view (frozen
panes), an autofilter, column widths fitted to the content (within limits)
and number formats by column type: percentages as 0%, scores to three
decimals, datetimes as UTC.  Every text cell, headings included, goes
through ``spreadsheet_text``, so no name or rationale can become a formula.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from workshop.exports.model import ExportContent
from workshop.exports.report_review import review_tables
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


def write_sheet(ws: Worksheet, table: Table) -> None:
    """One table on one sheet: a styled, frozen, filtered header row and typed columns."""
    ws.append([_cell(c.title) for c in table.columns])
    for row in table.rows:
        ws.append([_cell(v) for v in row])
    for n, column in enumerate(table.columns, start=1):
        letter = get_column_letter(n)
        width = _width(table, n - 1)
        ws.column_dimensions[letter].width = width
        header = ws.cell(row=1, column=n)
        header.fill, header.font = HEADER_FILL, HEADER_FONT
        header.alignment = WRAP_TOP
        number_format = NUMBER_FORMATS.get(column.format)
        wrap = column.format is Format.TEXT and width >= WRAP_FROM
        if number_format or wrap:
            for (cell,) in ws.iter_rows(min_row=2, min_col=n, max_col=n):
                if number_format:
                    cell.number_format = number_format
                if wrap:
                    cell.alignment = WRAP_TOP
    ws.freeze_panes = "A2"
    if table.rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{len(table.rows) + 1}"


def render_xlsx(content: ExportContent) -> bytes:
    tables = (*sheet_tables(content), *review_tables(content))
    ordered = (tables[0], about_table(content, tables), *tables[1:])
    book = Workbook()
    book.remove(book.active)
    for table in ordered:
        write_sheet(book.create_sheet(table.name), table)
    book.properties.title = content.workshop.title[:200]
    book.properties.creator = "Prioritise"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
