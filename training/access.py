"""Who may use training pages: clinicians only (admins have no course to take)."""

from functools import wraps

from django.core.exceptions import PermissionDenied


def clinician_required(view):
    """Refuse anyone but a clinician with 403; sign-in is already required by middleware."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_clinician:
            raise PermissionDenied("Training is for clinicians")
        return view(request, *args, **kwargs)

    return wrapped
