"""The CSV export: a .zip of three CSV files and a README.

``render`` returns one file, and a CSV holds one table, so the three tables
the brief asks for travel together in a zip:

* ``shortlist.csv``: the agreed shortlist with rationale, and the
  priorities left out of it (header only while no shortlist is agreed);
* ``ranking.csv``: the computed ranking of every round with answers;
* ``raw_scores.csv``: every score in long format, participants pseudonymised.

Files are UTF-8 with a byte-order mark (so Excel reads en dashes and
accents correctly) and CRLF line ends.  Every text cell goes through
``csv_text`` (a formula start is neutralised at the start of the cell and
after any separator a locale might split it at); numbers are written as plain numbers (shares 0–1,
not percentages).
"""

from __future__ import annotations

import csv
import io
import zipfile

from workshop.exports.model import ExportContent
from workshop.exports.record_tables import raw_scores_table
from workshop.exports.safety import csv_text
from workshop.exports.tables import Cell, Table, ranking_table, shortlist_table

FILES = (("shortlist.csv", shortlist_table), ("ranking.csv", ranking_table), ("raw_scores.csv", raw_scores_table))


def _value(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return csv_text(value)
    if isinstance(value, float):
        return f"{value:.6g}" if abs(value) >= 1e-4 or value == 0 else f"{value:.6e}"
    if isinstance(value, int):
        return str(value)
    return value.isoformat(sep=" ", timespec="seconds")


def table_csv(table: Table) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_text(c.title) for c in table.columns])
    writer.writerows([_value(v) for v in row] for row in table.rows)
    return out.getvalue().encode("utf-8-sig")


def _readme(content: ExportContent, tables: list[tuple[str, Table]]) -> str:
    w = content.workshop
    lines = [
        w.title,
        w.organisation,
        f"Status: {content.status}. Exported {content.generated_at:%Y-%m-%d %H:%M} UTC.",
        f"Ranking method (every scoring round): {content.method}.",
        "",
        *(f"{name}: {table.note}" for name, table in tables),
        "",
        "Text that a spreadsheet could read as a formula (starting with =, +, -, @, tab or carriage return, "
        "at the start of a cell or after a comma, semicolon, tab or bar) has a single quote put before it.",
        "The Excel workbook and the board paper from the same export hold the method, weights, disagreement "
        "and sensitivity analyses.",
    ]
    return "\r\n".join(lines) + "\r\n"


def render_csv_zip(content: ExportContent) -> bytes:
    tables = [(name, build(content)) for name, build in FILES]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, table in tables:
            archive.writestr(name, table_csv(table))
        archive.writestr("README.txt", _readme(content, tables).encode("utf-8-sig"))
    return out.getvalue()
