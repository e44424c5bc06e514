"""Give a test user a second factor, and make the codes their authenticator app would show."""

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import backup_codes_issue


def add_two_factor(user) -> tuple[TOTPDevice, list[str]]:
    """Give the user a confirmed authenticator app and backup codes; return both."""
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return device, backup_codes_issue(user=user)


def totp_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """Return the code the app shows now, or `steps_ahead` time steps from now.

    A code is accepted once; a test that needs a second one in the same 30 seconds asks for
    the next step's (within the device's tolerance of one step).
    """
    device.refresh_from_db()
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead)
    return f"{code:0{device.digits}d}"
