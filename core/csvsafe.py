"""One CSV writer for every export: cells a spreadsheet would run as formulas are defused.

Spreadsheets treat a cell starting with =, +, -, @, a tab or a carriage return as a formula
(CSV injection, OWASP). Such a cell is written with a leading apostrophe, which spreadsheets
show as text and `unsafe_cell` takes off again, so reading our own files back is exact.
"""

import csv
import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
#: A signed number (a change of "+45" points, say) runs as nothing but itself: left as it is.
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?%?")


def safe_cell(value: object) -> object:
    """Return the value to write: strings that would run as formulas get a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return f"'{value}"
    return value


def unsafe_cell(value: str) -> str:
    """Undo `safe_cell` when reading a file this module wrote."""
    if value.startswith("'") and safe_cell(value[1:]) == value:
        return value[1:]
    return value


class SafeWriter:
    """A `csv.writer` whose every string cell passes through `safe_cell`."""

    def __init__(self, file, **kwargs):
        self._writer = csv.writer(file, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([safe_cell(cell) for cell in row])


class SafeDictWriter(csv.DictWriter):
    """A `csv.DictWriter` whose every string cell passes through `safe_cell`."""

    def writerow(self, rowdict):
        return super().writerow({key: safe_cell(value) for key, value in rowdict.items()})
