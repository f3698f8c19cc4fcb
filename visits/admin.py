"""Django admin for inspections, judgements and visits, each with its history."""

from django.contrib import admin

from improvement.kernel.admin import (
    VersionedAdmin,
    VersionedInlineMixin,
)
from visits.models import Inspection, Judgement, MonitoringVisit


class JudgementInline(VersionedInlineMixin, admin.TabularInline):
    model = Judgement
    extra = 0
    fields = ["position", "area", "grade"]


@admin.register(Inspection)
class InspectionAdmin(VersionedAdmin):
    list_display = ["title", "framework", "start_date", "end_date", "overall_judgement"]
    list_filter = ["framework", "overall_judgement", "inspectorate"]
    search_fields = ["title", "summary"]
    date_hierarchy = "start_date"
    inlines = [JudgementInline]


@admin.register(Judgement)
class JudgementAdmin(VersionedAdmin):
    list_display = ["area", "grade", "inspection"]
    list_filter = ["grade", "inspection"]
    search_fields = ["area"]
    list_select_related = ["inspection"]


@admin.register(MonitoringVisit)
class MonitoringVisitAdmin(VersionedAdmin):
    list_display = ["__str__", "kind", "sequence", "start_date", "inspection"]
    list_filter = ["kind", "inspection"]
    search_fields = ["areas_covered", "summary", "inspectors"]
    list_select_related = ["inspection"]
    date_hierarchy = "start_date"
