"""Root URLconf: wires the apps together."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from improvement import app_urls, board_urls, insight_urls, report_urls, views

# The plan app's routes live in four modules (officer and manager screens,
# board screens, insight pages, documents and exports), one namespace.
improvement_patterns = (
    app_urls.urlpatterns
    + board_urls.urlpatterns
    + report_urls.urlpatterns
    + insight_urls.urlpatterns,
    "improvement",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("sign-in/", auth_views.LoginView.as_view(), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include(improvement_patterns)),
    path("", include("findings.urls")),
    path("", include("visits.urls")),
]
