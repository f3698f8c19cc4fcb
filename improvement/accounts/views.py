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
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods, require_safe

from improvement.accounts import two_factor
from improvement.accounts.events import record
from improvement.accounts.forms import setup_form, verify_form
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
        {
            "groups": [group.name for group in request.user.groups.all()],
            "has_second_factor": two_factor.has_second_factor(request.user),
            "second_factor_required": two_factor.required_for(request.user),
        },
    )


# ---------------------------------------------------------------------------
# Two-factor sign-in
# ---------------------------------------------------------------------------


def _next_url(request, default="home"):
    """Where to go after giving a code: the page asked for, if it is ours."""
    wanted = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(
        REDIRECT_FIELD_NAME
    )
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse(default)


@require_safe
def two_factor_status(request):
    """The person's second factor: set up or not, and their recovery codes."""
    user = request.user
    return render(
        request,
        "accounts/two_factor.html",
        {
            "has_second_factor": two_factor.has_second_factor(user),
            "required": two_factor.required_for(user),
            "codes_left": len(two_factor.recovery_codes(user)),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def two_factor_setup(request):
    """Set up an authenticator app (or a new one): scan, then give its code."""
    user = request.user
    if two_factor.has_second_factor(user) and not two_factor.is_verified(request):
        # Someone with only the password must not replace the second factor.
        return redirect("two_factor_verify")
    device = two_factor.pending_device(user)
    form = setup_form(device, request.POST if request.method == "POST" else None)
    if form.is_valid():
        two_factor.confirm(request, device)
        record(SignInEvent.Kind.TWO_FACTOR_ADDED, request, user=user)
        messages.success(
            request,
            "Two-factor sign-in is set up. Keep your recovery codes somewhere safe.",
        )
        after = urlencode({REDIRECT_FIELD_NAME: _next_url(request, "account")})
        return redirect(f"{reverse('recovery_codes')}?{after}")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_code": two_factor.qr_code_svg(device),
            "secret_key": two_factor.secret_key(device),
            "required": two_factor.required_for(user),
            "replacing": two_factor.has_second_factor(user),
            "next": _next_url(request),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def two_factor_verify(request):
    """Give the code from the app, or a recovery code, after the password."""
    if two_factor.is_verified(request) or not two_factor.has_second_factor(
        request.user
    ):
        return redirect(_next_url(request))
    form = verify_form(request, request.POST if request.method == "POST" else None)
    if form.is_valid():
        return redirect(_next_url(request))
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": _next_url(request)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def recovery_codes(request):
    """The person's unused recovery codes; posting makes ten new ones."""
    user = request.user
    if not two_factor.has_second_factor(user):
        return redirect("two_factor")
    if request.method == "POST":
        two_factor.new_recovery_codes(user)
        messages.success(
            request, "You have new recovery codes. The old ones no longer work."
        )
        return redirect("recovery_codes")
    return render(
        request,
        "accounts/recovery_codes.html",
        {
            "codes": two_factor.recovery_codes(user),
            "next": _next_url(request, "account"),
        },
    )


@require_safe
def recovery_codes_download(request):
    """The unused recovery codes as a text file to keep."""
    user = request.user
    if not two_factor.has_second_factor(user):
        return redirect("two_factor")
    response = render(
        request,
        "accounts/recovery_codes.txt",
        {"codes": two_factor.recovery_codes(user)},
        content_type="text/plain; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="recovery-codes.txt"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def two_factor_remove(request):
    """Turn off two-factor sign-in, for someone whose role does not need it."""
    user = request.user
    required = two_factor.required_for(user)
    if request.method == "POST":
        if required:
            raise PermissionDenied("Your role needs two-factor sign-in.")
        if two_factor.has_second_factor(user):
            two_factor.remove(user, request)
            record(SignInEvent.Kind.TWO_FACTOR_REMOVED, request, user=user)
            messages.success(request, "Two-factor sign-in is turned off.")
        return redirect("two_factor")
    return render(
        request,
        "accounts/two_factor_remove.html",
        {"required": required, "has_second_factor": two_factor.has_second_factor(user)},
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
