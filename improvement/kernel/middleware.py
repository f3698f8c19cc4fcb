"""Server-wide guards: only GET, HEAD and POST; nothing signed-in is cached;
read-only roles post nothing."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.urls import Resolver404, resolve
from django.utils.cache import add_never_cache_headers

# Signing in and out, the health check and the public pages, whatever the
# person's roles.
ALWAYS_ALLOWED = {
    "login",
    "logout",
    "health",
    # The accessibility statement and privacy notice, which anyone may read.
    "accessibility",
    "privacy",
    # A person's own account and password, whatever their role.
    "account",
    "password_change",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    # Two-factor sign-in: setting it up, giving a code, recovery codes.
    "two_factor",
    "two_factor_setup",
    "two_factor_verify",
    "two_factor_remove",
    "recovery_codes",
    "recovery_codes_download",
}
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Pages that are not cached even for someone not signed in.
NEVER_CACHED = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


#: The only methods any page answers; forms post, everything else is read.
METHODS = ("GET", "HEAD", "POST")


def known_methods_only(get_response):
    """Refuse (405) any method but GET, HEAD and POST, on every URL.

    Pages written as plain functions treat anything that is not a POST as
    a read, so TRACE, PUT or DELETE would otherwise be answered like GET.
    """

    def middleware(request):
        if request.method not in METHODS:
            return HttpResponseNotAllowed(METHODS)
        return get_response(request)

    return middleware


def no_store_when_signed_in(get_response):
    """Mark every response to a signed-in person as not to be kept.

    Pages, exports, PDFs and refusals alike get ``Cache-Control: no-store``
    (with ``private`` and ``no-cache``), so a shared computer's browser cache
    and any proxy keep nothing of the plan after the person signs out. The
    sign-in and sign-out pages are treated the same. Static files never get
    here (WhiteNoise answers them first) and stay cacheable; so does anything
    else served to someone not signed in, such as the health check.
    """

    def middleware(request):
        signed_in = _signed_in(request)
        response = get_response(request)
        if signed_in or _signed_in(request) or _url_name(request) in NEVER_CACHED:
            add_never_cache_headers(response)
        return response

    return middleware


def _signed_in(request):
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


def read_only_roles(get_response):
    """Refuse (403) what a person's roles do not allow, on every URL.

    * Someone signed in with no role at all is refused every page (the 403
      page tells them their account has no role yet), not shown empty lists
      on some pages and refused on others.
    * Board members may view everything and change nothing: every change
      request from someone with no add or change right is refused.

    Views check their own permissions too; this makes the rules hold for
    every URL, including ones added later. Signing in and out, the health
    check and Django admin (which has its own sign-in for staff) are left to
    themselves.
    """

    def middleware(request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_superuser
            and _url_name(request) not in ALWAYS_ALLOWED
            and not _is_admin(request)
        ):
            permissions = user.get_all_permissions()
            if not permissions:
                raise PermissionDenied
            if request.method in UNSAFE_METHODS and not _may_change_anything(
                permissions
            ):
                raise PermissionDenied
        return get_response(request)

    return middleware


def _is_admin(request):
    match = resolved(request)
    return match is not None and match.namespace == "admin"


def _url_name(request):
    match = resolved(request)
    return match and match.url_name


def resolved(request):
    """The URL's match (None for an unknown URL), worked out once a request:
    the middleware asks before Django's handler has set ``resolver_match``."""
    if not hasattr(request, "_resolved"):
        try:
            request._resolved = resolve(request.path_info)
        except Resolver404:
            request._resolved = None
    return request._resolved


def _may_change_anything(permissions):
    return any(
        codename.split(".", 1)[1].startswith(("add_", "change_", "delete_"))
        for codename in permissions
    )
