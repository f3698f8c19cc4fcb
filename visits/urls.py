"""Routes for inspections and visits."""

from django.urls import path

from visits import views

app_name = "visits"

urlpatterns = [
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path(
        "monitoring-visits/<int:pk>/",
        views.monitoringvisit_detail,
        name="monitoringvisit_detail",
    ),
]
