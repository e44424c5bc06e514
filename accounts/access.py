"""Role checks for views: the one place that says which pages need the clinician role."""

from functools import wraps

from django.core.exceptions import PermissionDenied


def clinician_required(view):
    """Refuse anyone but a clinician with 403; sign-in is already required by middleware."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_clinician:
            raise PermissionDenied("This page is for clinicians")
        return view(request, *args, **kwargs)

    return wrapped
