"""Find what could identify a patient in free text, so that it is refused before it is stored.

The product stores nothing that identifies a patient. Free text written by staff about their
own learning (a reflective note) could still carry an NHS number, a date of birth, a postcode
or a phone number; these are the four patterns looked for. Names cannot be told apart from
ordinary words reliably, so the form also says, beside the field, never to write about a
patient. Pure functions, no database.
"""

import datetime
import re

import phonenumbers

NHS_NUMBER = "an NHS number"
DATE = "a date"
POSTCODE = "a postcode"
PHONE = "a phone number"

# Ten digits, each pair optionally separated by one space or hyphen (943 476 5919, 9434765919,
# 943-476-5919), not part of a longer run of digits.
_TEN_DIGITS = re.compile(r"(?<![\d])(?:\d[ \-]?){9}\d(?![\d])")
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NUMERIC_DATE = re.compile(
    r"(?<![\d])(\d{1,2})\s?[/.\-]\s?(\d{1,2})\s?[/.\-]\s?(\d{4}|\d{2})(?![\d])"
)
_ISO_DATE = re.compile(r"(?<![\d])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d])")
_DAY_MONTH_YEAR = re.compile(
    rf"(?<![\d])(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\.?,?\s+(\d{{4}})(?![\d])",
    re.IGNORECASE,
)
_MONTH_DAY_YEAR = re.compile(
    rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?![\d])", re.IGNORECASE
)
# A UK postcode: outward code (letters, digit, optional letter or digit), inward code (digit,
# two letters), with or without the space.
_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\b", re.IGNORECASE)
_POSTCODE_OUTWARD = re.compile(r"^(?:[A-Z]{1,2}\d{1,2}|[A-Z]{1,2}\d[A-Z])$")


def is_nhs_number(digits: str) -> bool:
    """Return whether ten digits pass the NHS number's modulus 11 check."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * weight for d, weight in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _is_real_date(year: int, month: int, day: int, today: datetime.date) -> bool:
    if year < 100:  # two-digit years: any century could be meant
        return 1 <= month <= 12 and 1 <= day <= 31
    try:
        when = datetime.date(year, month, day)
    except ValueError:
        return False
    return datetime.date(1900, 1, 1) <= when <= today


def _has_date(text: str, today: datetime.date) -> bool:
    for first, second, year in _NUMERIC_DATE.findall(text):
        a, b, y = int(first), int(second), int(year)
        if _is_real_date(y, b, a, today) or _is_real_date(y, a, b, today):
            return True
    for year, month, day in _ISO_DATE.findall(text):
        if _is_real_date(int(year), int(month), int(day), today):
            return True
    for day, month, year in _DAY_MONTH_YEAR.findall(text):
        if _is_real_date(int(year), _MONTHS[month.lower()], int(day), today):
            return True
    for month, day, year in _MONTH_DAY_YEAR.findall(text):
        if _is_real_date(int(year), _MONTHS[month.lower()], int(day), today):
            return True
    return False


def _has_postcode(text: str) -> bool:
    return any(_POSTCODE_OUTWARD.match(outward.upper()) for outward, _ in _POSTCODE.findall(text))


def _has_phone_number(text: str) -> bool:
    matcher = phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.VALID)
    return matcher.has_next()


def patient_identifiers(text: str, *, today: datetime.date | None = None) -> list[str]:
    """Return the kinds of patient identifier found in the text, in a fixed order."""
    text = text or ""
    today = today or datetime.date.today()
    found = []
    if any(is_nhs_number(re.sub(r"[ \-]", "", m)) for m in _TEN_DIGITS.findall(text)):
        found.append(NHS_NUMBER)
    if _has_date(text, today):
        found.append(DATE)
    if _has_postcode(text):
        found.append(POSTCODE)
    if _has_phone_number(text):
        found.append(PHONE)
    return found


def identifiers_message(kinds: list[str]) -> str:
    """Return the error shown beside a field that holds these kinds of identifier."""
    listed = ", ".join(kinds[:-1]) + " and " + kinds[-1] if len(kinds) > 1 else kinds[0]
    return (
        f"Remove {listed} from your note. Notes are about your own learning: never include "
        "anything that could identify a patient"
    )


def validate_no_patient_identifiers(value: str) -> None:
    """Refuse text holding an NHS number, a date, a postcode or a phone number."""
    from django.core.exceptions import ValidationError

    kinds = patient_identifiers(value)
    if kinds:
        raise ValidationError(identifiers_message(kinds), code="patient_identifier")
