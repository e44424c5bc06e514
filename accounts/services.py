"""Writes for accounts and organisations."""

import csv
import datetime
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, connections, router, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import epraccur
from accounts.cis2 import ACCOUNT_TURNED_OFF, CIS2Access, CIS2Failure, CIS2Identity
from accounts.models import (
    ICB,
    CIS2Session,
    Practice,
    PracticeMove,
    PracticeMoveOutcome,
    ProfessionalRole,
    Role,
    User,
    is_plain_address,
    normalise_email,
)
from accounts.reference import load_sub_icb_locations
from core.audit import audit_record
from core.models import AuditAction
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


def practice_move_needs_confirming(current: Practice | None, practice: Practice | None) -> bool:
    """Return whether moving from one practice to another waits for the new ICB's admin.

    A local account says for itself where it works, so it may not join another ICB's figures
    until that ICB agrees: a move between ICBs waits. A move within the ICB, a first practice
    (nothing to leave) and leaving a practice (nothing to join) take effect at once.
    """
    return current is not None and practice is not None and practice.icb_id != current.icb_id


def _move_words(move: PracticeMove) -> str:
    return (
        f"{move.from_practice} in {move.from_practice.icb_id} → "
        f"{move.to_practice} in {move.to_practice.icb_id}"
    )


def _move_audit(move: PracticeMove, *, request, actor, detail: str) -> None:
    audit_record(
        action=AuditAction.PRACTICE_MOVE,
        request=request,
        actor=actor,
        target=move.user.email,
        detail=f"{detail}: {_move_words(move)}",
    )


def _move_close(move: PracticeMove, *, outcome: str, by: User) -> bool:
    """Decide a pending move; return False if it was decided already (by anyone).

    A conditional update: of two requests deciding at once, the database lets one through.
    """
    now = timezone.now()
    closed = PracticeMove.objects.filter(pk=move.pk, outcome=PracticeMoveOutcome.PENDING).update(
        outcome=outcome, decided_at=now, decided_by=by
    )
    if closed:
        move.outcome, move.decided_at, move.decided_by = outcome, now, by
    return bool(closed)


@transaction.atomic
def practice_change(*, user: User, practice: Practice | None, request) -> PracticeMove | None:
    """Move the user to the practice, at once or, into another ICB, once its admin confirms.

    Return the pending move when the change waits (practice_move_needs_confirming); the user's
    practice is then unchanged. A new choice replaces a move still pending (it is cancelled,
    "superseded"); choosing the practice the user is at, or the one already asked for, changes
    nothing. Every request and cancellation is audited, with its source.
    """
    current = user.practice
    if practice == current:
        return None
    pending = (
        PracticeMove.objects.pending()
        .select_related("from_practice", "to_practice", "user")
        .filter(user=user)
        .first()
    )
    if pending and pending.to_practice_id == getattr(practice, "pk", None):
        return pending
    if pending and _move_close(pending, outcome=PracticeMoveOutcome.CANCELLED, by=user):
        _move_audit(
            pending,
            request=request,
            actor=user,
            detail="Cancelled (superseded by another local profile change)",
        )
    if not practice_move_needs_confirming(current, practice):
        user.practice = practice
        user.save(update_fields=["practice"])
        return None
    try:
        with transaction.atomic():
            move = PracticeMove.objects.create(
                user=user, from_practice=current, to_practice=practice
            )
    except IntegrityError:
        # Another submit made this user's pending move since we looked; that one stands.
        return PracticeMove.objects.pending().filter(user=user).first()
    _move_audit(move, request=request, actor=user, detail="Requested (local profile change)")
    return move


@transaction.atomic
def practice_move_cancel(*, user: User, request) -> PracticeMove | None:
    """Withdraw the user's pending move; return it, or None if nothing was pending."""
    move = (
        PracticeMove.objects.pending()
        .select_related("from_practice", "to_practice", "user")
        .filter(user=user)
        .first()
    )
    if move is None or not _move_close(move, outcome=PracticeMoveOutcome.CANCELLED, by=user):
        return None
    _move_audit(move, request=request, actor=user, detail="Cancelled by the user")
    return move


@transaction.atomic
def practice_move_decide(*, move: PracticeMove, decider: User, confirm: bool, request) -> bool:
    """Confirm (apply) or refuse a pending move; return whether this call decided it.

    Only once: a move decided already, by this admin's double click or by another admin at
    the same moment, is left as it is and nothing is applied again. Nobody decides their own
    move. Confirming puts the user at the new practice (which the user's own audit of
    organisation changes records too); refusing leaves them where they were.
    """
    if move.user_id == decider.pk:
        raise PermissionDenied("Nobody can decide their own move")
    outcome = PracticeMoveOutcome.CONFIRMED if confirm else PracticeMoveOutcome.REFUSED
    if not _move_close(move, outcome=outcome, by=decider):
        move.refresh_from_db()
        return False
    if confirm:
        user = User.objects.select_for_update().get(pk=move.user_id)
        user.practice = move.to_practice
        user.save(update_fields=["practice"])
    verb = "Confirmed" if confirm else "Refused"
    _move_audit(move, request=request, actor=decider, detail=f"{verb} by {decider.email}")
    return True


SKIP_REASONS = {
    "not_gp": "not GP practices (prescribing setting other than 4)",
    "dormant": "dormant (status D) or retired (B)",
    "proposed": "proposed, not yet open (status P)",
    "closed_unknown": "closed practices not known here",
}


@dataclass
class PracticeImportResult:
    layout: str = ""  # "simple" or "epraccur"
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0  # of the updated, how many were marked closed
    reopened: int = 0  # of the updated, how many had been closed and are open again
    skipped: Counter = field(default_factory=Counter)  # rows left out on purpose, by reason
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class _PracticeRow:
    """One practice as a file describes it, checked and ready to store."""

    ods_code: str
    name: str
    postcode: str
    icb: ICB
    closed_on: datetime.date | None = None
    has_status: bool = False  # False: the file says nothing about opening or closing


def practices_import(
    *,
    text: str | None = None,
    data: bytes | None = None,
    on: datetime.date | None = None,
) -> PracticeImportResult:
    """Create or update practices from a practice CSV or an ODS epraccur file; all or nothing.

    The layout is told from the first line: a header naming ods_code is the practice CSV
    (ods_code,name,postcode,icb_ods_code); 27 columns and no header is epraccur (see
    accounts/epraccur.py and epraccur_rows). Every bad row is reported with its line number
    (line 1 is the first line of the file), and if there is any, nothing is imported, so the
    whole file can be corrected in one go. `data` is the file's bytes, which must be UTF-8 (a
    byte order mark is allowed); `on` is the day whose ICBs practices are placed in (today).
    """
    result = PracticeImportResult()
    if data is not None:
        text = _decode(data, result)
        if text is None:
            return result
    text = (text or "").lstrip("\ufeff")
    first = next(csv.reader(io.StringIO(text)), None)
    if first is None:
        result.errors.append("The file is empty")
        return result
    on = on or timezone.localdate()
    icbs = {icb.ods_code: icb for icb in ICB.objects.all()}
    if any(cell.strip().lower() == "ods_code" for cell in first):
        result.layout = "simple"
        rows = _simple_rows(text, icbs, on, result)
    elif len(first) == epraccur.COLUMN_COUNT:
        result.layout = "epraccur"
        rows = epraccur_rows(text, icbs, on, result)
    else:
        result.errors.append(
            f"Line 1: the header must name the columns {', '.join(PRACTICE_CSV_COLUMNS)} "
            f"(or, for an ODS epraccur file, the line must have {epraccur.COLUMN_COUNT} values "
            f"and no header); it has {len(first)} values"
        )
        return result
    if result.errors:
        return result
    if result.layout == "simple" and not rows:
        result.errors.append("The file has a header but no practices")
        return result
    _store(rows, result)
    return result


def _decode(data: bytes, result: PracticeImportResult) -> str | None:
    """Return the file as text, or None after reporting each line that is not UTF-8.

    ODS files are plain ASCII, which is UTF-8. A file in another encoding (a spreadsheet saved
    as Windows-1252, say) is refused rather than guessed at, so that no name is stored garbled.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            result.errors.append(
                f"Line {number}: not UTF-8 text (byte 0x{line[exc.start]:02X} at character "
                f"{exc.start + 1}); save the file as UTF-8 (CSV UTF-8) and try again"
            )
    return None


def _rows(reader, result: PracticeImportResult):
    """Yield a CSV reader's rows; a line the csv module cannot read is reported, not raised."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            result.errors.append(f"Line {reader.line_num}: {exc}")
            return


def _simple_rows(text: str, icbs: dict, on, result: PracticeImportResult) -> list[_PracticeRow]:
    """Check a practice CSV (with header ods_code,name,postcode,icb_ods_code)."""
    reader = csv.DictReader(io.StringIO(text))
    header = tuple((name or "").strip() for name in (reader.fieldnames or ()))
    missing = [c for c in PRACTICE_CSV_COLUMNS if c not in header]
    if missing:
        result.errors.append(
            f"Line 1: the header must name the columns {', '.join(PRACTICE_CSV_COLUMNS)}; "
            f"missing {', '.join(missing)}"
        )
        return []
    reader.fieldnames = list(header)
    seen: dict[str, int] = {}
    rows = []
    for row in _rows(reader, result):
        line = reader.line_num
        if None in row:
            result.errors.append(f"Line {line}: too many values (expected {len(header)})")
            continue
        values = {c: (row.get(c) or "").strip() for c in PRACTICE_CSV_COLUMNS}
        problems = []
        ods = values["ods_code"].upper()
        problems += _code_problems(ods, seen)
        problems += _name_problems(values["name"])
        postcode = normalise_postcode(values["postcode"])
        if not is_postcode(postcode):
            problems.append(f"postcode {values['postcode']!r} is not a UK postcode")
        icb_code = values["icb_ods_code"].upper()
        icb = icbs.get(icb_code)
        if icb is None:
            problems.append(f"ICB code {icb_code!r} is not a known ICB")
        elif icb.valid_to and icb.valid_to < on:
            problems.append(
                f"ICB {icb_code} ({icb.name}) closed on {icb.valid_to:%-d %B %Y}; "
                "use the ICB the practice belongs to now"
            )
        if problems:
            result.errors.append(f"Line {line}: " + "; ".join(problems))
            continue
        seen[ods] = line
        rows.append(_PracticeRow(ods, values["name"], postcode, icb))
    return rows


def _code_problems(ods: str, seen: dict[str, int]) -> list[str]:
    if not ods:
        return ["ODS code is empty"]
    if not PRACTICE_ODS_CODE.match(ods):
        return [f"ODS code {ods!r} is not a practice code (a letter and 5 digits)"]
    if ods in seen:
        return [f"ODS code {ods} appears again (first on line {seen[ods]})"]
    return []


def _name_problems(name: str) -> list[str]:
    if not name:
        return ["name is empty"]
    if len(name) > Practice._meta.get_field("name").max_length:
        return ["name is longer than 200 characters"]
    return []


def epraccur_rows(text: str, icbs: dict, on, result: PracticeImportResult) -> list[_PracticeRow]:
    """Check an ODS epraccur file and return the GP practices to store.

    Rules, row by row:
    - every row must be a well-formed epraccur row (accounts.epraccur.parse);
    - only GP practices (prescribing setting 4) are imported; other rows are skipped and
      counted, not refused;
    - status A is an open practice; C is a closed one (its close date is required and kept); D
      (dormant), B (retired) and P (proposed) are skipped and counted, leaving any practice we
      hold as it is;
    - the commissioner (column 15) is a sub-ICB location, placed in its ICB by
      accounts/data/sub_icb_locations.csv as on the day `on`; a board that has closed since
      stands for its successor, the board that took over all of it. A location this table
      does not know, or whose board was split with no one successor, makes the row bad.
    Whether a closed practice we do not hold is skipped is decided when storing (_store).
    """
    sub_icbs = load_sub_icb_locations()
    reader = csv.reader(io.StringIO(text))
    seen: dict[str, int] = {}
    rows = []
    for values in _rows(reader, result):
        line = reader.line_num
        if not values:
            continue  # a blank line, such as one at the end of the file
        record, problems = epraccur.parse(values)
        if record is None:
            result.errors.append(f"Line {line}: " + "; ".join(problems))
            continue
        if record.ods_code in seen:
            result.errors.append(
                f"Line {line}: ODS code {record.ods_code} appears again (first on line "
                f"{seen[record.ods_code]})"
            )
            continue
        seen[record.ods_code] = line
        if not record.is_gp_practice:
            result.skipped["not_gp"] += 1
            continue
        if record.status in (epraccur.Status.DORMANT, epraccur.Status.RETIRED):
            result.skipped["dormant"] += 1
            continue
        if record.status == epraccur.Status.PROPOSED:
            result.skipped["proposed"] += 1
            continue
        problems = _code_problems(record.ods_code, {})
        problems += _name_problems(record.name)
        postcode = normalise_postcode(record.postcode)
        if not is_postcode(postcode):
            problems.append(f"postcode (column 10) {record.postcode!r} is not a UK postcode")
        closed = record.status == epraccur.Status.CLOSED
        if closed and record.close_date is None:
            problems.append("the practice is closed (status C) but has no close date")
        icb, icb_problem = _board_for(record.commissioner, sub_icbs, icbs, on)
        if icb_problem:
            problems.append(icb_problem)
        if problems:
            result.errors.append(f"Line {line}: " + "; ".join(problems))
            continue
        rows.append(
            _PracticeRow(
                ods_code=record.ods_code,
                name=record.name,
                postcode=postcode,
                icb=icb,
                closed_on=record.close_date if closed else None,
                has_status=True,
            )
        )
    return rows


def _board_for(code: str, sub_icbs, icbs: dict, on) -> tuple[ICB | None, str]:
    """Return the ICB a sub-ICB location's practices belong to on the day, or why there is none.

    The location's row in force that day names a board; a board closed by then is replaced by
    its successor (repeatedly), so a practice always lands in a board that exists on the day.
    """
    if not code:
        return None, "commissioner (column 15) is empty"
    if code not in sub_icbs:
        return None, (
            f"commissioner (column 15) {code!r} is not a sub-ICB location in "
            "accounts/data/sub_icb_locations.csv"
        )
    location = sub_icbs.on(code, on) or sub_icbs.last(code)
    if location.valid_from > on:
        return None, f"sub-ICB location {code} has no ICB on {on:%-d %B %Y}"
    icb = icbs.get(location.icb_ods_code)
    seen = set()
    while icb is not None and icb.valid_to and icb.valid_to < on and icb.successor_id:
        if icb.pk in seen:
            break
        seen.add(icb.pk)
        icb = icbs.get(icb.successor_id)
    if icb is None:
        return None, f"sub-ICB location {code} names ICB {location.icb_ods_code}, not loaded"
    if icb.valid_to and icb.valid_to < on:
        return None, (
            f"sub-ICB location {code} ({location.name}) was in {icb.name}, which closed on "
            f"{icb.valid_to:%-d %B %Y} and was split between boards, so this file cannot say "
            "which ICB the practice is in now; give its ICB in a practice CSV "
            f"({','.join(PRACTICE_CSV_COLUMNS)})"
        )
    return icb, ""


def _store(rows: list[_PracticeRow], result: PracticeImportResult) -> None:
    """Create and update the practices in a few queries: one read, then bulk writes.

    A closed practice we hold is marked closed (never deleted); one we do not hold is skipped,
    since nothing here refers to it and it would only fill the practice lists with practices
    nobody can join; if it opens again, ODS lists it as active and it is created then. An open
    practice we hold as closed is opened again.
    """
    fields = ["name", "postcode", "icb", "closed_on"]
    with transaction.atomic():
        existing = {p.ods_code: p for p in Practice.objects.all()}
        to_create, to_update = [], []
        for row in rows:
            practice = existing.get(row.ods_code)
            if practice is None:
                if row.closed_on:
                    result.skipped["closed_unknown"] += 1
                    continue
                to_create.append(
                    Practice(
                        ods_code=row.ods_code, name=row.name, postcode=row.postcode, icb=row.icb
                    )
                )
                continue
            closed_on = row.closed_on if row.has_status else practice.closed_on
            new = (row.name, row.postcode, row.icb.pk, closed_on)
            if new == (practice.name, practice.postcode, practice.icb_id, practice.closed_on):
                result.unchanged += 1
                continue
            result.closed += practice.closed_on is None and closed_on is not None
            result.reopened += practice.closed_on is not None and closed_on is None
            practice.name, practice.postcode, practice.icb, practice.closed_on = (
                row.name,
                row.postcode,
                row.icb,
                closed_on,
            )
            to_update.append(practice)
        Practice.objects.bulk_create(to_create, batch_size=1000)
        _update_all(to_update, fields)
    result.created, result.updated = len(to_create), len(to_update)


def _update_all(practices: list[Practice], field_names: list[str]) -> None:
    """Save the fields of many practices with one prepared UPDATE, sent for all rows at once.

    bulk_update builds a CASE expression for every field of every row in Python, which takes
    seconds for a few thousand practices; executemany sends the same statement with each row's
    values, in one round of the driver (psycopg pipelines it).
    """
    if not practices:
        return
    connection = connections[router.db_for_write(Practice)]
    meta, quote = Practice._meta, connection.ops.quote_name
    fields = [meta.get_field(name) for name in field_names]
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    # Only column and table names from the model are put into the text; values are parameters.
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608
    params = [
        [f.get_db_prep_save(getattr(p, f.attname), connection) for f in fields] + [p.pk]
        for p in practices
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


# NHS CIS2 -----------------------------------------------------------------------------------------

CIS2_SOURCE = "Source: NHS CIS2"
# Where a CIS2 user's address goes when CIS2 gives none, or another account already has it:
# a reserved domain (RFC 2606), so nothing is ever sent there.
CIS2_PLACEHOLDER_DOMAIN = "cis2.invalid"


def _cis2_email(identity: CIS2Identity, user: User | None) -> str:
    """Return the address to keep for a CIS2 user: CIS2's, unless another account has it.

    Accounts are never joined by address (a local account of the same person stays a separate
    account), so an address already taken gives a placeholder no mail reaches.
    """
    email = normalise_email(identity.email)
    others = User.objects.exclude(pk=user.pk) if user is not None else User.objects.all()
    if email and is_plain_address(email) and not others.filter(email=email).exists():
        return email
    digest = hashlib.sha256(identity.sub.encode()).hexdigest()[:24]
    return f"cis2-{digest}@{CIS2_PLACEHOLDER_DOMAIN}"


def _cis2_words(name: str, value) -> str:
    if value in (None, ""):
        return "none"
    if name == "role":
        return Role(value).label
    if name == "professional_role":
        return ProfessionalRole(value).label
    return str(value)


CIS2_FIELD_WORDS = {
    "role": "Role",
    "professional_role": "Professional role",
    "practice": "Practice",
    "icb": "ICB administered",
}


@transaction.atomic
def cis2_user_sign_in(*, identity: CIS2Identity, access: CIS2Access, request) -> User:
    """Return the user CIS2 signed in, found by their CIS2 `sub` and never by email address,
    with their role and organisation set to what CIS2 says today.

    A first sign-in creates the account (no password: it signs in only through CIS2). Every
    later one refreshes role, professional role, practice and ICB, and writes each change to
    the audit log with its source. CIS2 is the authority on where its users work, so a move to
    another ICB takes effect at once: the confirmation by the new ICB's admin
    (practice_change) is for local accounts only, and a move still pending is cancelled. An
    account a site admin has turned off is refused.
    """
    fields = {
        "role": access.role,
        "professional_role": access.professional_role,
        "practice": access.practice,
        "icb": access.icb,
    }
    user = User.objects.select_for_update().filter(cis2_sub=identity.sub).first()
    if user is None:
        user = User(
            cis2_sub=identity.sub,
            email=_cis2_email(identity, None),
            full_name=identity.name or "NHS CIS2 user",
            **fields,
        )
        user.set_unusable_password()
        user.save()
        audit_record(
            action=AuditAction.ROLE_CHANGED,
            request=request,
            actor=user,
            target=user.email,
            detail=f"{CIS2_SOURCE}. Account created: {access.describe()}",
        )
        return user
    if not user.is_active:
        raise CIS2Failure(ACCOUNT_TURNED_OFF, f"user {user.pk} is turned off")
    changes = [
        (name, getattr(user, name), value)
        for name, value in fields.items()
        if getattr(user, name) != value
    ]
    updates = {
        **fields,
        "full_name": identity.name or user.full_name,
        "email": _cis2_email(identity, user),
    }
    # A direct update: these changes are audited here, with their source, and not a second
    # time by the signal that audits changes made elsewhere (core.signals).
    User.objects.filter(pk=user.pk).update(**updates)
    for name, value in updates.items():
        setattr(user, name, value)
    for name, before, after in changes:
        audit_record(
            action=AuditAction.ROLE_CHANGED,
            request=request,
            actor=user,
            target=user.email,
            detail=(
                f"{CIS2_SOURCE}. {CIS2_FIELD_WORDS[name]}: "
                f"{_cis2_words(name, before)} → {_cis2_words(name, after)}"
            ),
        )
    pending = (
        PracticeMove.objects.pending()
        .select_related("from_practice", "to_practice", "user")
        .filter(user=user)
        .first()
    )
    if pending and _move_close(pending, outcome=PracticeMoveOutcome.CANCELLED, by=user):
        _move_audit(
            pending,
            request=request,
            actor=user,
            detail="Cancelled (NHS CIS2 sets where this user works)",
        )
    return user


def cis2_session_record(*, request, user: User, sid: str) -> None:
    """Remember which CIS2 session this signed-in session belongs to, for back-channel logout.

    Rows of sessions that can no longer be alive (older than SESSION_ABSOLUTE_TIMEOUT) go too.
    """
    if request.session.session_key is None:
        request.session.save()
    now = timezone.now()
    CIS2Session.objects.filter(started_at__lt=now - settings.SESSION_ABSOLUTE_TIMEOUT).delete()
    CIS2Session.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={"sid": sid, "user": user, "started_at": now},
    )


def cis2_sessions_end(*, sub: str, sid: str, request=None) -> int:
    """End our sessions for one CIS2 session (`sid`), or for all of a person's (`sub` alone).

    Return how many were ended. Each person signed out this way is audited.
    """
    rows = CIS2Session.objects.select_related("user")
    if sid:
        rows = rows.filter(sid=sid)
    if sub:
        rows = rows.filter(user__cis2_sub=sub)
    rows = list(rows)
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for row in rows:
        store(session_key=row.session_key).delete()
    CIS2Session.objects.filter(pk__in=[row.pk for row in rows]).delete()
    for user in {row.user for row in rows}:
        audit_record(
            action=AuditAction.SIGN_OUT,
            request=request,
            actor=user,
            detail=f"{CIS2_SOURCE}. Back-channel logout",
        )
    return len(rows)


def cis2_session_forget(*, session_key: str | None) -> None:
    """Forget a CIS2 session's row once the session is signed out here."""
    if session_key:
        CIS2Session.objects.filter(session_key=session_key).delete()
