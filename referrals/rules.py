"""Pure rules for the referral directory: when an entry is stale, and how facts read in words.

Nothing here touches the database, so each rule is tested with plain values.
"""

import calendar
import datetime
import functools
import re
from dataclasses import dataclass
from enum import StrEnum

import phonenumbers
from phonenumbers import PhoneNumberType

from core.postcodes import is_postcode, normalise_postcode  # noqa: F401 - part of rules' API

#: An entry not checked for this many months is stale: shown as such to admins and flagged in
#: the directory.
STALE_AFTER_MONTHS = 12
#: An entry becomes "due" this many days before it goes stale, so admins can check it in time.
DUE_SOON_DAYS = 30

OLDEST_AGE = 120

EXAMPLE_PREFIX = "Example"

PHONE_ERROR = "Enter a UK phone number, like 0808 2000 247, or a short number like 116 123"
PHONE_COSTS_MORE_ERROR = (
    "Enter a landline, mobile, 0800, 0808 or 03 number. Numbers such as 084, 087, 09 and 070 "
    "cost callers more"
)
#: Longest phone number input looked at; the form and imports allow 30 characters.
PHONE_INPUT_MAX = 40
PHONE_CHARACTERS = re.compile(r"^\+?[0-9 ()\-.]+$")
#: The kinds of full number a patient can call at no more than the cost of a local call.
PHONE_TYPES = frozenset(
    {
        PhoneNumberType.FIXED_LINE,
        PhoneNumberType.MOBILE,
        PhoneNumberType.FIXED_LINE_OR_MOBILE,
        PhoneNumberType.TOLL_FREE,  # 0800 and 0808
        PhoneNumberType.UAN,  # 03 (and 055, refused below)
    }
)
#: The 3-digit short numbers a directory entry may give: emergency (999, 112), NHS 111,
#: police non-emergency (101), NHS 119 and the power cut line (105).
SHORT_NUMBERS = frozenset({"999", "112", "111", "101", "119", "105"})
#: 116 and three digits: Europe's harmonised numbers of social value, such as Samaritans
#: (116 123), Childline (116 111) and the Victims of Crime helpline (116 006).
HARMONISED_EUROPEAN = re.compile(r"^116[0-9]{3}$")


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


class PhoneNumberError(ValueError):
    """A phone number this directory does not accept; the message says what to enter instead."""


def _digits_if_short(value: str) -> str | None:
    """Return a short number's digits ('116123', '999'), or None if it is not one we list."""
    if value.startswith("+"):
        return None  # a short number cannot be dialled from abroad
    digits = re.sub(r"[ ()\-.]", "", value)
    if digits in SHORT_NUMBERS or HARMONISED_EUROPEAN.match(digits):
        return digits
    return None


def phone_number(value: str) -> str:
    """Return a UK phone number in its one stored form, or raise PhoneNumberError.

    Full numbers are stored in E.164 ('+448082000247'): landlines, mobiles, 0800 and 0808
    freephone, and 03 numbers. Premium, shared-cost, personal and other numbers that cost
    callers more are refused. Short numbers are stored as their digits: the 3-digit numbers
    in `SHORT_NUMBERS` ('999') and the 116 harmonised European numbers ('116123'). Spaces,
    brackets, dashes, dots and a leading +44 or 0044 are allowed in `value`; letters are not.
    Every write of a phone number (the form, CSV and ORUK imports, the seed data and the
    model itself) goes through this function.
    """
    value = " ".join((value or "").split())
    if not value or len(value) > PHONE_INPUT_MAX or not PHONE_CHARACTERS.match(value):
        raise PhoneNumberError(PHONE_ERROR)
    short = _digits_if_short(value)
    if short is not None:
        return short
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException:
        raise PhoneNumberError(PHONE_ERROR) from None
    if not phonenumbers.is_valid_number_for_region(number, "GB"):
        raise PhoneNumberError(PHONE_ERROR)
    kind = phonenumbers.number_type(number)
    national = str(number.national_number)
    if kind not in PHONE_TYPES or (kind == PhoneNumberType.UAN and not national.startswith("3")):
        raise PhoneNumberError(PHONE_COSTS_MORE_ERROR)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@functools.lru_cache(maxsize=4096)
def _read_stored_phone(stored: str) -> tuple[str, str] | None:
    """Return a stored number's canonical form and how it reads, or None if we refuse it."""
    try:
        canonical = phone_number(stored)
    except PhoneNumberError:
        return None
    if not canonical.startswith("+"):
        shown = f"{canonical[:3]} {canonical[3:]}" if len(canonical) == 6 else canonical
    else:
        shown = phonenumbers.format_number(
            phonenumbers.parse(canonical), phonenumbers.PhoneNumberFormat.NATIONAL
        )
    return canonical, shown


def phone_display(stored: str) -> str:
    """Return a stored phone number as people read it: '0808 802 0300', '116 123', '999'.

    A value we would refuse now (stored before numbers were checked) is returned as it is.
    """
    read = _read_stored_phone(stored) if stored else None
    return read[1] if read else (stored or "")


def phone_href(stored: str) -> str:
    """Return a tel: link for a stored phone number, or '' when there is none to call.

    A value we would refuse now gets no link, so an old unchecked entry cannot publish
    tel:12345.
    """
    read = _read_stored_phone(stored) if stored else None
    return f"tel:{read[0]}" if read else ""


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
