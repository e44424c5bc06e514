"""Signal receivers for accounts: connected in AccountsConfig.ready()."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts.middleware import record_sign_in
from accounts.services import cis2_session_forget
from accounts.throttling import sign_in_failure_count


@receiver(user_logged_in, dispatch_uid="accounts.start_session_clocks")
def start_session_clocks(sender, request, user, **kwargs):
    """Note when the user signed in, for the absolute and idle session limits."""
    if request is not None and hasattr(request, "session"):
        record_sign_in(request)


@receiver(user_login_failed, dispatch_uid="accounts.count_failures_from_address")
def count_failures_from_address(sender, credentials, request=None, **kwargs):
    """Count every failed sign-in against its address, so spraying one password is limited."""
    sign_in_failure_count(request)


@receiver(user_logged_out, dispatch_uid="accounts.forget_cis2_session")
def forget_cis2_session(sender, request, user, **kwargs):
    """Drop the record of a CIS2 session once it is signed out here."""
    if request is not None and hasattr(request, "session"):
        cis2_session_forget(session_key=request.session.session_key)
