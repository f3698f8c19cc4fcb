"""Routes of the board's screens: dashboard, as at, trend, changes, drift."""

from django.urls import path

from improvement.views import board

urlpatterns = [
    path("dashboard/", board.dashboard, name="dashboard"),
    path("as-at/", board.as_at, name="as_at"),
    path("trend/", board.trend, name="trend"),
]
