"""Django admin for findings and themes, each with its history."""

from django.contrib import admin

from findings.models import Finding, Theme
from improvement.kernel.admin import (
    VersionedAdmin,
)


@admin.register(Theme)
class ThemeAdmin(VersionedAdmin):
    list_display = ["name"]
    search_fields = ["name", "description"]


@admin.register(Finding)
class FindingAdmin(VersionedAdmin):
    list_display = [
        "reference",
        "title",
        "kind",
        "priority",
        "inspection",
        "monitoring_visit",
    ]
    list_filter = ["kind", "priority", "themes", "inspection", "monitoring_visit"]
    search_fields = ["reference", "title", "text"]
    list_select_related = ["inspection", "monitoring_visit"]
    autocomplete_fields = ["themes"]
