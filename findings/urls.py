"""Routes of the findings register."""

from django.urls import path

from findings import answers, themes, views

app_name = "findings"

urlpatterns = [
    path("findings/", views.finding_list, name="finding_list"),
    path("findings/add/", views.finding_create, name="finding_create"),
    path("findings/<int:pk>/", views.finding_detail, name="finding_detail"),
    path("findings/<int:pk>/history/", views.finding_history, name="finding_history"),
    path("findings/<int:pk>/edit/", views.finding_edit, name="finding_edit"),
    path(
        "findings/<int:pk>/progress/",
        views.finding_judgement_create,
        name="finding_progress",
    ),
    path(
        "findings/judgements/<int:pk>/edit/",
        views.finding_judgement_edit,
        name="findingjudgement_edit",
    ),
    # Served by the plan app, which owns the link (see findings.answers).
    path("findings/<int:pk>/actions/", answers.links_page, name="finding_actions"),
    path("findings/themes/", themes.theme_list, name="theme_list"),
    path("findings/themes/add/", themes.theme_create, name="theme_create"),
    path("findings/themes/<int:pk>/", themes.theme_detail, name="theme_detail"),
    path(
        "findings/themes/<int:pk>/history/",
        themes.theme_history,
        name="theme_history",
    ),
    path("findings/themes/<int:pk>/edit/", themes.theme_edit, name="theme_edit"),
]
