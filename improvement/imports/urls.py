"""Routes of importing a plan from a council's tracker, and an inspection's
or a visit's findings from a list."""

from django.urls import path

from improvement.imports import findings_views, views

app_name = "imports"

urlpatterns = [
    path("plans/<int:pk>/import/", views.plan_import, name="plan_import"),
    path(
        "imports/<int:pk>/columns/",
        views.importfile_columns,
        name="importfile_columns",
    ),
    path("imports/<int:pk>/check/", views.importfile_check, name="importfile_check"),
    path(
        "inspections/<int:pk>/import-findings/",
        findings_views.inspection_importfindings,
        name="inspection_importfindings",
    ),
    path(
        "monitoring-visits/<int:pk>/import-findings/",
        findings_views.monitoringvisit_importfindings,
        name="monitoringvisit_importfindings",
    ),
]
