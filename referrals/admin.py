"""Django admin for the directory: organisations are editable; services are read-only here.

Services are changed on the directory's own pages (/referrals/manage/), which record every
change in the service's history. Editing them here would bypass that record. Changes to
organisations made here are written to the audit log (core.admin.AuditedAdmin).
"""

from django.contrib import admin

from core.admin import AuditedAdmin, ReadOnlyAdmin
from referrals.models import Organisation, Service, ServiceChange


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "website", "email"]
    search_fields = ["name"]


@admin.register(Service)
class ServiceAdmin(ReadOnlyAdmin):
    list_display = [
        "name",
        "organisation",
        "service_type",
        "is_national",
        "last_verified_on",
        "retired_at",
    ]
    list_filter = ["service_type", "is_national", "area_icbs"]
    list_select_related = ["organisation"]
    search_fields = ["name", "organisation__name"]


@admin.register(ServiceChange)
class ServiceChangeAdmin(ReadOnlyAdmin):
    list_display = ["changed_at", "service", "action", "changed_by_name"]
    list_filter = ["action"]
    list_select_related = ["service"]
