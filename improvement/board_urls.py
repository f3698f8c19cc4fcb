"""Routes of the board's screens: dashboard, as at, trend, changes, drift."""

urlpatterns = []
