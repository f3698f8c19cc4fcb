"""Views of the improvement plan."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from improvement.models import Action, Owner, Plan, Priority


@login_not_required
@never_cache
def health(request):
    """Health check for load balancers: the app is up and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def home(request):
    """Landing page after sign-in."""
    plans = Plan.objects.visible_to(request.user)
    return render(request, "improvement/home.html", {"plans": plans})


def plan_detail(request, pk):
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=pk)
    return render(request, "improvement/plan_detail.html", {"plan": plan})


def priority_detail(request, pk):
    priority = get_object_or_404(Priority.objects.select_related("plan"), pk=pk)
    return render(request, "improvement/priority_detail.html", {"priority": priority})


def action_detail(request, pk):
    action = get_object_or_404(Action.objects.visible_to(request.user), pk=pk)
    return render(request, "improvement/action_detail.html", {"action": action})


def owner_detail(request, pk):
    owner = get_object_or_404(Owner, pk=pk)
    return render(request, "improvement/owner_detail.html", {"owner": owner})
