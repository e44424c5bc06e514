"""The reporting dashboard and its CSV and PDF exports, scoped by reporting/scope.py."""

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from accounts.models import Practice
from core.audit import audit_record
from core.csvsafe import SafeWriter
from core.models import AuditAction
from core.pdf import render_pdf
from reporting import disclosure as dc
from reporting import presenters
from reporting.forms import ReportFilterForm
from reporting.scope import Scope, allowed_icb, require_report_viewer


def _scope(request) -> tuple[Scope, ReportFilterForm]:
    require_report_viewer(request.user)
    icb = allowed_icb(request.user, request.GET.get("icb"))
    form = ReportFilterForm(request.GET or None, user=request.user, icb=icb)
    scope = Scope(icb=icb)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        practice = None
        if icb and data.get("practice"):
            # Only a practice in the scope's ICB: the form's choices already enforce it.
            practice = Practice.objects.filter(icb=icb, ods_code=data["practice"]).first()
        period = data["period"]
        scope = Scope(
            icb=icb,
            start=period.start,
            end=period.end,
            period_label=period.label,
            practice=practice,
            professional_role=data.get("professional_role") or "",
        )
    return scope, form


def _with_query(url: str, request) -> str:
    """Return the url with the dashboard's filters, so a download holds what the page shows."""
    query = request.GET.urlencode()
    return f"{url}?{query}" if query else url


@never_cache
def dashboard(request):
    """Show the figures for the user's ICB (or England, or a chosen ICB for site admins)."""
    scope, form = _scope(request)
    report = presenters.build(scope)
    return render(
        request,
        "reporting/dashboard.html",
        {
            "report": report,
            "form": form,
            "scope": scope,
            "csv_url": _with_query(reverse("reporting:export_csv"), request),
            "pdf_url": _with_query(reverse("reporting:report_pdf"), request),
            "disclosure": dc.EXPLANATION,
        },
    )


@never_cache
def export_csv(request):
    """Download every table behind the dashboard, suppressed exactly as shown."""
    scope, _ = _scope(request)
    report = presenters.build(scope)
    audit_record(
        action=AuditAction.REPORT_EXPORTED,
        request=request,
        target=report.area,
        detail=f"CSV {request.GET.urlencode()}",
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="spotting-stalking-report-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    writer = SafeWriter(response)
    # First what the file holds, so that a copy passed on says its own period and filters.
    for label, value in report.context:
        writer.writerow([label, value])
    writer.writerow(["Made on", f"{timezone.localtime():%Y-%m-%d %H:%M}"])
    writer.writerow([])
    writer.writerow(["area", "table", "row", "column", "value"])
    for headline in report.headlines:
        writer.writerow([report.area, "Headlines", headline.label, "value", headline.value])
    for _, tables in report.sections:
        for table in tables:
            for row in table.rows:
                for header, value in zip(table.headers[1:], row[1:], strict=False):
                    writer.writerow([report.area, table.caption, row[0], header, value])
    return response


@never_cache
def report_pdf(request):
    """Download the dashboard as a PDF for board papers."""
    scope, _ = _scope(request)
    report = presenters.build(scope, for_print=True)
    audit_record(
        action=AuditAction.REPORT_EXPORTED,
        request=request,
        target=report.area,
        detail=f"PDF {request.GET.urlencode()}",
    )
    html = render_to_string(
        "reporting/report_pdf.html",
        {
            "report": report,
            "scope": scope,
            "generated": timezone.localtime(),
        },
    )
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="spotting-stalking-report-{timezone.localdate():%Y-%m-%d}.pdf"'
    )
    return response
