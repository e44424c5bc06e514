from django.contrib import admin

from training.models import Attempt, Certificate, Module, Question, SurveyResponse


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = [
        "order",
        "title",
        "slug",
        "pass_mark",
        "questions_per_attempt",
        "content_version",
        "is_active",
    ]
    # Content is edited in training/content/ and loaded by a command, not here.
    readonly_fields = ["slug", "content_version"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["module", "key", "kind", "is_scenario", "is_active"]
    list_filter = ["module", "kind", "is_scenario", "is_active"]
    list_select_related = ["module"]


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["user", "module", "started_at", "submitted_at", "score_percent", "passed"]
    list_filter = ["module", "passed"]
    list_select_related = ["user", "module"]
    readonly_fields = [f.name for f in Attempt._meta.fields]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_display = ["user", "phase", "content_version", "submitted_at"]
    list_select_related = ["user"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["id", "learner_name", "issued_at", "content_version"]
    search_fields = ["id", "learner_name"]

    def has_change_permission(self, request, obj=None):
        return False  # certificates are immutable records

    def has_delete_permission(self, request, obj=None):
        return False
