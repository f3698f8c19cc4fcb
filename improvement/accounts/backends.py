"""Signing in with a username and password, and what a person may do.

``RoleBackend`` is Django's ``ModelBackend`` reading a person's permissions
in one query instead of two. People get their permissions from their roles
(groups), and every page asks what they may do, so the second query (the
permissions given to the person directly) was paid on every request.
"""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission


class RoleBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        """``ModelBackend.get_all_permissions``: the same set, one query."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            names = ("content_type__app_label", "codename")
            if user_obj.is_superuser:
                rows = Permission.objects.values_list(*names)
            else:
                # A union of two lookups, each by the person's own rows: an OR
                # of the two would join every member of every role first.
                by_role = Permission.objects.filter(group__user=user_obj)
                given = Permission.objects.filter(user=user_obj)
                rows = (
                    by_role.values_list(*names)
                    .order_by()
                    .union(given.values_list(*names).order_by())
                )
            user_obj._perm_cache = {f"{app}.{codename}" for app, codename in rows}
        return user_obj._perm_cache
