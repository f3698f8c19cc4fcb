"""Root URLconf: wires the apps together."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from improvement.board import urls as board_urls
from improvement.kernel import views
from improvement.plan import urls as plan_urls

# The plan's own pages and the board's pages share one namespace.
improvement_patterns = (
    plan_urls.urlpatterns + board_urls.urlpatterns,
    "improvement",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("sign-in/", auth_views.LoginView.as_view(), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("", include("improvement.accounts.urls")),
    path("admin/", admin.site.urls),
    path("", include(improvement_patterns)),
    path("", include("improvement.measures.urls")),
    path("", include("improvement.audits.urls")),
    path("", include("improvement.imports.urls")),
    path("", include("improvement.meetings.urls")),
    path("", include("findings.urls")),
    path("", include("visits.urls")),
]
