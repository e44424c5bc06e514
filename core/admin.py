from django.contrib import admin

from core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Site admins read the audit log; nobody can add, change or delete events here."""

    list_display = ["at", "action", "actor_email", "ip_address", "target", "detail"]
    list_filter = ["action"]
    search_fields = ["actor_email", "target"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
