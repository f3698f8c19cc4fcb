"""Django admin for audits and practice weeks, each with its history."""

from django.contrib import admin

from improvement.audits.models import Audit, PracticeWeek
from improvement.kernel.admin import VersionedAdmin


@admin.register(PracticeWeek)
class PracticeWeekAdmin(VersionedAdmin):
    list_display = ["practice_issue", "plan", "start_date", "end_date"]
    list_filter = ["plan"]
    search_fields = ["practice_issue", "principles", "outcome"]
    list_select_related = ["plan"]
    date_hierarchy = "start_date"


@admin.register(Audit)
class AuditAdmin(VersionedAdmin):
    list_display = [
        "case_reference",
        "audit_date",
        "team",
        "grade",
        "moderated_grade",
        "plan",
    ]
    list_filter = ["plan", "grade", "moderated_grade", "team"]
    search_fields = ["case_reference", "team"]
    list_select_related = ["plan"]
    autocomplete_fields = ["auditor", "actions", "practice_week"]
    date_hierarchy = "audit_date"
