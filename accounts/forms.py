"""Forms for signing up, signing in and keeping a profile up to date."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import two_factor
from accounts.models import (
    Practice,
    ProfessionalRole,
    Role,
    User,
    is_plain_address,
    normalise_email,
    normalise_registration_number,
    validate_registration_number,
)
from accounts.services import may_email, user_needing_verification, verification_resend
from core.layout import Submit

INVALID_EMAIL = "Enter an email address in the correct format, like name@nhs.net"
LOCAL_ACCOUNTS_OFF = (
    "Local accounts are turned off, so you cannot sign in with a password. Sign in with NHS "
    "CIS2 instead: ask your organisation's administrator how"
)


def local_password_sign_in_allowed(user) -> bool:
    """Return whether this user may sign in with a password: anyone, or only site admins (so
    the service can still be administered) while local accounts are turned off."""
    return settings.LOCAL_ACCOUNTS_ENABLED or user.is_site_admin


def email_domain_accepted(email: str) -> bool:
    """Return whether the address is at an accepted domain or one of its subdomains."""
    domain = email.rsplit("@", 1)[-1].lower()
    return any(
        domain == accepted or domain.endswith("." + accepted)
        for accepted in settings.ACCEPTED_EMAIL_DOMAINS
    )


class EmailAddressField(forms.EmailField):
    """An email address, normalised the way accounts are stored, found and locked."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 254)
        kwargs.setdefault(
            "widget",
            forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        )
        kwargs.setdefault(
            "error_messages",
            {"required": "Enter your email address", "invalid": INVALID_EMAIL},
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        # Fold first, so the format is checked on the address accounts are found by.
        return normalise_email(super().to_python(value))

    def clean(self, value):
        email = super().clean(value)
        if email and not is_plain_address(email):  # no account can have this address
            raise ValidationError(INVALID_EMAIL, code="invalid")
        return email


class PracticeCodeField(forms.CharField):
    """A GP practice chosen by its ODS code, which clinicians find on practice letters."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Your GP practice's ODS code")
        kwargs.setdefault(
            "help_text",
            "A letter and 5 numbers, as printed on your practice's letters. Your practice "
            "manager can tell you.",
        )
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("error_messages", {"required": "Enter your GP practice's ODS code"})
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"class": "nhsuk-input--width-10", "spellcheck": "false"}),
        )
        super().__init__(**kwargs)
        # The practice the user already belongs to: accepted even if it has since closed.
        self.current = None

    def to_python(self, value):
        return super().to_python(value).strip().upper()

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return None
        practice = Practice.objects.select_related("icb").filter(ods_code=code).first()
        if practice is None:
            raise ValidationError(
                "We could not find a GP practice with the ODS code %(code)s. Check the code "
                "with your practice manager",
                params={"code": code},
                code="unknown_practice",
            )
        if practice.is_closed and practice != self.current:
            raise ValidationError(
                "The GP practice with the ODS code %(code)s closed on %(date)s. Enter the ODS "
                "code of the practice you work at now",
                params={"code": code, "date": f"{practice.closed_on:%-d %B %Y}"},
                code="closed_practice",
            )
        return practice

    def prepare_value(self, value):
        return value.ods_code if isinstance(value, Practice) else value


class RegistrationNumberField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "GMC or NMC number (optional)")
        kwargs.setdefault(
            "help_text",
            "For your certificates. A GMC number is 7 numbers; an NMC PIN is like 12A3456E.",
        )
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault("validators", [validate_registration_number])
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"class": "nhsuk-input--width-10", "spellcheck": "false"}),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        return normalise_registration_number(super().clean(value))


class SignUpForm(forms.Form):
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Enter your full name"},
    )
    email = EmailAddressField(
        label="Work email address",
        help_text="Use your nhs.net or nhs.uk address. We will send you a link to confirm it.",
        error_messages={"required": "Enter your work email address", "invalid": INVALID_EMAIL},
    )
    professional_role = forms.ChoiceField(
        label="Your professional role",
        choices=ProfessionalRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select your professional role"},
    )
    registration_number = RegistrationNumberField()
    practice = PracticeCodeField()
    password1 = forms.CharField(
        label="Create a password",
        strip=False,
        help_text="At least 12 characters. A few unrelated words make a strong password.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Create a password"},
    )
    password2 = forms.CharField(
        label="Confirm your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter your password again to confirm it"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.show_error_summary = False  # the page shows it above its heading
        self.helper.layout = Layout(
            "full_name",
            "email",
            "professional_role",
            "registration_number",
            "practice",
            "password1",
            "password2",
            Submit("Create account"),
        )

    def clean_email(self):
        # Whether an account already has this address is not said here: the sign-up service
        # emails the address's owner instead, so the page reads the same either way.
        email = self.cleaned_data["email"]
        if not email_domain_accepted(email):
            domains = " or ".join(settings.ACCEPTED_EMAIL_DOMAINS)
            raise ValidationError(
                f"Enter an email address ending in {domains}", code="domain_not_accepted"
            )
        return email

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The passwords do not match")
        elif password1:
            candidate = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class SignInForm(auth_forms.AuthenticationForm):
    username = EmailAddressField(
        label="Email address",
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "autofocus": True, "spellcheck": "false"}
        ),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )
    error_messages = {
        "invalid_login": "Enter a correct email address and password",
        "inactive": "Confirm your email address using the link we sent you before you sign in",
        "unverified": (
            "You have not confirmed your email address yet. Select the link in the email we "
            "sent you, or send yourself a new link below"
        ),
        "local_accounts_off": LOCAL_ACCOUNTS_OFF,
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.unverified = False
        self.helper = FormHelper()
        self.helper.show_error_summary = False  # the page shows it above its heading
        self.helper.layout = Layout("username", "password", Submit("Sign in"))

    def get_invalid_login_error(self):
        """Say so when the password is right but the address is not confirmed yet.

        Only the right password reveals it, so this tells nobody else whether an account
        exists; the failed attempt has already been counted towards the lock, and a locked
        sign-in is never checked.
        """
        if not getattr(self.request, "axes_locked_out", False):
            user = user_needing_verification(email=self.cleaned_data["username"])
            password = self.cleaned_data["password"]
            if user is None:
                make_password(password)  # the same work either way, so timing tells nothing
            elif user.check_password(password):
                if not local_password_sign_in_allowed(user):
                    return ValidationError(LOCAL_ACCOUNTS_OFF, code="local_accounts_off")
                self.unverified = True
                return ValidationError(self.error_messages["unverified"], code="unverified")
        return super().get_invalid_login_error()

    def confirm_login_allowed(self, user):
        """Refuse a right password for anyone but a site admin while local accounts are off.

        Said only once the password is right, so it tells nobody else whether an account exists.
        """
        super().confirm_login_allowed(user)
        if not local_password_sign_in_allowed(user):
            raise ValidationError(LOCAL_ACCOUNTS_OFF, code="local_accounts_off")


class ProfileForm(forms.ModelForm):
    practice = PracticeCodeField(required=False)
    registration_number = RegistrationNumberField()

    class Meta:
        model = User
        fields = ["full_name", "professional_role", "registration_number", "practice"]
        widgets = {"professional_role": forms.RadioSelect}
        labels = {"full_name": "Full name", "professional_role": "Your professional role"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        role_field = self.fields["professional_role"]
        role_field.choices = ProfessionalRole.choices
        self.fields["practice"].current = self.instance.practice if self.instance.pk else None
        if self.instance.is_clinician:
            self.fields["practice"].required = True
            role_field.required = True
        else:
            # Admins need neither a practice nor a professional role.
            role_field.required = False
            self.fields["practice"].help_text = "Optional for admins."
        practice_field = self.fields["practice"]
        practice_field.help_text += (
            " A move to a practice in another ICB takes effect once that ICB's admin confirms it."
        )
        names = ["full_name", "professional_role", "registration_number", "practice"]
        if self.instance.signs_in_with_cis2:
            # NHS CIS2 says who they are and where they work, afresh at every sign-in.
            names = ["registration_number"]
            for name in set(self.fields) - set(names):
                del self.fields[name]
        self.helper = FormHelper()
        self.helper.show_error_summary = False  # the page shows it above its heading
        self.helper.layout = Layout(*names, Submit("Save changes"))


class PasswordResetForm(auth_forms.PasswordResetForm):
    email = EmailAddressField(label="Email address")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.show_error_summary = False  # the page shows it above its heading
        self.helper.layout = Layout("email", Submit("Send reset link"))

    def get_users(self, email):
        """Return the active accounts at this address, found the way sign-in finds them."""
        users = User._default_manager.filter(email=normalise_email(email), is_active=True)
        if not settings.LOCAL_ACCOUNTS_ENABLED:
            users = users.filter(role=Role.SITE_ADMIN)
        # Reset emails count towards the same hourly limit per address as sign-up emails.
        return (user for user in users if user.has_usable_password() and may_email(user))

    def save(self, *args, request=None, **kwargs):
        """Email a reset link to an active account, or a new verification link to one whose
        address is not confirmed yet (resetting its password would not let it sign in)."""
        super().save(*args, request=request, **kwargs)
        if settings.LOCAL_ACCOUNTS_ENABLED:
            verification_resend(email=self.cleaned_data["email"], request=request)


class VerifyEmailForm(forms.Form):
    """The password chosen at sign-up, asked for when the emailed link is opened."""

    password = forms.CharField(
        label="Your password",
        help_text="The password you chose when you created your account.",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter the password you chose when you signed up"},
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.helper = FormHelper()
        self.helper.show_error_summary = False  # the page shows it above its heading
        self.helper.layout = Layout("password", Submit("Confirm my email address"))

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(
                "This is not the password this account was created with. If you do not know "
                "it, create your account again with this email address: the newest sign-up "
                "replaces one that has not been confirmed",
                code="wrong_password",
            )
        return password


class VerificationResendForm(forms.Form):
    """An address whose account is waiting to be confirmed, to send a new link to."""

    email = EmailAddressField(label="Email address")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.show_error_summary = False  # the page shows it above its heading
        self.helper.form_action = reverse("accounts:verification_resend")
        self.helper.layout = Layout("email", Submit("Send a new link"))


def _set_password_messages(form) -> None:
    form.fields["new_password1"].error_messages["required"] = "Enter a new password"
    form.fields["new_password2"].error_messages["required"] = (
        "Enter your new password again to confirm it"
    )
    form.error_messages["password_mismatch"] = "The passwords do not match"  # noqa: S105


class SetPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = "At least 12 characters."
        self.fields["new_password2"].label = "Confirm new password"
        _set_password_messages(self)
        self.helper = FormHelper()
        self.helper.show_error_summary = False  # the page shows it above its heading
        self.helper.layout = Layout("new_password1", "new_password2", Submit("Save password"))


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = "At least 12 characters."
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        _set_password_messages(self)
        self.helper = FormHelper()
        self.helper.show_error_summary = False  # the page shows it above its heading
        self.helper.layout = Layout(
            "old_password", "new_password1", "new_password2", Submit("Change password")
        )


class TwoFactorSetupForm(forms.Form):
    """The first code from a newly added authenticator app, which proves it is set up."""

    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code your app shows now.",
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "class": "nhsuk-input--width-10",
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
            }
        ),
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.show_error_summary = False  # the page shows it above its heading
        self.helper.layout = Layout("code", Submit("Turn on two-factor authentication"))

    def clean_code(self):
        code = two_factor.normalise_code(self.cleaned_data["code"])
        if not two_factor.TOTP_CODE.match(code):
            raise ValidationError(
                "Enter the 6-digit code from your authenticator app, like 123456",
                code="invalid_code",
            )
        return code


class TwoFactorVerifyForm(forms.Form):
    """The second sign-in step: a code from the authenticator app, or a backup code."""

    code = forms.CharField(
        label="Security code",
        help_text=(
            "The 6-digit code from your authenticator app. If you do not have your phone, "
            "enter one of your 8-character backup codes."
        ),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "class": "nhsuk-input--width-10",
                "autocomplete": "one-time-code",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.show_error_summary = False  # the page shows it above its heading
        self.helper.layout = Layout("code", Submit("Continue"))

    def clean_code(self):
        code = two_factor.normalise_code(self.cleaned_data["code"])
        if not (two_factor.TOTP_CODE.match(code) or two_factor.BACKUP_CODE.match(code)):
            raise ValidationError(
                "Enter the 6-digit code from your authenticator app, or an 8-character backup code",
                code="invalid_code",
            )
        return code
