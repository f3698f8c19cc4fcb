"""Django admin for meetings and their record, each with its history."""

from django.contrib import admin

from improvement.kernel.admin import VersionedAdmin
from improvement.meetings.models import (
    ActionArising,
    AgendaItem,
    Body,
    Decision,
    Meeting,
    Question,
    Reminder,
    ReminderChoice,
)


@admin.register(Body)
class BodyAdmin(VersionedAdmin):
    list_display = ["name", "is_board"]
    search_fields = ["name"]


@admin.register(Meeting)
class MeetingAdmin(VersionedAdmin):
    list_display = ["body", "date"]
    list_filter = ["body"]
    list_select_related = ["body"]
    search_fields = ["body__name", "notes"]
    autocomplete_fields = ["plans"]
    date_hierarchy = "date"


@admin.register(AgendaItem)
class AgendaItemAdmin(VersionedAdmin):
    list_display = ["title", "number", "meeting"]
    list_select_related = ["meeting__body"]
    search_fields = ["title"]
    autocomplete_fields = ["meeting"]


@admin.register(Decision)
class DecisionAdmin(VersionedAdmin):
    list_display = ["__str__", "agenda_item"]
    list_select_related = ["agenda_item"]
    search_fields = ["text"]
    autocomplete_fields = ["agenda_item"]


@admin.register(Question)
class QuestionAdmin(VersionedAdmin):
    list_display = ["__str__", "asked_by", "answered_on"]
    search_fields = ["text", "answer"]
    autocomplete_fields = ["agenda_item", "answered_by"]


@admin.register(ActionArising)
class ActionArisingAdmin(VersionedAdmin):
    list_display = ["__str__", "owner", "due_date", "status"]
    list_filter = ["status"]
    list_select_related = ["owner"]
    search_fields = ["description"]
    autocomplete_fields = ["agenda_item", "owner", "plan_action"]


@admin.register(ReminderChoice)
class ReminderChoiceAdmin(VersionedAdmin):
    list_display = ["owner", "frequency"]
    list_select_related = ["owner"]
    autocomplete_fields = ["owner"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """Reminders are a record of emails sent: read, never changed."""

    list_display = ["owner", "kind", "sent_at", "email", "subject"]
    list_filter = ["kind"]
    list_select_related = ["owner"]
    date_hierarchy = "sent_on"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
