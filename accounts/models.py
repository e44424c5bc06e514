"""Users, their roles, and the NHS organisations they belong to."""

import datetime
import re
import unicodedata

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class ICBQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        """Return the ICBs in existence on the given day (today by default)."""
        on = on or timezone.localdate()
        return self.filter(valid_from__lte=on).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=on)
        )


class ICB(models.Model):
    """An Integrated Care Board. The ODS code is the stable key; boards are formed and closed."""

    ods_code = models.CharField("ODS code", max_length=5, primary_key=True)
    ons_code = models.CharField("ONS code", max_length=9, blank=True)
    name = models.CharField(max_length=200)
    region = models.CharField("NHS England region", max_length=100)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        help_text="The board that took over all of this one, where there was a single successor.",
    )
    change_note = models.CharField(max_length=300, blank=True)

    objects = ICBQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "ICB"
        verbose_name_plural = "ICBs"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="icb_valid_to_after_valid_from",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def short_name(self) -> str:
        """Return the name without the 'NHS' prefix and 'Integrated Care Board' suffix."""
        name = self.name.removeprefix("NHS ").removesuffix(" Integrated Care Board")
        return f"{name} ICB"


class Practice(models.Model):
    """A GP practice, identified by its ODS code, in one ICB.

    A practice that closes is kept, with the day it closed, so the people and screenings that
    belong to it keep their history; it is never deleted by an import.
    """

    ods_code = models.CharField("ODS code", max_length=10, unique=True)
    name = models.CharField(max_length=200)
    postcode = models.CharField(max_length=8)
    icb = models.ForeignKey(ICB, on_delete=models.PROTECT, related_name="practices")
    closed_on = models.DateField(
        null=True,
        blank=True,
        help_text="The day the practice closed, as the ODS records it; empty while it is open.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.ods_code})"

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None


class Role(models.TextChoices):
    """What a user may do: see their own work, their ICB's figures, or everything."""

    CLINICIAN = "clinician", "Clinician"
    ICB_ADMIN = "icb_admin", "ICB admin"
    SITE_ADMIN = "site_admin", "Site admin"


class ProfessionalRole(models.TextChoices):
    GP = "gp", "GP"
    PRACTICE_NURSE = "practice_nurse", "Practice nurse"
    OTHER_CLINICIAN = "other_clinician", "Other clinician"
    PRACTICE_STAFF = "practice_staff", "Practice team (reception, administration, management)"


GMC_NUMBER = re.compile(r"^\d{7}$")
NMC_PIN = re.compile(r"^\d{2}[A-Z]\d{4}[A-Z]$")


def normalise_registration_number(value: str) -> str:
    """Return a GMC or NMC number without spaces and in capitals."""
    return re.sub(r"\s+", "", value or "").upper()


def validate_registration_number(value: str) -> None:
    """Accept a GMC number (7 digits) or an NMC PIN (2 digits, letter, 4 digits, letter)."""
    value = normalise_registration_number(value)
    if value and not (GMC_NUMBER.match(value) or NMC_PIN.match(value)):
        raise ValidationError(
            "Enter a GMC number (7 digits, like 1234567) or an NMC PIN (like 12A3456E)",
            code="invalid_registration_number",
        )


def normalise_email(value) -> str:
    """Return the one form of an email address used to store, find and lock an account.

    Compatibility-normalised (NFKC) and case-folded, so every way of writing the same letters
    (long s, Kelvin sign, full-width letters, any case) gives one address. Accounts are found
    by exact match on this form and sign-in lockout is keyed on it, so no spelling can reach
    an account by a different lockout bucket. Addresses are stored only in this form, and only
    ASCII addresses can be created (see is_plain_address).
    """
    folded = unicodedata.normalize("NFKC", str(value or "")).casefold()
    return unicodedata.normalize("NFKC", folded).strip()


def is_plain_address(value: str) -> bool:
    """Return whether a normalised address uses only ASCII characters, as NHS addresses do."""
    return value.isascii()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=normalise_email(email), **extra_fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.CLINICIAN)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["role"] = Role.SITE_ADMIN
        extra_fields["is_superuser"] = True
        extra_fields.setdefault("full_name", "Site admin")
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email=normalise_email(username))


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their work email address."""

    email = models.EmailField("Email address", unique=True)
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=20, choices=Role, default=Role.CLINICIAN)
    professional_role = models.CharField(max_length=20, choices=ProfessionalRole, blank=True)
    registration_number = models.CharField(
        "GMC or NMC number",
        max_length=8,
        blank=True,
        validators=[validate_registration_number],
    )
    practice = models.ForeignKey(
        Practice, on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    icb = models.ForeignKey(
        ICB,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="admins",
        verbose_name="ICB administered",
        help_text="For ICB admins only: the one ICB whose figures and directory they manage.",
    )
    is_active = models.BooleanField(default=True)
    cis2_sub = models.CharField(
        "NHS CIS2 subject identifier",
        max_length=255,
        null=True,
        blank=True,
        unique=True,
        help_text=(
            "Set for people who sign in with NHS CIS2: the identifier CIS2 gives them, which "
            "is how they are found at sign-in (never by email address)."
        ),
    )
    email_verified_at = models.DateTimeField(null=True, blank=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
            models.CheckConstraint(
                condition=~models.Q(role="icb_admin") | models.Q(icb__isnull=False),
                name="user_icb_admin_has_icb",
            ),
            models.CheckConstraint(
                condition=models.Q(role="icb_admin") | models.Q(icb__isnull=True),
                name="user_icb_only_for_icb_admin",
            ),
        ]
        indexes = [models.Index(fields=["role", "icb"])]

    def __str__(self):
        return f"{self.full_name} <{self.email}>"

    def clean(self):
        super().clean()
        self.email = normalise_email(self.email)
        self.registration_number = normalise_registration_number(self.registration_number)
        if self.role == Role.ICB_ADMIN and not self.icb_id:
            raise ValidationError({"icb": "Choose the ICB this admin manages"})
        if self.role != Role.ICB_ADMIN and self.icb_id:
            raise ValidationError({"icb": "Only ICB admins administer an ICB"})

    @property
    def signs_in_with_cis2(self) -> bool:
        """Return whether NHS CIS2, not this service, says who the user is and where they work."""
        return bool(self.cis2_sub)

    @property
    def is_staff(self) -> bool:
        """Let site admins, and only them, into Django's admin site."""
        return self.is_active and self.role == Role.SITE_ADMIN

    @property
    def is_clinician(self) -> bool:
        return self.role == Role.CLINICIAN

    @property
    def is_icb_admin(self) -> bool:
        return self.role == Role.ICB_ADMIN

    @property
    def is_site_admin(self) -> bool:
        return self.role == Role.SITE_ADMIN

    @property
    def role_description(self) -> str:
        """Return the user's role and organisation in words, e.g. 'GP at Demo Practice A'."""
        if self.is_site_admin:
            return "site admin"
        if self.is_icb_admin:
            return f"ICB admin for {self.icb.short_name}" if self.icb_id else "ICB admin"
        role = self.get_professional_role_display() or "clinician"
        return f"{role} at {self.practice.name}" if self.practice_id else role

    @property
    def home_icb(self) -> ICB | None:
        """Return the ICB the user administers, or else their practice's ICB."""
        if self.icb_id:
            return self.icb
        if self.practice_id:
            return self.practice.icb
        return None

    def has_perm(self, perm, obj=None):
        if self.is_active and self.is_site_admin:
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label):
        if self.is_active and self.is_site_admin:
            return True
        return super().has_module_perms(app_label)


class PracticeMoveOutcome(models.TextChoices):
    PENDING = "pending", "Waiting for the new ICB's admin"
    CONFIRMED = "confirmed", "Confirmed"
    REFUSED = "refused", "Refused"
    CANCELLED = "cancelled", "Cancelled"


class PracticeMoveQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(outcome=PracticeMoveOutcome.PENDING)

    def decidable_by(self, user):
        """Return the moves this user may decide: into the ICB they administer, or any for a
        site admin; never their own, and none for anyone else."""
        if user.is_site_admin:
            moves = self.all()
        elif user.is_icb_admin and user.icb_id:
            moves = self.filter(to_practice__icb_id=user.icb_id)
        else:
            return self.none()
        return moves.exclude(user_id=user.pk)


class PracticeMove(models.Model):
    """A user's change of practice into another ICB, which that ICB's admin must confirm.

    Until it is decided the user stays at their old practice (so they see their old ICB's
    directory) and counts in no ICB's report (reporting.selectors.clinicians). A user has at
    most one move pending; decided moves are kept as the history of who decided what.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="practice_moves")
    from_practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="+")
    to_practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="moves_in")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(
        max_length=10, choices=PracticeMoveOutcome, default=PracticeMoveOutcome.PENDING
    )

    objects = PracticeMoveQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(outcome="pending"),
                name="practicemove_one_pending_per_user",
            ),
            models.CheckConstraint(
                condition=models.Q(outcome="pending", decided_at__isnull=True)
                | (~models.Q(outcome="pending") & models.Q(decided_at__isnull=False)),
                name="practicemove_decided_when_not_pending",
            ),
            models.CheckConstraint(
                condition=~models.Q(from_practice=models.F("to_practice")),
                name="practicemove_to_another_practice",
            ),
        ]

    def __str__(self):
        return f"{self.user_id}: {self.from_practice_id} → {self.to_practice_id} ({self.outcome})"

    @property
    def is_pending(self) -> bool:
        return self.outcome == PracticeMoveOutcome.PENDING


class CIS2Session(models.Model):
    """A session signed in through NHS CIS2, with the CIS2 session it belongs to.

    CIS2 names its session (`sid`) in the ID token and again in a back-channel logout token; this
    row lets that logout find and end our session. Rows go when the session is signed out.
    """

    session_key = models.CharField(max_length=40, unique=True)
    sid = models.CharField("CIS2 session ID", max_length=255, blank=True, db_index=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="cis2_sessions")
    started_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "NHS CIS2 session"

    def __str__(self):
        return f"{self.user_id}: {self.sid or '(no sid)'}"
