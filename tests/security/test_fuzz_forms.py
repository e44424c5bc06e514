"""Property-based tests: hostile input to every form never gives a 5xx or changes stored data.

Each form is a `FormCase`: an accepted submission, other accepted values, and the tables a
rejected submission must leave alone. Hypothesis starts from accepted values, then gives some
fields hostile values (10,000+ characters, right-to-left text, emoji and combining marks, NUL,
numbers where text goes and text where numbers go), leaves fields out, sends fields twice, and
adds unknown fields; sometimes every field is hostile. Each example goes urlencoded or as
multipart, like a browser's.

For every example the answer is never a server error, and unless it is the form's success
redirect, the watched tables hold exactly what they held before. After a success the case puts
back what it needs (an open quiz attempt, the original password), so later examples reach the
same code. Clients and data are made once per test, never per example. Each form runs at least
200 examples, and must have both accepted and rejected some.

A NUL character is also put into every field of every form in turn: PostgreSQL refuses NUL in
text, so a NUL that reached a query would be a 500 there.

The double-submission tests post the same valid data twice: the second adds no record.
"""

import random
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django import forms
from django.apps import apps
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Practice, User
from accounts.two_factor import backup_codes_issue, totp_device_for_setup, two_factor_turn_off
from referrals.forms import ServiceForm
from referrals.models import Location, Organisation, Service, ServiceChange
from referrals.services import seed_load
from referrals.views import _area_choices
from screening.forms import OutcomeForm, ScreeningForm
from screening.models import Outcome, Screening
from screening.services import outcome_for
from screening.support import support_services
from tests.factories import TEST_PASSWORD
from tests.referrals.factories import ServiceFactory
from tests.referrals.helpers import form_data as service_form_data
from tests.screening.test_views import form_data as screening_form_data
from tests.training.conftest import make_module
from tests.two_factor import add_two_factor, totp_code
from training import services as training_services
from training.content import CourseSpec
from training.forms import SurveyForm
from training.models import (
    Attempt,
    AttemptAnswer,
    Certificate,
    Module,
    ModuleCompletion,
    ReflectiveNote,
    SurveyAnswer,
    SurveyResponse,
)

# At least 200 examples per form in CI (issue 7). No example database, so nothing is written
# to the work tree; a failure prints the blob that replays it (@reproduce_failure).
FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
    print_blob=True,
)

# ---------------------------------------------------------------------------------------------
# Hostile values

HOSTILE_SAMPLES = (
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x00" * 20,
    "\u202eevil\u202c",  # right-to-left override
    "مرحبا بالعالم",
    "שלום עולם",
    "😀🔥👩‍⚕️🏳️‍🌈",
    "e\u0301\u0302\u0303\u0304\u0305" * 20,  # stacked combining marks
    "Z̷̢͕̈́a̸̡͝l̷̨͝g̶̢͘o̵̢͝",
    "\ufeff\u200b\u200d\u2060",  # byte order mark and zero-width characters
    "\r\n\t\x0b\x0c",
    "'; DROP TABLE accounts_user; --",
    '" OR 1=1 --',
    "<script>alert(1)</script>",
    "{{ request }}{% debug %}",
    "%s%n%x",
    "../../../../etc/passwd",
    "-1",
    "0",
    "1.5",
    "1e309",
    "NaN",
    "-Infinity",
    "9" * 5000,
    "-9223372036854775809",
    "18446744073709551616",
    "true",
    "null",
    "None",
    "[]",
    "{}",
    '{"a": [1, 2]}',
    "00000000-0000-0000-0000-000000000000",
    "2026-02-30",
    "9999-12-31",
    "0001-01-01",
    "A11111",
    "QWO",
    "nobody@nhs.net",
    "@",
)

# Every character but lone surrogates, which cannot be sent as UTF-8 at all.
CHARACTERS = st.characters(blacklist_categories=("Cs",))
HUGE_SEEDS = ("A", "é", "😀", "\u202e", "\x00", "a\u0301", "مر", "ab ", "9")


def _repeat(seed: str, size: int) -> str:
    return (seed * size)[:size]


huge_text = st.builds(_repeat, st.sampled_from(HUGE_SEEDS), st.integers(10_000, 12_000))
hostile_value = st.one_of(
    st.sampled_from(HOSTILE_SAMPLES),
    st.text(CHARACTERS, max_size=40),
    huge_text,
    st.integers(-(2**80), 2**80).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
extra_field_names = st.one_of(
    st.sampled_from(["id", "pk", "user", "user_id", "is_staff", "is_superuser", "role", "icb"]),
    st.text(
        st.characters(min_codepoint=33, max_codepoint=0x2FFF, blacklist_categories=("Cs",)),
        min_size=1,
        max_size=20,
    ),
)
encodings = st.sampled_from(["urlencoded", "multipart"])

# ---------------------------------------------------------------------------------------------
# Form cases


class Live:
    """An accepted value that depends on the database now; filled in as the request goes."""

    def __init__(self, key: str):
        self.key = key

    def __repr__(self):
        return f"Live({self.key!r})"


def any_redirect(location: str) -> bool:
    return True


@dataclass
class FormCase:
    client: Client
    url: str
    example: dict  # an accepted submission; `Live` markers allowed
    tables: tuple  # models or querysets a rejected submission must leave alone
    vary: dict = field(default_factory=dict)  # field -> strategy of other accepted values
    plausible: dict = field(default_factory=dict)  # field -> strategy of near-miss values
    success: Callable[[str], bool] = any_redirect  # is this redirect the form's success?
    live: dict = field(default_factory=dict)  # Live key -> value, or callable giving one
    before_each: Callable[[], None] | None = None
    after_success: Callable[[], None] | None = None

    def accepted(self, name: str):
        values = st.just(self.example[name])
        return st.one_of(values, self.vary[name]) if name in self.vary else values

    def hostile(self, name: str):
        if name in self.plausible:
            return st.one_of(hostile_value, self.plausible[name])
        return hostile_value


def choices_of(form: forms.Form, skip=()) -> tuple[dict, dict]:
    """Return (example, vary) for the form's choice and tick-box fields, from what it offers."""
    example, vary = {}, {}
    for name, form_field in form.fields.items():
        if name in skip:
            continue
        if isinstance(form_field, forms.BooleanField):
            example[name], vary[name] = "on", st.sampled_from(["on", ""])
        elif isinstance(form_field, forms.ChoiceField):
            values = [str(v) for v, _ in form_field.choices if str(v)]
            if isinstance(form_field, forms.MultipleChoiceField):
                example[name] = values[:1]
                vary[name] = st.lists(st.sampled_from(values), unique=True, max_size=len(values))
            elif values:
                example[name], vary[name] = values[0], st.sampled_from(values)
    return example, vary


MISSING = object()


@st.composite
def submissions(draw, case: FormCase):
    """Draw one submission: field -> value, list of values (sent repeatedly), or left out."""
    names = sorted(case.example)
    mode = draw(st.sampled_from(["accepted", "mostly_accepted", "mostly_accepted", "hostile"]))
    data = {
        name: draw(hostile_value if mode == "hostile" else case.accepted(name)) for name in names
    }
    if mode == "mostly_accepted":
        for name in draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True)):
            mutation = draw(st.sampled_from(["hostile", "missing", "twice", "twice", "many"]))
            if mutation == "hostile":
                data[name] = draw(case.hostile(name))
            elif mutation == "missing":
                data[name] = MISSING
            elif mutation == "twice":  # a duplicated field: accepted and hostile, either order
                pair = [data[name], draw(case.hostile(name))]
                data[name] = pair if draw(st.booleans()) else pair[::-1]
            else:
                data[name] = draw(
                    st.lists(st.one_of(case.accepted(name), case.hostile(name)), max_size=4)
                )
    data.update(draw(st.dictionaries(extra_field_names, hostile_value, max_size=3)))
    return {name: value for name, value in data.items() if value is not MISSING}


def resolve(data: dict, live: dict) -> dict:
    """Fill in `Live` markers with the values accepted now (callables are called)."""

    def one(value):
        if isinstance(value, Live):
            found = live[value.key]
            return found() if callable(found) else found
        if isinstance(value, list):
            flat = []
            for item in map(one, value):
                flat.extend(item if isinstance(item, list) else [item])
            return flat
        return value

    return {name: one(value) for name, value in data.items()}


def send(client, url: str, data: dict, encoding: str):
    """POST as a browser would, urlencoded or multipart; a list repeats the field."""
    if encoding == "multipart":
        return client.post(url, data)
    body = urlencode(data, doseq=True)
    return client.post(url, body, content_type="application/x-www-form-urlencoded")


def audit_log():
    try:
        return apps.get_model("core", "AuditEvent")
    except LookupError:  # no audit log installed: nothing to compare
        return None


def watched(*tables):
    """The tables given, plus the audit log: a rejected form writes no audit event."""
    audit = audit_log()
    return (*tables, audit) if audit else tables


def contents(tables) -> list:
    """Every row of every table, queryset or callable's list, to compare before and after."""
    found = []
    for table in tables:
        if callable(table) and not isinstance(table, type):
            rows = table()
        else:
            rows = (table if isinstance(table, QuerySet) else table.objects.all()).values_list()
        found.append(sorted(rows, key=repr))
    return found


def submit(case: FormCase, data: dict, encoding: str) -> bool:
    """Send one submission; return whether it was accepted. A 5xx, or a change when it was
    rejected, fails the test."""
    if case.before_each:
        case.before_each()
    sent = resolve(data, case.live)
    before = contents(case.tables)
    response = send(case.client, case.url, sent, encoding)
    assert response.status_code < 500, f"{response.status_code} for {sent!r}"
    accepted = response.status_code == 302 and case.success(response["Location"])
    if accepted:
        if case.after_success:
            case.after_success()
    else:
        assert contents(case.tables) == before, f"rejected, yet data changed: {sent!r}"
    return accepted


def to(url: str):
    return lambda location: location == url


def starts(prefix: str):
    return lambda location: location.startswith(prefix)


GOOD_PASSWORD = "quiet-orchard-lantern-47"
OTHER_PASSWORD = "amber-canal-thistle-92"
STATEMENT_KEYS = ["identify", "ask", "services", "refer", "ptsd", "colleague"]

# ---------------------------------------------------------------------------------------------
# Shared data


@pytest.fixture
def course(db):
    """Two small modules of two pages and twelve questions each (as tests/training uses)."""
    training_services.content_load(
        course=CourseSpec(
            version="test.1", modules=(make_module("alpha", 1), make_module("beta", 2))
        )
    )
    return list(Module.objects.order_by("order"))


@pytest.fixture
def ready_for_quiz(clinician, course):
    """The clinician has done the before survey and read every page of the first module."""
    training_services.survey_submit(
        user=clinician, phase="before", version="test.1", answers=dict.fromkeys(STATEMENT_KEYS, 3)
    )
    module = course[0]
    for page in module.pages.all():
        training_services.page_view_record(user=clinician, page=page)
    return module


def open_attempt(user, module) -> Attempt:
    # The same seed draws the same questions every time, so the form's fields stay the same.
    return training_services.attempt_start(user=user, module=module, rng=random.Random(7))


@pytest.fixture
def directory(icbs):
    result = seed_load(examples=True)
    assert result.ok, result.errors


@pytest.fixture
def screening(clinician_client, directory):
    response = clinician_client.post(reverse("screening:new"), screening_form_data())
    assert response.status_code == 302
    return Screening.objects.get()


def fresh_uuid() -> str:
    return str(uuid.uuid4())


# ---------------------------------------------------------------------------------------------
# One fixture per form


@pytest.fixture
def form_sign_up(anonymous_client, practice):
    return FormCase(
        client=anonymous_client,
        url=reverse("accounts:signup"),
        example={
            "full_name": "Dr Amira Khan",
            "email": Live("email"),
            "professional_role": "gp",
            "registration_number": "",
            "practice": "A11111",
            "password1": GOOD_PASSWORD,
            "password2": GOOD_PASSWORD,
        },
        vary={
            "full_name": st.sampled_from(["Siân O'Neill-Ávila", "李 小龍", "Dr A"]),
            "professional_role": st.sampled_from(["practice_nurse", "other_clinician"]),
            "registration_number": st.sampled_from(["1234567", "12A3456E", "12a3456e"]),
            "practice": st.sampled_from(["a11111", " A11111 "]),
        },
        plausible={
            "email": st.sampled_from(["alice@nhs.net", "someone@gmail.com", "x@nhs.net.evil"]),
            "password1": st.sampled_from(["password", "short", "alice@nhs.net"]),
            "password2": st.just(OTHER_PASSWORD),
            "practice": st.sampled_from(["Z99999", "QWO"]),
            "registration_number": st.sampled_from(["123456", "ABCDEFG"]),
        },
        tables=watched(User, Practice),
        success=to(reverse("accounts:signup_done")),
        live={"email": lambda: f"fuzz.{uuid.uuid4().hex[:10]}@nhs.net"},
    )


@pytest.fixture
def form_sign_in(anonymous_client, clinician):
    from axes.models import AccessAttempt

    return FormCase(
        client=anonymous_client,
        url=reverse("accounts:login"),
        example={"username": "alice@nhs.net", "password": TEST_PASSWORD, "next": ""},
        vary={
            "username": st.sampled_from(["ALICE@nhs.net", " alice@nhs.net "]),
            "next": st.sampled_from(["/training/", "https://evil.example/", "//evil.example"]),
        },
        plausible={
            "username": st.sampled_from(["nobody@nhs.net", "bob@nhs.net"]),
            "password": st.sampled_from(["wrong-password-123", TEST_PASSWORD.upper()]),
        },
        # Failed sign-ins are recorded by design (axes and the audit log): watch the users.
        tables=(User,),
        # So that later examples are not all locked out: the lock has its own tests.
        before_each=lambda: AccessAttempt.objects.all().delete(),
        after_success=anonymous_client.logout,
    )


@pytest.fixture
def form_profile(clinician_client, other_practice):
    return FormCase(
        client=clinician_client,
        url=reverse("accounts:profile"),
        example={
            "full_name": "Alice Clinician",
            "professional_role": "gp",
            "registration_number": "",
            "practice": "A11111",
        },
        vary={
            "full_name": st.sampled_from(["Álíce Ø'Brien-Smith", "Alice"]),
            "professional_role": st.sampled_from(["practice_nurse", "practice_staff"]),
            "registration_number": st.sampled_from(["7654321", "98b7654c"]),
            "practice": st.sampled_from(["B22222", "b22222"]),
        },
        plausible={"practice": st.sampled_from(["Z99999", ""])},
        tables=watched(User, Practice),
        success=to(reverse("accounts:profile")),
    )


@pytest.fixture
def form_password_change(clinician, clinician_client):
    def put_back():
        clinician.refresh_from_db()
        clinician.set_password(TEST_PASSWORD)
        clinician.save()
        clinician_client.force_login(clinician)

    return FormCase(
        client=clinician_client,
        url=reverse("accounts:password_change"),
        example={
            "old_password": TEST_PASSWORD,
            "new_password1": GOOD_PASSWORD,
            "new_password2": GOOD_PASSWORD,
        },
        plausible={
            "old_password": st.just("not-my-password-1"),
            "new_password1": st.sampled_from(["password", "alice@nhs.net"]),
            "new_password2": st.just(OTHER_PASSWORD),
        },
        tables=watched(User),
        success=to(reverse("accounts:profile")),
        after_success=put_back,
    )


@pytest.fixture
def form_password_reset(anonymous_client, clinician, mailoutbox):
    # Every well-formed address gets the same answer, so nobody learns who has an account.
    return FormCase(
        client=anonymous_client,
        url=reverse("accounts:password_reset"),
        example={"email": "alice@nhs.net"},
        vary={"email": st.sampled_from(["nobody@nhs.net", "ALICE@NHS.NET"])},
        tables=watched(User),
        success=to(reverse("accounts:password_reset_done")),
        after_success=mailoutbox.clear,
    )


@pytest.fixture
def form_two_factor_set_up(clinician, clinician_client):
    def turn_off_again():
        two_factor_turn_off(user=clinician)
        clinician_client.force_login(clinician)

    return FormCase(
        client=clinician_client,
        url=reverse("accounts:two_factor_setup"),
        example={"code": Live("code")},
        plausible={"code": st.sampled_from(["000000", "123456", "12345", "abcdefgh"])},
        # Opening the page makes the unconfirmed device by design; nothing may get confirmed.
        tables=(User, TOTPDevice.objects.filter(confirmed=True), StaticToken),
        success=starts(reverse("accounts:two_factor_backup_codes")),
        live={"code": lambda: totp_code(totp_device_for_setup(user=clinician))},
        after_success=turn_off_again,
    )


@pytest.fixture
def form_two_factor_code(clinician):
    _, codes = add_two_factor(clinician)
    client = Client()

    def signed_in_without_second_factor():
        for device in TOTPDevice.objects.filter(user=clinician):
            device.throttle_reset()  # so later examples are not all locked out
        if not StaticToken.objects.filter(device__user=clinician).exists():
            backup_codes_issue(user=clinician)
        client.logout()  # a new session, not yet verified with a second factor
        client.force_login(clinician)

    def unused_backup_code():
        return StaticToken.objects.filter(device__user=clinician).first().token

    return FormCase(
        client=client,
        url=reverse("accounts:two_factor_verify"),
        example={"code": Live("code")},
        vary={"code": st.just(Live("code_with_spaces"))},
        plausible={"code": st.sampled_from(["000000", "aaaaaaaa", codes[0].upper(), "1234 56"])},
        # A wrong code counts towards the lock by design; no backup code may be used up.
        tables=(
            User,
            StaticToken,
            lambda: list(TOTPDevice.objects.values_list("user", "key", "confirmed")),
        ),
        success=to(reverse("core:start")),
        live={
            "code": unused_backup_code,
            "code_with_spaces": lambda: " ".join(unused_backup_code()),
        },
        before_each=signed_in_without_second_factor,
    )


@pytest.fixture
def form_before_survey(clinician, clinician_client, course):
    example, vary = choices_of(SurveyForm())

    def open_again():
        assert SurveyResponse.objects.filter(user=clinician).count() == 1
        SurveyResponse.objects.filter(user=clinician).delete()

    return FormCase(
        client=clinician_client,
        url=reverse("training:survey", kwargs={"phase": "before"}),
        example=example,
        vary=vary,
        plausible=dict.fromkeys(STATEMENT_KEYS, st.sampled_from(["0", "6", "3.0", " 3"])),
        tables=watched(SurveyResponse, SurveyAnswer),
        success=to(reverse("training:home")),
        after_success=open_again,
    )


@pytest.fixture
def form_quiz(clinician, clinician_client, ready_for_quiz):
    module = ready_for_quiz
    attempt = open_attempt(clinician, module)
    state = {"attempt": attempt}
    kinds = dict(module.questions.values_list("pk", "kind"))
    example, vary, plausible = {"attempt": Live("attempt")}, {}, {}
    for item in attempt.presented:
        name, options = f"q{item['question']}", [str(o) for o in item["options"]]
        if kinds[item["question"]] == "multiple":
            example[name] = options[:1]
            vary[name] = st.lists(st.sampled_from(options), min_size=1, unique=True)
        else:
            example[name] = options[0]
            vary[name] = st.sampled_from(options)
        plausible[name] = st.sampled_from(["1", "99999", "-1"])  # options of other questions
    plausible["attempt"] = st.sampled_from([fresh_uuid(), "not-a-uuid"])

    def next_attempt():
        state["attempt"] = open_attempt(clinician, module)

    return FormCase(
        client=clinician_client,
        url=reverse("training:quiz", kwargs={"slug": module.slug}),
        example=example,
        vary=vary,
        plausible=plausible,
        tables=watched(Attempt, AttemptAnswer, ModuleCompletion, Certificate),
        success=starts(f"/training/{module.slug}/quiz/"),
        live={"attempt": lambda: str(state["attempt"].pk)},
        after_success=next_attempt,
    )


@pytest.fixture
def form_reflective_note(clinician_client, ready_for_quiz):
    return FormCase(
        client=clinician_client,
        url=reverse("training:note", kwargs={"slug": ready_for_quiz.slug}),
        example={"text": "Ask about the pattern earlier."},
        vary={"text": st.one_of(st.just(""), st.text(CHARACTERS.filter(lambda c: c != "\x00")))},
        plausible={"text": st.just("x" * 3001)},
        tables=watched(ReflectiveNote),
        success=to(reverse("training:module", kwargs={"slug": ready_for_quiz.slug})),
    )


@pytest.fixture
def form_screening(clinician_client, practice):
    example, vary = choices_of(ScreeningForm(), skip=("submission",))
    example.update(screening_form_data(submission=Live("submission")))
    return FormCase(
        client=clinician_client,
        url=reverse("screening:new"),
        example=example,
        vary=vary,
        plausible={"submission": st.sampled_from(["", "not-a-uuid"])},
        tables=watched(Screening, Outcome),
        success=starts("/screening/"),
        live={"submission": fresh_uuid},
    )


@pytest.fixture
def form_screening_outcome(clinician_client, screening):
    form = OutcomeForm(
        instance=outcome_for(screening),
        services=[s for s in support_services(screening) if s.service_type == "stalking_advocacy"],
    )
    example, vary = choices_of(form)
    assert len(form.fields["referred_service"].choices) > 1, "no service to choose"
    return FormCase(
        client=clinician_client,
        url=reverse("screening:outcome", kwargs={"pk": screening.pk}),
        example=example,
        vary=vary,
        plausible={"referred_service": st.sampled_from([fresh_uuid(), "national"])},
        tables=watched(Screening, Outcome),
        success=to(screening.get_absolute_url()),
    )


SERVICE_TABLES = (Service, Service.area_icbs.through, Organisation, Location, ServiceChange)


def service_case(client, form: ServiceForm, url: str, success) -> FormCase:
    example, vary = choices_of(form, skip=("area", "area_icbs", "checked"))
    example.update(service_form_data())
    vary.update(
        {
            "name": st.sampled_from(["Leeds Stalking Advocacy", "Ŝervice 😀", "A"]),
            "minimum_age": st.sampled_from(["", "0", "16"]),
            "maximum_age": st.sampled_from(["", "18", "65", "120"]),
            "website": st.sampled_from(["", "https://example.org/x", "example.org"]),
            "location_postcode": st.sampled_from(["", "LS1 4AP", "ls14ap"]),
            "phone": st.sampled_from(["0808 802 0300", "01134960500"]),
        }
    )
    plausible = {
        "minimum_age": st.sampled_from(["121", "-1", "1.5", "sixteen"]),
        "maximum_age": st.sampled_from(["15", "121"]),
        "website": st.sampled_from(["javascript:alert(1)", "ftp://example.org", "http://"]),
        "email": st.sampled_from(["not-an-email", "a@b"]),
        "phone": st.sampled_from(["call us", "+44 (0) 113"]),
        "location_postcode": st.just("NOT A POSTCODE"),
        "location_address": st.just("1 High Street"),
    }
    if "area" in form.fields:
        example.update({"area": "icbs", "area_icbs": ["QWO"]})
        vary["area_icbs"] = st.sampled_from([["QWO", "QYG"], ["QYG"]])
        plausible.update({"area": st.just("national"), "area_icbs": st.sampled_from([[], ["ZZZ"]])})
    if "submission" in form.fields:
        example["submission"] = Live("submission")
        plausible["submission"] = st.sampled_from(["", "not-a-uuid"])
    if "checked" in form.fields:
        example["checked"] = ""
        vary["checked"] = st.just("on")
    return FormCase(
        client=client,
        url=url,
        example=example,
        vary=vary,
        plausible=plausible,
        tables=watched(*SERVICE_TABLES),
        success=success,
        live={"submission": fresh_uuid},
    )


@pytest.fixture
def form_service_add_site_admin(site_admin, site_admin_client):
    form = ServiceForm(user=site_admin, icbs=_area_choices(None))
    url = reverse("referrals:service_add")
    return service_case(site_admin_client, form, url, starts("/referrals/manage/"))


@pytest.fixture
def form_service_add_icb_admin(icb_admin, icb_admin_client):
    form = ServiceForm(user=icb_admin, icbs=_area_choices(None))
    url = reverse("referrals:service_add")
    return service_case(icb_admin_client, form, url, starts("/referrals/manage/"))


@pytest.fixture
def form_service_edit(icb_admin, icb_admin_client):
    service = ServiceFactory(name="Leeds Stalking Advocacy", icbs=["QWO"])
    form = ServiceForm(user=icb_admin, icbs=_area_choices(service), service=service)
    url = reverse("referrals:service_edit", kwargs={"pk": service.pk})
    return service_case(icb_admin_client, form, url, to(service.get_absolute_url()))


FORMS = [
    "sign_up",
    "sign_in",
    "profile",
    "password_change",
    "password_reset",
    "two_factor_set_up",
    "two_factor_code",
    "before_survey",
    "quiz",
    "reflective_note",
    "screening",
    "screening_outcome",
    "service_add_site_admin",
    "service_add_icb_admin",
    "service_edit",
]

# ---------------------------------------------------------------------------------------------
# The properties


@pytest.mark.django_db
@pytest.mark.parametrize("name", FORMS)
def test_hostile_input_is_refused_without_an_error_or_a_change(name, request):
    case = request.getfixturevalue(f"form_{name}")
    outcomes = Counter()

    @FUZZ
    @given(data=submissions(case), encoding=encodings)
    def run(data, encoding):
        outcomes[submit(case, data, encoding)] += 1

    run()
    print(f"{name}: {outcomes[True]} accepted, {outcomes[False]} refused")
    assert outcomes.total() >= 200
    # Both roads were taken: hostile values were refused, and accepted ones saved.
    assert outcomes[False] and outcomes[True], outcomes


def with_nul(value):
    if isinstance(value, list):
        return [[f"{v}\x00" for v in value], [*value, "\x00"]]
    return [f"{value}\x00", f"\x00{value}", "\x00"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", FORMS)
def test_nul_in_any_field_is_refused(name, request):
    case = request.getfixturevalue(f"form_{name}")
    for field_name in case.example:
        accepted = resolve(case.example, case.live)
        for number, value in enumerate(with_nul(accepted[field_name])):
            encoding = ("urlencoded", "multipart")[number % 2]
            submit(case, {**accepted, field_name: value}, encoding)


# ---------------------------------------------------------------------------------------------
# Filters sent with GET: whatever the query, a 200 and no change

FILTER_VALUES = st.one_of(
    hostile_value,
    st.sampled_from(
        ["", "QWO", "qyg", "QWO\x00", "\x00QWO", "A11111", "2026-01-01", "2026-12-31", "gp"]
    ),
)


def queries(keys):
    known = {
        key: st.one_of(FILTER_VALUES, st.lists(FILTER_VALUES, min_size=2, max_size=3))
        for key in keys
    }
    return st.builds(
        lambda extra, chosen: {**extra, **chosen},
        st.dictionaries(extra_field_names, hostile_value, max_size=2),
        st.fixed_dictionaries({}, optional=known),
    )


REPORT_FILTERS = ["icb", "start", "end", "practice", "professional_role"]
DIRECTORY_FILTERS = ["icb", "type", "self_referral"]


def get_unchanged(client, url, query, tables):
    before = contents(tables)
    response = client.get(url, query)
    assert response.status_code == 200, f"{response.status_code} for {query!r}"
    assert contents(tables) == before


@pytest.mark.django_db
class TestFilters:
    @FUZZ
    @given(query=queries(REPORT_FILTERS), who=st.sampled_from(["site_admin", "icb_admin"]))
    def test_reporting_dashboard(self, role_clients, practice, query, who):
        tables = watched(User, Screening, Outcome)
        get_unchanged(role_clients(who), reverse("reporting:dashboard"), query, tables)

    @FUZZ
    @given(query=queries(DIRECTORY_FILTERS))
    def test_referral_directory(self, clinician_client, directory, query):
        tables = watched(*SERVICE_TABLES)
        get_unchanged(clinician_client, reverse("referrals:directory"), query, tables)

    @pytest.mark.parametrize("who", ["site_admin", "icb_admin"])
    def test_nul_in_any_report_filter(self, role_clients, practice, who):
        for key in REPORT_FILTERS:
            for value in ("\x00", "QWO\x00", "\x00QWO", "2026-01-01\x00"):
                get_unchanged(role_clients(who), reverse("reporting:dashboard"), {key: value}, ())

    def test_nul_in_any_directory_filter(self, clinician_client, directory):
        for key in DIRECTORY_FILTERS:
            for value in ("\x00", "QWO\x00", "\x00QWO"):
                get_unchanged(clinician_client, reverse("referrals:directory"), {key: value}, ())


# ---------------------------------------------------------------------------------------------
# Double submission: the same valid data twice adds one record


@pytest.mark.django_db
class TestDoubleSubmission:
    def test_sign_up(self, anonymous_client, practice):
        data = {
            "full_name": "Dr Amira Khan",
            "email": "amira.khan@nhs.net",
            "professional_role": "gp",
            "registration_number": "",
            "practice": "A11111",
            "password1": GOOD_PASSWORD,
            "password2": GOOD_PASSWORD,
        }
        first = anonymous_client.post(reverse("accounts:signup"), data)
        second = anonymous_client.post(reverse("accounts:signup"), data)
        # The second is answered as the first: the page never says an account exists.
        assert first.status_code == second.status_code == 302
        assert first["Location"] == second["Location"] == reverse("accounts:signup_done")
        assert User.objects.filter(email="amira.khan@nhs.net").count() == 1

    def test_survey(self, clinician, clinician_client, course):
        data = dict.fromkeys(STATEMENT_KEYS, "4")
        url = reverse("training:survey", kwargs={"phase": "before"})
        assert clinician_client.post(url, data).status_code == 302
        assert clinician_client.post(url, data).status_code == 302  # "already completed"
        assert SurveyResponse.objects.filter(user=clinician).count() == 1
        assert SurveyAnswer.objects.filter(response__user=clinician).count() == 6

    def test_quiz(self, clinician, clinician_client, ready_for_quiz):
        module = ready_for_quiz
        attempt = open_attempt(clinician, module)
        data = {"attempt": str(attempt.pk)}
        for item in attempt.presented:
            data[f"q{item['question']}"] = str(item["options"][0])
        url = reverse("training:quiz", kwargs={"slug": module.slug})
        first = clinician_client.post(url, data)
        second = clinician_client.post(url, data)
        assert first.status_code == second.status_code == 302
        assert first["Location"] == second["Location"] == attempt.get_absolute_url()
        assert Attempt.objects.filter(user=clinician, submitted_at__isnull=False).count() == 1
        assert AttemptAnswer.objects.filter(attempt=attempt).count() == attempt.question_count
        assert ModuleCompletion.objects.filter(user=clinician).count() <= 1

    def test_screening(self, clinician_client, practice):
        data = screening_form_data()
        first = clinician_client.post(reverse("screening:new"), data)
        second = clinician_client.post(reverse("screening:new"), data)
        assert first.status_code == second.status_code == 302
        assert first["Location"] == second["Location"]
        assert Screening.objects.count() == 1

    def test_outcome(self, clinician_client, screening):
        url = reverse("screening:outcome", kwargs={"pk": screening.pk})
        data = {"helpline_given": "on", "police_contacted": "on"}
        assert clinician_client.post(url, data).status_code == 302
        assert clinician_client.post(url, data).status_code == 302
        assert Outcome.objects.filter(screening=screening).count() == 1
        assert Outcome.objects.get().helpline_given

    def test_service_add(self, icb_admin_client):
        page = icb_admin_client.get(reverse("referrals:service_add"))
        submission = page.context["form"]["submission"].value()
        data = service_form_data(submission=str(submission))
        first = icb_admin_client.post(reverse("referrals:service_add"), data)
        second = icb_admin_client.post(reverse("referrals:service_add"), data)
        assert first.status_code == second.status_code == 302
        assert first["Location"] == second["Location"]
        assert Service.objects.filter(name=data["name"]).count() == 1
        assert ServiceChange.objects.filter(service__name=data["name"]).count() == 1

    def test_service_add_form_reused_by_someone_else_adds_their_own(
        self, icb_admin_client, other_icb_admin_client
    ):
        data = service_form_data(submission=fresh_uuid())
        icb_admin_client.post(reverse("referrals:service_add"), data)
        response = other_icb_admin_client.post(reverse("referrals:service_add"), data)
        assert response.status_code == 302
        services = Service.objects.filter(name=data["name"])
        assert services.count() == 2  # the other ICB's admin cannot reach the first one
        assert {s.area_icbs.get().pk for s in services} == {"QWO", "QYG"}

    def test_service_add_without_a_submission_id_still_works(self, icb_admin_client):
        response = icb_admin_client.post(reverse("referrals:service_add"), service_form_data())
        assert response.status_code == 302
        assert Service.objects.filter(name=service_form_data()["name"]).count() == 1

    def test_service_edit(self, icb_admin_client):
        service = ServiceFactory(name="Leeds Stalking Advocacy", icbs=["QWO"])
        url = reverse("referrals:service_edit", kwargs={"pk": service.pk})
        data = service_form_data(name="Leeds Stalking Advocacy (renamed)")
        assert icb_admin_client.post(url, data).status_code == 302
        assert icb_admin_client.post(url, data).status_code == 302
        assert ServiceChange.objects.filter(service=service).count() == 1  # the second: no change

    def test_reflective_note(self, clinician, clinician_client, ready_for_quiz):
        url = reverse("training:note", kwargs={"slug": ready_for_quiz.slug})
        assert clinician_client.post(url, {"text": "Ask earlier."}).status_code == 302
        assert clinician_client.post(url, {"text": "Ask earlier."}).status_code == 302
        assert ReflectiveNote.objects.filter(user=clinician).count() == 1
