"""Routes of the findings register."""

from django.urls import path

from findings import views

app_name = "findings"

urlpatterns = [
    path("findings/", views.finding_list, name="finding_list"),
    path("findings/add/", views.finding_create, name="finding_create"),
    path("findings/<int:pk>/", views.finding_detail, name="finding_detail"),
    path("findings/<int:pk>/edit/", views.finding_update, name="finding_update"),
    path("findings/<int:pk>/actions/", views.finding_actions, name="finding_actions"),
]
