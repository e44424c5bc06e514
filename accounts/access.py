"""Role checks for views: the one place that says which pages need the clinician role."""

from functools import wraps

from django.core.exceptions import PermissionDenied

from accounts.models import Role


def clinician_required(view):
    """Refuse anyone but a clinician with 403; sign-in is already required by middleware."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_clinician:
            raise PermissionDenied("This page is for clinicians")
        return view(request, *args, **kwargs)

    return wrapped


LEARNER_ROLES = frozenset({Role.CLINICIAN, Role.ICB_ADMIN, Role.SITE_ADMIN})


def learner_required(view):
    """Let anyone with a role take the training: practice staff, and ICB and site admins who
    want to know what they report on (their progress never counts: reporting.summaries)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.role not in LEARNER_ROLES:
            raise PermissionDenied("This page is for people taking the training")
        return view(request, *args, **kwargs)

    return wrapped
