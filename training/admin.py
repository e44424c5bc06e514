"""Django admin for training: everything here is view-only.

Content (modules, their pages and questions) changes only through `manage.py load_training`
from the reviewed files in training/content/. Attempts, survey responses and certificates are
records the service writes as a learner works through the course; a certificate is what the
public verification page vouches for, so nobody may add, change or delete one here.
"""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from training.models import Attempt, Certificate, Module, Question, SurveyResponse


@admin.register(Module)
class ModuleAdmin(ReadOnlyAdmin):
    list_display = [
        "order",
        "title",
        "slug",
        "pass_mark",
        "questions_per_attempt",
        "content_version",
        "is_active",
    ]


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ["module", "key", "kind", "is_scenario", "is_active"]
    list_filter = ["module", "kind", "is_scenario", "is_active"]
    list_select_related = ["module"]


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyAdmin):
    list_display = ["user", "module", "started_at", "submitted_at", "score_percent", "passed"]
    list_filter = ["module", "passed"]
    list_select_related = ["user", "module"]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ReadOnlyAdmin):
    list_display = ["user", "phase", "content_version", "submitted_at"]
    list_select_related = ["user"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["id", "learner_name", "issued_at", "content_version"]
    search_fields = ["id", "learner_name"]
