"""Writes for screening: create a screening from answers, record outcomes, purge old ones."""

import datetime
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from screening import rules
from screening.models import OUTCOME_ACTION_FIELDS, Outcome, Screening


@transaction.atomic
def screening_create(*, clinician, answers: dict, submission_id: uuid.UUID) -> Screening:
    """Assess the answers and store the coded result; a repeated submission returns the first."""
    existing = Screening.objects.filter(submission_id=submission_id).first()
    if existing is not None:
        if existing.clinician_id == clinician.pk:
            return existing
        submission_id = uuid.uuid4()  # only a tampered form could reuse someone else's id
    result = rules.assess(answers)
    practice = clinician.practice
    screening = Screening(
        clinician=clinician,
        practice=practice,
        icb=practice.icb if practice else None,
        submission_id=submission_id,
        answers=dict(result.answers, behaviours=list(result.answers["behaviours"])),
        rules_version=result.rules_version,
        stalking=result.stalking.value,
        concern=result.concern.value,
        reasons={key: list(value) for key, value in result.reasons.items()},
        risk_count=result.tally,
        ptsd_count=result.ptsd_count,
        unanswered=list(result.unanswered),
        **{f"flag_{flag}": True for flag in result.flags},
    )
    try:
        with transaction.atomic():
            screening.save()
    except IntegrityError:
        # Two identical submissions raced; the other one won.
        return Screening.objects.get(submission_id=submission_id, clinician=clinician)
    return screening


def outcome_for(screening: Screening) -> Outcome:
    """Return the screening's outcome record, unsaved if nothing has been recorded yet."""
    try:
        return screening.outcome
    except Outcome.DoesNotExist:
        return Outcome(screening=screening)


OUTCOME_SAVED_FIELDS = (*OUTCOME_ACTION_FIELDS, "referred_service_name", "referred_service_type")


def outcome_save(*, screening: Screening, outcome: Outcome) -> Outcome:
    """Keep what was done for this screening in its one outcome row; the last save wins.

    Two saves at once (a double click, or two tabs) both find no row and both insert; the
    database's unique screening lets one win, and update_or_create turns the other's unique
    violation into an update of the winner's row, so neither request fails.
    """
    saved, _ = Outcome.objects.update_or_create(
        screening=screening,
        defaults={field: getattr(outcome, field) for field in OUTCOME_SAVED_FIELDS},
    )
    return saved


def screenings_purge(*, retention_days: int, now: datetime.datetime | None = None) -> int:
    """Delete screenings (and their outcomes) older than the retention period; return how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=retention_days)
    deleted, per_model = Screening.objects.filter(created_at__lt=cutoff).delete()
    return per_model.get("screening.Screening", 0)
