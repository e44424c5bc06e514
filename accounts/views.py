"""Sign-up, email verification, sign-in (with a second factor), sign-out, password reset,
profile (with practice moves between ICBs) and two-factor authentication set-up."""

import time
from datetime import timedelta
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from accounts import cis2, forms, services, two_factor
from accounts.models import PracticeMove, PracticeMoveOutcome
from accounts.services import email_verification_token, user_sign_up, user_verify_email
from accounts.throttling import sign_in_address_blocked


def local_accounts_off(request):
    """Say that local accounts are turned off, and how to sign in instead.

    A page, never an error: 200 for a look, 403 for a form sent anyway (nothing was done).
    """
    status = 200 if request.method in ("GET", "HEAD") else 403
    return render(request, "accounts/local_accounts_off.html", status=status)


def local_accounts_only(view):
    """Show local_accounts_off instead of the page while LOCAL_ACCOUNTS_ENABLED is off."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.LOCAL_ACCOUNTS_ENABLED:
            return local_accounts_off(request)
        return view(request, *args, **kwargs)

    return wrapped


@login_not_required
@local_accounts_only
@sensitive_post_parameters("password1", "password2")
def signup(request):
    """Create an account for a clinician at an accepted email domain."""
    if request.user.is_authenticated:
        return redirect("core:start")
    form = forms.SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user_sign_up(
            email=data["email"],
            password=data["password1"],
            full_name=data["full_name"],
            professional_role=data["professional_role"],
            registration_number=data["registration_number"],
            practice=data["practice"],
            request=request,
        )
        # Every sign-up gets this page, whether or not the address has an account already:
        # only the email sent to the address differs.
        request.session["signup_email"] = data["email"]
        return redirect("accounts:signup_done")
    return render(request, "accounts/signup.html", {"form": form})


@login_not_required
@local_accounts_only
def signup_done(request):
    """Tell the new user to look for the verification email."""
    return render(
        request, "accounts/signup_done.html", {"email": request.session.get("signup_email")}
    )


@login_not_required
@local_accounts_only
@sensitive_post_parameters("password")
def verify_email(request, uidb64, token):
    """Activate the account whose emailed link this is, once, with the password it was made with.

    The link proves the address; the password proves the person confirming it chose the
    account's password. Both are needed, so someone who signed up first with another person's
    address cannot have their account activated by that person's click.
    """
    User = get_user_model()
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or not email_verification_token.check_token(user, token):
        return render(
            request,
            "accounts/verify_email_failed.html",
            {"form": forms.VerificationResendForm()},
            status=400,
        )
    form = forms.VerifyEmailForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user_verify_email(user=user)
        messages.success(request, "Your email address is confirmed. You can now sign in.")
        return redirect("accounts:login")
    return render(request, "accounts/verify_email.html", {"form": form, "email": user.email})


@login_not_required
@local_accounts_only
def verification_resend(request):
    """Send a new verification link to an address whose account is waiting for one.

    Every address gets the same answer, so the page tells nobody whether an account exists.
    """
    form = forms.VerificationResendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.verification_resend(email=form.cleaned_data["email"], request=request)
        request.session["signup_email"] = form.cleaned_data["email"]
        return redirect("accounts:verification_sent")
    return render(request, "accounts/verification_resend.html", {"form": form})


@login_not_required
@local_accounts_only
def verification_sent(request):
    """Tell the user a new link is on its way if their address needed one."""
    return render(
        request,
        "accounts/verification_sent.html",
        {"email": request.session.get("signup_email")},
    )


class SignInView(auth_views.LoginView):
    """Check the password; a user with a second factor then goes on to enter a code.

    An address that has failed too often across accounts (password spraying) may not try
    again until the cool-off period ends, whichever account it tries next.
    """

    form_class = forms.SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if sign_in_address_blocked(request):
            return render(
                request,
                "accounts/locked_out.html",
                {
                    "failure_limit": settings.SIGN_IN_ADDRESS_FAILURE_LIMIT,
                    "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
                    "from_address": True,
                },
                status=429,
            )
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            local_accounts_enabled=settings.LOCAL_ACCOUNTS_ENABLED,
            cis2_enabled=cis2.enabled(),
            **kwargs,
        )

    def form_invalid(self, form):
        context = {"form": form}
        if form.unverified:
            context["resend_form"] = forms.VerificationResendForm(
                initial={"email": form.cleaned_data["username"]}
            )
        return self.render_to_response(self.get_context_data(**context))

    def form_valid(self, form):
        user = form.get_user()
        if not two_factor.has_two_factor(user):
            return super().form_valid(form)
        # Not signed in yet: the session only remembers who passed the password step.
        self.request.session.cycle_key()
        _pending_sign_in_start(self.request, user, next_url=self.get_success_url())
        return redirect("accounts:two_factor_verify")


@login_not_required
def admin_sign_in(request):
    """Send Django admin's sign-in page to ours, which asks for the second factor."""
    if request.user.is_authenticated:
        if request.user.is_staff:
            return redirect("admin:index")
        # Signed in but not a site admin: the admin site is not for them.
        raise PermissionDenied("Only site admins can use the admin site")
    url = reverse("accounts:login")
    next_url = _safe_next(request, "")
    return redirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)


class SignOutView(auth_views.LogoutView):
    template_name = "accounts/logged_out.html"


# A decided move is told on the profile for this long, then it is history (the audit log).
MOVE_OUTCOME_SHOWN_FOR = timedelta(days=30)


def profile(request):
    """Let the user correct their name, professional role, registration number and practice.

    A practice in another ICB is asked for, not set (services.practice_change): the page then
    says whose confirmation it waits for, and lets the user cancel it. For someone who signs in
    with NHS CIS2, CIS2 says who they are and where they work: only their registration number
    is theirs to change here.
    """
    user = request.user
    current = user.practice
    form = forms.ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid() and user.signs_in_with_cis2:
        form.save()
        messages.success(request, "Your profile has been updated.")
        return redirect("accounts:profile")
    if request.method == "POST" and form.is_valid():
        practice = form.cleaned_data["practice"]
        user.practice = current  # the practice is the service's to change, now or later
        form.save()
        move = services.practice_change(user=user, practice=practice, request=request)
        if move is None:
            messages.success(request, "Your profile has been updated.")
        else:
            messages.info(
                request,
                f"Your other details are saved. Your move to {move.to_practice.name} is waiting "
                f"for {move.to_practice.icb.short_name}'s admin to confirm it.",
            )
        return redirect("accounts:profile")
    user.practice = current  # as stored, whatever an invalid form put in its place
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "two_factor": two_factor.two_factor_status(user),
            "move": _move_to_tell(user),
        },
    )


def _move_to_tell(user) -> PracticeMove | None:
    """Return the user's pending move, or one confirmed or refused lately, to show them."""
    return (
        PracticeMove.objects.filter(user=user)
        .exclude(outcome=PracticeMoveOutcome.CANCELLED)
        .exclude(decided_at__lt=timezone.now() - MOVE_OUTCOME_SHOWN_FOR)
        .select_related("to_practice__icb", "decided_by")
        .first()
    )


@require_POST
def practice_move_cancel(request):
    """Withdraw the user's own pending move; they stay at their practice."""
    move = services.practice_move_cancel(user=request.user, request=request)
    if move is not None:
        messages.success(
            request,
            f"You have cancelled your move to {move.to_practice.name}. You are still at "
            f"{move.from_practice.name}.",
        )
    return redirect("accounts:profile")


def _move_deciders_only(user) -> None:
    if not (user.is_icb_admin or user.is_site_admin):
        raise PermissionDenied("Only ICB admins and site admins decide practice moves")


def practice_moves(request):
    """List the moves waiting for this admin: into their ICB (site admins: every ICB)."""
    _move_deciders_only(request.user)
    moves = (
        PracticeMove.objects.decidable_by(request.user)
        .pending()
        .select_related("user", "from_practice__icb", "to_practice__icb")
        .order_by("requested_at", "pk")
    )
    return render(request, "accounts/practice_moves.html", {"moves": moves})


DECISIONS = {"confirm": True, "refuse": False}


@require_POST
def practice_move_decide(request, pk):
    """Confirm or refuse one move; a move decided already is reported, never decided twice."""
    _move_deciders_only(request.user)
    confirm = DECISIONS.get(request.POST.get("decision", ""))
    if confirm is None:
        return HttpResponseBadRequest("Choose to confirm or refuse the move")
    move = get_object_or_404(
        PracticeMove.objects.decidable_by(request.user).select_related(
            "user", "from_practice", "to_practice__icb", "decided_by"
        ),
        pk=pk,
    )
    name = move.user.full_name
    if services.practice_move_decide(
        move=move, decider=request.user, confirm=confirm, request=request
    ):
        if confirm:
            messages.success(request, f"{name} is now at {move.to_practice.name}.")
        else:
            messages.success(
                request, f"You refused {name}'s move. They stay at {move.from_practice.name}."
            )
    else:
        messages.info(
            request,
            f"{name}'s move to {move.to_practice.name} was already "
            f"{move.get_outcome_display().lower()}. Nothing has changed.",
        )
    return redirect("accounts:practice_moves")


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = forms.PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password has been changed.")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Email a reset link; while local accounts are off, only to site admins (the form's
    get_users), and the page says so."""

    form_class = forms.PasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            local_accounts_enabled=settings.LOCAL_ACCOUNTS_ENABLED, **kwargs
        )


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = forms.SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def get_user(self, uidb64):
        """Honour a link only for someone who may sign in with a password now."""
        user = super().get_user(uidb64)
        if user is not None and not forms.local_password_sign_in_allowed(user):
            return None
        return user

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            local_accounts_enabled=settings.LOCAL_ACCOUNTS_ENABLED, **kwargs
        )


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# Two-factor authentication. Between the password and the code, the session holds who passed
# the password step, for PENDING_SIGN_IN_TIME at most; they are signed in only once the code
# is right.
PENDING_SIGN_IN = "two_factor_pending"
PENDING_SIGN_IN_TIME = 10 * 60
BACKUP_CODES = "two_factor_backup_codes"


def _pending_sign_in_start(request, user, *, next_url: str) -> None:
    request.session[PENDING_SIGN_IN] = {
        "user_id": user.pk,
        "backend": user.backend,
        "hash": user.get_session_auth_hash(),
        "next": next_url,
        "started": time.time(),
    }


def _pending_sign_in(request) -> tuple[object, dict] | tuple[None, None]:
    """Return the user part-way through signing in and what was stored, if still valid."""
    pending = request.session.get(PENDING_SIGN_IN)
    if not isinstance(pending, dict):
        return None, None
    if time.time() - pending.get("started", 0) > PENDING_SIGN_IN_TIME:
        del request.session[PENDING_SIGN_IN]
        return None, None
    user = get_user_model().objects.filter(pk=pending.get("user_id"), is_active=True).first()
    # A password changed since the first step cancels it, as it ends every session.
    if user is None or not constant_time_compare(
        pending.get("hash", ""), user.get_session_auth_hash()
    ):
        del request.session[PENDING_SIGN_IN]
        return None, None
    return user, pending


def _safe_next(request, default: str) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return default


@login_not_required
@sensitive_post_parameters("code")
@never_cache
def two_factor_verify(request):
    """Ask for a code from the authenticator app, or a backup code, and finish signing in."""
    pending = None
    if request.user.is_authenticated:
        user = request.user
        next_url = _safe_next(request, resolve_url(settings.LOGIN_REDIRECT_URL))
        if user.is_verified():
            return redirect(next_url)
        if not two_factor.has_two_factor(user):
            return redirect("accounts:two_factor_setup")
    else:
        user, pending = _pending_sign_in(request)
        if user is None:
            messages.info(request, "Your sign-in timed out. Sign in again.")
            return redirect("accounts:login")
        next_url = pending["next"]

    if two_factor.two_factor_locked(user=user):
        return _two_factor_locked(request)
    form = forms.TwoFactorVerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.two_factor_verify(user=user, code=form.cleaned_data["code"])
        if device is not None:
            if pending:
                del request.session[PENDING_SIGN_IN]
                user.otp_device = device  # django-otp keeps it in the session at sign-in
                auth_login(request, user, backend=pending["backend"])
            else:
                request.session.cycle_key()
                otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = two_factor.backup_codes_left(user=user)
                messages.info(
                    request,
                    f"You used a backup code. You have {left} left: you can get new ones "
                    "from your profile.",
                )
            return redirect(next_url)
        if two_factor.two_factor_locked(user=user):
            return _two_factor_locked(request)
        form.add_error(
            "code",
            "The code is not correct. Enter the latest code from your authenticator app, "
            "or an unused backup code",
        )
    return render(request, "accounts/two_factor_verify.html", {"form": form})


def _two_factor_locked(request):
    """End the half-finished sign-in and explain the lock."""
    if request.user.is_authenticated:
        logout(request)
    else:
        request.session.pop(PENDING_SIGN_IN, None)
    minutes = int(settings.OTP_LOCKOUT_TIME.total_seconds() // 60)
    return render(
        request,
        "accounts/two_factor_locked.html",
        {"failure_limit": settings.OTP_FAILURE_LIMIT, "minutes": minutes},
        status=429,
    )


@sensitive_post_parameters("code")
@never_cache
def two_factor_setup(request):
    """Add an authenticator app: show its QR code and key, and confirm it with a first code."""
    user = request.user
    if two_factor.has_two_factor(user):
        if not user.is_verified():
            return redirect("accounts:two_factor_verify")
        messages.info(request, "Two-factor authentication is already on for your account.")
        return redirect("accounts:profile")
    device = two_factor.totp_device_for_setup(user=user)
    form = forms.TwoFactorSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.totp_confirm(device=device, code=form.cleaned_data["code"]):
            codes = two_factor.backup_codes_issue(user=user)
            request.session.cycle_key()
            otp_login(request, device)
            request.session[BACKUP_CODES] = codes
            url = reverse("accounts:two_factor_backup_codes")
            next_url = _safe_next(request, "")
            return redirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)
        form.add_error(
            "code",
            "The code is not correct. Check the time on your phone is right, then enter the "
            "latest code from your authenticator app",
        )
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_code": two_factor.qr_code_svg(
                device.config_url, label="QR code to add Spotting Stalking to your app"
            ),
            "secret": two_factor.totp_secret(device),
            "required": two_factor.is_required_for(user),
        },
    )


@never_cache
def two_factor_backup_codes(request):
    """Show newly issued backup codes, once."""
    codes = request.session.pop(BACKUP_CODES, None)
    if not codes:
        messages.info(
            request,
            "Backup codes are shown only once. If you have lost yours, get new ones here.",
        )
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/two_factor_backup_codes.html",
        {"codes": codes, "next_url": _safe_next(request, reverse("accounts:profile"))},
    )


@require_POST
def two_factor_new_backup_codes(request):
    """Replace the user's backup codes; only from a session signed in with a second factor."""
    if not two_factor.has_two_factor(request.user):
        return redirect("accounts:two_factor_setup")
    if not request.user.is_verified():
        return redirect("accounts:two_factor_verify")
    request.session[BACKUP_CODES] = two_factor.backup_codes_issue(user=request.user)
    return redirect("accounts:two_factor_backup_codes")


@never_cache
def two_factor_turn_off(request):
    """Confirm, then remove the user's second factor, unless their role requires one."""
    user = request.user
    if not two_factor.has_two_factor(user):
        return redirect("accounts:profile")
    if not user.is_verified():
        return redirect("accounts:two_factor_verify")
    if two_factor.is_required_for(user):
        raise PermissionDenied("Two-factor authentication is required for this role")
    if request.method == "POST":
        two_factor.two_factor_turn_off(user=user)
        messages.success(request, "Two-factor authentication is now off for your account.")
        return redirect("accounts:profile")
    return render(request, "accounts/two_factor_turn_off.html")
