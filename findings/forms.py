"""Forms improvement managers use on the findings register."""

from django import forms

from findings.models import Finding, FindingJudgement, Theme
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


#: The most visits a judgement form offers: every later visit of one
#: inspection is far fewer than this.
MAX_VISIT_CHOICES = 50


def later_visits(finding):
    """The visits that may judge ``finding``: of its inspection, after its source.

    Visits following up the same inspection as the finding's source (or,
    for a source that follows up none, visits that follow up none), that
    started after the source started, other than the source itself; oldest
    first, at most ``MAX_VISIT_CHOICES``. A queryset: no query until read.
    """
    source = finding.source
    if finding.inspection_id is not None:
        inspection_id = finding.inspection_id
    else:
        inspection_id = source.inspection_id
    visits = MonitoringVisit.objects.filter(
        start_date__gt=source.start_date, inspection_id=inspection_id
    ).exclude(pk=finding.monitoring_visit_id or 0)
    return visits.order_by("start_date", "sequence", "pk")[:MAX_VISIT_CHOICES]


class FindingJudgementForm(GovukMessagesMixin, VersionedFormMixin, forms.ModelForm):
    """Improvement managers record how a later visit judged a finding's progress.

    Only later visits of the finding's inspection are offered; any other id
    is refused beside the field. One judgement per finding per visit: the
    model's rule says so beside the visit.
    """

    constraint_fields = {"already has a judgement": "monitoring_visit"}

    class Meta:
        model = FindingJudgement
        fields = ["monitoring_visit", "progress", "words"]
        widgets = {
            "progress": forms.RadioSelect,
            "words": forms.Textarea(attrs={"rows": 6}),
        }
        labels = {
            "monitoring_visit": "Visit or review that judged it",
            "progress": "Progress judged",
            "words": "The visit's words",
        }
        help_texts = {
            "monitoring_visit": "Later visits and reviews of the same inspection.",
            "words": "As the letter or report puts it.",
        }
        error_messages = {
            "monitoring_visit": {
                "required": "Select the visit or review that judged this finding",
                "invalid_choice": "Select a later visit or review from the list",
            },
            "progress": {
                "required": "Select the progress the visit judged",
                "invalid_choice": "Select a progress judgement from the list",
            },
        }

    def __init__(self, *args, finding, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.finding = finding
        visit = self.fields["monitoring_visit"]
        visit.queryset = MonitoringVisit.objects.filter(
            pk__in=later_visits(finding).values("pk")
        ).order_by("start_date", "sequence", "pk")
        self.fields["words"].needed_when = "needed unless not yet tested"

    def _update_errors(self, errors):
        # Words the form already refused (control characters, too long) are
        # not also missing: one message beside the field.
        if "words" in self._errors and hasattr(errors, "error_dict"):
            errors.error_dict.pop("words", None)
        super()._update_errors(errors)

    def validate_unique(self):
        # The finding is not a field of the form, so Django leaves it out of
        # the check of (finding, visit); put it back.
        exclude = self._get_validation_exclusions() - {"finding"}
        try:
            self.instance.validate_unique(exclude=exclude)
            self.instance.validate_constraints(exclude=exclude)
        except forms.ValidationError as error:
            self._update_errors(error)
