"""Two-factor sign-in: who must use it, and the guard that makes them.

A second factor is a code from an authenticator app (django-otp's TOTP
device) or, when the phone is lost, one of ten single-use recovery codes
(a static device). Administrators and improvement managers change the plan
and the people who use it, so they must set one up before they can use any
page or Django admin; officers and board members may set one up, and once
they have, they are asked for a code at each sign-in too.

A password alone signs a person in (Django's own sign-in, so lockouts and
the sign-in record work the same); until they have given a code, every
page but the two-factor pages and signing out sends them to give one, or
to set one up.
"""

import base64
import io

import segno
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user, login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from improvement.kernel.middleware import resolved

RECOVERY_CODES = 10
# Improvement managers have it; officers and board members do not.
MANAGES_THE_PLAN = "improvement.add_action"
# Session key: whether the person had an app set up when they signed in.
HAS_SECOND_FACTOR = "has_second_factor"
# Pages a person who still owes a code (or a set-up) may open.
OPEN_BEFORE_SECOND_FACTOR = {
    "login",
    "logout",
    "health",
    "two_factor_verify",
    "two_factor_setup",
    "accessibility",
    "privacy",
}
APP_NAME = "an authenticator app"


def required_for(user):
    """Whether this person must use a second factor: administrators (Django
    admin's staff included) and those who may change the plan's make-up,
    improvement managers. Permissions are already loaded for each page, so
    this costs no query."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.is_staff or user.has_perm(MANAGES_THE_PLAN)


def has_second_factor(user):
    """Whether this person has an authenticator app set up."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def is_verified(request):
    """Whether this session's person has given a code since signing in."""
    return bool(request.session.get(DEVICE_ID_SESSION_KEY))


def note_at_sign_in(request, user):
    """Note in the new session whether the person has a second factor, so
    pages need not look it up on every request (called at each sign-in)."""
    request.session[HAS_SECOND_FACTOR] = has_second_factor(user)


def require_two_factor(get_response):
    """Send a signed-in person who owes a code to give it, or to set up.

    Whether the person has an app set up is noted in the session when they
    sign in (and when they set one up or remove it here), so this costs no
    query. A session that signed in before the person set up an app
    elsewhere carries on without a code until it ends.
    """

    def middleware(request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not is_verified(request)
            and _url_name(request) not in OPEN_BEFORE_SECOND_FACTOR
        ):
            if request.session.get(HAS_SECOND_FACTOR):
                return _to("two_factor_verify", request)
            if required_for(user):
                return _to("two_factor_setup", request)
        return get_response(request)

    return middleware


def _url_name(request):
    match = resolved(request)
    return match and match.url_name


def _to(url_name, request):
    url = reverse(url_name)
    if request.method in ("GET", "HEAD"):
        url += "?" + urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
    return redirect(url)


# ---------------------------------------------------------------------------
# Setting up, checking and removing
# ---------------------------------------------------------------------------


def pending_device(user):
    """The authenticator this person is setting up: made on first asking,
    the same one until confirmed (so reloading the page keeps the QR code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name="Authenticator app", confirmed=False
        )
    return device


def secret_key(device):
    """The device's secret as people type it into an app: base32 in groups of four."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_code_svg(device):
    """The set-up link as an SVG QR code, with no inline styles (for the CSP)."""
    out = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        out, kind="svg", scale=5, border=4, xmldecl=False, svgns=True, light="#fff"
    )
    label = "QR code to scan with your authenticator app"
    return (
        out.getvalue()
        .decode()
        .replace("<svg ", f'<svg role="img" aria-label="{label}" focusable="false" ', 1)
    )


@transaction.atomic
def confirm(request, device):
    """Make ``device`` the person's authenticator, replacing any earlier one,
    give them new recovery codes and count this session as verified.
    Returns the recovery codes."""
    user = device.user
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = new_recovery_codes(user)
    login(request, device)
    request.session[HAS_SECOND_FACTOR] = True
    return codes


@transaction.atomic
def new_recovery_codes(user):
    """Replace the person's recovery codes with RECOVERY_CODES new ones."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes")
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=code) for code in codes
    )
    return codes


def recovery_codes(user):
    """The person's recovery codes not yet used."""
    return list(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    )


def _devices_for(user, code):
    """The devices that could accept ``code``: the app's for six digits,
    otherwise the recovery codes (so a recovery code does not count as a
    wrong code from the app, and the reverse)."""
    model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    return model.objects.devices_for_user(user, confirmed=True)


def waiting(user, code):
    """Whether too many wrong codes mean the person must wait before trying
    ``code`` (each wrong code doubles the wait, from one second)."""
    return any(not device.verify_is_allowed()[0] for device in _devices_for(user, code))


def check_code(request, code):
    """The device that accepts ``code`` for the signed-in person (and counts
    the session as verified), or None. A code works once: an app's code is
    refused a second time in the same 30 seconds, a recovery code is used up.
    """
    with transaction.atomic():
        for device in _devices_for(request.user, code).select_for_update():
            if device.verify_token(code):
                login(request, device)
                return device
    return None


@transaction.atomic
def remove(user, request=None):
    """Remove every second factor the person has (app and recovery codes);
    ``request`` is the person's own session when they remove it themselves.
    Another session of theirs that gave a code stays signed in until it
    ends: to end those too, set them a new password."""
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    if request is not None:
        request.session.pop(DEVICE_ID_SESSION_KEY, None)
        request.session[HAS_SECOND_FACTOR] = False
