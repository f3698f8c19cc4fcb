"""Routes of the improvement plan app: actions, plans, priorities and owners."""

from django.urls import path
from django.views.generic import RedirectView

from improvement.plan import links
from improvement.plan.views import actions, plans

app_name = "improvement"

urlpatterns = [
    path("actions/", actions.action_list, name="action_list"),
    path("actions/mine/", actions.my_actions, name="my_actions"),
    path("actions/add/", actions.action_create, name="action_create"),
    path("actions/<int:pk>/", actions.action_detail, name="action_detail"),
    path("actions/<int:pk>/progress/", actions.action_progress, name="action_progress"),
    # Where recording progress lived before: kept for bookmarks and emails.
    path(
        "actions/<int:pk>/update/",
        RedirectView.as_view(
            pattern_name="improvement:action_progress", permanent=True
        ),
    ),
    path("actions/<int:pk>/history/", actions.action_history, name="action_history"),
    path("actions/<int:pk>/edit/", actions.action_edit, name="action_edit"),
    path("actions/<int:pk>/findings/", links.action_findings, name="action_findings"),
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/add/", plans.plan_create, name="plan_create"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/history/", plans.plan_history, name="plan_history"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("priorities/add/", plans.priority_create, name="priority_create"),
    path("priorities/<int:pk>/", plans.priority_detail, name="priority_detail"),
    path(
        "priorities/<int:pk>/history/", plans.priority_history, name="priority_history"
    ),
    path("priorities/<int:pk>/edit/", plans.priority_edit, name="priority_edit"),
    path("owners/", plans.owner_list, name="owner_list"),
    path("owners/add/", plans.owner_create, name="owner_create"),
    path("owners/<int:pk>/", plans.owner_detail, name="owner_detail"),
    path("owners/<int:pk>/history/", plans.owner_history, name="owner_history"),
    path("owners/<int:pk>/edit/", plans.owner_edit, name="owner_edit"),
]
