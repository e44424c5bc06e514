"""The periods a report may cover: whole calendar months, quarters and financial years.

Arbitrary day ranges would let a reader subtract one range from an overlapping one and find
the events of a single day. With whole periods, any two ranges differ by at least a month, and
every figure for a month is shown (rounded or hidden) in its own right. Pure functions.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.conf import settings

ALL = "all"
FIRST_MONTH_OF_FINANCIAL_YEAR = 4  # the NHS financial year runs from April to March
MONTH_NAMES = tuple(calendar.month_name)[1:]


@dataclass(frozen=True)
class Period:
    key: str
    label: str
    start: datetime.date | None  # None: from the beginning
    end: datetime.date | None  # the last day, inclusive; None: up to today
    kind: str  # "all", "year", "quarter" or "month"


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _last_day(first: datetime.date, months: int) -> datetime.date:
    return _add_months(first, months) - datetime.timedelta(days=1)


def _month_label(day: datetime.date) -> str:
    return f"{MONTH_NAMES[day.month - 1]} {day.year}"


def first_month() -> datetime.date:
    """Return the first month reports offer (settings.REPORTING_FIRST_MONTH, a date)."""
    return settings.REPORTING_FIRST_MONTH.replace(day=1)


def available(today: datetime.date) -> list[Period]:
    """Return every period a report may cover, newest first: years, then quarters, then months.

    A period still in progress covers up to today and says "so far".
    """
    this_month = today.replace(day=1)
    start = first_month()
    periods = [Period(ALL, "All months", None, None, "all")]
    years, quarters, months = [], [], []
    month = this_month
    while month >= start:
        so_far = " (so far)" if month == this_month else ""
        months.append(
            Period(
                f"{month:%Y-%m}", _month_label(month) + so_far, month, _last_day(month, 1), "month"
            )
        )
        if month.month % 3 == FIRST_MONTH_OF_FINANCIAL_YEAR % 3:
            ends = _add_months(month, 3)
            so_far = " (so far)" if ends > this_month else ""
            last = _add_months(month, 2)
            label = f"{MONTH_NAMES[month.month - 1]} to {_month_label(last)}{so_far}"
            quarters.append(
                Period(f"{month:%Y-%m}-q", label, month, _last_day(month, 3), "quarter")
            )
        if month.month == FIRST_MONTH_OF_FINANCIAL_YEAR:
            so_far = " (so far)" if _add_months(month, 12) > this_month else ""
            label = f"April {month.year} to March {month.year + 1}{so_far}"
            years.append(Period(f"{month.year}-fy", label, month, _last_day(month, 12), "year"))
        month = _add_months(month, -1)
    return periods + years + quarters + months


def choices(today: datetime.date) -> list:
    """Return the periods as grouped choices for a select (optgroups by kind)."""
    groups = {"all": [], "year": [], "quarter": [], "month": []}
    for period in available(today):
        groups[period.kind].append((period.key, period.label))
    return [
        *groups["all"],
        ("Financial years", groups["year"]),
        ("Quarters", groups["quarter"]),
        ("Months", groups["month"]),
    ]


def find(key: str, today: datetime.date) -> Period | None:
    """Return the period with this key, or None if it is not one reports offer."""
    return next((p for p in available(today) if p.key == key), None)
