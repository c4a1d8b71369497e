"""Bad and hostile upload files, at the parser and through the app's start page (AppTest): each gets a
clear error naming the problem, or is read and stored as plain text; never an exception, never a hang.
(The broken-workbook, workbook-bomb and huge-scale cases found bugs in workshop/imports.py, since fixed.)"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from bench import hostile_uploads
from tests.app.conftest import app
from ui import state
from ui.services import service
from workshop.imports import MAX_FILE_BYTES, parse_criteria, parse_priorities

from .files import PNG, SHEET, docx, inline, rezip, xlsx, xlsx_bomb, xlsx_with_sheet_data

ROOT = Path(__file__).resolve().parents[2]

HEADER = '<row r="1">' + inline("A1", "priority") + "</row>"
#: (file name, bytes, start of the expected whole-file error)
REFUSED = {
    "oversized": ("big.csv", b"priority\n" + b"x" * MAX_FILE_BYTES, "The file is 2.0 MB; the limit is 2 MB."),
    "png renamed .csv": ("priorities.csv", PNG, "The file is not UTF-8 text (byte 0x89 at position 0)."),
    "word document": ("priorities.docx", docx(), "The file could not be read as an Excel workbook"),
    "word renamed .xlsx": ("priorities.xlsx", docx(), "The file could not be read as an Excel workbook"),
    "empty": ("priorities.csv", b"", "The file is empty."),
    "blank lines": ("priorities.csv", b"\r\n \r\n\t\n", "The file is empty."),
    "windows-1252": ("priorities.csv", "priority\nCafé\n".encode("cp1252"), "The file is not UTF-8 text"),
    "utf-16": ("priorities.csv", "priority\nA\n".encode("utf-16"), "The file is not UTF-8 text"),
    "binary junk": ("priorities.csv", bytes(range(256)) * 4, "The file is not UTF-8 text"),
    "zip junk": ("priorities.xlsx", b"PK\x03\x04" + bytes(range(256)), "The file could not be read as an Excel"),
    "broken sheet xml": ("p.xlsx", rezip(xlsx([["priority"], ["A"]]), {SHEET: b"<<<"}), "The file could not be read"),
    "no name column": ("priorities.csv", b"title,theme\nA,B\n", "The file needs a 'priority' column"),
    "thousands of rows": (
        "priorities.csv",
        b"priority\n" + b"".join(b"P%d\n" % n for n in range(5000)),
        "The file has 5000 priorities; the limit is 200.",
    ),
    "thousands of xlsx rows": (
        "priorities.xlsx",
        xlsx([["priority"]] + [[f"P{n}"] for n in range(12_000)]),
        "The file has more than 10,000 rows; the limit is 200 priorities.",  # read no further
    ),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_bad_files_get_a_clear_error_and_are_not_applied(name: str):
    filename, data, message = REFUSED[name]
    started = time.monotonic()
    priorities, criteria = parse_priorities(data, filename), parse_criteria(data, filename)
    assert not priorities.ok and not criteria.ok  # the service applies nothing with errors
    assert priorities.errors[0].row is None and priorities.errors[0].message.startswith(message)
    assert criteria.errors[0].row is None
    assert time.monotonic() - started < 10


ODD_BUT_READABLE = {
    "unterminated quote": (b'priority\n"School readiness\nObesity\n', ["School readiness\nObesity"]),
    "ragged rows": (b"priority,theme\nA\nB,t,,\n", ["A", "B"]),  # cells beyond the header: test_imports
    "formulas as text": (
        b"priority\n=cmd|' /C calc'!A0\n+1+1\n-1\n@SUM(A1:A9)\n",
        ["=cmd|' /C calc'!A0", "+1+1", "-1", "@SUM(A1:A9)"],
    ),
    "html": (
        b"priority\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n",
        ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"],
    ),
    "semicolons and a bom": ("\ufeffpriority;theme\nA;t\n".encode(), ["A"]),
    "xlsx error cell": (
        xlsx_with_sheet_data(HEADER + '<row r="2"><c r="A2" t="e"><v>#DIV/0!</v></c></row>', dimension=False),
        ["#DIV/0!"],
    ),
    "xlsx formula cell": (xlsx([["priority"], ["=1+1"], ["Plain"]]), ["Plain"]),  # no cached value: a blank row
}


@pytest.mark.parametrize("name", list(ODD_BUT_READABLE))
def test_odd_files_are_read_as_plain_text(name: str):
    data, names = ODD_BUT_READABLE[name]
    parsed = parse_priorities(data, "p.xlsx" if data[:2] == b"PK" else "p.csv")
    assert parsed.errors == ()
    assert [p.name for p in parsed.items] == names


XLSX_BROKEN_CELLS = {
    "no worksheet": rezip(xlsx([["priority"], ["A"]]), {SHEET: None}),
    "number cell holding text": xlsx_with_sheet_data(HEADER + '<row r="2"><c r="A2" t="n"><v>abc</v></c></row>', False),
    "date cell holding text": xlsx_with_sheet_data(HEADER + '<row r="2"><c r="A2" t="d"><v>soon</v></c></row>', False),
    "shared string out of range": xlsx_with_sheet_data('<row r="1"><c r="A1" t="s"><v>99</v></c></row>'),
    "impossible column": xlsx_with_sheet_data('<row r="1">' + inline("ZZZZZ1", "priority") + "</row>"),
}


@pytest.mark.parametrize("name", list(XLSX_BROKEN_CELLS))
def test_broken_workbooks_get_the_workbook_error(name: str):
    parsed = parse_priorities(XLSX_BROKEN_CELLS[name], "p.xlsx")
    assert parsed.items == ()
    assert parsed.errors[0].message.startswith("The file could not be read as an Excel workbook")


def parse_in_subprocess(kind: str, data: bytes, filename: str, tmp_path: Path, timeout: float) -> dict | None:
    """Parse in a child process (a parser that hangs must not hang the tests); None if it ran out of time."""
    path = tmp_path / filename
    path.write_bytes(data)
    code = (
        "import json, sys; from workshop import imports; "
        f"p = imports.parse_{kind}(open(sys.argv[1], 'rb').read(), sys.argv[1]); "
        "print(json.dumps({'items': len(p.items), 'errors': [e.message for e in p.errors]}))"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", code, str(path)], cwd=ROOT, capture_output=True, timeout=timeout, check=True
        )
    except subprocess.TimeoutExpired:
        return None
    return json.loads(done.stdout)


def test_a_small_workbook_of_millions_of_cells_is_refused_quickly(tmp_path: Path):
    data = xlsx_bomb()
    assert len(data) < 500_000
    result = parse_in_subprocess("priorities", data, "bomb.xlsx", tmp_path, timeout=4)
    assert result is not None, "still reading after 4 s"
    assert result["items"] == 0 and result["errors"]


def test_a_criterion_with_a_huge_scale_is_refused_quickly(tmp_path: Path):
    data = b"criterion,min,max\nNeed,1,1000000000000\n"
    result = parse_in_subprocess("criteria", data, "criteria.csv", tmp_path, timeout=4)
    assert result is not None, "still reading after 4 s"
    assert result["items"] == 0 and "the limit is 11" in result["errors"][0]


# --------------------------------------------------------------------------- through the app


@pytest.fixture
def app_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("PRIORITISE_DB_PATH", str(tmp_path / "uploads.sqlite3"))
    service.clear()
    yield service()
    service.clear()


def upload(filename: str, data: bytes):
    at = app()
    at.run()
    at.text_input(key=state.START_UPLOAD_TITLE).input("<b>Our</b> workshop")
    at.file_uploader(key=state.START_PRIORITIES_FILE).set_value((filename, data, "application/octet-stream"))
    at.run()
    at.button(key=state.START_CREATE_UPLOAD).click().run()
    return at


@pytest.mark.parametrize(
    "name", ["png renamed .csv", "word renamed .xlsx", "empty", "windows-1252", "thousands of rows"]
)
def test_the_start_page_names_the_problem_and_creates_nothing(app_db, name: str):
    filename, data, message = REFUSED[name]
    at = upload(filename, data)
    assert not at.exception
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    assert app_db.list_workshops() == ()


def test_a_file_type_the_start_page_does_not_take_never_reaches_the_app(app_db):
    """The browser's file picker offers only .csv and .xlsx; a crafted upload of another type is refused by
    Streamlit itself (an error element, no details shown: client.showErrorDetails = "none") before the app
    reads it."""
    at = app()
    at.run()
    at.file_uploader(key=state.START_PRIORITIES_FILE).set_value(("priorities.docx", docx(), "application/msword"))
    at.run()
    (refusal,) = at.exception
    assert "redacted" in refusal.message and not refusal.stack_trace
    assert app_db.list_workshops() == ()


def test_the_start_page_survives_a_broken_workbook(app_db):
    at = upload("priorities.xlsx", XLSX_BROKEN_CELLS["no worksheet"])
    assert not at.exception
    assert app_db.list_workshops() == ()


# --------------------------------------------------------------------------- small files that cost a lot (issue 14)

#: (file name, bytes, start of the expected error): each once cost seconds and hundreds of MB
#: (bench/hostile_uploads.py measures them); now refused before the work is done.
COSTLY = {
    "one row of 1.3 million cells": (
        "row.xlsx", hostile_uploads.one_row_of_cells(), "The workbook has more than 250,000 XML tags"
    ),
    "a million shared strings": (
        "strings.xlsx", hostile_uploads.shared_strings(), "The workbook has more than 250,000 XML tags"
    ),
    "a million cell formats": (
        "styles.xlsx", hostile_uploads.styles(), "The workbook's formatting (xl/styles.xml) has more than 10,000"
    ),
    "18,000 empty parts": ("parts.xlsx", hostile_uploads.many_parts(), "The workbook has 18,009 parts; the limit"),
    "a million csv rows": (
        "rows.csv", hostile_uploads.csv_rows(), "The file has more than 10,000 rows; the limit is 200 priorities."
    ),
    "200,000 rows of ten cells": (
        "wide.csv", hostile_uploads.csv_wide_rows(), "The file has more than 100,000 cells; the limit is 100,000."
    ),
}


@pytest.mark.parametrize("name", list(COSTLY))
def test_a_small_costly_file_is_refused_before_it_is_read(name: str):
    """Refused with the limit it breaks, at a small fraction of the memory reading it took
    (tracemalloc: Python's allocations, e.g. openpyxl's cells; 570 MB for the row of cells before)."""
    filename, data, message = COSTLY[name]
    assert len(data) <= MAX_FILE_BYTES
    tracemalloc.start()
    try:
        parsed = parse_priorities(data, filename)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert not parsed.ok and parsed.errors[0].message.startswith(message), parsed.errors[0].message
    assert peak < 32 * 2**20, f"{peak / 2**20:.0f} MB"


def test_a_value_past_the_last_column_read_is_refused_not_dropped():
    wide = ["priority"] + [""] * 99 + ["surprise"]
    for filename, data in (("p.csv", ",".join(wide).encode() + b"\nA\n"), ("p.xlsx", xlsx([wide, ["A"]]))):
        parsed = parse_priorities(data, filename)
        assert str(parsed.errors[0]) == "Row 1: has a value in column 101; the limit is 100 columns.", filename


def test_blank_cells_past_the_last_column_are_dropped():
    """Excel pads rows with separators, and openpyxl pads them to the columns read; neither counts."""
    data = b"priority" + b"," * 5000 + b"\nA" + b"," * 5000 + b"\n"
    assert [p.name for p in parse_priorities(data, "p.csv").items] == ["A"]
    assert [p.name for p in parse_priorities(hostile_uploads.wide_dimension(300), "p.xlsx").items][:2] == ["2", "3"]


def test_the_largest_ordinary_list_is_read():
    assert len(parse_priorities(hostile_uploads.ordinary_workbook(200), "list.xlsx").items) == 200
