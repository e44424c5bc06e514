"""Signal receivers for accounts: connected in AccountsConfig.ready()."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts.middleware import record_sign_in


@receiver(user_logged_in, dispatch_uid="accounts.start_session_clocks")
def start_session_clocks(sender, request, user, **kwargs):
    """Note when the user signed in, for the absolute and idle session limits."""
    if request is not None and hasattr(request, "session"):
        record_sign_in(request)
