"""The sign-in record in Django admin: to read, never to change.

Lockouts (django-axes' access attempts and lockouts) are in admin too,
under "Axes", where an administrator can see them and clear one by
deleting it.
"""

from django.contrib import admin

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
