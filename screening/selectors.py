"""Reads for screening: a screening is visible only to the clinician who made it."""

from django.shortcuts import get_object_or_404

from screening.models import Screening


def screening_for_owner(user, pk) -> Screening:
    """Return the user's own screening, or 404 for anyone else's (even an admin's)."""
    return get_object_or_404(
        Screening.objects.select_related("icb", "practice"), pk=pk, clinician=user
    )


def screenings_for_owner(user):
    """Return the user's own screenings, newest first, with their outcomes in the same query."""
    return (
        Screening.objects.filter(clinician=user)
        .select_related("outcome")
        .order_by("-created_at", "-pk")
    )
