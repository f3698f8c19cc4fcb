"""Forms improvement managers use on the findings register."""

from django import forms

from findings.models import Finding, Theme
from improvement.kernel.forms import GovukMessagesMixin, VersionedFormMixin
from improvement.kernel.query import RecordChoicesField
from visits.models import Inspection, MonitoringVisit


class FindingForm(GovukMessagesMixin, VersionedFormMixin, forms.ModelForm):
    """Improvement managers record a finding and the inspection or visit it came from.

    A finding comes from exactly one inspection or one visit; the model's own
    rules say so, and their messages appear beside the source fields.
    """

    constraint_fields = {"reference": "reference", "not both": "monitoring_visit"}

    class Meta:
        model = Finding
        fields = [
            "inspection",
            "monitoring_visit",
            "kind",
            "reference",
            "title",
            "text",
            "themes",
            "priority",
        ]
        field_classes = {"themes": RecordChoicesField}
        widgets = {
            "kind": forms.RadioSelect,
            "priority": forms.RadioSelect,
            "themes": forms.CheckboxSelectMultiple,
            "text": forms.Textarea(attrs={"rows": 6}),
            "reference": forms.TextInput(attrs={"class": "govuk-input--width-20"}),
        }
        labels = {
            "inspection": "Raised by an inspection",
            "monitoring_visit": "Or raised by a visit or review",
            "kind": "Kind of finding",
            "text": "Full text",
        }
        help_texts = {
            "inspection": "Choose the inspection or the visit that raised it, "
            "not both.",
            "text": "As the report or letter words it.",
            "themes": "Select all that apply.",
        }
        error_messages = {
            "inspection": {"invalid_choice": "Select an inspection from the list"},
            "monitoring_visit": {
                "invalid_choice": "Select a visit or review from the list"
            },
            "kind": {
                "required": "Select the kind of finding",
                "invalid_choice": "Select a kind of finding from the list",
            },
            "reference": {"required": "Enter a reference, for example R9"},
            "title": {"required": "Enter a title"},
            "themes": {"invalid_choice": "Select themes from the list"},
            "priority": {
                "required": "Select a priority",
                "invalid_choice": "Select a priority from the list",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        inspection = self.fields["inspection"]
        inspection.queryset = Inspection.objects.all()
        inspection.empty_label = "Not an inspection"
        visit = self.fields["monitoring_visit"]
        visit.queryset = MonitoringVisit.objects.all()
        visit.empty_label = "Not a visit or review"
        self.fields["themes"].queryset = Theme.objects.all()
        self.fields["themes"].required = False


class ThemeForm(GovukMessagesMixin, VersionedFormMixin, forms.ModelForm):
    """Improvement managers add a theme, or rename or describe one.

    Two themes may not share a name, whatever its capitals: the message says
    so beside the name.
    """

    class Meta:
        model = Theme
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        labels = {"name": "Name", "description": "Description"}
        help_texts = {
            "name": "For example, Supervision or Management oversight.",
            "description": "What findings with this theme have in common.",
        }
        error_messages = {
            "name": {
                "required": "Enter a name for the theme",
                "unique": "A theme with this name already exists",
            },
        }

    def clean_name(self):
        name = self.cleaned_data["name"]
        others = Theme.objects.filter(name__iexact=name)
        if self.instance.pk is not None:
            others = others.exclude(pk=self.instance.pk)
        existing = others.first()
        if existing is not None:
            raise forms.ValidationError(
                f"A theme called “{existing.name}” already exists. "
                "Enter a different name",
                "unique",
            )
        return name
