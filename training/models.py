"""Training modules, quiz attempts, confidence surveys and certificates."""

import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from core.identifiers import validate_no_patient_identifiers


class Module(models.Model):
    """One module of the course, loaded from `training/content/` by `load_training`."""

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=400)
    order = models.PositiveSmallIntegerField()
    cpd_minutes = models.PositiveSmallIntegerField()
    pass_mark = models.PositiveSmallIntegerField(
        default=80, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    questions_per_attempt = models.PositiveSmallIntegerField(default=8)
    content_version = models.CharField(max_length=20)
    is_active = models.BooleanField(default=True)
    for_clinicians = models.BooleanField(default=True, help_text="On the clinical route.")
    for_practice_team = models.BooleanField(
        default=False, help_text="On the practice team route (reception, administration)."
    )

    class Meta:
        ordering = ["order"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pass_mark__gte=1, pass_mark__lte=100),
                name="module_pass_mark_percent",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("training:module", kwargs={"slug": self.slug})


class Page(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown; raw HTML is shown as text, never rendered.")

    class Meta:
        ordering = ["module", "number"]
        constraints = [
            models.UniqueConstraint(fields=["module", "number"], name="page_unique_number"),
        ]

    def __str__(self):
        return f"{self.module}: {self.title}"

    def get_absolute_url(self):
        return reverse("training:page", kwargs={"slug": self.module.slug, "number": self.number})


class QuestionKind(models.TextChoices):
    SINGLE = "single", "Single answer"
    MULTIPLE = "multiple", "Multiple answers"
    TRUE_FALSE = "true_false", "True or false"


class Question(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="questions")
    key = models.CharField(max_length=20, help_text="Stable id within the module, e.g. q01.")
    kind = models.CharField(max_length=12, choices=QuestionKind)
    is_scenario = models.BooleanField(default=False)
    text = models.TextField()
    is_active = models.BooleanField(
        default=True, help_text="Retired questions stay for the attempts that showed them."
    )

    class Meta:
        ordering = ["module", "key"]
        constraints = [
            models.UniqueConstraint(fields=["module", "key"], name="question_unique_key"),
        ]

    def __str__(self):
        return f"{self.module.slug}/{self.key}"


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    key = models.CharField(max_length=5)
    text = models.CharField(max_length=500)
    is_correct = models.BooleanField()
    explanation = models.TextField()

    class Meta:
        ordering = ["question", "key"]
        constraints = [
            models.UniqueConstraint(fields=["question", "key"], name="option_unique_key"),
        ]

    def __str__(self):
        return f"{self.question}/{self.key}"


class PageView(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="views")
    first_viewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "page"], name="pageview_unique_user_page"),
        ]

    def __str__(self):
        return f"{self.user} read {self.page}"


class Attempt(models.Model):
    """One try at a module's quiz: the questions and option order shown, then the score.

    `presented` is a list of {"question": id, "options": [option ids in the order shown]}.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts"
    )
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="attempts")
    content_version = models.CharField(max_length=20)
    presented = models.JSONField()
    started_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    correct_count = models.PositiveSmallIntegerField(null=True, blank=True)
    question_count = models.PositiveSmallIntegerField()
    score_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    is_first = models.BooleanField(
        default=False, help_text="The learner's first submitted attempt at this module."
    )

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["user", "module", "submitted_at"]),
            models.Index(fields=["module", "submitted_at"]),
        ]
        constraints = [
            # At most one open (unsubmitted) attempt per learner and module.
            models.UniqueConstraint(
                fields=["user", "module"],
                condition=models.Q(submitted_at__isnull=True),
                name="attempt_one_open_per_module",
            ),
            models.CheckConstraint(
                condition=models.Q(submitted_at__isnull=True)
                | models.Q(passed__isnull=False, score_percent__isnull=False),
                name="attempt_submitted_has_result",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.module} ({self.started_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self):
        return reverse("training:attempt", kwargs={"slug": self.module.slug, "pk": self.pk})

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class AttemptAnswer(models.Model):
    """The options a learner chose for one question in one attempt, and whether that was right."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    selected = models.JSONField(help_text="Ids of the options chosen.")
    is_correct = models.BooleanField()

    class Meta:
        constraints = [
            # A second submit of the same attempt cannot add a second set of answers.
            models.UniqueConstraint(
                fields=["attempt", "question"], name="answer_once_per_question"
            ),
        ]
        indexes = [models.Index(fields=["question", "is_correct"])]

    def __str__(self):
        return f"{self.attempt} – {self.question}"


class ModuleCompletion(models.Model):
    """A module completed: all pages viewed and the quiz passed. Completed always means passed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="completions"
    )
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="completions")
    attempt = models.OneToOneField(Attempt, on_delete=models.PROTECT)
    content_version = models.CharField(max_length=20)
    completed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="completion_once_per_module"),
        ]
        indexes = [models.Index(fields=["module", "completed_at"])]

    def __str__(self):
        return f"{self.user} completed {self.module}"


class ReflectiveNote(models.Model):
    """A learner's private note on a module, for appraisal; shown to nobody else."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    module = models.ForeignKey(Module, on_delete=models.CASCADE)
    text = models.TextField(max_length=3000, validators=[validate_no_patient_identifiers])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="note_once_per_module"),
        ]

    def __str__(self):
        return f"Note by {self.user} on {self.module}"


class SurveyPhase(models.TextChoices):
    BEFORE = "before", "Before training"
    AFTER = "after", "After training"


class SurveyResponse(models.Model):
    """A learner's confidence survey, before or after the course; paired by person and version."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_responses"
    )
    phase = models.CharField(max_length=6, choices=SurveyPhase)
    content_version = models.CharField(max_length=20)
    submitted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "phase", "content_version"], name="survey_once_per_phase"
            ),
        ]
        indexes = [models.Index(fields=["phase", "submitted_at"])]

    def __str__(self):
        return f"{self.user} – {self.get_phase_display()} ({self.content_version})"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    statement = models.CharField(max_length=40)
    value = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 strongly disagree … 5 strongly agree",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "statement"], name="survey_answer_once_per_statement"
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=1, value__lte=5), name="survey_answer_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.response} – {self.statement}: {self.value}"


class ImmutableError(Exception):
    pass


# Learners are told a refresher is due this long before their refresh-by date.
REFRESH_NOTICE = datetime.timedelta(days=60)


def refresh_by_for(issued: datetime.date, years: int) -> datetime.date:
    """Return the date a certificate issued on `issued` should be refreshed by."""
    try:
        return issued.replace(year=issued.year + years)
    except ValueError:  # 29 February in a year that has none
        return issued.replace(year=issued.year + years, day=28)


class Certificate(models.Model):
    """A record of completing the course, as it was on the day; never changed once written."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    learner_name = models.CharField(max_length=150)
    professional_role = models.CharField(max_length=60, blank=True)
    registration_number = models.CharField(max_length=8, blank=True)
    content_version = models.CharField(max_length=20)
    modules = models.JSONField(help_text="[{title, slug, content_version, completed_on}]")
    cpd_minutes = models.PositiveIntegerField()
    issued_at = models.DateTimeField()
    refresh_by = models.DateField(
        help_text="When the learner should take the course again (TRAINING_REFRESH_YEARS)."
    )

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "content_version"], name="certificate_once_per_version"
            ),
        ]

    def __str__(self):
        return f"Certificate {self.pk} for {self.learner_name}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError("A certificate cannot be changed once issued")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("certificates:verify", kwargs={"pk": self.pk})

    def refresh_due(self, today: datetime.date | None = None) -> bool:
        """Return whether the refresher is due within REFRESH_NOTICE, or overdue."""
        today = today or timezone.localdate()
        return self.refresh_by <= today + REFRESH_NOTICE

    @property
    def refresh_hint(self) -> str:
        return f"Refresh by {self.refresh_by:%-d %B %Y}"

    @property
    def cpd_hours(self) -> str:
        hours = self.cpd_minutes / 60
        return f"{hours:.1f}".rstrip("0").rstrip(".")
