"""Reads for screening: a screening is visible only to the clinician who made it."""

from django.shortcuts import get_object_or_404

from screening.models import Screening


def screening_for_owner(user, pk) -> Screening:
    """Return the user's own screening, or 404 for anyone else's (even an admin's)."""
    return get_object_or_404(
        Screening.objects.select_related("icb", "practice"), pk=pk, clinician=user
    )
