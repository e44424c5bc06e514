"""Find what could identify a patient in free text, so that it is refused before it is stored.

The product stores nothing that identifies a patient. Free text written by staff about their
own learning (a reflective note) could still carry an NHS number, a date of birth, a postcode
or a phone number; these are the four patterns looked for. Names cannot be told apart from
ordinary words reliably, so the form also says, beside the field, never to write about a
patient. Pure functions, no database.
"""

import datetime
import re
import unicodedata

import phonenumbers

NHS_NUMBER = "an NHS number"
DATE = "a date"
POSTCODE = "a postcode"
PHONE = "a phone number"

# Up to three separators between digits: spaces, dots, slashes, dashes and the like, so that
# "943.476.5919" or "(943) 476 5919" is still ten digits.
_SEP = r"[\s./_,:+()\-]{0,3}"
_TEN_DIGITS = re.compile(rf"(?<![\d])\d(?:{_SEP}\d){{9}}(?![\d])")
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
_DATE_SEP = r"\s{0,2}([/.\-\\_ ])\s{0,2}"
# Day, month and year with the same separator twice, so "10.30-11.00" is not a date.
_NUMERIC_DATE = re.compile(
    rf"(?<![\d])(\d{{1,2}}){_DATE_SEP}(\d{{1,2}})\s?\2\s?(\d{{4}}|\d{{2}})(?![\d])"
)
_YEAR_FIRST = re.compile(rf"(?<![\d])(\d{{4}}){_DATE_SEP}(\d{{1,2}})\s?\2\s?(\d{{1,2}})(?![\d])")
_COMPACT = re.compile(r"(?<![\d])(\d{8})(?![\d])")
_DAY_MONTH_YEAR = re.compile(
    rf"(?<![\d])(\d{{1,2}})(?:st|nd|rd|th)?[\s.\-/]*(?:of\s+)?({_MONTH})\.?[\s.\-/,]*'?(\d{{4}}|\d{{2}})(?![\d])",
    re.IGNORECASE,
)
_MONTH_DAY_YEAR = re.compile(
    rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?![\d])", re.IGNORECASE
)
# A UK postcode: outward code, then the inward code (a digit and two letters, never C, I, K,
# M, O or V), with or without a space or other separator between them.
_POSTCODE = re.compile(
    r"\b([A-Z]{1,2}\d[A-Z\d]?)[\s\-./_]{0,2}(\d[ABD-HJLNP-UW-Z]{2})\b|\bGIR\s?0AA\b",
    re.IGNORECASE,
)
_POSTCODE_OUTWARD = re.compile(r"^(?:[A-Z]{1,2}\d{1,2}|[A-Z]{1,2}\d[A-Z])$")
# Numbers a patient could be reached on; organisations' freephone and 03 numbers are not.
_PERSONAL_NUMBER_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    phonenumbers.PhoneNumberType.PERSONAL_NUMBER,
}


def _plain(text: str) -> str:
    """Return the text with look-alike characters made plain: compatibility forms folded
    (full-width or superscript digits), invisible format characters removed, every dash a
    hyphen and every space or line break one space."""
    text = unicodedata.normalize("NFKC", text)
    chars = []
    for char in text:
        category = unicodedata.category(char)
        if category == "Cf":
            continue
        if category == "Pd":
            chars.append("-")
        elif char.isspace():
            chars.append(" ")
        else:
            chars.append(char)
    return "".join(chars)


def is_nhs_number(digits: str) -> bool:
    """Return whether ten digits pass the NHS number's modulus 11 check."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * weight for d, weight in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _is_dob_like(year: int, month: int, day: int, today: datetime.date) -> bool:
    """Return whether these make a real date that could be someone's date of birth: from 1900
    to a year ago (a date in the last year is more likely a date of the learning itself)."""
    years = [year] if year >= 100 else [1900 + year, 2000 + year]
    for full in years:
        try:
            when = datetime.date(full, month, day)
        except ValueError:
            continue
        if datetime.date(1900, 1, 1) <= when <= today - datetime.timedelta(days=365):
            return True
    return False


def _has_date(text: str, today: datetime.date) -> bool:
    for first, _, second, year in _NUMERIC_DATE.findall(text):
        a, b, y = int(first), int(second), int(year)
        if _is_dob_like(y, b, a, today) or _is_dob_like(y, a, b, today):
            return True
    for year, _, month, day in _YEAR_FIRST.findall(text):
        if _is_dob_like(int(year), int(month), int(day), today):
            return True
    for digits in _COMPACT.findall(text):
        day_first = (int(digits[4:]), int(digits[2:4]), int(digits[:2]))
        year_first = (int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        if _is_dob_like(*day_first, today) or _is_dob_like(*year_first, today):
            return True
    for day, month, year in _DAY_MONTH_YEAR.findall(text):
        if _is_dob_like(int(year), _MONTHS[month.lower()], int(day), today):
            return True
    for month, day, year in _MONTH_DAY_YEAR.findall(text):
        if _is_dob_like(int(year), _MONTHS[month.lower()], int(day), today):
            return True
    return False


def _has_postcode(text: str) -> bool:
    for match in _POSTCODE.finditer(text):
        outward = match.group(1)
        if outward is None or _POSTCODE_OUTWARD.match(outward.upper()):
            return True
    return False


def _has_phone_number(text: str) -> bool:
    # A letter O typed for a zero at the start of a number ("O7911 123456") is read as 0.
    text = re.sub(r"(?<![A-Za-z])[Oo](?=\d{3})", "0", text)
    matcher = phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.VALID)
    return any(
        phonenumbers.number_type(match.number) in _PERSONAL_NUMBER_TYPES for match in matcher
    )


def patient_identifiers(text: str, *, today: datetime.date | None = None) -> list[str]:
    """Return the kinds of patient identifier found in the text, in a fixed order."""
    text = _plain(text or "")
    today = today or datetime.date.today()
    found = []
    if any(is_nhs_number(re.sub(r"\D", "", m)) for m in _TEN_DIGITS.findall(text)):
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
