"""Server-wide guard: people whose roles change nothing can post nothing."""

from django.core.exceptions import PermissionDenied
from django.urls import Resolver404, resolve

# Signing in and out are the only posts anyone may make regardless of role.
ALWAYS_ALLOWED = {"login", "logout"}
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


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
