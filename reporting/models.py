"""Summary tables for reports that would otherwise scan millions of rows.

Measured on the national-scale benchmark data (100,000 clinicians, 1,000,000 quiz attempts with
7.8 million answers): counting wrong answers per question straight from the answers took about
10 s for England, and deciding who had started and finished the course from page views,
attempts and completions about 2.6 s. These tables are kept up to date when the learner acts
(reporting/summaries.py, listening to the signals in training/signals.py) and rebuilt from the
raw data by `manage.py refresh_report_summaries`.

Monthly cells (QuestionStat, ModuleStat, ConfidenceStat) are attributed to the learner's ICB
and professional role when the event happened; LearnerProgress is joined to the learner's
current practice.
"""

from django.conf import settings
from django.db import models


class MonthlyCell(models.Model):
    """One cell of a monthly summary: an ICB, a professional role and a month.

    The ICB and role are the learner's when the counted events happened.
    """

    icb = models.ForeignKey("accounts.ICB", on_delete=models.CASCADE, null=True, related_name="+")
    professional_role = models.CharField(max_length=20, blank=True)
    month = models.DateField(help_text="First day of the month the events happened in.")

    class Meta:
        abstract = True
        indexes = [models.Index(fields=["icb", "month"])]

    def __str__(self):
        return f"{self.icb_id} {self.professional_role} {self.month}"


def _one_row_per(*fields: str, name: str) -> models.UniqueConstraint:
    # nulls_distinct=False: counts for learners with no ICB share one cell too.
    return models.UniqueConstraint(fields=list(fields), name=name, nulls_distinct=False)


class QuestionStat(MonthlyCell):
    """Per question, ICB, professional role and month: answers and wrong answers."""

    question = models.ForeignKey("training.Question", on_delete=models.CASCADE, related_name="+")
    answered = models.PositiveIntegerField(default=0)
    wrong = models.PositiveIntegerField(default=0)

    class Meta(MonthlyCell.Meta):
        constraints = [
            _one_row_per(
                "question", "icb", "professional_role", "month", name="questionstat_unique_cell"
            )
        ]

    def __str__(self):
        return f"{self.question_id} {super().__str__()}"


class ModuleStat(MonthlyCell):
    """Per module, ICB, professional role and month: first quiz attempts, passes, completions."""

    module = models.ForeignKey("training.Module", on_delete=models.CASCADE, related_name="+")
    first_attempts = models.PositiveIntegerField(default=0)
    first_passes = models.PositiveIntegerField(default=0)
    completions = models.PositiveIntegerField(default=0)

    class Meta(MonthlyCell.Meta):
        constraints = [
            _one_row_per(
                "module", "icb", "professional_role", "month", name="modulestat_unique_cell"
            )
        ]

    def __str__(self):
        return f"{self.module_id} {super().__str__()}"


class ConfidenceStat(MonthlyCell):
    """Per ICB, professional role and month of the before-survey: surveys, pairs and agreement.

    The row with an empty `statement` counts before-surveys and pairs (a before-survey with an
    after-survey of the same content version); each statement's row counts, among the pairs,
    those agreeing before and after.
    """

    statement = models.CharField(max_length=20, blank=True)
    befores = models.PositiveIntegerField(default=0)
    pairs = models.PositiveIntegerField(default=0)
    agree_before = models.PositiveIntegerField(default=0)
    agree_after = models.PositiveIntegerField(default=0)

    class Meta(MonthlyCell.Meta):
        constraints = [
            _one_row_per(
                "icb", "professional_role", "month", "statement", name="confidencestat_unique_cell"
            )
        ]

    def __str__(self):
        return f"{super().__str__()} {self.statement or '-'}"


class LearnerProgress(models.Model):
    """One row per learner who has begun the course: when they began and when they finished.

    `completed_at` is when the learner completed the last of the active modules, or empty while
    any active module is still to do.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="learner_progress",
    )
    started_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.user_id} {self.started_at:%Y-%m-%d} {self.completed_at or '-'}"
