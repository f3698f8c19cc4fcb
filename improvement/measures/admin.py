"""Django admin for measures and their values, each with its history."""

from django import forms
from django.contrib import admin

from improvement.kernel.admin import VersionedAdmin, VersionedAdminForm
from improvement.measures.models import Measure, MeasureTarget, MeasureValue


@admin.register(MeasureTarget)
class MeasureTargetAdmin(VersionedAdmin):
    """The steps of each measure's target trajectory."""

    list_display = ["measure", "from_period", "target"]
    list_filter = ["measure__plan"]
    search_fields = ["measure__name"]
    list_select_related = ["measure"]
    autocomplete_fields = ["measure"]


@admin.register(Measure)
class MeasureAdmin(VersionedAdmin):
    list_display = ["name", "plan", "unit", "direction", "frequency", "target"]
    list_filter = ["plan", "unit", "frequency"]
    search_fields = ["name", "definition", "data_source"]
    list_select_related = ["plan"]
    autocomplete_fields = ["owner", "priorities", "actions", "findings"]


class MeasureValueAdminForm(VersionedAdminForm):
    """Adds the reason for a correction, which the history keeps."""

    change_reason = forms.CharField(
        label="Why the value is corrected",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when you change the value. Kept in the history.",
    )

    class Meta:
        model = MeasureValue
        fields = ["measure", "period", "value", "note"]

    def clean(self):
        cleaned = super().clean()
        corrected = self.instance.pk and "value" in self.changed_data
        if corrected and not cleaned.get("change_reason", "").strip():
            self.add_error("change_reason", "Say why the value is being corrected")
        return cleaned


@admin.register(MeasureValue)
class MeasureValueAdmin(VersionedAdmin):
    form = MeasureValueAdminForm
    list_display = ["measure", "period", "value"]
    list_filter = ["measure__plan"]
    search_fields = ["measure__name", "note"]
    list_select_related = ["measure"]
    autocomplete_fields = ["measure"]
    date_hierarchy = "period"

    def get_readonly_fields(self, request, obj=None):
        # A value belongs to its measure and period; only the value and note
        # are corrected.
        return ["measure", "period"] if obj else []

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data.get("change_reason", "").strip()
        if reason:
            obj._change_reason = reason
        super().save_model(request, obj, form, change)
