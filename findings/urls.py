"""Routes of the findings register."""

from django.urls import path

from findings import views

app_name = "findings"

urlpatterns = [
    path("findings/<int:pk>/", views.finding_detail, name="finding_detail"),
]
