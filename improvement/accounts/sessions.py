"""Signing people out after a time without activity, and after a fixed time.

A session ends after SESSION_IDLE_MINUTES (30) with no request from the
person, and in any case SESSION_COOKIE_AGE (8 hours) after they signed in,
however active they are. The sign-in page then says why. The time of the
last request is written to the session at most once a minute, so a page
does not write to the database on every request.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN = "last_seen"
# Write the time of the last request at most this often (seconds).
LAST_SEEN_STEP = 60


def start(request):
    """Note the time a session starts (called when someone signs in)."""
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now


def idle_sign_out(get_response):
    """Sign out a session that has been idle too long, or is too old."""

    def middleware(request):
        user = getattr(request, "user", None)
        idle_limit = settings.SESSION_IDLE_MINUTES * 60
        if idle_limit > 0 and user is not None and user.is_authenticated:
            _check(request, idle_limit)
        return get_response(request)

    return middleware


def _check(request, idle_limit):
    now = int(time.time())
    session = request.session
    last_seen = session.get(LAST_SEEN)
    signed_in_at = session.get(SIGNED_IN_AT)
    if last_seen is None or signed_in_at is None:
        start(request)
        return
    if now - last_seen > idle_limit:
        _end(
            request,
            "You were signed out because you had not used the service for "
            f"{settings.SESSION_IDLE_MINUTES} minutes. Sign in again to carry on.",
        )
    elif now - signed_in_at > settings.SESSION_COOKIE_AGE:
        hours = settings.SESSION_COOKIE_AGE / 3600
        _end(
            request,
            f"You were signed out because you signed in more than {hours:g} "
            "hours ago. Sign in again to carry on.",
        )
    elif now - last_seen >= LAST_SEEN_STEP:
        session[LAST_SEEN] = now


def _end(request, message):
    from improvement.accounts.events import Kind, record

    record(Kind.SESSION_EXPIRED, request, user=request.user)
    request.signed_out_for_inactivity = True
    logout(request)
    # Messages live in a cookie first, so this one outlives the session.
    messages.warning(request, message)
