"""The admin's shared rules: every change made in it is audited; some records are view-only.

Every ModelAdmin registered on the site derives from AuditedAdmin (tests/core/test_admin.py
checks the whole registry). Apps installed before core (Django's auth, axes, django-otp)
registered their admins before this module ran; they are wrapped at the bottom.
"""

import json

from django.contrib import admin

from core.audit import audit_record
from core.models import AuditAction, AuditEvent


def admin_target(obj) -> str:
    """Return what an admin action touched as model and primary key, e.g. "accounts.user 7".

    Never str(obj): that can be a name or an email address, and the log needs only the key.
    """
    return f"{obj._meta.label_lower} {obj.pk}"


def admin_change_detail(message) -> str:
    """Return the admin's change message as words: what was added, changed or deleted.

    Keep the field labels and related record types; drop the object names and any free text,
    so no value a site admin typed reaches the audit log.
    """
    if isinstance(message, str):
        try:
            message = json.loads(message or "[]")
        except ValueError:
            return "changed"
    if not isinstance(message, list):
        return ""
    words = []
    for entry in message:
        if not isinstance(entry, dict):
            continue
        for verb in ("added", "changed", "deleted"):
            if verb not in entry:
                continue
            about = entry[verb] if isinstance(entry[verb], dict) else {}
            phrase = f"{verb} {about['name']}" if about.get("name") else verb
            fields = [str(field) for field in about.get("fields", [])]
            words.append(f"{phrase}: {', '.join(fields)}" if fields else phrase)
    return "; ".join(words)


class AuditedAdmin(admin.ModelAdmin):
    """Write every add, change and delete made in the admin to the audit log.

    Django keeps its own admin history (LogEntry) too; that one a superuser can edit away,
    the audit log is append-only. Django 5.2 calls log_deletions for single and bulk
    deletes alike (log_deletion is deprecated and overriding it changes that), so deletes
    are caught there, before the rows go.
    """

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._audit(request, AuditAction.ADMIN_ADDED, obj, admin_change_detail(message))
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._audit(request, AuditAction.ADMIN_CHANGED, obj, admin_change_detail(message))
        return entry

    def log_deletions(self, request, queryset):
        entries = super().log_deletions(request, queryset)
        objects = list(queryset)
        detail = "deleted" if len(objects) == 1 else f"deleted, one of {len(objects)}"
        for obj in objects:
            self._audit(request, AuditAction.ADMIN_DELETED, obj, detail)
        return entries

    @staticmethod
    def _audit(request, action: AuditAction, obj, detail: str) -> None:
        audit_record(action=action, request=request, target=admin_target(obj), detail=detail)


class ReadOnlyAdmin(AuditedAdmin):
    """Let site admins view records but not add, change or delete them here.

    For records that only the service itself writes (certificates, quiz attempts, survey
    responses, the directory's history) or that change only through a reviewed command
    (training content, via `manage.py load_training`).
    """

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Site admins read the audit log; nobody can add, change or delete events here."""

    list_display = ["at", "action", "actor_email", "ip_address", "target", "detail"]
    list_filter = ["action"]
    search_fields = ["actor_email", "target"]
    date_hierarchy = "at"


def audit_admins_registered_so_far(site: admin.AdminSite = admin.site) -> None:
    """Re-register each admin on the site that is not yet audited as an audited subclass.

    Used for the third-party admins (auth's groups, axes' lockouts and logs, django-otp's
    devices): a site admin removing a lost device or lifting a lockout is audited like
    any other change.
    """
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, AuditedAdmin):
            continue
        base = type(model_admin)
        audited = type(f"Audited{base.__name__}", (AuditedAdmin, base), {"__module__": __name__})
        site.unregister(model)
        site.register(model, audited)


audit_admins_registered_so_far()
