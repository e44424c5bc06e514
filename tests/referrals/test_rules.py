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
    "value,ok",
    [
        ("0808 802 0300", True),
        ("116 123", True),
        ("999", True),
        ("111", True),
        ("+44 20 3866 4107", True),
        ("08081689111", True),
        ("1", False),
        ("", False),
        ("0808  802", False),
        ("0808-802-0300", False),
        ("call us", False),
        ("111, option 2", False),
        ("０８０８", False),
    ],
)
def test_is_phone_number(value, ok):
    assert rules.is_phone_number(value) is ok


def test_phone_href_keeps_digits_and_plus():
    assert rules.phone_href("0808 802 0300") == "tel:08088020300"
    assert rules.phone_href("+44 20 3866 4107") == "tel:+442038664107"
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
