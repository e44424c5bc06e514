"""Django admin for people and organisations; every change is audited (core.admin)."""

from django.contrib import admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import ICB, Practice, User
from accounts.views import admin_sign_in
from core.admin import AuditedAdmin


@admin.register(ICB)
class ICBAdmin(AuditedAdmin):
    list_display = ["ods_code", "name", "region", "valid_from", "valid_to", "successor"]
    list_filter = ["region"]
    search_fields = ["ods_code", "ons_code", "name"]
    list_select_related = ["successor"]


@admin.register(Practice)
class PracticeAdmin(AuditedAdmin):
    list_display = ["ods_code", "name", "postcode", "icb", "closed_on"]
    list_filter = [("closed_on", admin.EmptyFieldListFilter)]
    search_fields = ["ods_code", "name", "postcode"]
    list_select_related = ["icb"]
    autocomplete_fields = ["icb"]


class UserCreationForm(auth_forms.BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "role", "icb")


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    add_form = UserCreationForm
    form = UserChangeForm
    ordering = ["email"]
    list_display = [
        "email",
        "full_name",
        "role",
        "professional_role",
        "practice",
        "icb",
        "is_active",
    ]
    list_filter = ["role", "professional_role", "is_active"]
    list_select_related = ["practice", "icb"]
    search_fields = ["email", "full_name", "cis2_sub"]
    autocomplete_fields = ["practice", "icb"]
    # The CIS2 identifier is CIS2's to give: a site admin sees it but cannot move it to another
    # account.
    readonly_fields = ["last_login", "date_joined", "email_verified_at", "cis2_sub"]
    filter_horizontal = []
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            "Person",
            {"fields": ["full_name", "professional_role", "registration_number", "practice"]},
        ),
        ("Access", {"fields": ["role", "icb", "is_active", "cis2_sub"]}),
        ("Dates", {"fields": ["last_login", "date_joined", "email_verified_at"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "role", "icb", "password1", "password2"],
            },
        ),
    ]


# Django admin's own sign-in page would let a site admin in with a password alone; ours asks
# for the second factor. (The admin site reads `self.login` when it builds its URLs.)
admin.site.login = admin_sign_in
