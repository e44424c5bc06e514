"""The dashboard's filters: a whole period, practice and professional role (and ICB for site
admins)."""

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import ICB, Practice, ProfessionalRole
from core.layout import Layout, Submit
from reporting import periods
from reporting.scope import filter_problems


class ReportFilterForm(forms.Form):
    icb = forms.ChoiceField(label="Area", required=False)
    period = forms.ChoiceField(
        label="Period",
        required=False,
        help_text="Whole months, quarters or financial years (April to March)",
        error_messages={"invalid_choice": "Choose a period from the list"},
    )
    practice = forms.ChoiceField(label="Practice", required=False)
    professional_role = forms.ChoiceField(
        label="Professional role",
        required=False,
        choices=[("", "All roles"), *ProfessionalRole.choices],
    )

    def __init__(self, *args, user, icb: ICB | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()
        self.fields["period"].choices = periods.choices(self.today)
        fields = ["period", "practice", "professional_role"]
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

    def clean_period(self) -> periods.Period:
        return periods.find(self.cleaned_data.get("period") or periods.ALL, self.today)

    def clean(self):
        cleaned = super().clean()
        period = cleaned.get("period")
        for name, message in filter_problems(
            period_kind=period.kind if period else "",
            practice=bool(cleaned.get("practice")),
            professional_role=bool(cleaned.get("professional_role")),
        ).items():
            self.add_error(name, message)
        return cleaned
