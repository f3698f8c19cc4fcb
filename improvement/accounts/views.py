"""Pages about a person's own account: its page, changing and resetting the
password, and the lockout page.

Changing and resetting a password are Django's own views, in GOV.UK
templates, recording each change in the sign-in record. A changed password
ends the person's other sessions: Django keeps a hash of the password in
each session and signs out any session whose hash no longer matches, and
the view that changes it keeps only the session that made the change.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import reverse_lazy
from django.views.decorators.http import require_safe

from improvement.accounts.events import record
from improvement.accounts.models import SignInEvent

Kind = SignInEvent.Kind


def locked_out(request, original_response=None, credentials=None):
    """The page django-axes shows instead of signing in, when locked (429)."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


@require_safe
def account(request):
    """The signed-in person's own account: who they are, and what they can change."""
    return render(
        request,
        "accounts/account.html",
        {"groups": [group.name for group in request.user.groups.all()]},
    )


NEW_PASSWORD_HINT = (
    "Use at least 12 characters. A few unrelated words together are easy to "
    "remember and hard to guess. Do not use a password you use anywhere else."
)


def _plain_labels(form):
    """GOV.UK labels and one plain hint instead of Django's list of rules."""
    labels = {
        "old_password": "Current password",
        "new_password1": "New password",
        "new_password2": "Confirm new password",
    }
    for name, label in labels.items():
        if name in form.fields:
            form.fields[name].label = label
            form.fields[name].help_text = ""
    form.fields["new_password1"].help_text = NEW_PASSWORD_HINT
    return form


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("account")

    def get_form(self, form_class=None):
        return _plain_labels(super().get_form(form_class))

    def form_valid(self, form):
        response = super().form_valid(form)
        record(Kind.PASSWORD_CHANGED, self.request, user=form.user)
        messages.success(
            self.request,
            "Your password has been changed. You have been signed out everywhere else.",
        )
        return response


def reset_minutes():
    """How long a reset link works, in minutes (PASSWORD_RESET_TIMEOUT)."""
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 60)


class ResetMinutesMixin:
    def get_context_data(self, **kwargs):
        return super().get_context_data(reset_minutes=reset_minutes(), **kwargs)


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link by email. Says the same whether or not the
    address belongs to an account, so it tells nobody who has one."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        matches = list(
            get_user_model()._default_manager.filter(email__iexact=email)[:2]
        )
        record(
            Kind.PASSWORD_RESET_REQUESTED,
            self.request,
            user=matches[0] if len(matches) == 1 else None,
            username=email,
        )
        self.extra_email_context = {
            "service_name": settings.SERVICE_NAME,
            "reset_minutes": reset_minutes(),
        }
        return super().form_valid(form)


class PasswordResetDoneView(ResetMinutesMixin, auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(ResetMinutesMixin, auth_views.PasswordResetConfirmView):
    """Choose a new password from an emailed link. The link works once (its
    token is made from the password it replaces) and only for
    PASSWORD_RESET_TIMEOUT seconds; a used or old link says so."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def get_form(self, form_class=None):
        return _plain_labels(super().get_form(form_class))

    def form_valid(self, form):
        response = super().form_valid(form)
        record(Kind.PASSWORD_RESET, self.request, user=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
