"""Directory pages for everyone signed in, and curation pages for ICB admins and site admins.

Who may curate what is decided in `selectors` (`require_curator`, `service_for_editor`); the
views only ask.
"""

from functools import wraps

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from referrals import selectors, services
from referrals.forms import DirectoryFilterForm, ServiceForm
from referrals.models import Service


def curator_required(view):
    """Refuse with 403 anyone who does not curate the directory."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        selectors.require_curator(request.user)
        return view(request, *args, **kwargs)

    return wrapped


def directory(request):
    """List the services for an ICB area (the user's own by default): local, then national."""
    icbs = selectors.current_icbs()
    data = request.GET.copy()
    if "icb" not in data:
        home = selectors.home_icb_code(request.user)
        data["icb"] = home if any(icb.ods_code == home for icb in icbs) else ""
    form = DirectoryFilterForm(data, icbs=icbs)
    result, filtered = None, False
    if form.is_valid():
        choices = form.cleaned_data
        filtered = bool(choices["type"] or choices["self_referral"])
        result = selectors.directory(
            choices["icb"],
            service_type=choices["type"] or None,
            self_referral=choices["self_referral"],
        )
    return render(
        request,
        "referrals/directory.html",
        {
            "form": form,
            "result": result,
            "filtered": filtered,
            "may_curate": selectors.may_curate(request.user),
        },
    )


def service_page(request, pk):
    """Show one current service to anyone who may see the directory: 404 once it is retired.

    No curation details here (who checked it, what is still to check): curators see those in
    `service`, under /referrals/manage/.
    """
    return render(request, "referrals/service_page.html", {"page": selectors.service_page(pk)})


@curator_required
def manage(request):
    """List the services this admin looks after, with how recently each was checked."""
    return render(
        request,
        "referrals/manage.html",
        {"services": selectors.services_for_editor(request.user)},
    )


@curator_required
def manage_export(request):
    """Download the services this admin looks after as CSV (the columns import_oruk reads)."""
    csv_text = selectors.directory_csv(selectors.editable_services_for_export(request.user))
    response = HttpResponse(csv_text, content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="referral-directory-{stamp}.csv"'
    return response


def _area_choices(service: Service | None):
    """Return the ICBs a site admin may pick: current ones, plus any the service already has."""
    icbs = {icb.ods_code: icb for icb in selectors.current_icbs()}
    if service is not None:
        for icb in service.area_icbs.all():
            icbs.setdefault(icb.ods_code, icb)
    return sorted(icbs.values(), key=selectors.icb_sort_key)


@curator_required
def service_add(request):
    """Add a service: for an ICB admin, in their ICB; for a site admin, anywhere."""
    form = ServiceForm(request.POST or None, user=request.user, icbs=_area_choices(None))
    if request.method == "POST" and form.is_valid():
        service = services.service_create(actor=request.user, details=form.details())
        messages.success(request, f"{service.name} has been added to the directory.")
        return redirect(service)
    return render(request, "referrals/service_form.html", {"form": form, "service": None})


def service(request, pk):
    """Show a service as its curators see it: every field, actions and the change history."""
    entry = selectors.service_for_editor(request.user, pk)
    return render(
        request,
        "referrals/service.html",
        {"service": entry, "history": selectors.service_history(entry)},
    )


def service_edit(request, pk):
    """Edit a service's details, optionally confirming they were checked today."""
    entry = selectors.service_for_editor(request.user, pk)
    form = ServiceForm(
        request.POST or None,
        initial=ServiceForm.initial_for(entry),
        user=request.user,
        icbs=_area_choices(entry),
        service=entry,
    )
    if request.method == "POST" and form.is_valid():
        services.service_update(
            actor=request.user,
            service=entry,
            details=form.details(),
            checked=form.cleaned_data["checked"],
        )
        messages.success(request, f"Your changes to {entry.name} have been saved.")
        return redirect(entry)
    return render(request, "referrals/service_form.html", {"form": form, "service": entry})


def service_retire(request, pk):
    """Ask for confirmation, then take the service out of the directory."""
    entry = selectors.service_for_editor(request.user, pk)
    if request.method == "POST":
        services.service_retire(actor=request.user, service=entry)
        messages.success(
            request, f"{entry.name} has been retired. It no longer appears in the directory."
        )
        return redirect(entry)
    return render(request, "referrals/service_retire.html", {"service": entry})


@require_POST
def service_reinstate(request, pk):
    """Put a retired service back in the directory."""
    entry = selectors.service_for_editor(request.user, pk)
    services.service_reinstate(actor=request.user, service=entry)
    messages.success(request, f"{entry.name} is back in the directory.")
    return redirect(entry)


@require_POST
def service_verify(request, pk):
    """Record that the admin checked the service's details today."""
    entry = selectors.service_for_editor(request.user, pk)
    services.service_verify(actor=request.user, service=entry)
    messages.success(request, f"{entry.name} is marked as checked today.")
    return redirect(entry)


@curator_required
def coverage(request):
    """Show ICBs with no specialist stalking service, and entries due to be checked."""
    return render(
        request,
        "referrals/coverage.html",
        {
            "gaps": selectors.icbs_without_stalking_service(),
            "due": selectors.services_due_for_check(request.user),
        },
    )
