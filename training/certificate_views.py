"""Certificates: the learner's list, public verification, and the owner's PDF."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from accounts.access import learner_required
from core.identifiers import patient_identifiers
from training.models import Certificate, ReflectiveNote
from training.pdf import certificate_pdf


@learner_required
def certificate_list(request):
    """List the learner's own certificates."""
    certificates = Certificate.objects.filter(user=request.user)
    return render(request, "training/certificates.html", {"certificates": certificates})


@login_not_required
def verify(request, pk):
    """Show anyone the facts needed to check a certificate: name, date, modules, validity."""
    certificate = get_object_or_404(Certificate, pk=pk)
    return render(request, "training/certificate_verify.html", {"certificate": certificate})


@learner_required
@never_cache
def pdf(request, pk):
    """Give the certificate's owner, and only them, its PDF; notes included if asked for."""
    certificate = get_object_or_404(Certificate, pk=pk, user=request.user)
    notes = []
    if request.GET.get("notes") == "1":
        titles = {m["slug"]: m["title"] for m in certificate.modules}
        # A note saved before notes were checked is left out if it holds an identifier.
        notes = [
            {
                "title": titles.get(n.module.slug, n.module.title),
                # Judged as on the day it was saved, so a note does not drop off later.
                "text": ""
                if patient_identifiers(n.text, today=timezone.localdate(n.updated_at))
                else n.text,
            }
            for n in ReflectiveNote.objects.filter(user=request.user).select_related("module")
        ]
    verify_url = request.build_absolute_uri(reverse("certificates:verify", args=[certificate.pk]))
    response = HttpResponse(
        certificate_pdf(certificate, verify_url=verify_url, notes=notes),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="spotting-stalking-certificate-{certificate.pk}.pdf"'
    )
    return response
