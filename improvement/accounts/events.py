"""Writes the sign-in record from the signals Django and django-axes send.

Signing in, failing to, signing out and being locked out are recorded from
signals wherever they happen (the site's sign-in page, Django admin's, or
code calling ``authenticate``). Password changes and resets, and two-factor
changes, are recorded by the views that make them, through ``record``.
"""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)

from improvement.accounts import sessions, two_factor
from improvement.accounts.addresses import client_address
from improvement.accounts.models import SignInEvent

Kind = SignInEvent.Kind

#: No account's username is longer (Django's own limit), so a longer one
#: tried at sign-in is kept only to this length, in the sign-in record and in
#: the lockout count, both of which store it.
USERNAME_LENGTH = 150


def username_tried(request, credentials=None):
    """The username someone tried to sign in with, cut to USERNAME_LENGTH.

    django-axes counts failures per username and stores it, but Django's
    sign-in forms do not check its length before trying it.
    """
    if credentials:
        username = credentials.get("username")
    else:
        username = getattr(request, "POST", {}).get("username")
    return str(username or "")[:USERNAME_LENGTH]


def record(kind, request=None, *, user=None, username=""):
    """Add one event to the sign-in record, with the request's address and browser."""
    if user is not None and not username:
        username = user.get_username()
    address = browser = None
    if request is not None:
        address = client_address(request)
        browser = request.META.get("HTTP_USER_AGENT", "")
    return SignInEvent.objects.create(
        kind=kind,
        user=user if user is not None and user.pk else None,
        username=(username or "")[:USERNAME_LENGTH],
        address=address,
        browser=(browser or "")[:300],
    )


def _account_named(username):
    if not username:
        return None
    return (
        get_user_model()
        ._default_manager.filter(**{get_user_model().USERNAME_FIELD: username})
        .first()
    )


def _signed_in(sender, request, user, **kwargs):
    record(Kind.SIGNED_IN, request, user=user)
    if request is not None and hasattr(request, "session"):
        sessions.start(request)
        two_factor.note_at_sign_in(request, user)


def _failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username") or "")
    record(
        Kind.SIGN_IN_FAILED,
        request,
        user=_account_named(username),
        username=username,
    )


def _signed_out(sender, request, user, **kwargs):
    # A session ended for inactivity is recorded as that, not as signing out.
    if user is not None and not getattr(request, "signed_out_for_inactivity", False):
        record(Kind.SIGNED_OUT, request, user=user)


def _locked_out(sender, request, username, ip_address, **kwargs):
    record(
        Kind.LOCKED_OUT,
        request,
        user=_account_named(username),
        username=username or "",
    )


def connect():
    user_logged_in.connect(_signed_in, dispatch_uid="accounts_signed_in")
    user_login_failed.connect(_failed, dispatch_uid="accounts_sign_in_failed")
    user_logged_out.connect(_signed_out, dispatch_uid="accounts_signed_out")
    user_locked_out.connect(_locked_out, dispatch_uid="accounts_locked_out")
