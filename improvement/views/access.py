"""Fetching objects for a request, with the access rules in one place.

Out of scope is 404 (``visible_to``); in scope but not allowed is 403.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from improvement.models import Action
from improvement.permissions import can_update_action, is_manager


def get_action(request, pk, *, for_update=False, for_edit=False):
    """The action ``pk`` if the user may see it; 403 if they may not change it.

    ``for_update``: progress, status, RAG, impact, due date and links (officers
    on their own actions, managers on any). ``for_edit``: the action's own
    details (improvement managers only).
    """
    action = get_object_or_404(
        Action.objects.visible_to(request.user).select_related(
            "plan", "priority", "lead_owner"
        ),
        pk=pk,
    )
    if for_update and not can_update_action(request.user, action):
        raise PermissionDenied
    if for_edit and not (
        is_manager(request.user) and request.user.has_perm("improvement.change_action")
    ):
        raise PermissionDenied
    return action
