"""The service navigation: the sections of the site each person may open.

Each link needs the rule its page needs (``improvement.kernel.permissions``),
so someone with no role yet gets no links to pages that would only refuse
them. Used by ``{% service_navigation %}`` in every page's header.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from improvement.kernel.permissions import (
    can_change_actions,
    can_view_actions,
    can_view_audits,
    can_view_findings,
    can_view_inspections,
    can_view_measures,
    can_view_meetings,
    can_view_plans,
)


@dataclass(frozen=True)
class _NavLink:
    """An entry in the service navigation and who may see it."""

    label: str
    url_name: str
    may_see: Callable | None = None  # a rule from improvement.kernel.permissions
    staff_only: bool = False
    exact: bool = False  # active only on the page itself, not pages below it


SERVICE_NAVIGATION = (
    # Each link needs the rule its page needs: someone with no role yet gets
    # no links to pages that would only refuse them.
    _NavLink("Dashboard", "improvement:dashboard", can_view_actions, exact=True),
    _NavLink("My actions", "improvement:my_actions", can_change_actions),
    _NavLink("Actions", "improvement:action_list", can_view_actions),
    _NavLink("Findings", "findings:finding_list", can_view_findings),
    _NavLink("Inspections and visits", "visits:inspection_list", can_view_inspections),
    _NavLink("Plans", "improvement:plan_list", can_view_plans),
    _NavLink("Measures", "measures:measure_list", can_view_measures),
    _NavLink("Audits", "audits:audit_list", can_view_audits),
    _NavLink("Meetings", "meetings:meeting_list", can_view_meetings),
    _NavLink("Recent changes", "improvement:change_list", can_view_actions),
    _NavLink("Admin", "admin:index", staff_only=True),
)


def navigation_items(request):
    """The service navigation links the signed-in user may follow.

    Returns a list of dicts with ``label``, ``url``, ``active`` (this section is the one
    being shown) and ``current`` (this exact page is being shown). Anonymous users get
    no links. A mistyped route name is an error, not a missing link. The section whose
    URL is the longest prefix of the current path is active, judged over every section,
    shown or not: on My actions (``/actions/mine/``) someone without that link sees no
    section active, not Actions.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []

    items, every = [], []
    for link in SERVICE_NAVIGATION:
        url = reverse(link.url_name)
        item = {"label": link.label, "url": url, "exact": link.exact}
        every.append(item)
        if link.staff_only and not user.is_staff:
            continue
        if link.may_see and not link.may_see(user):
            continue
        items.append(item)

    path = request.path
    matches = [
        item
        for item in every
        if path == item["url"] or (not item["exact"] and path.startswith(item["url"]))
    ]
    active = max(matches, key=lambda item: len(item["url"]), default=None)
    return [
        {
            "label": item["label"],
            "url": item["url"],
            "active": item is active,
            "current": item is active and path == item["url"],
        }
        for item in items
    ]
