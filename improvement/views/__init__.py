"""Views of the improvement plan, one module per area of the service."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache


@login_not_required
@never_cache
def health(request):
    """Health check for load balancers: the app is up and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def home(request):
    """Where sign-in lands: an officer's own actions, otherwise the register."""
    if request.user.has_perm("improvement.change_action") and hasattr(
        request.user, "owner"
    ):
        return redirect("improvement:my_actions")
    return redirect("improvement:action_list")
