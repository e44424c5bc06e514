"""The referral directory, shaped on Open Referral UK v3: organisations run services, each
available nationally or in named ICB areas, with an optional location and a change history.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from accounts.models import ICB
from referrals import fields, rules
from referrals.fields import limit


class ServiceType(models.TextChoices):
    """What kind of help a service gives; the order here is the order the directory lists them."""

    STALKING_ADVOCACY = "stalking_advocacy", "Specialist stalking advocacy (ISAC)"
    HELPLINE = "helpline", "National helpline"
    POLICE = "police", "Police"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse service"
    MARAC = "marac", "MARAC (high-risk domestic abuse)"
    MENTAL_HEALTH = "mental_health", "Mental health and trauma"
    SEXUAL_VIOLENCE = "sexual_violence", "Sexual violence"
    VICTIM_SUPPORT = "victim_support", "Victim support"
    YOUNG_PEOPLE = "young_people", "Children and young people"
    SAFEGUARDING = "safeguarding", "Safeguarding"
    OTHER = "other", "Other"


class ReferralRoute(models.TextChoices):
    SELF = "self", "Self-referral: the patient contacts the service"
    PROFESSIONAL = "professional", "Professional referral only"
    BOTH = "both", "Self-referral or professional referral"


#: Routes that let a patient get in touch themselves.
SELF_REFERRAL_ROUTES = (ReferralRoute.SELF, ReferralRoute.BOTH)


class Gender(models.TextChoices):
    """Who a gender-specific service is for; services for everyone leave this blank."""

    WOMEN = "women", "Women"
    MEN = "men", "Men"
    TRANS_NON_BINARY = "trans_non_binary", "Trans and non-binary people"


class Organisation(models.Model):
    """An organisation that runs one or more services (ORUK `organization`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=limit("organisation_name"))
    description = models.TextField(blank=True)
    website = models.URLField(max_length=limit("organisation_website"), blank=True)
    email = models.EmailField(max_length=limit("organisation_email"), blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="organisation_name_unique_ci"),
        ]

    def __str__(self):
        return self.name


class ServiceQuerySet(models.QuerySet):
    def current(self):
        """Return the services not retired."""
        return self.filter(retired_at__isnull=True)

    def for_cards(self):
        """Fetch what a directory card shows in the same query: organisation and location."""
        return self.select_related("organisation", "location")


class Service(models.Model):
    """A service a clinician can refer a patient to, or tell them about (ORUK `service`).

    A service is either national or available in one or more ICB areas, never both; the
    services in `services.py` keep that true, since a database constraint cannot see the
    many-to-many table.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField(max_length=limit("name"))
    # Long text has no column size; the form and imports take up to `fields.limit(...)`.
    description = models.TextField()
    service_type = models.CharField(max_length=30, choices=ServiceType)
    minimum_age = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(rules.OLDEST_AGE)]
    )
    maximum_age = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(rules.OLDEST_AGE)]
    )
    gender = models.CharField(
        max_length=20, choices=Gender, blank=True, help_text="Blank when open to any gender."
    )
    eligibility = models.TextField("who it is for", blank=True)
    referral_route = models.CharField(max_length=20, choices=ReferralRoute)
    referral_instructions = models.TextField("how to refer", blank=True)
    phone = models.CharField(
        max_length=limit("phone"),
        blank=True,
        help_text="Stored in one form, set by rules.phone_number: E.164 for full numbers "
        "('+448082000247'), the digits for short numbers ('116123', '999'). Shown as "
        "phone_display ('0808 200 0247', '116 123').",
    )
    phone_notes = models.CharField(max_length=limit("phone_notes"), blank=True)
    email = models.EmailField(max_length=limit("email"), blank=True)
    website = models.URLField(max_length=limit("website"), blank=True)
    opening_hours = models.CharField(max_length=limit("opening_hours"), blank=True)
    is_national = models.BooleanField(default=False)
    area_icbs = models.ManyToManyField(
        ICB, blank=True, related_name="referral_services", verbose_name="ICB areas"
    )
    last_verified_on = models.DateField(
        null=True, blank=True, help_text="When someone last checked these details."
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verification_note = models.CharField(
        "still to check",
        max_length=limit("verification_note"),
        blank=True,
        help_text="What still needs checking, e.g. 'Check before go-live: opening hours'.",
    )
    retired_at = models.DateTimeField(null=True, blank=True)
    submission_id = models.UUIDField(
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="From the add form, so a double submit adds one service.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Set by services.py, not auto_now: an import keeps the source's last_modified.
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum_age__isnull=True)
                | models.Q(maximum_age__isnull=True)
                | models.Q(minimum_age__lte=models.F("maximum_age")),
                name="service_age_range_ordered",
            ),
            models.CheckConstraint(
                condition=~models.Q(phone="")
                | ~models.Q(email="")
                | ~models.Q(website="")
                | ~models.Q(referral_instructions=""),
                name="service_has_a_way_to_reach_it",
            ),
        ]
        indexes = [
            models.Index(fields=["service_type", "retired_at"]),
            models.Index(fields=["is_national", "retired_at"]),
            models.Index(fields=["last_verified_on"]),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("referrals:service", kwargs={"pk": self.pk})

    def clean(self):
        """Store the phone number in its one form, or refuse it (see `rules.phone_number`)."""
        super().clean()
        if self.phone:
            try:
                self.phone = rules.phone_number(self.phone)
            except rules.PhoneNumberError as exc:
                raise ValidationError({"phone": str(exc)}, code="invalid_phone") from None

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    @property
    def is_example(self) -> bool:
        return rules.is_example(self.name)

    @property
    def accepts_self_referral(self) -> bool:
        return self.referral_route in SELF_REFERRAL_ROUTES

    @property
    def age_range(self) -> str:
        return rules.age_range_text(self.minimum_age, self.maximum_age)

    @property
    def phone_display(self) -> str:
        """Return the phone number as people read it: '0808 802 0300', '116 123'."""
        return rules.phone_display(self.phone)

    @property
    def phone_href(self) -> str:
        """Return the number's tel: link, or '' for none or an unchecked old value."""
        return rules.phone_href(self.phone)

    @property
    def verification(self) -> rules.VerificationState:
        return rules.verification_state(self.last_verified_on, timezone.localdate())

    @property
    def location_or_none(self):
        """Return the service's location, or None (the reverse one-to-one raises otherwise)."""
        try:
            return self.location
        except Location.DoesNotExist:
            return None


class Location(models.Model):
    """Where a service is based, when it has a place to go (ORUK `location` and `address`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.OneToOneField(Service, on_delete=models.CASCADE, related_name="location")
    name = models.CharField(max_length=limit("location_name"), blank=True)
    address = models.CharField(max_length=limit("location_address"))
    town = models.CharField(max_length=limit("location_town"))
    postcode = models.CharField(max_length=limit("location_postcode"), blank=True)

    def __str__(self):
        return self.one_line

    @property
    def one_line(self) -> str:
        return ", ".join(
            part for part in (self.name, self.address, self.town, self.postcode) if part
        )


def add_plain_columns(model, owner: str) -> None:
    """Give `model` a column for each plain text field of the specification it does not declare.

    So a new one-line or long text field of a service or its location is its entry in
    `fields.FIELDS` and a migration (an organisation's few fields are written out). The columns
    declared above stay written out: their choices, validators and help differ.
    """
    declared = {f.name for f in [*model._meta.local_fields, *model._meta.local_many_to_many]}
    for spec in fields.plain_on(owner):
        if spec.attr in declared:
            continue
        if spec.kind == fields.LONG_TEXT:
            column = models.TextField(blank=not spec.required)
        else:
            column = models.CharField(max_length=spec.max_length, blank=not spec.required)
        model.add_to_class(spec.attr, column)


add_plain_columns(Service, fields.SERVICE)
add_plain_columns(Location, fields.LOCATION)


class ChangeAction(models.TextChoices):
    CREATED = "created", "Added"
    UPDATED = "updated", "Edited"
    VERIFIED = "verified", "Checked"
    RETIRED = "retired", "Retired"
    REINSTATED = "reinstated", "Reinstated"
    IMPORTED = "imported", "Imported"


class ServiceChange(models.Model):
    """One change to a service: who made it, when, and each field's value before and after."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="changes")
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Kept as text too, so the history still says who after an account is deleted.
    changed_by_name = models.CharField(max_length=200)
    action = models.CharField(max_length=20, choices=ChangeAction)
    changes = models.JSONField(
        default=list, help_text="A list of {field, before, after}, values as shown to people."
    )

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["service", "-changed_at"])]

    def __str__(self):
        return f"{self.get_action_display()} {self.service_id} by {self.changed_by_name}"
