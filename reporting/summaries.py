"""Keep the reporting summary tables in step with the data they summarise."""

import datetime

from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from reporting.models import QuestionStat
from training.models import AttemptAnswer


def month_start(value) -> datetime.date:
    """Return the first day of the month a datetime (or a TruncMonth result) falls in, locally."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.replace(day=1)


def question_stats_add(*, attempt, answers) -> None:
    """Add one submitted attempt's answers to the per-question counts (four queries)."""
    user = attempt.user
    practice = user.practice
    key = {
        "icb_id": practice.icb_id if practice else None,
        "professional_role": user.professional_role,
        "month": month_start(attempt.submitted_at),
    }
    cells = QuestionStat.objects.filter(**key)
    question_ids = {answer.question_id for answer in answers}
    existing = set(cells.filter(question_id__in=question_ids).values_list("question_id", flat=True))
    # A concurrent submit may create the same cell first; the unique constraint keeps one.
    QuestionStat.objects.bulk_create(
        [QuestionStat(question_id=qid, **key) for qid in question_ids - existing],
        ignore_conflicts=True,
    )
    right = [a.question_id for a in answers if a.is_correct]
    wrong = [a.question_id for a in answers if not a.is_correct]
    cells.filter(question_id__in=right).update(answered=F("answered") + 1)
    cells.filter(question_id__in=wrong).update(answered=F("answered") + 1, wrong=F("wrong") + 1)


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
        batch.append(
            QuestionStat(
                question_id=row["question_id"],
                icb_id=row["attempt__user__practice__icb_id"],
                professional_role=row["attempt__user__professional_role"] or "",
                month=month_start(row["month"]),
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
