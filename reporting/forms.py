"""The dashboard's filters: date range, practice and professional role (and ICB for site admins)."""

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models.functions import Lower

from accounts.models import ICB, Practice, ProfessionalRole
from core.layout import Layout, Submit


class ReportFilterForm(forms.Form):
    icb = forms.ChoiceField(label="Area", required=False)
    start = forms.DateField(
        label="From",
        required=False,
        help_text="For example, 2026-04-01",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a real date, like 2026-04-01"},
    )
    end = forms.DateField(
        label="To",
        required=False,
        help_text="For example, 2026-11-30",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a real date, like 2026-11-30"},
    )
    practice = forms.ChoiceField(label="Practice", required=False)
    professional_role = forms.ChoiceField(
        label="Professional role",
        required=False,
        choices=[("", "All roles"), *ProfessionalRole.choices],
    )

    def __init__(self, *args, user, icb: ICB | None, **kwargs):
        super().__init__(*args, **kwargs)
        fields = ["start", "end", "practice", "professional_role"]
        if user.is_site_admin:
            self.fields["icb"].choices = [("", "England (all ICBs)")] + [
                (i.pk, i.short_name) for i in ICB.objects.current().order_by(Lower("name"))
            ]
            fields.insert(0, "icb")
        else:
            del self.fields["icb"]
        if icb is not None:
            self.fields["practice"].choices = [("", "All practices")] + [
                (p.ods_code, f"{p.name} ({p.ods_code})")
                for p in Practice.objects.filter(icb=icb).order_by(Lower("name"))
            ]
        else:
            self.fields["practice"].choices = [("", "Choose an ICB first")]
            self.fields["practice"].disabled = True
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.show_error_summary = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*fields, Submit("Apply filters"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The end date must be the same as or after the start date")
        return cleaned
