"""Views of the improvement plan, one module per area of the service."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LogoutView
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from improvement.kernel.permissions import updates_own_actions
from improvement.kernel.timeline import timeline_page


@login_not_required
@never_cache
def health(request):
    """Health check for load balancers: the app is up and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_safe
def home(request):
    """Where sign-in lands: an officer's own actions, otherwise the dashboard.

    Officers linked to an owner start from My actions; improvement managers,
    board members and everyone else start from the dashboard.
    """
    if updates_own_actions(request.user):
        return redirect("improvement:my_actions")
    return redirect("improvement:dashboard")


# When the accessibility statement was prepared, and the service last tested
# against it. Change both when the statement is reviewed.
STATEMENT_PREPARED = datetime.date(2026, 12, 2)


@login_not_required
@require_safe
def accessibility(request):
    """The accessibility statement that the Public Sector Bodies (Websites and
    Mobile Applications) (No. 2) Accessibility Regulations 2018 require,
    readable without signing in. It follows GOV.UK's model statement."""
    return render(
        request,
        "pages/accessibility.html",
        {
            "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
            "reply_days": settings.ACCESSIBILITY_REPLY_DAYS,
            "site_url": settings.SITE_URL,
            "prepared": STATEMENT_PREPARED,
        },
    )


@login_not_required
@require_safe
def privacy(request):
    """The privacy notice: what the service keeps about the people who use
    it, why, for how long, and their rights. Readable without signing in."""
    return render(
        request,
        "pages/privacy.html",
        {
            "contact_email": settings.PRIVACY_CONTACT_EMAIL,
            "idle_minutes": settings.SESSION_IDLE_MINUTES,
            "session_hours": settings.SESSION_COOKIE_AGE // 3600,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
    )


class SignOutView(LogoutView):
    """Sign out (POST only), and say so on the sign-in page it returns to."""

    def post(self, request, *args, **kwargs):
        was_signed_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_signed_in:
            # Messages live in a cookie first, so this one outlives the
            # session that signing out has just ended.
            messages.success(request, "You have signed out")
        return response


def history_page(
    request, obj, timeline, *, url=None, breadcrumbs=(), show_subject=False
):
    """The history page of ``obj`` (``<object url>history/``): every change in
    ``timeline``, newest first, a page at a time.

    The caller finds ``obj`` exactly as its detail page does, so the page is
    refused (403 or 404) exactly as the detail page is. ``url`` is the
    object's page (by default ``obj.get_absolute_url()``); ``breadcrumbs`` are
    ``(label, url)`` pairs leading to it.
    """
    page_obj = timeline_page(timeline, request.GET.get("page"))
    return render(
        request,
        "layouts/history.html",
        {
            "object": obj,
            "object_url": url or obj.get_absolute_url(),
            "page_obj": page_obj,
            "breadcrumbs": breadcrumbs,
            "show_subject": show_subject,
        },
    )
