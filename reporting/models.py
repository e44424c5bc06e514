"""Summary tables for reports that would otherwise scan millions of rows.

Measured on the national-scale benchmark data (7.8 million quiz answers): counting wrong answers
per question straight from the answers took about 10 s for England. These counts are kept per
question, ICB, professional role and month, updated when a quiz is submitted and rebuilt by
`manage.py refresh_report_summaries`.
"""

from django.db import models


class QuestionStat(models.Model):
    question = models.ForeignKey("training.Question", on_delete=models.CASCADE, related_name="+")
    icb = models.ForeignKey("accounts.ICB", on_delete=models.CASCADE, null=True, related_name="+")
    professional_role = models.CharField(max_length=20, blank=True)
    month = models.DateField(help_text="First day of the month the answers were submitted in.")
    answered = models.PositiveIntegerField(default=0)
    wrong = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["question", "icb", "professional_role", "month"],
                name="questionstat_unique_cell",
                nulls_distinct=False,
            ),
        ]
        indexes = [models.Index(fields=["icb", "month"])]

    def __str__(self):
        return f"{self.question_id} {self.icb_id} {self.professional_role} {self.month}"
