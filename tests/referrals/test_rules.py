"""The directory's pure rules, with plain values and no database."""

import datetime

import pytest

from referrals import rules
from referrals.rules import Verification

TODAY = datetime.date(2026, 11, 25)


@pytest.mark.parametrize(
    "day,months,expected",
    [
        (datetime.date(2026, 11, 25), 12, datetime.date(2025, 11, 25)),
        (datetime.date(2024, 2, 29), 12, datetime.date(2023, 2, 28)),
        (datetime.date(2026, 3, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2026, 1, 15), 1, datetime.date(2025, 12, 15)),
        (datetime.date(2025, 12, 25), -1, datetime.date(2026, 1, 25)),
    ],
)
def test_months_before(day, months, expected):
    assert rules.months_before(day, months) == expected


@pytest.mark.parametrize(
    "checked,status",
    [
        (None, Verification.NEVER),
        (datetime.date(2025, 11, 25), Verification.STALE),  # exactly 12 months ago
        (datetime.date(2024, 1, 1), Verification.STALE),
        (datetime.date(2025, 11, 26), Verification.DUE_SOON),  # stale tomorrow
        (datetime.date(2025, 12, 25), Verification.DUE_SOON),  # stale in 30 days
        (datetime.date(2025, 12, 26), Verification.CURRENT),  # stale in 31 days
        (TODAY, Verification.CURRENT),
    ],
)
def test_verification_state(checked, status):
    state = rules.verification_state(checked, TODAY)
    assert state.status == status
    assert state.is_stale == (status in (Verification.NEVER, Verification.STALE))
    assert state.is_due == (status != Verification.CURRENT)


def test_verification_labels_say_when():
    assert rules.verification_state(None, TODAY).label == "Details not checked yet"
    assert rules.verification_state(TODAY, TODAY).label == "Checked 25 November 2026"
    stale = rules.verification_state(datetime.date(2025, 3, 2), TODAY).label
    assert stale == "Not checked for over 12 months (Checked 2 March 2025)"


@pytest.mark.parametrize(
    "minimum,maximum,text",
    [
        (None, None, "All ages"),
        (16, None, "16 and over"),
        (None, 25, "Up to 25"),
        (16, 25, "16 to 25"),
        (18, 18, "18 only"),
        (0, None, "0 and over"),
    ],
)
def test_age_range_text(minimum, maximum, text):
    assert rules.age_range_text(minimum, maximum) == text


@pytest.mark.parametrize(
    "value,stored,shown",
    [
        ("0808 802 0300", "+448088020300", "0808 802 0300"),  # freephone
        ("08082000247", "+448082000247", "0808 200 0247"),
        ("0800 1111", "+448001111", "0800 1111"),  # Childline's short freephone number
        ("020 3866 4107", "+442038664107", "020 3866 4107"),  # landline
        ("+44 20 3866 4107", "+442038664107", "020 3866 4107"),
        ("0044 20 3866 4107", "+442038664107", "020 3866 4107"),
        ("(0113) 496-0000", "+441134960000", "0113 496 0000"),
        ("+44 (0) 113 496 0000", "+441134960000", "0113 496 0000"),
        ("07400 123456", "+447400123456", "07400 123456"),  # mobile
        ("0300 123 4567", "+443001234567", "0300 123 4567"),  # 03
        ("0345.123.4567", "+443451234567", "0345 123 4567"),
        ("999", "999", "999"),
        ("112", "112", "112"),
        ("111", "111", "111"),
        ("101", "101", "101"),
        ("116 123", "116123", "116 123"),  # Samaritans
        ("116111", "116111", "116 111"),  # Childline
        ("116 006", "116006", "116 006"),  # Victims of Crime (not in phonenumbers' data)
        ("  116   123 ", "116123", "116 123"),
    ],
)
def test_phone_number_stores_one_form_and_shows_the_national_one(value, stored, shown):
    assert rules.phone_number(value) == stored
    assert rules.phone_number(stored) == stored  # storing again changes nothing
    assert rules.phone_display(stored) == shown
    assert rules.phone_href(stored) == f"tel:{stored}"


@pytest.mark.parametrize(
    "value",
    [
        "12345",  # issue 14, point 10: was published as tel:12345
        "1",
        "",
        "222",  # a carrier's code, not a service
        "+44 116 123",  # short numbers are not dialled with +44
        "+999",
        "0808 802",
        "+44 (0) 113",
        "+33 1 23 45 67 89",  # not a UK number
        "01534 123456",  # Jersey, not the UK
        "07700 900123",  # Ofcom's drama mobile range
        "call us",
        "111, option 2",
        "0800 FLOWERS",
        "０８０８ ８０２ ０３００",  # full-width digits
        "0" * 41,
    ],
)
def test_phone_number_refuses_what_is_not_a_uk_number(value):
    with pytest.raises(rules.PhoneNumberError, match="Enter a UK phone number, like 0808 2000 247"):
        rules.phone_number(value)


@pytest.mark.parametrize(
    "value",
    ["0906 123 4567", "0845 123 4567", "0870 123 4567", "070 1234 5678", "055 1234 5678"],
)
def test_phone_number_refuses_numbers_that_cost_callers_more(value):
    with pytest.raises(rules.PhoneNumberError, match="cost callers more"):
        rules.phone_number(value)


def test_a_number_stored_before_checks_is_shown_as_it_is_without_a_link():
    assert rules.phone_display("12345") == "12345"
    assert rules.phone_href("12345") == ""
    assert rules.phone_display("") == ""
    assert rules.phone_href("") == ""


@pytest.mark.parametrize(
    "raw,normalised,ok",
    [
        ("ls1 4ap", "LS1 4AP", True),
        ("L18JQ", "L1 8JQ", True),
        (" sw1a  1aa ", "SW1A 1AA", True),
        ("12345", "12 345", False),
        ("", "", False),
    ],
)
def test_postcodes(raw, normalised, ok):
    assert rules.normalise_postcode(raw) == normalised
    assert rules.is_postcode(normalised) is ok


@pytest.mark.parametrize(
    "name,example",
    [
        ("Example West Yorkshire ISAC", True),
        ("Example", True),
        ("Examples of good practice", False),
        ("An Example service", False),
        ("", False),
    ],
)
def test_is_example(name, example):
    assert rules.is_example(name) is example


def test_changed_fields_lists_each_difference_in_order():
    before = {"Name": "A", "Phone": "1", "Email": ""}
    after = {"Name": "A", "Phone": "2", "Email": "a@example.org", "Website": ""}
    assert rules.changed_fields(before, after) == [
        {"field": "Phone", "before": "1", "after": "2"},
        {"field": "Email", "before": "", "after": "a@example.org"},
    ]
    assert rules.changed_fields(after, after) == []
