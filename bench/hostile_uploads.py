"""Small uploads that make the Start page's import work hard: the time and memory each one costs.

    python bench/hostile_uploads.py            # print the figures
    python bench/hostile_uploads.py --write    # also rewrite its section of bench/RESULTS.md

The files are the worst cases of issue 14 (built here, deterministic): a workbook whose one row holds
about 1.3 million cells, a workbook of a million shared strings, a workbook whose styles part is a
million formats, and 2 MB CSV files of a million rows, of one 2-million-cell row and of 200,000
ten-cell rows; then ordinary files (the sample workshop's lists, a 200-priority workbook) to show that
the bounds leave them alone.  Each file is read by ``workshop.imports.parse_priorities`` in a fresh
interpreter: wall time of the call (``time.perf_counter``), the child's peak RSS above its RSS just
before the call (``VmHWM``, which covers allocations outside Python, e.g. lxml's), and the outcome (how
many priorities were read, or the first error).
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import re
import subprocess
import sys
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results_md import write_section  # noqa: E402
from tests.hostile.files import rezip, xlsx  # noqa: E402

SECTION = "## Hostile uploads (bench/hostile_uploads.py)"
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
STYLES = "xl/styles.xml"
TYPES = "[Content_Types].xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
CHILD = """
import json, sys, time
from workshop import imports
import openpyxl  # imported before the clock starts: the figures are the reading

def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1]) * 1024

data = open(sys.argv[1], "rb").read()
before = hwm()
started = time.perf_counter()
parsed = imports.parse_priorities(data, sys.argv[1])
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "extra_mb": (hwm() - before) / 2**20, "items": len(parsed.items),
                  "error": parsed.errors[0].message if parsed.errors else ""}))
"""


def with_sheet_data(cells_xml: str, base: bytes | None = None) -> bytes:
    """A workbook whose first sheet's <sheetData> is ``cells_xml``, without a <dimension>."""
    data = base or xlsx([["priority"]])
    sheet = zipfile.ZipFile(io.BytesIO(data)).read(SHEET).decode()
    sheet = re.sub(r"<dimension[^>]*/>", "", sheet)
    sheet = re.sub(r"<sheetData>.*</sheetData>|<sheetData/>", lambda _: f"<sheetData>{cells_xml}</sheetData>",
                   sheet, flags=re.S)
    return rezip(data, {SHEET: sheet.encode()})


def one_row_of_cells(cells: int = 1_300_000) -> bytes:
    """One row of ``cells`` number cells (15 bytes each unzipped): under 20 MB, the old whole-file bound."""
    return with_sheet_data('<row r="1"><c r="A1" t="inlineStr"><is><t>priority</t></is></c>'
                           + "<c><v>1</v></c>" * cells + "</row>")


def shared_strings(count: int = 1_100_000) -> bytes:
    """A sheet of two cells and a shared-string table of ``count`` strings (17 bytes each unzipped)."""
    data = with_sheet_data('<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row>')
    types = zipfile.ZipFile(io.BytesIO(data)).read(TYPES).decode().replace(
        "</Types>", f'<Override PartName="/{STRINGS}" ContentType="{STRINGS_TYPE}"/></Types>')
    table = (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="{count}" uniqueCount="{count}">'
             "<si><t>priority</t></si><si><t>A</t></si>" + "<si><t>x</t></si>" * count + "</sst>")
    return rezip(data, {TYPES: types.encode(), STRINGS: table.encode()})


def styles(count: int = 1_000_000) -> bytes:
    """A styles part of ``count`` cell formats (openpyxl reads styles even in read-only mode)."""
    data = xlsx([["priority"], ["A"]])
    part = zipfile.ZipFile(io.BytesIO(data)).read(STYLES).decode()
    part = re.sub(r'<cellXfs count="\d+">', f'<cellXfs count="{count + 1}">' + '<xf numFmtId="0"/>' * count, part)
    return rezip(data, {STYLES: part.encode()})


def wide_dimension(rows: int = 10_000) -> bytes:
    """A sheet that claims 16,384 columns, so that openpyxl pads every row it yields to ``max_col``."""
    data = with_sheet_data('<row r="1"><c r="A1" t="inlineStr"><is><t>priority</t></is></c></row>'
                           + "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(2, rows)))
    sheet = zipfile.ZipFile(io.BytesIO(data)).read(SHEET).decode()
    sheet = sheet.replace("<sheetData>", f'<dimension ref="A1:XFD{rows}"/><sheetData>', 1)
    return rezip(data, {SHEET: sheet.encode()})


def many_parts(count: int = 18_000) -> bytes:
    """A workbook with ``count`` extra empty members (each costs a zip directory entry, about 60 bytes)."""
    data = xlsx([["priority"], ["A"]])
    return rezip(data, {f"x/{n}": b"" for n in range(count)})


def csv_rows(size: int = 2 * 1024 * 1024 - 16) -> bytes:
    """2 MB of one-character rows: a million records."""
    return b"priority\n" + b"x\n" * ((size - 9) // 2)


def csv_wide_row(size: int = 2 * 1024 * 1024 - 16) -> bytes:
    """A header and one row of 2 million empty cells."""
    return b"priority\n" + b"," * (size - 9)


def csv_wide_rows(size: int = 2 * 1024 * 1024 - 16) -> bytes:
    """200,000 rows of ten one-character cells, with a ten-column header."""
    header = b",".join(b"c%d" % n for n in range(9)) + b",priority\n"
    return header + b"a,b,c,d,e,f,g,h,i,j\n" * ((size - len(header)) // 20)


def ordinary_workbook(priorities: int = 200) -> bytes:
    """The largest list the app takes: 200 priorities, each with a theme and long description and evidence."""
    text = "Words of a description that runs on, " * 50
    return xlsx([["priority", "theme", "description", "evidence"]]
                    + [[f"Priority {n}", f"Theme {n % 7}", text, text] for n in range(priorities)])


def cases() -> dict[str, tuple[str, bytes]]:
    sample = ROOT / "data" / "sample" / "priorities.csv"
    return {
        "xlsx: one row of 1.3 million cells": ("row.xlsx", one_row_of_cells()),
        "xlsx: 1.1 million shared strings": ("strings.xlsx", shared_strings()),
        "xlsx: 1 million cell formats in styles": ("styles.xlsx", styles()),
        "csv: a million rows": ("rows.csv", csv_rows()),
        "csv: one row of 2 million cells": ("wide.csv", csv_wide_row()),
        "csv: 200,000 rows of 10 cells": ("wide_rows.csv", csv_wide_rows()),
        "csv: 10,000 rows of 100 cells": ("grid.csv", b",".join(b"c%d" % n for n in range(99)) + b",priority\n"
                                          + (b"a," * 99 + b"b\n") * 10_000),
        "xlsx: 10,000 rows, dimension A1:XFD10000": ("dim.xlsx", wide_dimension()),
        "xlsx: 18,000 empty parts": ("parts.xlsx", many_parts()),
        "ordinary: data/sample/priorities.csv": ("priorities.csv", sample.read_bytes()),
        "ordinary: 200-priority workbook, long texts": ("list.xlsx", ordinary_workbook()),
    }


def measure(filename: str, data: bytes) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / filename
        path.write_bytes(data)
        done = subprocess.run([sys.executable, "-c", CHILD, str(path)], cwd=ROOT, capture_output=True,
                              text=True, check=True, timeout=600)
    return json.loads(done.stdout)


def report(results: dict[str, tuple[int, dict]]) -> str:
    lines = [
        SECTION,
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d} on {platform.python_implementation()} "
        f"{platform.python_version()}, {platform.machine()} (2 shared cores); `workshop.imports.parse_priorities` "
        "in a fresh interpreter per file.",
        "",
        "| file | size | time | peak RSS added | outcome |",
        "|---|---:|---:|---:|---|",
    ]
    for name, (size, r) in results.items():
        outcome = r["error"] or f"{r['items']} priorities read"
        lines.append(f"| {name} | {size / 1024:,.0f} KB | {r['seconds']:.2f} s | {r['extra_mb']:.0f} MB | {outcome} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite this section of bench/RESULTS.md")
    args = parser.parse_args()
    results = {}
    for name, (filename, data) in cases().items():
        results[name] = (len(data), measure(filename, data))
        print(name, len(data), results[name][1], flush=True)
    text = report(results)
    print(text)
    if args.write:
        write_section(SECTION, text)


if __name__ == "__main__":
    main()
