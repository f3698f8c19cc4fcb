"""Server-wide guards: nothing signed-in is cached; read-only roles post nothing."""

from django.core.exceptions import PermissionDenied
from django.urls import Resolver404, resolve
from django.utils.cache import add_never_cache_headers

# Signing in and out are the only posts anyone may make regardless of role.
ALWAYS_ALLOWED = {"login", "logout"}
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Pages that are not cached even for someone not signed in.
NEVER_CACHED = {"login", "logout"}


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
    """Refuse every change request (403) from users with no add or change right.

    Board members may view everything and change nothing. Views check their
    own permissions too; this makes the rule hold for every URL, including
    ones added later, without relying on each view remembering it.
    """

    def middleware(request):
        user = getattr(request, "user", None)
        if (
            request.method in UNSAFE_METHODS
            and user is not None
            and user.is_authenticated
            and not user.is_superuser
            and not _may_change_anything(user)
            and _url_name(request) not in ALWAYS_ALLOWED
        ):
            raise PermissionDenied
        return get_response(request)

    return middleware


def _url_name(request):
    try:
        return resolve(request.path_info).url_name
    except Resolver404:
        return None


def _may_change_anything(user):
    return any(
        codename.split(".", 1)[1].startswith(("add_", "change_", "delete_"))
        for codename in user.get_all_permissions()
    )
