"""Routes of importing a plan from a council's tracker."""

from django.urls import path

from improvement.imports import views

app_name = "imports"

urlpatterns = [
    path("plans/<int:pk>/import/", views.plan_import, name="plan_import"),
    path(
        "imports/<int:pk>/columns/",
        views.importfile_columns,
        name="importfile_columns",
    ),
    path("imports/<int:pk>/check/", views.importfile_check, name="importfile_check"),
]
