"""The floor page ``benchmark`` compares every page with.

A signed-in GOV.UK page listing 50 of a plan's actions in the site's own
action table: what any page costs at least (the session, the layout, one
list). It is served only while ``benchmark`` runs, from a URLconf that adds
it to the site's own (``URLCONF``), so the site never offers it.
"""

from django.conf import settings
from django.shortcuts import render
from django.urls import include, path
from django.utils import timezone

from improvement.plan.models import Action

#: How many actions the floor page lists.
FLOOR_ACTIONS = 50

#: The URL name of the floor page, within ``URLCONF``.
FLOOR_URL_NAME = "benchmark_floor"

#: The URLconf ``benchmark`` serves: the site's own, and the floor page.
URLCONF = "improvement.demo.floor"


def floor(request, plan_pk):
    """The first 50 of a plan's actions, in the register's own table."""
    today = timezone.localdate()
    actions = Action.objects.filter(plan_id=plan_pk).for_list().with_signals(today)
    return render(
        request,
        "demo/floor.html",
        {"actions": actions.in_reference_order()[:FLOOR_ACTIONS], "today": today},
    )


urlpatterns = [
    path("benchmark-floor/<int:plan_pk>/", floor, name=FLOOR_URL_NAME),
    path("", include(settings.ROOT_URLCONF)),
]
