"""Writes for accounts and organisations."""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import ICB, Practice, User, normalise_email
from core.postcodes import is_postcode, normalise_postcode
from core.ratelimit import rate_limit_hit

PRACTICE_CSV_COLUMNS = ("ods_code", "name", "postcode", "icb_ods_code")
PRACTICE_ODS_CODE = re.compile(r"^[A-Z]\d{5}$")


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    """Make one-use links for verifying an email address; verifying invalidates the link."""

    key_salt = "accounts.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        # The password hash too: a later sign-up that replaces it cancels earlier links.
        return (
            f"{user.pk}{user.email}{user.password}{user.email_verified_at}{user.is_active}"
            f"{timestamp}"
        )


email_verification_token = EmailVerificationTokenGenerator()


# A second sign-up for an unverified address within this time is a double click or a second
# tab: it gets the page, not another email.
SIGN_UP_REPEAT_QUIET = timedelta(minutes=2)


def user_sign_up(
    *,
    email: str,
    password: str,
    full_name: str,
    professional_role: str,
    registration_number: str,
    practice: Practice,
    request,
) -> None:
    """Create an inactive clinician and email them a link to verify their address.

    The caller answers every sign-up the same way, so nobody learns from the page whether an
    account exists. What differs goes only to the address's owner: a new account gets its
    verification link; an account nobody has confirmed takes the new details and password and
    a fresh link (not for a repeat within SIGN_UP_REPEAT_QUIET, a double click); a confirmed
    one a note that someone tried to sign up with it. Two submits at once make one account:
    the second finds the first's row, in a savepoint so the request's transaction goes on.
    """
    email = normalise_email(email)
    existing = User.objects.filter(email=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    email=email,
                    password=password,
                    full_name=full_name,
                    professional_role=professional_role,
                    registration_number=registration_number,
                    practice=practice,
                    is_active=False,
                )
        except (IntegrityError, ValidationError):
            # Another request made the account since we looked: its unique check or the
            # database's unique index says so. Answer as that request did.
            existing = User.objects.filter(email=email).first()
            if existing is None:
                raise
        else:
            transaction.on_commit(lambda: send_verification_email(user=user, request=request))
            return
    if existing.is_active or existing.email_verified_at is not None:
        make_password(password)  # the same work as a new account, so timing tells nothing
        if may_email(existing):
            transaction.on_commit(
                lambda: send_sign_up_attempt_email(user=existing, request=request)
            )
        return
    if existing.date_joined >= timezone.now() - SIGN_UP_REPEAT_QUIET:
        make_password(password)  # a double click: the first submit's account and link stand
        return
    # An account nobody has confirmed yet belongs to whoever proves the address: the latest
    # sign-up replaces its details and password, which cancels earlier links, and the link is
    # confirmed only with this password (verify_email), so someone who signed up with another
    # person's address first can never have their password activated.
    existing.set_password(password)
    existing.full_name = full_name
    existing.professional_role = professional_role
    existing.registration_number = registration_number
    existing.practice = practice
    existing.date_joined = timezone.now()
    existing.save()
    if may_email(existing):
        transaction.on_commit(lambda: send_verification_email(user=existing, request=request))


def may_email(user: User) -> bool:
    """Count an account email asked for from outside; return whether it is within the limit.

    Sign-ups, resend requests and password resets for one address together send at most
    VERIFICATION_RESEND_LIMIT emails an hour, so nobody can flood an inbox through them.
    """
    return rate_limit_hit(
        "account-emails",
        user.email,
        limit=settings.VERIFICATION_RESEND_LIMIT,
        window=timedelta(hours=1),
    )


def user_needing_verification(*, email: str) -> User | None:
    """Return the account at this address if it is waiting for its address to be confirmed."""
    return User.objects.filter(
        email=normalise_email(email), is_active=False, email_verified_at__isnull=True
    ).first()


def verification_resend(*, email: str, request) -> bool:
    """Email a new verification link if the address has an account waiting for one.

    Return whether an email was sent; callers answer the same way either way. The emails count
    towards one limit per address (may_email).
    """
    user = user_needing_verification(email=email)
    if user is None or not may_email(user):
        return False
    transaction.on_commit(lambda: send_verification_email(user=user, request=request))
    return True


def send_sign_up_attempt_email(*, user: User, request) -> None:
    """Tell an account's owner that someone tried to sign up with their address."""
    _email(
        user,
        f"Someone tried to create a {settings.SERVICE_NAME} account with your address",
        "accounts/email/sign_up_attempt.txt",
        sign_in_url=request.build_absolute_uri(reverse("accounts:login")),
        reset_url=request.build_absolute_uri(reverse("accounts:password_reset")),
    )


def send_verification_email(*, user: User, request) -> None:
    """Email the user a link that verifies their address and activates their account."""
    path = reverse(
        "accounts:verify_email",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": email_verification_token.make_token(user),
        },
    )
    _email(
        user,
        f"Confirm your email address for {settings.SERVICE_NAME}",
        "accounts/email/verify_email.txt",
        url=request.build_absolute_uri(path),
    )


def _email(user: User, subject: str, template: str, **context) -> None:
    """Send the user a plain-text email rendered from the template."""
    context.update(user=user, service_name=settings.SERVICE_NAME)
    send_mail(
        subject=subject,
        message=render_to_string(template, context),
        from_email=None,
        recipient_list=[user.email],
    )


def user_verify_email(*, user: User) -> None:
    """Mark the user's email as verified and let them sign in."""
    user.email_verified_at = timezone.now()
    user.is_active = True
    user.save(update_fields=["email_verified_at", "is_active"])


@dataclass
class PracticeImportResult:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def practices_import(*, text: str) -> PracticeImportResult:
    """Create or update practices from CSV text; import nothing if any row is wrong.

    Every bad row is reported with its line number (the header is line 1), so the whole
    file can be corrected in one go.
    """
    result = PracticeImportResult()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = tuple((name or "").strip() for name in (reader.fieldnames or ()))
    missing = [c for c in PRACTICE_CSV_COLUMNS if c not in header]
    if missing:
        result.errors.append(
            f"Line 1: the header must name the columns {', '.join(PRACTICE_CSV_COLUMNS)}; "
            f"missing {', '.join(missing)}"
        )
        return result
    reader.fieldnames = list(header)

    icbs = {icb.ods_code: icb for icb in ICB.objects.all()}
    today = timezone.localdate()
    seen: dict[str, int] = {}
    valid_rows = []
    for row in reader:
        line = reader.line_num
        if None in row:
            result.errors.append(f"Line {line}: too many values (expected {len(header)})")
            continue
        values = {c: (row.get(c) or "").strip() for c in PRACTICE_CSV_COLUMNS}
        problems = []
        ods = values["ods_code"].upper()
        if not ods:
            problems.append("ODS code is empty")
        elif not PRACTICE_ODS_CODE.match(ods):
            problems.append(f"ODS code {ods!r} is not a practice code (a letter and 5 digits)")
        elif ods in seen:
            problems.append(f"ODS code {ods} appears again (first on line {seen[ods]})")
        if not values["name"]:
            problems.append("name is empty")
        elif len(values["name"]) > Practice._meta.get_field("name").max_length:
            problems.append("name is longer than 200 characters")
        postcode = normalise_postcode(values["postcode"])
        if not is_postcode(postcode):
            problems.append(f"postcode {values['postcode']!r} is not a UK postcode")
        icb_code = values["icb_ods_code"].upper()
        icb = icbs.get(icb_code)
        if icb is None:
            problems.append(f"ICB code {icb_code!r} is not a known ICB")
        elif icb.valid_to and icb.valid_to < today:
            problems.append(
                f"ICB {icb_code} ({icb.name}) closed on {icb.valid_to:%-d %B %Y}; "
                "use the ICB the practice belongs to now"
            )
        if problems:
            result.errors.append(f"Line {line}: " + "; ".join(problems))
            continue
        seen[ods] = line
        valid_rows.append((ods, values["name"], postcode, icb))

    if result.errors:
        return result
    if not valid_rows:
        result.errors.append("The file has a header but no practices")
        return result

    with transaction.atomic():
        existing = Practice.objects.in_bulk([r[0] for r in valid_rows], field_name="ods_code")
        to_create, to_update = [], []
        for ods, name, postcode, icb in valid_rows:
            practice = existing.get(ods)
            if practice is None:
                to_create.append(Practice(ods_code=ods, name=name, postcode=postcode, icb=icb))
            else:
                practice.name, practice.postcode, practice.icb = name, postcode, icb
                to_update.append(practice)
        Practice.objects.bulk_create(to_create, batch_size=1000)
        Practice.objects.bulk_update(to_update, ["name", "postcode", "icb"], batch_size=1000)
    result.created, result.updated = len(to_create), len(to_update)
    return result
