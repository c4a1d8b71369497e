"""Fuzzing the import parsers (workshop.imports) with hypothesis: whatever the bytes — random, CSV-like
text, workbooks with cells of any type and value, damaged workbooks — parse_priorities and parse_criteria
return a Parsed (items, or errors with messages), never raise.  (python -m workshop import: test_fuzz_cli.)

The workbook searches are derandomised, so the suite's time and outcome are steady."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from workshop.imports import Parsed, parse_criteria, parse_priorities

from .files import inline, xlsx, xlsx_with_sheet_data

PARSERS = [parse_priorities, parse_criteria]


def parses_or_reports(data: bytes, filename: str) -> None:
    for parse in PARSERS:
        parsed = parse(data, filename)  # anything raised fails the test
        assert isinstance(parsed, Parsed)
        assert all(error.message for error in parsed.errors)


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=2000), filename=st.sampled_from(["p.csv", "p.xlsx", "p", "P.CSV"]))
def test_random_bytes(data: bytes, filename: str):
    parses_or_reports(data, filename)


csv_text = st.text(
    st.sampled_from(list('priority,criterion,theme,weight,min,max,direction,descriptor_1;"\t\r\n =+-@1.5e9x'))
    | st.characters(),
    max_size=400,
)


@settings(max_examples=150, deadline=None)
@given(text=csv_text, header=st.sampled_from(["", "priority,theme\n", "criterion,weight,min,max,direction\n"]))
def test_random_csv_like_text(text: str, header: str):
    parses_or_reports((header + text).encode("utf-8", "surrogatepass"), "p.csv")


CELL_TYPES = ["n", "s", "str", "inlineStr", "b", "e", "d", None]
cell_value = st.one_of(
    st.text(max_size=12), st.integers().map(str), st.floats().map(str), st.sampled_from(["", "1e400"])
)


@st.composite
def sheet_cells(draw: st.DrawFn) -> str:
    """Rows of cells of any type holding any value (XML-escaped), under a priority/criterion header."""
    rows = ['<row r="1">' + inline("A1", "priority") + inline("B1", "criterion") + inline("C1", "max") + "</row>"]
    for r in range(2, draw(st.integers(2, 6))):
        cells = []
        for column in "ABC":
            kind = draw(st.sampled_from(CELL_TYPES))
            value = draw(cell_value).replace("&", "&amp;").replace("<", "&lt;")
            value = "".join(ch for ch in value if ch.isprintable())
            t = f' t="{kind}"' if kind else ""
            body = f"<is><t>{value}</t></is>" if kind == "inlineStr" else f"<v>{value}</v>"
            cells.append(f'<c r="{column}{r}"{t}>{body}</c>')
        rows.append(f'<row r="{r}">' + "".join(cells) + "</row>")
    return "".join(rows)


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(cells=sheet_cells())
def test_workbooks_with_cells_of_any_type(cells: str):
    parses_or_reports(xlsx_with_sheet_data(cells, dimension=False), "p.xlsx")


VALID_XLSX = xlsx([["priority", "theme"], ["School readiness", "Enjoy and achieve"], ["Obesity", "Be healthy"]])


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(flips=st.lists(st.tuples(st.integers(0, len(VALID_XLSX) - 1), st.integers(0, 255)), min_size=1, max_size=8))
def test_damaged_workbooks(flips: list[tuple[int, int]]):
    data = bytearray(VALID_XLSX)
    for position, value in flips:
        data[position] = value
    parses_or_reports(bytes(data), "p.xlsx")
