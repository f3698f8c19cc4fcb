"""Fetching an action, or a plan named in the query, for a request, with the
access rules in one place.

Out of scope is 404 (``visible_to``); in scope but not allowed is 403.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from improvement.kernel.permissions import (
    can_edit_action,
    can_update_action,
)
from improvement.kernel.query import positive_int
from improvement.plan.models import Action, Plan


def get_action(request, pk, *, for_update=False, for_edit=False, queryset=None):
    """The action ``pk`` if the user may see it; 403 if they may not change it.

    ``for_update``: progress, status, RAG, impact, due date and links (officers
    on their own actions, managers on any). ``for_edit``: the action's own
    details (improvement managers only). ``queryset`` lets a page load what it
    shows in the same fetch.
    """
    if queryset is None:
        queryset = Action.objects.select_related("plan", "priority", "lead_owner")
    action = get_object_or_404(queryset.visible_to(request.user), pk=pk)
    if for_update and not can_update_action(request.user, action):
        raise PermissionDenied
    if for_edit and not can_edit_action(request.user):
        raise PermissionDenied
    return action


def plan_from_query(request):
    """The plan named by ``?plan=`` if the user may see it, else None.

    For pages that list one plan's records, or all plans' when none (or a
    tampered value) is given.
    """
    plan_id = positive_int(request.GET.get("plan"))
    if plan_id is None:
        return None
    return Plan.objects.visible_to(request.user).filter(pk=plan_id).first()
