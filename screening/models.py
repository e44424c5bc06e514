"""Screenings: coded answers and their result, never anything that identifies a patient.

There is deliberately no field for a patient's name, NHS number, date of birth, address or
any free text: the checklist cannot store them because it has nowhere to put them.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse

from screening.rules import RULES_VERSION, Concern, Stalking


class Screening(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="screenings"
    )
    # The organisation at the time, kept so reports still add up when people move.
    practice = models.ForeignKey(
        "accounts.Practice", on_delete=models.SET_NULL, null=True, related_name="screenings"
    )
    icb = models.ForeignKey(
        "accounts.ICB", on_delete=models.SET_NULL, null=True, related_name="screenings"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    submission_id = models.UUIDField(
        unique=True, help_text="From the form, so a double submit creates one screening."
    )
    answers = models.JSONField(help_text="Coded answers by stable question id; no free text.")
    rules_version = models.CharField(max_length=20)
    stalking = models.CharField(max_length=15, choices=[(s.value, s.value) for s in Stalking])
    concern = models.CharField(max_length=10, choices=[(c.value, c.value) for c in Concern])
    reasons = models.JSONField()
    risk_count = models.PositiveSmallIntegerField(
        help_text="The risk tally (2026.2: 16 answers, twin behaviours counted once)."
    )
    ptsd_count = models.PositiveSmallIntegerField()
    unanswered = models.JSONField(
        default=list,
        blank=True,
        help_text="Checklist sections not answered (an emergency needs none); from 2026.2.",
    )
    flag_emergency = models.BooleanField(default=False)
    flag_unsafe_home = models.BooleanField(default=False)
    flag_ptsd_assessment = models.BooleanField(default=False)
    flag_urgent_mental_health = models.BooleanField(default=False)
    flag_safeguarding = models.BooleanField(default=False)
    flag_domestic_abuse = models.BooleanField(default=False)
    flag_record_safety = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["icb", "created_at"]),
            models.Index(fields=["practice", "created_at"]),
        ]

    def __str__(self):
        return f"Screening {self.pk} ({self.created_at:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("screening:result", kwargs={"pk": self.pk})

    @property
    def flags(self) -> set[str]:
        return {name.removeprefix("flag_") for name in FLAG_FIELDS if getattr(self, name)}

    @property
    def reference(self) -> str:
        """Return the short code printed in the record summary, to match the entry later."""
        code = self.pk.hex[:8].upper()
        return f"{code[:4]}-{code[4:]}"

    @property
    def has_outcome(self) -> bool:
        """Return whether what was done has been recorded (select_related("outcome") first)."""
        try:
            return self.outcome is not None
        except Outcome.DoesNotExist:
            return False

    @property
    def is_current_rules(self) -> bool:
        return self.rules_version == RULES_VERSION


#: What the clinician can record as done, in the order the outcome form asks.
OUTCOME_ACTION_FIELDS = (
    "referred_specialist",
    "helpline_given",
    "ptsd_assessment_arranged",
    "safeguarding_referral",
    "police_contacted",
    "marac_referral",
    "patient_declined",
    "follow_up_booked",
)

FLAG_FIELDS = (
    "flag_emergency",
    "flag_unsafe_home",
    "flag_ptsd_assessment",
    "flag_urgent_mental_health",
    "flag_safeguarding",
    "flag_domestic_abuse",
    "flag_record_safety",
)


class Outcome(models.Model):
    """What the clinician did after the screening; feeds the ICB's reports."""

    screening = models.OneToOneField(Screening, on_delete=models.CASCADE, related_name="outcome")
    referred_specialist = models.BooleanField(
        "Referred to a specialist stalking service", default=False
    )
    referred_service_name = models.CharField(
        max_length=200, blank=True, help_text="The directory service chosen, as it was named."
    )
    referred_service_type = models.CharField(max_length=30, blank=True)
    helpline_given = models.BooleanField("Helpline details given", default=False)
    ptsd_assessment_arranged = models.BooleanField(
        "PTSD assessment arranged or referred", default=False
    )
    safeguarding_referral = models.BooleanField("Safeguarding referral made", default=False)
    police_contacted = models.BooleanField("Police contacted", default=False)
    marac_referral = models.BooleanField("MARAC referral made", default=False)
    patient_declined = models.BooleanField("Patient declined support", default=False)
    follow_up_booked = models.BooleanField("Follow-up booked", default=False)
    recorded_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Outcome of {self.screening_id}"
