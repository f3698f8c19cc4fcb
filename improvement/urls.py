"""Root URLconf: wires the apps together."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from improvement import views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("sign-in/", auth_views.LoginView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("improvement.app_urls")),
    path("", include("findings.urls")),
    path("", include("visits.urls")),
]
