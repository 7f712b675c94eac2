"""The optional second factor at sign-in: a 6-digit TOTP code from an authenticator app (django-otp).

Users holding a leadership or province role may enrol a device from their account menu (QR code and the key to
type by hand); from then on, after the password, every session asks for the current code before anything else.
``LANTOA_REQUIRE_TOTP_FOR`` (role codes, empty by default) makes it mandatory for those roles: such a user who
has not enrolled is sent to enrolment first. The code is checked by django-otp's ``TOTPDevice`` (one use per
time step, throttled after wrong codes); the session is marked verified by ``django_otp.login``.

A lost phone must not lock a commune's leader out: enrolment ends by showing ten single-use backup codes
(django-otp's ``StaticDevice``), each accepted once in place of the app's code. From the same page the user gets a
new set (the old one stops working) or, when their role does not require it, turns the second factor off with a
current code.
"""

from __future__ import annotations

from base64 import b32encode

import segno
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import roles
from .selectors import roles_of

ROLES = frozenset({roles.LEADERSHIP, roles.PROVINCE})
DEVICE_NAME = "Ứng dụng xác thực"
BACKUP_NAME = "Mã dự phòng"
BACKUP_CODES = 10


def required_roles() -> set[str]:
    return {r for r in getattr(settings, "LANTOA_REQUIRE_TOTP_FOR", ()) if r}


def may_enrol(user) -> bool:
    return bool(user.is_authenticated and roles_of(user) & ROLES)


def is_required(user) -> bool:
    required = required_roles()
    return bool(required and user.is_authenticated and roles_of(user) & required)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    """The device being enrolled (not yet confirmed by a first correct code); one per user."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def issue_backup_codes(user) -> list[str]:
    """A new set of single-use backup codes (the previous set stops working), shown to the user once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def check_code(user, code: str):
    """The device that accepts ``code`` now — the app's 6 digits, or a backup code (used up by this) — or None.
    Raises ``Throttled`` while a device waits after wrong codes."""
    code = code.strip().replace(" ", "").lower()
    devices = [confirmed_device(user)] if code.isdigit() else list(StaticDevice.objects.filter(user=user))
    for device in devices:
        if device is not None and check_device(device, code):
            return device
    return None


def check_device(device, code: str) -> bool:
    """Whether ``device`` accepts ``code`` now; raises ``Throttled`` while it waits after wrong codes."""
    if not device.verify_is_allowed()[0]:
        raise Throttled
    return device.verify_token(code.strip())


class Throttled(Exception):
    """Too many wrong codes: django-otp makes the user wait before the next check."""


def turn_off(user) -> None:
    """Remove the app and the backup codes: sign-in asks for the password only."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def manual_key(device: TOTPDevice) -> str:
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4)


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


class SecondFactorMiddleware:
    """After django-otp's ``OTPMiddleware``: a signed-in user who has a device (or must have one) and whose
    session is not verified yet reaches only the code page, enrolment, logout and static files."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.is_verified() and not self._exempt(request):
            if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                return redirect(f"{reverse('second_factor_verify')}?{urlencode({'next': request.get_full_path()})}")
            if is_required(user):
                return redirect(reverse("second_factor_enrol"))
        return self.get_response(request)

    @staticmethod
    def _exempt(request) -> bool:
        path = request.path
        exempt = (
            reverse("second_factor_verify"),
            reverse("second_factor_enrol"),
            reverse("wagtailadmin_logout"),
            reverse("wagtailadmin_login"),
            settings.STATIC_URL,
            "/healthz",
        )
        return path.startswith(exempt)
