"""Django admin for the improvement plan, each model with its history.

Administrators manage users and groups here too (Django's own admin). Changes
made here are recorded with the signed-in administrator, like web changes.
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.utils.functional import lazy

from improvement.kernel.admin import (
    VersionedAdmin,
    VersionedAdminForm,
    VersionedInlineMixin,
)
from improvement.plan.models import Action, Owner, Plan, Priority, ProgressUpdate


def _admin_title():
    """“Golden Thread administration”, with the council's name for the service."""
    return f"{settings.SERVICE_NAME} administration"


admin.site.site_header = lazy(_admin_title, str)()
admin.site.site_title = lazy(_admin_title, str)()


@admin.register(Owner)
class OwnerAdmin(VersionedAdmin):
    list_display = ["name", "job_title", "team", "organisation", "user", "is_active"]
    list_filter = ["is_active", "organisation"]
    search_fields = ["name", "job_title", "team", "organisation", "email"]
    autocomplete_fields = ["user"]
    list_select_related = ["user"]


class PriorityInline(VersionedInlineMixin, admin.TabularInline):
    model = Priority
    extra = 0
    fields = ["number", "title", "lead_owner"]
    autocomplete_fields = ["lead_owner"]


@admin.register(Plan)
class PlanAdmin(VersionedAdmin):
    list_display = ["name", "status", "start_date", "end_date"]
    list_filter = ["status"]
    search_fields = ["name", "description"]
    # The inspections, visits and reviews the plan answers.
    filter_horizontal = ["inspections", "visits"]
    inlines = [PriorityInline]


@admin.register(Priority)
class PriorityAdmin(VersionedAdmin):
    list_display = ["__str__", "plan", "lead_owner"]
    list_filter = ["plan"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["lead_owner"]
    list_select_related = ["plan", "lead_owner"]


class ActionAdminForm(VersionedAdminForm):
    """Adds the reason for a change, which the history keeps.

    A reason is required when the due date moves.
    """

    change_reason = forms.CharField(
        label="Reason for this change",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when you move the due date. Kept in the history.",
    )

    class Meta:
        model = Action
        fields = [
            "plan",
            "priority",
            "reference",
            "title",
            "description",
            "success_measure",
            "lead_owner",
            "supporting_owners",
            "start_date",
            "original_due_date",
            "due_date",
            "status",
            "status_reason",
            "rag",
            "impact",
            "impact_evidence",
            "findings",
        ]

    def clean(self):
        cleaned = super().clean()
        moved = (
            self.instance.pk
            and "due_date" in self.changed_data
            and cleaned.get("due_date") is not None
        )
        if moved and not cleaned.get("change_reason", "").strip():
            self.add_error("change_reason", "Give a reason for moving the due date")
        return cleaned


class ProgressUpdateInline(admin.StackedInline):
    """Progress updates are append-only: existing ones are read-only here."""

    model = ProgressUpdate
    extra = 0
    fields = ["update_date", "status", "rag", "narrative", "evidence_url", "author"]
    readonly_fields = ["author"]
    ordering = ["-update_date", "-pk"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Action)
class ActionAdmin(VersionedAdmin):
    form = ActionAdminForm
    list_display = [
        "reference",
        "title",
        "plan",
        "priority",
        "lead_owner",
        "status",
        "rag",
        "due_date",
    ]
    list_filter = ["plan", "status", "rag", "impact", "priority"]
    search_fields = ["reference", "title", "description"]
    list_select_related = ["plan", "priority", "lead_owner"]
    ordering = Action.REFERENCE_ORDER
    autocomplete_fields = ["lead_owner", "supporting_owners", "findings", "priority"]
    inlines = [ProgressUpdateInline]
    date_hierarchy = "due_date"

    def get_readonly_fields(self, request, obj=None):
        # The original due date is set once, when the action is added.
        return ["original_due_date"] if obj else []

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data.get("change_reason", "").strip()
        if reason:
            obj._change_reason = reason
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, ProgressUpdate) and instance.author_id is None:
                instance.author = request.user
            instance.save()
        formset.save_m2m()


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(VersionedAdmin):
    """Progress updates can be added and read, never changed or deleted."""

    list_display = ["action", "update_date", "status", "rag", "author"]
    list_filter = ["status", "rag", "action__plan"]
    search_fields = ["narrative", "action__reference", "action__title"]
    list_select_related = ["action", "author"]
    autocomplete_fields = ["action"]
    readonly_fields = ["author"]
    date_hierarchy = "update_date"

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)
