"""Routes of the improvement-plan app."""

from django.urls import path

from improvement import views

app_name = "improvement"

urlpatterns = [
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("priorities/<int:pk>/", views.priority_detail, name="priority_detail"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("owners/<int:pk>/", views.owner_detail, name="owner_detail"),
]
