"""The CSV export read with another locale's separator: no piece of any cell becomes a formula
(OWASP "CSV injection": a name like ``Plan;=1+1;`` is a formula where ``;`` separates fields)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workshop.exports.csv_export import table_csv
from workshop.exports.safety import csv_text, spreadsheet_text
from workshop.exports.tables import Column, Table

FORMULA_START = re.compile(r"^ *[=+\-@\t\r]")
HOSTILE = ("Plan;=1+1;", "Health\t=HYPERLINK(\"http://x\")", "ok|@SUM(A1)", "a, -2+3", "x; +44 1234", "=A1;+B2")


def cells(data: bytes, delimiter: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter)
            for c in row]  # fmt: skip


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_no_locale_reads_a_formula_out_of_a_hostile_name(delimiter: str):
    table = Table("Shortlist", (Column("Priority"), Column(HOSTILE[0])), tuple((name, 1) for name in HOSTILE))
    data = table_csv(table)
    assert not [c for c in cells(data, delimiter) if FORMULA_START.match(c)]


def test_the_text_is_kept_apart_from_the_quotes_before_each_formula_piece():
    assert csv_text("Plan;=1+1;") == "Plan;'=1+1;"
    assert csv_text("=A1;+B2") == "'=A1;'+B2"
    assert csv_text("Health, wellbeing; and safety") == "Health, wellbeing; and safety"
    assert spreadsheet_text("Plan;=1+1;") == "Plan;=1+1;"  # a workbook cell is never split


@given(st.text(alphabet=st.sampled_from(list("ab =+-@;,|\t\r\"'")), max_size=30))
def test_property_no_split_of_a_csv_cell_starts_a_formula(text: str):
    data = table_csv(Table("T", (Column("x"),), ((text,),)))
    for delimiter in (",", ";", "\t", "|"):
        assert not [c for c in cells(data, delimiter)[1:] if FORMULA_START.match(c)], (text, delimiter)
