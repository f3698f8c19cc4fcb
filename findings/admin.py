"""Django admin for findings and themes, each with its history."""

from django.contrib import admin

from findings.models import Finding, FindingJudgement, Theme
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


@admin.register(FindingJudgement)
class FindingJudgementAdmin(VersionedAdmin):
    list_display = ["finding", "monitoring_visit", "progress"]
    list_filter = ["progress", "monitoring_visit"]
    search_fields = ["finding__reference", "finding__title", "words"]
    list_select_related = ["finding", "monitoring_visit"]
    autocomplete_fields = ["finding"]
    ordering = ["-monitoring_visit__start_date", "finding__sort_key", "pk"]
