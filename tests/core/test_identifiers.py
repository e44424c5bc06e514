"""Issue 14, point 2: what could identify a patient is found in free text. Pure, no database."""

import datetime

import pytest

from core.identifiers import (
    DATE,
    NHS_NUMBER,
    PHONE,
    POSTCODE,
    identifiers_message,
    is_nhs_number,
    patient_identifiers,
)

TODAY = datetime.date(2026, 12, 3)


def found(text):
    return patient_identifiers(text, today=TODAY)


def test_the_pen_test_note_is_caught_on_every_count():
    assert found("Patient Jane Smith NHS 943 476 5919 DOB 1/2/1980") == [NHS_NUMBER, DATE]


@pytest.mark.parametrize(
    "number",
    [
        "943 476 5919",
        "9434765919",
        "943-476-5919",
        "4010232137",
        "401 023 2137",
        "943.476.5919",
        "943/476/5919",
        "943  476  5919",
        "943 - 476 - 5919",
        "943\u00a0476\u00a05919",
        "943\u2013476\u20135919",
        "943\n476\n5919",
        "943_476_5919",
        "(943) 476 5919",
        "9\u200b434765919",
        "\u2079\u2074\u00b3 \u2074\u2077\u2076 \u2075\u2079\u00b9\u2079",
        "\uff19\uff14\uff13\uff14\uff17\uff16\uff15\uff19\uff11\uff19",
    ],
)
def test_nhs_numbers_that_pass_the_check_are_found(number):
    assert NHS_NUMBER in found(f"Seen today, number {number}.")


@pytest.mark.parametrize(
    "digits,valid",
    [
        ("9434765919", True),
        ("4010232137", True),
        ("9434765918", False),  # wrong check digit
        ("9434765910", False),
        ("1234567890", False),  # the check digit would be 10: never issued
        ("943476591", False),
        ("94347659190", False),
    ],
)
def test_modulus_11(digits, valid):
    assert is_nhs_number(digits) is valid


def test_ten_digits_that_fail_the_check_are_not_an_nhs_number():
    assert NHS_NUMBER not in found("Reference 943 476 5918 from the audit")


def test_an_nhs_number_inside_a_longer_run_of_digits_is_not_one():
    assert NHS_NUMBER not in found("Batch 99434765919 of the leaflets")


@pytest.mark.parametrize(
    "text",
    [
        "DOB 1/2/1980",
        "born 01-02-1980",
        "born 1.2.80",
        "b. 12/31/1979",
        "1980-02-01",
        "1st February 1980",
        "1 Feb 1980",
        "14th of March 1992",
        "February 1, 1980",
        # Written to slip past a simple pattern (pen test, second round).
        "12 03 1985",
        "12031985",
        "19850312",
        "1985/03/12",
        "1985.03.12",
        "12-Mar-1985",
        "12.Mar.1985",
        "12Mar1985",
        "12 Mar 85",
        "3 Mar '85",
        "12\u201303\u20131985",
        "12\uff0f03\uff0f1985",
        "12  /03/1985",
    ],
)
def test_dates_are_found(text):
    assert DATE in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Module 2 of 6 took 25 minutes",
        "About 1 in 5 women",
        "Section 2A and 4A of the 1997 Act",
        "Ask 3 questions in 10 minutes",
        "The 2021 Act",
        "32/13/1980 is not a date",
        "1 February 2030 is in the future",
        "on 3 December 2026 I asked about stalking",  # within the last year: not a birth date
        "teaching 10.30-11.00",
        "NICE NG116 2018",
    ],
)
def test_ordinary_learning_notes_are_not_dates(text):
    assert DATE not in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "LS1 4AP",
        "lives near ls14ap",
        "M1 1AE",
        "EC1A 1BB",
        "B33 8TH",
        "LS1-1AA",
        "LS1.1AA",
        "LS1/1AA",
        "LS1 \u200b1AA",
        "\uff2c\uff33\uff11 \uff11\uff21\uff21",
        "GIR 0AA",
    ],
)
def test_postcodes_are_found(text):
    assert POSTCODE in found(text)


@pytest.mark.parametrize(
    "text", ["PC-PTSD-5 had 3 yes answers", "NICE NG116", "DASH 14 ticks", "vitamin B12 1mg"]
)
def test_clinical_words_are_not_postcodes(text):
    assert POSTCODE not in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "mobile 07911 123456",
        "call 0113 496 0400",
        "+44 20 7946 0018",
        "ring 020 7946 0018",
        "O7911 123456",
        "07911\n123456",
        "07911\u00a0123456",
    ],
)
def test_phone_numbers_are_found(text):
    assert PHONE in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Call 999 and press 55 if they cannot speak",
        "Samaritans on 116 123",
        "NHS 111",
        "National Stalking Helpline 0808 802 0300",
        "NSPCC 0808 800 5000",
        "Paladin 0300 123 1101",
        "I will ask about stalking in every review and note the pattern (FOUR).",
    ],
)
def test_helpline_short_numbers_and_plain_notes_pass(text):
    assert found(text) == []


def test_the_message_lists_what_was_found():
    message = identifiers_message([NHS_NUMBER, DATE, PHONE])
    assert message.startswith("Remove an NHS number, a date and a phone number from your note.")
    assert "never include anything that could identify a patient" in message
