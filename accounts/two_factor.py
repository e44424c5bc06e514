"""Two-factor authentication with django-otp: set-up, backup codes, verification and its lock.

A user has at most one authenticator app (a TOTP device) and one set of backup codes (a static
device). Each device counts wrong codes in a row; a right code clears the count on both.
"""

import logging
import re
from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django_otp import devices_for_user, user_has_device
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

logger = logging.getLogger(__name__)

BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"
TOTP_CODE = re.compile(r"^\d{6}$")
# StaticToken.random_token(): 5 random bytes as 8 lower-case base32 characters.
BACKUP_CODE = re.compile(r"^[a-z2-7]{8}$")


def normalise_code(value: str) -> str:
    """Return a code as typed without spaces or hyphens, in lower case."""
    return re.sub(r"[\s-]+", "", value or "").lower()


def is_required_for(user) -> bool:
    """Return whether this user's role must use a second factor (production: admins)."""
    return bool(settings.OTP_REQUIRED_FOR_ADMINS) and (user.is_icb_admin or user.is_site_admin)


def has_two_factor(user) -> bool:
    """Return whether the user has a confirmed authenticator app or backup codes."""
    return user_has_device(user, confirmed=True)


@dataclass(frozen=True)
class TwoFactorStatus:
    on: bool
    since: datetime | None
    backup_codes_left: int
    required: bool

    @property
    def can_turn_off(self) -> bool:
        return self.on and not self.required


def two_factor_status(user) -> TwoFactorStatus:
    """Return what the profile page says about the user's second factor."""
    totp = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return TwoFactorStatus(
        on=has_two_factor(user),
        since=totp.created_at if totp else None,
        backup_codes_left=backup_codes_left(user=user),
        required=is_required_for(user),
    )


def totp_device_for_setup(*, user) -> TOTPDevice:
    """Return the user's unconfirmed authenticator device, creating one with a new key.

    Reusing it means reloading the set-up page does not change the QR code under the user.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def totp_secret(device: TOTPDevice) -> str:
    """Return the device's key in base32, in groups of 4, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(uri: str, *, label: str) -> SafeString:
    """Return an inline SVG QR code for the URI, labelled for screen readers."""
    svg = segno.make(uri, error="m").svg_inline(
        scale=4, border=4, dark="#212b32", light="#ffffff", svgclass="app-qr-code__image"
    )
    # segno escapes nothing it is not given; the label is ours, never user input.
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))  # noqa: S308


@transaction.atomic
def totp_confirm(*, device: TOTPDevice, code: str) -> bool:
    """Confirm the device if the code is right for it, replacing any confirmed before it."""
    if not TOTP_CODE.match(normalise_code(code)) or not device.verify_token(normalise_code(code)):
        return False
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    logger.info("Two-factor authentication set up by user %s", device.user_id)
    return True


@transaction.atomic
def backup_codes_issue(*, user) -> list[str]:
    """Replace the user's backup codes with new ones and return them, to be shown once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes: list[str] = []
    while len(codes) < BACKUP_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def two_factor_turn_off(*, user) -> None:
    """Remove the user's authenticator app and backup codes."""
    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user=user).delete()
    logger.info("Two-factor authentication turned off by user %s", user.pk)


def two_factor_locked(*, user, now: datetime | None = None) -> bool:
    """Return whether too many wrong codes in a row have locked the user's second step.

    The lock lasts OTP_LOCKOUT_TIME from the latest wrong code. Only a right code sets the count
    back to zero, so once locked, every further wrong code locks the step again straight away.
    """
    now = now or timezone.now()
    devices = list(devices_for_user(user))
    if sum(device.throttling_failure_count for device in devices) < settings.OTP_FAILURE_LIMIT:
        return False
    latest = max(
        (d.throttling_failure_timestamp for d in devices if d.throttling_failure_timestamp),
        default=None,
    )
    return latest is not None and now - latest < settings.OTP_LOCKOUT_TIME


@transaction.atomic
def two_factor_verify(*, user, code: str) -> Device | None:
    """Return the user's device the code is right for, using up a backup code; else None.

    Six digits are tried against the authenticator app, anything else against the backup
    codes. A wrong code counts towards the lock.
    """
    code = normalise_code(code)
    devices = list(devices_for_user(user, for_verify=True))
    wanted = TOTPDevice if TOTP_CODE.match(code) else StaticDevice
    candidates = [device for device in devices if isinstance(device, wanted)]
    for device in candidates:
        if device.verify_token(code):
            for other in devices:
                if other is not device and other.throttling_failure_count:
                    other.throttle_reset()
            return device
    if not candidates and devices:
        devices[0].throttle_increment()
    logger.warning("Wrong two-factor code for user %s", user.pk)
    return None


def backup_codes_left(*, user) -> int:
    """Return how many unused backup codes the user has."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
