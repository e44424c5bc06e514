"""Pure rules for the referral directory: when an entry is stale, and how facts read in words.

Nothing here touches the database, so each rule is tested with plain values.
"""

import calendar
import datetime
import re
from dataclasses import dataclass
from enum import StrEnum

from core.postcodes import is_postcode, normalise_postcode  # noqa: F401 - part of rules' API

#: An entry not checked for this many months is stale: shown as such to admins and flagged in
#: the directory.
STALE_AFTER_MONTHS = 12
#: An entry becomes "due" this many days before it goes stale, so admins can check it in time.
DUE_SOON_DAYS = 30

OLDEST_AGE = 120

EXAMPLE_PREFIX = "Example"

PHONE = re.compile(r"^\+?[0-9][0-9 ]{1,22}[0-9]$")


def months_before(day: datetime.date, months: int) -> datetime.date:
    """Return the same day of the month `months` earlier, or that month's last day if shorter."""
    year, month_index = divmod(day.year * 12 + day.month - 1 - months, 12)
    month = month_index + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def stale_on_or_before(today: datetime.date) -> datetime.date:
    """Return the last check date that counts as stale today: 12 months ago or earlier."""
    return months_before(today, STALE_AFTER_MONTHS)


def due_on_or_before(today: datetime.date) -> datetime.date:
    """Return the last check date that is stale or will be within the next 30 days."""
    return stale_on_or_before(today + datetime.timedelta(days=DUE_SOON_DAYS))


class Verification(StrEnum):
    NEVER = "never"
    STALE = "stale"
    DUE_SOON = "due_soon"
    CURRENT = "current"


@dataclass(frozen=True)
class VerificationState:
    """Whether an entry's details are recent enough to rely on, with the words to say so."""

    status: Verification
    label: str

    @property
    def is_stale(self) -> bool:
        """Return True when the entry should be flagged: never checked, or over 12 months ago."""
        return self.status in (Verification.NEVER, Verification.STALE)

    @property
    def is_due(self) -> bool:
        """Return True when an admin should check the entry now."""
        return self.status != Verification.CURRENT


def verification_state(
    last_verified_on: datetime.date | None, today: datetime.date
) -> VerificationState:
    """Return how fresh an entry's details are.

    Never checked, or last checked 12 months ago or more, is stale. Within 30 days of that it
    is due soon. Otherwise it is current.
    """
    if last_verified_on is None:
        return VerificationState(Verification.NEVER, "Details not checked yet")
    checked = f"Checked {last_verified_on.day} {last_verified_on:%B %Y}"
    if last_verified_on <= stale_on_or_before(today):
        return VerificationState(
            Verification.STALE, f"Not checked for over {STALE_AFTER_MONTHS} months ({checked})"
        )
    if last_verified_on <= due_on_or_before(today):
        return VerificationState(Verification.DUE_SOON, f"{checked}; due to be checked again")
    return VerificationState(Verification.CURRENT, checked)


def age_range_text(minimum: int | None, maximum: int | None) -> str:
    """Return an age range in words: 'All ages', '16 and over', 'Up to 25', '16 to 25'."""
    if minimum is None and maximum is None:
        return "All ages"
    if maximum is None:
        return f"{minimum} and over"
    if minimum is None:
        return f"Up to {maximum}"
    if minimum == maximum:
        return f"{minimum} only"
    return f"{minimum} to {maximum}"


def is_phone_number(value: str) -> bool:
    """Accept digits and single spaces, optionally after a leading +: '116 123', '999'."""
    return bool(PHONE.match(value)) and "  " not in value


def phone_href(number: str) -> str:
    """Return a tel: link for a phone number, or '' when there is none."""
    digits = re.sub(r"[^0-9+]", "", number or "")
    return f"tel:{digits}" if digits else ""


def normalise_text(value: str) -> str:
    """Return text with Unix line endings and no surrounding space.

    Browsers send form text with CRLF line endings; storing one form only keeps exports and
    imports exact.
    """
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def is_example(name: str) -> bool:
    """Return True for demonstration entries: their names start with the word 'Example'."""
    return (name or "").split(" ", 1)[0] == EXAMPLE_PREFIX


def changed_fields(before: dict[str, str], after: dict[str, str]) -> list[dict[str, str]]:
    """Return each field whose value differs, as {'field', 'before', 'after'}, in `after` order."""
    return [
        {"field": label, "before": before.get(label, ""), "after": value}
        for label, value in after.items()
        if before.get(label, "") != value
    ]
