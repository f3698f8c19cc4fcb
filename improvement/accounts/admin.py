"""The sign-in record in Django admin: to read, never to change.

Lockouts (django-axes' access attempts and lockouts) are in admin too,
under "Axes", where an administrator can see them and clear one by
deleting it.
"""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from improvement.accounts import two_factor
from improvement.accounts.events import record
from improvement.accounts.models import SignInEvent


@admin.register(SignInEvent)
class SignInEventAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "username", "user", "address", "browser"]
    list_filter = ["kind", "at"]
    search_fields = ["username", "address"]
    date_hierarchy = "at"
    list_select_related = ["user"]
    readonly_fields = [f.name for f in SignInEvent._meta.fields]

    # Nobody adds, changes or deletes an event, superusers included: the
    # record is only worth something if it cannot be edited.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# ---------------------------------------------------------------------------
# People: Django's own user admin, with their two-factor sign-in and a page
# for an administrator to reset it when someone has lost their phone and
# their recovery codes.
# ---------------------------------------------------------------------------

User = get_user_model()
admin.site.unregister(User)
# django-otp's own device pages would show an administrator a person's
# secret key (and so let them make that person's codes): reset instead.
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


@admin.register(User)
class PersonAdmin(UserAdmin):
    readonly_fields = [*UserAdmin.readonly_fields, "two_factor_sign_in"]
    fieldsets = [
        *UserAdmin.fieldsets,
        ("Two-factor sign-in", {"fields": ["two_factor_sign_in"]}),
    ]

    @admin.display(description="Two-factor sign-in")
    def two_factor_sign_in(self, person):
        if person.pk is None or not two_factor.has_second_factor(person):
            required = person.pk is not None and two_factor.required_for(person)
            return "Not set up" + (" (their role needs it)" if required else "")
        url = reverse("admin:auth_user_two_factor_reset", args=[person.pk])
        return format_html('Set up. <a href="{}">Reset two-factor sign-in</a>', url)

    def get_urls(self):
        return [
            path(
                "<int:pk>/two-factor/reset/",
                self.admin_site.admin_view(self.two_factor_reset),
                name="auth_user_two_factor_reset",
            ),
            *super().get_urls(),
        ]

    def two_factor_reset(self, request, pk):
        """Remove a person's authenticator app and recovery codes, so they
        set up again at their next sign-in (required roles) or sign in with
        the password alone."""
        person = get_object_or_404(User, pk=pk)
        if not self.has_change_permission(request, person):
            raise PermissionDenied
        change_url = reverse("admin:auth_user_change", args=[person.pk])
        if request.method == "POST":
            two_factor.remove(person)
            record(SignInEvent.Kind.TWO_FACTOR_REMOVED, request, user=person)
            self.log_change(request, person, "Reset two-factor sign-in.")
            self.message_user(
                request,
                f"Two-factor sign-in for {person.get_username()} has been reset.",
                messages.SUCCESS,
            )
            return redirect(change_url)
        return TemplateResponse(
            request,
            "admin/accounts/two_factor_reset.html",
            {
                **self.admin_site.each_context(request),
                "title": "Reset two-factor sign-in",
                "person": person,
                "opts": self.opts,
                "change_url": change_url,
                "has_second_factor": two_factor.has_second_factor(person),
            },
        )
