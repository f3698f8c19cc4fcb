"""A person's own account, and resetting a forgotten password."""

from django.urls import path

from improvement.accounts import views

urlpatterns = [
    path("account/", views.account, name="account"),
    path(
        "account/password/",
        views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns += [
    path("account/two-factor/", views.two_factor_status, name="two_factor"),
    path("account/two-factor/set-up/", views.two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/code/", views.two_factor_verify, name="two_factor_verify"),
    path(
        "account/two-factor/recovery-codes/",
        views.recovery_codes,
        name="recovery_codes",
    ),
    path(
        "account/two-factor/recovery-codes.txt",
        views.recovery_codes_download,
        name="recovery_codes_download",
    ),
    path(
        "account/two-factor/turn-off/",
        views.two_factor_remove,
        name="two_factor_remove",
    ),
]
