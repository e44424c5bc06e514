"""The screening checklist, its result, outcomes and the support sheet."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.access import clinician_required
from core.audit import audit_record
from core.models import AuditAction
from core.pdf import render_pdf
from screening import services
from screening.checklist import checklist
from screening.forms import OutcomeForm, ScreeningForm
from screening.presenters import ScreeningResultPresenter, SupportSheetPresenter
from screening.selectors import screening_for_owner, screenings_for_owner
from screening.support import support_services


@clinician_required
@never_cache
def new(request):
    """Show the checklist; on a valid submission store the coded result and show it."""
    form = ScreeningForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        screening = services.screening_create(
            clinician=request.user,
            answers=form.answers(),
            submission_id=form.cleaned_data["submission"],
        )
        return redirect(screening)
    return render(request, "screening/new.html", {"form": form})


def _outcome_form(screening, services_list, data=None):
    return OutcomeForm(
        data,
        instance=services.outcome_for(screening),
        services=[s for s in services_list if s.service_type == "stalking_advocacy"],
    )


@clinician_required
@never_cache
def screening_list(request):
    """List the clinician's own screenings, newest first, so outcomes can be added later."""
    page = Paginator(screenings_for_owner(request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "screening/list.html",
        {"page": page, "rows": [ScreeningResultPresenter(s) for s in page.object_list]},
    )


@clinician_required
@never_cache
def result(request, pk):
    """Show the result, emergency first, with actions, services, summary and outcomes."""
    screening = screening_for_owner(request.user, pk)
    audit_record(
        action=AuditAction.SCREENING_VIEWED, request=request, target=f"screening {screening.pk}"
    )
    services_list = support_services(screening)
    outcome = services.outcome_for(screening)
    return render(
        request,
        "screening/result.html",
        {
            "screening": screening,
            "result": ScreeningResultPresenter(screening, outcome),
            "local_services": [s for s in services_list if not s.is_national],
            "national_services": [s for s in services_list if s.is_national],
            "support_sheet": checklist()["support_sheet"],
            "outcome_form": _outcome_form(screening, services_list),
        },
    )


@clinician_required
@require_POST
def outcome(request, pk):
    """Record what the clinician did; saving twice keeps the last answers, never a duplicate."""
    screening = screening_for_owner(request.user, pk)
    services_list = support_services(screening)
    form = _outcome_form(screening, services_list, request.POST)
    if form.is_valid():
        services.outcome_save(screening=screening, outcome=form.save(commit=False))
        messages.success(request, "What was done has been saved.")
        return redirect(screening)
    return render(
        request, "screening/outcome_error.html", {"screening": screening, "outcome_form": form}
    )


@clinician_required
@never_cache
def support_sheet(request, pk):
    """Give a printable PDF of the services shown, for the patient only if safe to take."""
    screening = screening_for_owner(request.user, pk)
    html = render_to_string(
        "screening/support_sheet.html",
        {"sheet": SupportSheetPresenter(screening, support_services(screening))},
    )
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="useful-contacts.pdf"'
    return response
