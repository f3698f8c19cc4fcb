"""Django admin for findings and themes, each with its history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from findings.models import Finding, Theme


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ["name"]
    search_fields = ["name", "description"]


@admin.register(Finding)
class FindingAdmin(SimpleHistoryAdmin):
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
