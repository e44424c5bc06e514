"""End idle and over-long sessions, and hold admins at the second factor where it is required."""

import time
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

from accounts import two_factor

SIGNED_IN_AT = "signed_in_at"
LAST_ACTIVITY = "last_activity"
# Activity is recorded at most once a minute, which spares a session write on every request.
ACTIVITY_RESOLUTION = 60

# Set by accounts.cis2_views when a session is signed in through NHS CIS2: the acr it carried.
CIS2_SESSION_ACR = "cis2_acr"

IDLE = "idle"
ABSOLUTE = "absolute"


def session_end_reason(
    *,
    now: float,
    signed_in_at: float,
    last_activity: float,
    idle: timedelta,
    absolute: timedelta,
) -> str | None:
    """Return why a session must end (ABSOLUTE or IDLE), or None while it may go on.

    Times are Unix timestamps. The absolute limit wins when both have passed, because it is
    the one the user could not have avoided by being active.
    """
    if now - signed_in_at >= absolute.total_seconds():
        return ABSOLUTE
    if now - last_activity >= idle.total_seconds():
        return IDLE
    return None


def end_message(reason: str) -> str:
    """Return what to tell a user whose session has just been ended for this reason."""
    if reason == IDLE:
        minutes = int(settings.SESSION_IDLE_TIMEOUT.total_seconds() // 60)
        return (
            f"You were signed out after {minutes} minutes without activity. "
            "Sign in again to carry on."
        )
    hours = int(settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds() // 3600)
    return (
        f"You were signed out because you had been signed in for {hours} hours. "
        "Sign in again to carry on."
    )


def record_sign_in(request) -> None:
    """Start the session's clocks; called when a user signs in."""
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_ACTIVITY] = now


class SessionTimeoutMiddleware:
    """Sign a user out after SESSION_IDLE_TIMEOUT without a request or SESSION_ABSOLUTE_TIMEOUT
    after signing in, and send them to sign in again with a message saying why.

    Reads only the session, so anonymous requests cost nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if SESSION_KEY in session:
            now = time.time()
            # A session from before these clocks existed starts them now.
            signed_in_at = session.setdefault(SIGNED_IN_AT, now)
            last_activity = session.setdefault(LAST_ACTIVITY, now)
            reason = session_end_reason(
                now=now,
                signed_in_at=signed_in_at,
                last_activity=last_activity,
                idle=settings.SESSION_IDLE_TIMEOUT,
                absolute=settings.SESSION_ABSOLUTE_TIMEOUT,
            )
            if reason:
                logout(request)
                messages.info(request, end_message(reason))
                if request.method != "GET":
                    # A form posted into an expired session is not replayed.
                    return redirect(settings.LOGIN_URL)
                return redirect_to_login(request.get_full_path())
            if now - last_activity >= ACTIVITY_RESOLUTION:
                session[LAST_ACTIVITY] = now
        return self.get_response(request)


# Pages an admin who must use a second factor can open before they have used it.
OPEN_BEFORE_SECOND_FACTOR = {
    "accounts:login",
    "accounts:logout",
    "accounts:cis2_start",
    "accounts:cis2_callback",
    "accounts:two_factor_setup",
    "accounts:two_factor_verify",
    "accounts:two_factor_backup_codes",
    "core:healthz",
}


class TwoFactorRequiredMiddleware:
    """Where OTP_REQUIRED_FOR_ADMINS is on, send ICB and site admins who have not used a second
    factor in this session to set one up or enter a code, whatever page they asked for.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.OTP_REQUIRED_FOR_ADMINS:
            return None
        user = request.user
        if not user.is_authenticated or not two_factor.is_required_for(user):
            return None
        if user.is_verified():
            return None
        if request.session.get(CIS2_SESSION_ACR):
            # Signed in through NHS CIS2, which is itself multi-factor (AAL2 or above).
            return None
        match = request.resolver_match
        if match and match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        if request.path_info.startswith(settings.STATIC_URL):
            return None
        step = "verify" if two_factor.has_two_factor(user) else "setup"
        url = reverse(f"accounts:two_factor_{step}")
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)
