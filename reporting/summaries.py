"""Keep the reporting summary tables in step with the data they summarise."""

import datetime

from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from reporting.models import QuestionStat
from training.models import AttemptAnswer


def month_of(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date().replace(day=1)


def question_stats_add(*, attempt, answers) -> None:
    """Add one submitted attempt's answers to the per-question counts."""
    user = attempt.user
    practice = user.practice
    key = {
        "icb_id": practice.icb_id if practice else None,
        "professional_role": user.professional_role,
        "month": month_of(attempt.submitted_at),
    }
    for answer in answers:
        stat, _ = QuestionStat.objects.get_or_create(question_id=answer.question_id, **key)
        QuestionStat.objects.filter(pk=stat.pk).update(
            answered=F("answered") + 1, wrong=F("wrong") + (0 if answer.is_correct else 1)
        )


@transaction.atomic
def question_stats_rebuild() -> int:
    """Recount every question's answers from scratch; return the number of summary rows."""
    QuestionStat.objects.all().delete()
    rows = (
        AttemptAnswer.objects.annotate(month=TruncMonth("attempt__submitted_at"))
        .values(
            "question_id",
            "attempt__user__practice__icb_id",
            "attempt__user__professional_role",
            "month",
        )
        .annotate(n=Count("pk"), wrong=Count("pk", filter=Q(is_correct=False)))
        .order_by()
    )
    batch, total = [], 0
    for row in rows.iterator(chunk_size=5000):
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
        batch.append(
            QuestionStat(
                question_id=row["question_id"],
                icb_id=row["attempt__user__practice__icb_id"],
                professional_role=row["attempt__user__professional_role"] or "",
                month=month.replace(day=1),
                answered=row["n"],
                wrong=row["wrong"],
            )
        )
        if len(batch) >= 5000:
            QuestionStat.objects.bulk_create(batch)
            total += len(batch)
            batch = []
    QuestionStat.objects.bulk_create(batch)
    return total + len(batch)
