"""Fetching objects for a request, with the access rules in one place.

Out of scope is 404 (``visible_to``); in scope but not allowed is 403.
"""

import copy
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404

from improvement.base_models import EditConflict
from improvement.forms_base import rebind_at_version
from improvement.history import changes_since_version
from improvement.models import Action
from improvement.permissions import can_update_action, is_manager


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
    if for_edit and not (
        is_manager(request.user) and request.user.has_perm("improvement.change_action")
    ):
        raise PermissionDenied
    return action


@dataclass
class Edit:
    """The outcome of an edit form: saved, refused over a newer change, or shown.

    ``stored`` is the record as stored, untouched by what was typed (for
    captions and links); after a conflict it is the newer version.
    ``conflict`` lists what others changed, or is None.
    """

    stored: object
    form: object
    conflict: list | None = None
    saved: bool = False

    @property
    def status(self):
        return 409 if self.conflict is not None else 200


def edit_with_version(request, fetch, form_class, *, describe_conflict=None):
    """Bind ``form_class`` to the record ``fetch()`` returns and save it if valid.

    The save goes through only if nobody saved a change since the person
    opened the form (the form's hidden version); otherwise the form comes back
    with their input, at the newer version, and what the others changed.
    """
    describe_conflict = describe_conflict or changes_since_version
    record = fetch()
    stored = copy.copy(record)  # the form writes what was typed onto ``record``
    form = form_class(request.POST or None, instance=record)
    if request.method != "POST" or not form.is_valid():
        return Edit(stored=stored, form=form)
    version = form.cleaned_data["version"]
    try:
        with transaction.atomic():
            form.save(commit=False).save_if_current(version)
            form.save_m2m()
    except EditConflict:
        fresh = fetch()
        return Edit(
            stored=fresh,
            form=rebind_at_version(
                form_class, request.POST, fresh.version, instance=fresh
            ),
            conflict=describe_conflict(fresh, version),
        )
    return Edit(stored=record, form=form, saved=True)
