"""Forms improvement managers use to record inspections, judgements and visits."""

from django import forms

from improvement.kernel.date_fields import GovukDateField
from improvement.kernel.forms import GovukMessagesMixin, VersionedFormMixin
from visits.models import Grade, Inspection, Judgement, MonitoringVisit


class InspectionForm(GovukMessagesMixin, VersionedFormMixin, forms.ModelForm):
    """Improvement managers record an inspection and its overall judgement."""

    start_date = GovukDateField(label="Start date", help_text="For example, 6 10 2025")
    end_date = GovukDateField(label="End date", help_text="For example, 17 10 2025")
    published_date = GovukDateField(
        label="Published date",
        required=False,
        help_text="The date the report was published, for example 28 11 2025",
    )

    class Meta:
        model = Inspection
        fields = [
            "title",
            "framework",
            "inspectorate",
            "start_date",
            "end_date",
            "published_date",
            "report_url",
            "overall_judgement",
            "summary",
        ]
        widgets = {
            "framework": forms.RadioSelect,
            "overall_judgement": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {
            "framework": "Type of inspection",
            "overall_judgement": "Overall judgement",
        }
        error_messages = {
            "title": {"required": "Enter a title, for example ILACS inspection 2025"},
            "framework": {
                "required": "Select the type of inspection",
                "invalid_choice": "Select a type of inspection from the list",
            },
            "inspectorate": {"required": "Enter the inspectorate, for example Ofsted"},
            "overall_judgement": {
                "invalid_choice": "Select an overall judgement from the list"
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Focused visits and JTAIs give no grades, so they are recorded as
        # visits or reviews; an inspection recorded under one keeps it.
        current = self.instance.framework if self.instance.pk else None
        self.fields["framework"].choices = [
            (value, label)
            for value, label in Inspection.Framework.choices
            if value not in Inspection.UNGRADED_FRAMEWORKS or value == current
        ]
        self.fields["framework"].help_text = (
            "Focused visits and joint targeted area inspections are not graded: "
            "record them as a visit or review."
        )
        self.fields["overall_judgement"].choices = [
            ("", "Not graded"),
            *Grade.choices,
        ]
        self.fields["summary"].help_text = "The report's main messages, in brief."


class JudgementForm(GovukMessagesMixin, VersionedFormMixin, forms.ModelForm):
    """One graded area of an inspection, as a row of the inspection form."""

    class Meta:
        model = Judgement
        fields = ["area", "grade"]
        labels = {"area": "Area judged"}
        error_messages = {
            "area": {"required": "Enter the area judged"},
            "grade": {
                "required": "Select a grade",
                "invalid_choice": "Select a grade from the list",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade"].choices = [("", "Select a grade"), *Grade.choices]
        # A new row has no version yet; an existing row must say which it edits.
        self.fields["version"].required = bool(self.instance.pk)


#: The most judgements one inspection may have (ILACS grades five areas).
MAX_JUDGEMENTS = 30


class BaseJudgementFormSet(forms.BaseInlineFormSet):
    """The judgements of one inspection, with GOV.UK wording for duplicates."""

    default_error_messages = {
        "missing_management_form": "The judgements could not be read. Reload the "
        "page and try again.",
        "too_many_forms": f"You can record up to {MAX_JUDGEMENTS} judgements",
        "too_few_forms": "Enter at least %(num)d judgement",
        "tampered": "The judgements could not be read. Reload the page and try again.",
    }

    def clean(self):
        super().clean()
        # A row may only name a judgement of this inspection, in its own place:
        # a hand-edited form (a stored row sent as a new one, another
        # inspection's row) must change nothing.
        for form in self.forms:
            named = getattr(form, "cleaned_data", {}).get("id")
            if named is not None and named.pk != form.instance.pk:
                raise forms.ValidationError(
                    self.error_messages["tampered"], code="tampered"
                )
        self._refuse_areas_graded_in_stored_rows()

    def _refuse_areas_graded_in_stored_rows(self):
        """A row may not grade an area a stored row not on this form grades."""
        if self.instance.pk is None:
            return
        on_form = [form.instance.pk for form in self.forms if form.instance.pk]
        stored = set(
            Judgement._base_manager.filter(inspection=self.instance)
            .exclude(pk__in=on_form)
            .values_list("area", flat=True)
        )
        for form in self.forms:
            area = getattr(form, "cleaned_data", {}).get("area")
            if area in stored and not self._should_delete_form(form):
                form.add_error(
                    "area", "This inspection already has a judgement for that area"
                )

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["id"].error_messages["invalid_choice"] = (
            "This judgement was removed by someone else. Reload the page to see "
            "the latest judgements."
        )
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this judgement"

    def get_unique_error_message(self, unique_check):
        return "Each area can only be graded once"

    def get_form_error(self):
        return "This area is already graded in another row"


JudgementFormSet = forms.inlineformset_factory(
    Inspection,
    Judgement,
    form=JudgementForm,
    formset=BaseJudgementFormSet,
    extra=3,
    max_num=MAX_JUDGEMENTS,
    # Never build more rows than this, whatever the submitted count says.
    absolute_max=MAX_JUDGEMENTS + 3,
    validate_max=True,
    can_delete=True,
)


class MonitoringVisitForm(GovukMessagesMixin, VersionedFormMixin, forms.ModelForm):
    """Improvement managers record a monitoring visit, review or audit."""

    constraint_fields = {"number": "sequence"}

    sequence = forms.IntegerField(
        label="Visit number",
        min_value=1,
        max_value=999,
        help_text="1 for the first visit of this kind after the inspection, and so on.",
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}
        ),
        error_messages={
            "required": "Enter the visit number",
            "invalid": "Visit number must be a whole number, like 2",
            "min_value": "Visit number must be 1 or more",
            "max_value": "Visit number must be 999 or less",
        },
    )
    start_date = GovukDateField(label="Start date", help_text="For example, 10 3 2026")
    end_date = GovukDateField(label="End date", help_text="For example, 11 3 2026")
    letter_date = GovukDateField(
        label="Letter date",
        required=False,
        help_text="The date of the letter or report, for example 14 4 2026",
    )

    class Meta:
        model = MonitoringVisit
        fields = [
            "kind",
            "sequence",
            "inspection",
            "start_date",
            "end_date",
            "inspectors",
            "areas_covered",
            "letter_date",
            "letter_url",
            "summary",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "inspectors": forms.Textarea(attrs={"rows": 3}),
            "areas_covered": forms.Textarea(attrs={"rows": 4}),
            "summary": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {
            "kind": "Kind of visit",
            "inspection": "Inspection it follows up",
        }
        error_messages = {
            "kind": {
                "required": "Select the kind of visit",
                "invalid_choice": "Select a kind of visit from the list",
            },
            "inspection": {"invalid_choice": "Select an inspection from the list"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        inspection = self.fields["inspection"]
        inspection.queryset = Inspection.objects.all()
        inspection.empty_label = "Not linked to an inspection"
        self.fields[
            "areas_covered"
        ].help_text = "The practice areas the visit looked at."
