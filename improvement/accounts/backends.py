"""Signing in with a username and password, and what a person may do.

``RoleBackend`` is Django's ``ModelBackend`` reading a person's permissions
in one query instead of two. People get their permissions from their roles
(groups), and every page asks what they may do, so the second query (the
permissions given to the person directly) was paid on every request.
"""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q


class RoleBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        """``ModelBackend.get_all_permissions``: the same set, one query."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                permissions = permissions.filter(
                    Q(user=user_obj) | Q(group__user=user_obj)
                )
            rows = (
                permissions.values_list("content_type__app_label", "codename")
                .order_by()
                .distinct()
            )
            user_obj._perm_cache = {f"{app}.{codename}" for app, codename in rows}
        return user_obj._perm_cache
