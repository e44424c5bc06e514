"""The NHS ODS "epraccur" file: GP practices and other prescribing cost centres in England.

The file is CSV with 27 columns and no header row, one organisation a line, fields quoted where
they hold commas, dates as YYYYMMDD. Column by column (1-based, as the ODS numbers them):

     1 Organisation Code            the practice's ODS code, e.g. B86001
     2 Name
     3 National Grouping            (NHS England region)
     4 High Level Health Geography  (ICB in current files; not used: see column 15)
   5-9 Address Lines 1 to 5
    10 Postcode
    11 Open Date
    12 Close Date
    13 Status Code                  A active, C closed, D dormant, P proposed
    14 Organisation Sub-Type Code
    15 Commissioner                 the sub-ICB location (former CCG) code, e.g. 15F
    16 Join Provider/Purchaser Date
    17 Left Provider/Purchaser Date
    18 Contact Telephone Number
 19-21 Null
    22 Amended Record Indicator
    23 Null
    24 Provider/Purchaser
    25 Null
    26 Prescribing Setting          4 is a GP practice; 0 other, 1 walk-in centre, 2 out of
                                    hours, 8-25 public health, community, hospital, prisons...
    27 Null

Sources (found with the project's search tool, December 2026):
- ebmdatalab/openprescribing, frontend/management/commands/import_practices.py (reads
  epraccur: row[14] is the CCG, row[-2] the prescribing setting, dates YYYYMMDD) and
  frontend/models.py (PRESCRIBING_SETTINGS with 4 = "GP Practice"; statuses A, B retired, C,
  D, P);
- a public script that copies the column list from the PDF in the ODS download ("1
  Organisation Code ... 15 Commissioner ... 26 Prescribing Setting, 27 Null"), and one that
  filters on prescribing_setting == '4' and status_code == 'A' for active GP practices;
- the ODS reference data catalogue page "GP Practices (Prescribing Cost Centres)": 'GP
  Practice' codes are the subset of prescribing cost centres with the prescribing setting (role
  RO76) GP Practice, and the commissioner is the "is commissioned by" relationship to a
  CCG/Sub ICB Location, found from the operator or else from the practice's postcode;
- the uk-gp-practices 0.2.0 package on PyPI (columns 0, 1, 9 and 12 as code, name, postcode and
  status, counting from 0).
The column meanings above agree across all of them.

This module only reads the layout; what to do with each row is accounts.services'.
"""

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum, StrEnum

COLUMN_COUNT = 27
DATE = re.compile(r"^\d{8}$")


class Column(IntEnum):
    """The columns this service reads, counted from 0 as Python indexes a row."""

    ORGANISATION_CODE = 0
    NAME = 1
    POSTCODE = 9
    OPEN_DATE = 10
    CLOSE_DATE = 11
    STATUS_CODE = 12
    COMMISSIONER = 14
    JOIN_PROVIDER_DATE = 15
    LEFT_PROVIDER_DATE = 16
    PRESCRIBING_SETTING = 25


class Status(StrEnum):
    ACTIVE = "A"
    RETIRED = "B"  # an older status, not in current files; treated like dormant
    CLOSED = "C"
    DORMANT = "D"
    PROPOSED = "P"


GP_PRACTICE = 4  # the prescribing setting of a GP practice

DATE_COLUMNS = (
    (Column.OPEN_DATE, "open date"),
    (Column.CLOSE_DATE, "close date"),
    (Column.JOIN_PROVIDER_DATE, "join provider date"),
    (Column.LEFT_PROVIDER_DATE, "left provider date"),
)


@dataclass(frozen=True)
class Record:
    """The fields of one epraccur row that this service uses, stripped of spaces."""

    ods_code: str
    name: str
    postcode: str
    open_date: datetime.date | None
    close_date: datetime.date | None
    status: Status
    commissioner: str
    prescribing_setting: int

    @property
    def is_gp_practice(self) -> bool:
        return self.prescribing_setting == GP_PRACTICE


def parse_date(value: str) -> datetime.date | None:
    """Return the date in a YYYYMMDD field, None if it is empty; raise ValueError if wrong."""
    if not value:
        return None
    if not DATE.match(value):
        raise ValueError(value)
    return datetime.date(int(value[:4]), int(value[4:6]), int(value[6:]))


def parse(values: Sequence[str]) -> tuple[Record | None, list[str]]:
    """Return the record in one row, or None and why the row is not a well-formed epraccur row.

    Every row must have the 27 columns, an organisation code and a name, a known status, a
    numeric prescribing setting and real dates; whether a good row is imported is decided by
    the caller.
    """
    if len(values) != COLUMN_COUNT:
        return None, [f"{len(values)} values where an ODS epraccur row has {COLUMN_COUNT}"]
    cells = [value.strip() for value in values]
    problems = []
    ods_code = cells[Column.ORGANISATION_CODE].upper()
    if not ods_code:
        problems.append("organisation code (column 1) is empty")
    name = cells[Column.NAME]
    if not name:
        problems.append("name (column 2) is empty")
    try:
        status = Status(cells[Column.STATUS_CODE].upper())
    except ValueError:
        status = None
        problems.append(
            f"status code (column 13) {cells[Column.STATUS_CODE]!r} is not A (active), "
            "C (closed), D (dormant) or P (proposed)"
        )
    setting_text = cells[Column.PRESCRIBING_SETTING]
    setting = int(setting_text) if setting_text.isdigit() else None
    if setting is None:
        problems.append(f"prescribing setting (column 26) {setting_text!r} is not a number")
    dates = {}
    for column, label in DATE_COLUMNS:
        try:
            dates[column] = parse_date(cells[column])
        except ValueError:
            problems.append(
                f"{label} (column {column + 1}) {cells[column]!r} is not a date as YYYYMMDD"
            )
    opened, closed = dates.get(Column.OPEN_DATE), dates.get(Column.CLOSE_DATE)
    if opened and closed and closed < opened:
        problems.append(f"close date {closed:%Y%m%d} is before open date {opened:%Y%m%d}")
    if problems:
        return None, problems
    return (
        Record(
            ods_code=ods_code,
            name=name,
            postcode=cells[Column.POSTCODE],
            open_date=opened,
            close_date=closed,
            status=status,
            commissioner=cells[Column.COMMISSIONER].upper(),
            prescribing_setting=setting,
        ),
        [],
    )
