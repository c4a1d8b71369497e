"""The Excel workbook: one sheet per table, the 'About' sheet second.

Every sheet has a bold, filled header row that stays in view (frozen
panes), an autofilter, column widths fitted to the content (within limits)
and number formats by column type: percentages as 0%, scores to three
decimals, datetimes as UTC.  Every text cell, headings included, goes
through ``spreadsheet_text``, so no name or rationale can become a formula,
and is written as text (never read as a formula, number or link).

The workbook is written with XlsxWriter, texts in its shared-string table:
the raw scores of a 300-person room are 48,000 rows repeating a few hundred
texts, and openpyxl (which reads workbooks here, ``workshop.imports``) took
several seconds on them even in its write-only mode, XlsxWriter's
constant-memory mode (inline strings, escaped cell by cell) about twice as
long as this (bench/RESULTS.md, board paper).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime

import xlsxwriter
from xlsxwriter.format import Format as CellStyle
from xlsxwriter.worksheet import Worksheet

from workshop.exports.model import ExportContent
from workshop.exports.report_review import review_tables
from workshop.exports.safety import spreadsheet_text
from workshop.exports.tables import Cell, Format, Table, about_table, sheet_tables

HEADER = {"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F3A5F", "pattern": 1}
WRAP_TOP = {"text_wrap": True, "valign": "top"}
NUMBER_FORMATS = {
    Format.INTEGER: "0",
    Format.DECIMAL: "0.000",
    Format.PERCENT: "0.0%",
    Format.DATETIME: "yyyy-mm-dd hh:mm",
}
MIN_WIDTH, MAX_WIDTH = 8, 60
WRAP_FROM = 40  # columns with longer text wrap instead of widening further
OPTIONS = {
    "constant_memory": False,  # shared strings: the raw scores repeat a few hundred texts 48,000 times
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
    "remove_timezone": True,  # Excel has no time zones: the datetimes are UTC (the header says so)
}


def _width(table: Table, column: int) -> float:
    """Characters wide: the longest line of the heading or any value (dates ~16)."""
    heading = len(table.columns[column].title)
    longest = 0
    dated = table.columns[column].format is Format.DATETIME
    for value in {row[column] for row in table.rows}:  # each distinct value once (48,000 raw rows repeat a few)
        if isinstance(value, str):
            longest = max(longest, *(len(line) for line in value.split("\n")))
        elif value is not None:
            longest = max(longest, 16 if dated else len(f"{value:.3f}"))
    return float(min(MAX_WIDTH, max(MIN_WIDTH, min(heading, 30), longest) + 2))


def _write(ws: Worksheet, row: int, column: int, value: Cell, style: CellStyle | None, texts: dict[str, str]) -> None:
    if value is None:
        if style is not None:
            ws.write_blank(row, column, None, style)
    elif isinstance(value, str):
        text = texts.get(value)
        if text is None:  # each distinct text made safe once per workbook
            text = texts[value] = spreadsheet_text(value)
        ws.write_string(row, column, text, style)
    elif isinstance(value, bool):
        ws.write_boolean(row, column, value, style)
    elif isinstance(value, datetime):
        ws.write_datetime(row, column, value, style)
    else:
        ws.write_number(row, column, value, style)


def _sheet(book: xlsxwriter.Workbook, styles: dict[tuple, CellStyle], table: Table, texts: dict[str, str]) -> None:
    def style(number_format: str | None, wrap: bool, header: bool = False) -> CellStyle | None:
        if not (number_format or wrap or header):
            return None
        key = (number_format, wrap, header)
        if key not in styles:
            styles[key] = book.add_format(
                {**({"num_format": number_format} if number_format else {}), **(WRAP_TOP if wrap or header else {}),
                 **(HEADER if header else {})}
            )
        return styles[key]

    ws = book.add_worksheet(table.name)
    column_styles = []
    for n, column in enumerate(table.columns):
        width = _width(table, n)
        wrap = column.format is Format.TEXT and width >= WRAP_FROM
        column_styles.append(style(NUMBER_FORMATS.get(column.format), wrap))
        ws.set_column(n, n, width)
    header = style(None, False, header=True)
    for n, column in enumerate(table.columns):
        ws.write_string(0, n, spreadsheet_text(column.title), header)
    for r, row in enumerate(table.rows, start=1):
        for n, (value, cell_style) in enumerate(zip(row, column_styles, strict=True)):
            _write(ws, r, n, value, cell_style, texts)
    ws.freeze_panes(1, 0)
    if table.rows:
        ws.autofilter(0, 0, len(table.rows), len(table.columns) - 1)


def write_workbook(tables: Sequence[Table], title: str) -> bytes:
    """A workbook of one sheet per table, in order, titled ``title`` (also the performance report's)."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, OPTIONS)
    book.set_properties({"title": title[:200], "author": "Prioritise"})
    styles: dict[tuple, CellStyle] = {}
    texts: dict[str, str] = {}
    for table in tables:
        _sheet(book, styles, table, texts)
    book.close()
    return out.getvalue()


def render_xlsx(content: ExportContent) -> bytes:
    tables = (*sheet_tables(content), *review_tables(content))
    return write_workbook((tables[0], about_table(content, tables), *tables[1:]), content.workshop.title)
