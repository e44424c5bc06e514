"""Sign-in with NHS CIS2: start, callback, our public keys, back-channel logout (docs/cis2.md)."""

import functools
import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from accounts import cis2, services
from accounts.middleware import CIS2_SESSION_ACR
from core.audit import audit_record
from core.models import AuditAction

logger = logging.getLogger(__name__)

PENDING = "cis2_pending"  # sign-ins started in this session and not yet finished, by state
PENDING_TIME = 10 * 60
PENDING_MOST = 5  # a few tabs at once; older ones are dropped
SESSION_SID = "cis2_sid"

# The status and page for each reason a sign-in fails. Nothing is ever a 500.
FAILURE_STATUS = {
    cis2.PROVIDER_UNAVAILABLE: 503,
    cis2.SIGN_IN_EXPIRED: 400,
    cis2.SIGN_IN_CANCELLED: 403,
}
FAILURE_TITLES = {
    cis2.PROVIDER_UNAVAILABLE: "NHS CIS2 is not answering",
    cis2.SIGN_IN_EXPIRED: "Your sign-in timed out",
    cis2.SIGN_IN_CANCELLED: "You did not finish signing in",
    cis2.TOKEN_REJECTED: "We could not sign you in with NHS CIS2",
    cis2.ASSURANCE_TOO_LOW: "Sign in with a stronger authentication method",
    cis2.NO_SELECTED_ROLE: "We could not find the role you selected",
    cis2.ROLE_NOT_RECOGNISED: "Your role does not give access to this service",
    cis2.ROLE_DOES_NOT_FIT: "Your role does not match your organisation",
    cis2.UNKNOWN_ORGANISATION: "Your organisation is not set up on this service",
    cis2.PRACTICE_CLOSED: "Your practice has closed",
    cis2.ACCOUNT_TURNED_OFF: "Your account has been turned off",
}


def _enabled_only(view):
    """Answer 404 while NHS CIS2 sign-in is not configured (cis2.enabled)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not cis2.enabled():
            raise Http404("NHS CIS2 sign-in is not set up")
        return view(request, *args, **kwargs)

    return wrapped


def _failed(request, failure: cis2.CIS2Failure, *, identity: cis2.CIS2Identity | None = None):
    """Show why the sign-in did not go through and whom to contact; log and audit it."""
    logger.warning("NHS CIS2 sign-in refused: %s", failure)
    sub = identity.sub if identity else failure.sub
    audit_record(
        action=AuditAction.SIGN_IN_FAILED,
        request=request,
        actor_email=identity.email if identity else failure.email,
        target=f"CIS2 {sub}" if sub else "",
        detail=f"NHS CIS2: {failure}",
    )
    context = {
        "reason": failure.reason,
        "title": FAILURE_TITLES.get(failure.reason, FAILURE_TITLES[cis2.TOKEN_REJECTED]),
        "support_contact": settings.CIS2_SUPPORT_CONTACT,
        "local_accounts_enabled": settings.LOCAL_ACCOUNTS_ENABLED,
        **failure.context,
    }
    status = FAILURE_STATUS.get(failure.reason, 403)
    return render(request, "accounts/cis2_failed.html", context, status=status)


def _next_url(request) -> str:
    next_url = request.GET.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return ""


@login_not_required
@require_GET
@never_cache
@_enabled_only
def cis2_start(request):
    """Send the browser to NHS CIS2 to sign in, remembering what its answer must match."""
    redirect_uri = request.build_absolute_uri(reverse("accounts:cis2_callback"))
    try:
        url, pending = cis2.authorization_start(redirect_uri=redirect_uri)
    except cis2.CIS2Failure as failure:
        return _failed(request, failure)
    pending["next"] = _next_url(request)
    waiting = {
        state: started
        for state, started in (request.session.get(PENDING) or {}).items()
        if isinstance(started, dict) and time.time() - started.get("started", 0) < PENDING_TIME
    }
    waiting[pending["state"]] = pending
    request.session[PENDING] = dict(list(waiting.items())[-PENDING_MOST:])
    return redirect(url)


@login_not_required
@require_GET
@never_cache
@_enabled_only
def cis2_callback(request):
    """Finish signing in with the code CIS2 sent back, once every check has passed."""
    waiting = request.session.get(PENDING) or {}
    state = request.GET.get("state", "")
    pending = waiting.pop(state, None) if isinstance(waiting, dict) else None
    request.session[PENDING] = waiting if isinstance(waiting, dict) else {}
    if not isinstance(pending, dict) or time.time() - pending.get("started", 0) > PENDING_TIME:
        return _failed(
            request, cis2.CIS2Failure(cis2.SIGN_IN_EXPIRED, "no sign-in waits for this state")
        )
    if request.GET.get("error") or not request.GET.get("code"):
        error = request.GET.get("error", "no code")[:60]
        return _failed(
            request, cis2.CIS2Failure(cis2.SIGN_IN_CANCELLED, f"CIS2 answered {error!r}")
        )
    identity = None
    try:
        identity = cis2.authorization_finish(pending=pending, code=request.GET["code"])
        access = cis2.access_for(identity)
        user = services.cis2_user_sign_in(identity=identity, access=access, request=request)
    except cis2.CIS2Failure as failure:
        return _failed(request, failure, identity=identity)
    # Django's login starts a new session (a fresh key; emptied if someone else was signed in).
    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SESSION_SID] = identity.sid
    request.session[CIS2_SESSION_ACR] = identity.acr
    services.cis2_session_record(request=request, user=user, sid=identity.sid)
    messages.success(request, f"You are signed in with NHS CIS2 as {access.describe()}.")
    return redirect(pending.get("next") or reverse("training:home"))


@login_not_required
@require_GET
@_enabled_only
def cis2_jwks(request):
    """Publish the service's public keys, which CIS2 checks our client assertions with."""
    response = JsonResponse(cis2.service_jwks())
    response["Cache-Control"] = "public, max-age=300"
    return response


@csrf_exempt  # CIS2 posts here server to server; the logout token's signature is the check
@login_not_required
@require_POST
@never_cache
@_enabled_only
def cis2_backchannel_logout(request):
    """End the sessions of a CIS2 session that CIS2 says has ended (a signed logout token)."""
    try:
        sub, sid = cis2.logout_token_validate(request.POST.get("logout_token"))
    except cis2.CIS2Failure as failure:
        logger.warning("NHS CIS2 back-channel logout refused: %s", failure)
        status = 503 if failure.reason == cis2.PROVIDER_UNAVAILABLE else 400
        return JsonResponse(
            {"error": "invalid_request", "error_description": "The logout token is not valid"},
            status=status,
        )
    ended = services.cis2_sessions_end(sub=sub, sid=sid, request=request)
    logger.info("NHS CIS2 back-channel logout ended %d session(s)", ended)
    return JsonResponse({})
