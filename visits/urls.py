"""Routes for inspections and visits."""

from django.urls import path

from visits import views

app_name = "visits"

urlpatterns = [
    path("inspections/", views.inspection_list, name="inspection_list"),
    path("inspections/add/", views.inspection_create, name="inspection_create"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path(
        "inspections/<int:pk>/history/",
        views.inspection_history,
        name="inspection_history",
    ),
    path(
        "inspections/<int:pk>/edit/",
        views.inspection_edit,
        name="inspection_edit",
    ),
    path(
        "monitoring-visits/add/",
        views.monitoringvisit_create,
        name="monitoringvisit_create",
    ),
    path(
        "monitoring-visits/<int:pk>/",
        views.monitoringvisit_detail,
        name="monitoringvisit_detail",
    ),
    path(
        "monitoring-visits/<int:pk>/history/",
        views.monitoringvisit_history,
        name="monitoringvisit_history",
    ),
    path(
        "monitoring-visits/<int:pk>/edit/",
        views.monitoringvisit_edit,
        name="monitoringvisit_edit",
    ),
]
