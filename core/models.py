"""The audit log: an append-only record of security-relevant events, never clinical answers."""

from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"
    SIGN_OUT = "sign_out", "Signed out"
    ROLE_CHANGED = "role_changed", "Role or organisation changed"
    DIRECTORY_CHANGED = "directory_changed", "Directory changed"
    REPORT_EXPORTED = "report_exported", "Report exported"
    SCREENING_VIEWED = "screening_viewed", "Screening viewed"
    ADMIN_ADDED = "admin_added", "Added in the admin"
    ADMIN_CHANGED = "admin_changed", "Changed in the admin"
    ADMIN_DELETED = "admin_deleted", "Deleted in the admin"
    PRACTICE_MOVE = "practice_move", "Practice move to another ICB"


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit log is append-only")

    def delete(self):
        raise PermissionError("The audit log is append-only")


class AuditEvent(models.Model):
    """One event: who, what, when, from where, and a short description without patient data."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=30, choices=AuditAction, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_email = models.CharField(max_length=254, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    target = models.CharField(max_length=200, blank=True)
    detail = models.CharField(max_length=500, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.actor_email}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("The audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only")
