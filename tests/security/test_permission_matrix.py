"""Every URL pattern × every role × object ownership, with the status each must get.

The test fails if a URL pattern exists that the matrix does not list, so a new page cannot be
added without deciding who may see it. A summary is in docs/security.md.
"""

import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import PracticeMove
from referrals.models import Service
from referrals.services import seed_load
from screening.services import screening_create
from tests.factories import PracticeFactory, UserFactory, icb
from tests.training.conftest import make_module
from training.content import CourseSpec
from training.models import Attempt, Certificate, Module
from training.services import content_load, survey_submit

ROLES = [
    "anonymous",
    "clinician",
    "other_practice_clinician",
    "icb_admin",
    "other_icb_admin",
    "site_admin",
]
SIGN_IN = 302  # anonymous visitors are sent to sign in
CLINICIANS = {"clinician": 200, "other_practice_clinician": 200}
ADMINS_403 = {"icb_admin": 403, "other_icb_admin": 403, "site_admin": 403}
CURATORS = {
    "clinician": 403,
    "other_practice_clinician": 403,
    "icb_admin": 200,
    "other_icb_admin": 200,
    "site_admin": 200,
}


def everyone(status):
    return dict.fromkeys(ROLES, status)


def signed_in(status, anonymous=SIGN_IN):
    return {"anonymous": anonymous, **dict.fromkeys(ROLES[1:], status)}


def learners(owner=200, other=200, admins=None):
    """Anyone with a role may take the training (admins too); another's record is 404.

    `admins` is what an admin who has not started gets (a redirect to the before-survey for
    pages behind it), defaulting to what another learner gets."""
    admin = other if admins is None else admins
    return {
        "anonymous": SIGN_IN,
        "clinician": owner,
        "other_practice_clinician": other,
        "icb_admin": admin,
        "other_icb_admin": admin,
        "site_admin": admin,
    }


def clinician_only(owner=200, other=200):
    return {
        "anonymous": SIGN_IN,
        "clinician": owner,
        "other_practice_clinician": other,
        **ADMINS_403,
    }


# URL name -> (kwargs builder name or None, {role: expected status}).
MATRIX = {
    "core:start": (None, everyone(200)),
    "core:healthz": (None, everyone(200)),
    "core:accessibility": (None, everyone(200)),
    "accounts:login": (None, {"anonymous": 200, **dict.fromkeys(ROLES[1:], 302)}),
    "accounts:logout": (None, {**everyone(405), "anonymous": SIGN_IN}),
    # NHS CIS2 sign-in is off unless configured (404); tests/cis2 turns it on.
    "accounts:cis2_start": (None, everyone(404)),
    "accounts:cis2_callback": (None, everyone(404)),
    "accounts:cis2_jwks": (None, everyone(404)),
    "accounts:cis2_backchannel_logout": (None, everyone(405)),  # POST only, from CIS2
    "accounts:signup": (None, {"anonymous": 200, **dict.fromkeys(ROLES[1:], 302)}),
    "accounts:signup_done": (None, everyone(200)),
    "accounts:verify_email": ("bad_token", everyone(400)),
    "accounts:verification_resend": (None, everyone(200)),
    "accounts:verification_sent": (None, everyone(200)),
    "accounts:profile": (None, signed_in(200)),
    # POST only: a GET is refused before any lookup (POSTs below).
    "accounts:practice_move_cancel": (None, signed_in(405)),
    "accounts:practice_moves": (None, {"anonymous": SIGN_IN, **CURATORS}),
    "accounts:practice_move_decide": ("practice_move", signed_in(405)),
    "accounts:password_change": (None, signed_in(200)),
    "accounts:password_reset": (None, everyone(200)),
    "accounts:password_reset_done": (None, everyone(200)),
    "accounts:password_reset_confirm": ("bad_token", everyone(200)),
    "accounts:password_reset_complete": (None, everyone(200)),
    "training:home": (None, learners()),
    # Already answered by both clinicians: back to the list; admins have not answered it yet.
    "training:survey": ("survey", learners(302, 302, admins=200)),
    # Admins have not done the before-survey, so its pages send them there first.
    "training:module": ("module", learners(admins=302)),
    "training:page": ("page", learners(admins=302)),
    "training:quiz": ("module", learners(admins=302)),
    "training:attempt": ("attempt", learners(200, 404)),
    "training:note": ("module", learners(405, 405)),
    "certificates:list": (None, learners()),
    "certificates:verify": ("certificate", everyone(200)),
    "certificates:pdf": ("certificate", learners(200, 404)),
    "referrals:directory": (None, signed_in(200)),
    "referrals:service_page": ("local_service", signed_in(200)),
    "referrals:coverage": (None, {"anonymous": SIGN_IN, **CURATORS}),
    "referrals:manage": (None, {"anonymous": SIGN_IN, **CURATORS}),
    "referrals:manage_export": (None, {"anonymous": SIGN_IN, **CURATORS}),
    "referrals:service_add": (None, {"anonymous": SIGN_IN, **CURATORS}),
    "referrals:service": (
        "local_service",
        {"anonymous": SIGN_IN, **CURATORS, "other_icb_admin": 404},
    ),
    "referrals:service_edit": (
        "local_service",
        {"anonymous": SIGN_IN, **CURATORS, "other_icb_admin": 404},
    ),
    "referrals:service_retire": (
        "local_service",
        {"anonymous": SIGN_IN, **CURATORS, "other_icb_admin": 404},
    ),
    "referrals:service_reinstate": ("local_service", signed_in(405)),
    "referrals:service_verify": ("local_service", signed_in(405)),
    "oruk:index": (None, everyone(200)),
    "oruk:services": (None, everyone(200)),
    "oruk:service": ("oruk_service", everyone(200)),
    "oruk:taxonomies": (None, everyone(200)),
    "oruk:taxonomy_terms": (None, everyone(200)),
    "oruk:not_found": ("oruk_unknown", everyone(404)),
    "screening:new": (None, clinician_only()),
    "screening:list": (None, clinician_only()),
    "screening:result": ("screening", clinician_only(200, 404)),
    # POST only: a GET is refused before any lookup, so it reveals nothing (POSTs below).
    "screening:outcome": ("screening", clinician_only(405, 405)),
    "screening:support_sheet": ("screening", clinician_only(200, 404)),
    "reporting:dashboard": (None, {"anonymous": SIGN_IN, **CURATORS}),
    "reporting:export_csv": (None, {"anonymous": SIGN_IN, **CURATORS}),
    "reporting:report_pdf": (None, {"anonymous": SIGN_IN, **CURATORS}),
}
# Two-factor pages: any signed-in user manages their own second factor.
TWO_FACTOR = {
    "accounts:two_factor_verify": (None, signed_in(302)),
    "accounts:two_factor_setup": (None, signed_in(200)),
    "accounts:two_factor_backup_codes": (None, signed_in(302)),
    "accounts:two_factor_new_backup_codes": (None, signed_in(405)),
    "accounts:two_factor_turn_off": (None, signed_in(302)),
}
MATRIX.update(TWO_FACTOR)


def url_names(resolver=None, namespace=""):
    """Yield (name, pattern) for every URL pattern, namespaced, including the admin's."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            inner = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
            yield name, pattern


def test_every_url_pattern_is_in_the_matrix():
    missing = sorted(
        name for name, _ in url_names() if name not in MATRIX and not name.startswith("admin:")
    )
    assert not missing, f"URL patterns with no permission rule: {missing}"
    stale = sorted(set(MATRIX) - {name for name, _ in url_names()})
    assert not stale, f"Matrix entries for URLs that no longer exist: {stale}"


@pytest.fixture
def world(clinician, other_practice_clinician, icb_admin, other_icb_admin, site_admin):
    """Objects owned by the clinician (Alice), and directory entries for each ICB."""
    content_load(course=CourseSpec(version="test.1", modules=(make_module("alpha", 1),)))
    module = Module.objects.get()
    for user in (clinician, other_practice_clinician):
        survey_submit(user=user, phase="before", version="test.1", answers={"identify": 3})
    attempt = Attempt.objects.create(
        user=clinician,
        module=module,
        content_version="test.1",
        presented=[],
        question_count=8,
        submitted_at=timezone.now(),
        correct_count=8,
        score_percent=100,
        passed=True,
        is_first=True,
    )
    certificate = Certificate.objects.create(
        user=clinician,
        learner_name="Alice",
        content_version="test.1",
        modules=[],
        cpd_minutes=30,
        issued_at=timezone.now(),
        refresh_by=timezone.localdate(),
    )
    screening = screening_create(
        clinician=clinician, answers={"unwanted": "yes"}, submission_id=uuid.uuid4()
    )
    seed_load(examples=True)
    local = Service.objects.filter(area_icbs="QWO", retired_at__isnull=True).first()
    # Someone in Cheshire and Merseyside asking to move to Alice's practice, in West Yorkshire.
    mover = UserFactory(practice=PracticeFactory(ods_code="C44444", icb=icb("QYG")))
    move = PracticeMove.objects.create(
        user=mover, from_practice=mover.practice, to_practice=clinician.practice
    )
    return {
        "bad_token": {"uidb64": "MQ", "token": "bad-token"},
        "survey": {"phase": "before"},
        "module": {"slug": "alpha"},
        "page": {"slug": "alpha", "number": 1},
        "attempt": {"slug": "alpha", "pk": attempt.pk},
        "certificate": {"pk": certificate.pk},
        "screening": {"pk": screening.pk},
        "local_service": {"pk": local.pk},
        "oruk_service": {"service_id": str(local.pk)},
        "oruk_unknown": {"rest": "services/a/b"},
        "practice_move": {"pk": move.pk},
    }


def client_for(role, request):
    if role == "anonymous":
        return Client()
    client = Client()
    client.force_login(request.getfixturevalue(role))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_matrix(role, world, request):
    client = client_for(role, request)
    failures = []
    for name, (kwargs_key, expected) in MATRIX.items():
        url = reverse(name, kwargs=world[kwargs_key] if kwargs_key else None)
        status = client.get(url).status_code
        if status != expected[role]:
            failures.append(f"{name} {url}: expected {expected[role]}, got {status}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_admin_site_is_for_site_admins_only(role, world, request):
    client = client_for(role, request)
    for name in (
        "admin:index",
        "admin:accounts_user_changelist",
        "admin:core_auditevent_changelist",
        "admin:screening_screening_changelist"
        if any(n == "admin:screening_screening_changelist" for n, _ in url_names())
        else "admin:index",
    ):
        status = client.get(reverse(name)).status_code
        assert status == (200 if role == "site_admin" else 302), (name, role, status)


# State-changing requests by someone who may not make them: refused, and nothing changes.
# (A reflective note is no longer here: admins may take the training and keep their own notes.)
POSTS = {
    "accounts:practice_move_decide": (
        "practice_move",
        {"decision": "confirm"},
        {"clinician": 403, "other_practice_clinician": 403, "other_icb_admin": 404},
    ),
    "screening:outcome": (
        "screening",
        {"police_contacted": "on"},
        {
            "other_practice_clinician": 404,
            "icb_admin": 403,
            "other_icb_admin": 403,
            "site_admin": 403,
        },
    ),
    "referrals:service_retire": (
        "local_service",
        {},
        {"clinician": 403, "other_practice_clinician": 403, "other_icb_admin": 404},
    ),
    "referrals:service_verify": (
        "local_service",
        {},
        {"clinician": 403, "other_practice_clinician": 403, "other_icb_admin": 404},
    ),
    "referrals:service_reinstate": (
        "local_service",
        {},
        {"clinician": 403, "other_practice_clinician": 403, "other_icb_admin": 404},
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES[1:])
def test_forbidden_posts_change_nothing(role, world, request):
    from core.models import AuditEvent
    from referrals.models import ServiceChange
    from screening.models import Outcome
    from training.models import ReflectiveNote

    def snapshot():
        return (
            Outcome.objects.count(),
            ReflectiveNote.objects.count(),
            ServiceChange.objects.count(),
            Service.objects.filter(retired_at__isnull=False).count(),
            PracticeMove.objects.pending().count(),
        )

    client = client_for(role, request)
    for name, (key, data, refused) in POSTS.items():
        if role not in refused:
            continue
        before = snapshot()
        status = client.post(reverse(name, kwargs=world[key]), data).status_code
        assert status == refused[role], (name, role, status)
        assert snapshot() == before, (name, role)
    assert not AuditEvent.objects.filter(action="directory_changed", actor__isnull=False).exists()
