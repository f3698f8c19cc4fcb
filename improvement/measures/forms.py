"""Forms to define measures, record their values and correct them."""

import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone

from findings.models import Finding
from improvement.kernel.date_fields import QueryDateField
from improvement.kernel.dates import hint
from improvement.kernel.forms import MAX_TEXT, GovukMessagesMixin, VersionedFormMixin
from improvement.kernel.query import RecordChoicesField
from improvement.measures.models import (
    DECIMAL_PLACES,
    LARGEST,
    MAX_DIGITS,
    Measure,
    MeasureTarget,
    MeasureValue,
    period_label,
    period_start,
)
from improvement.plan.models import Action, Owner, Plan, Priority

#: How many periods back a value may be recorded for.
PERIODS_BACK = {Measure.Frequency.MONTHLY: 36, Measure.Frequency.QUARTERLY: 12}
#: How many periods ahead a target may be set from.
PERIODS_AHEAD = 24


def number_field(label, *, required=True, minimum=None, **kwargs):
    """A number with up to two decimal places, with GOV.UK messages naming it."""
    cap = label[:1].upper() + label[1:]
    low = -LARGEST if minimum is None else Decimal(minimum)
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        min_value=low,
        max_value=LARGEST,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "required": f"Enter the {label[:1].lower() + label[1:]}",
            "invalid": f"{cap} must be a number, like 12 or 45.5",
            "max_digits": f"{cap} must be 999,999,999,999.99 or less",
            "max_whole_digits": f"{cap} must be 999,999,999,999.99 or less",
            "max_decimal_places": f"{cap} must have no more than 2 decimal places",
            "min_value": f"{cap} must be {low:,f} or more",
            "max_value": f"{cap} must be 999,999,999,999.99 or less",
        },
        **kwargs,
    )


def _as_number_text(value):
    """A stored or typed number as text to compare: 18, 18.0 and 18.00 alike."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, str) and value:
        try:
            return f"{Decimal(value):.2f}"
        except ArithmeticError:
            return value
    return value


class _ComparesNumbers:
    """Compares numbers by value when telling what the person changed."""

    NUMBER_FIELDS = ()

    def record_values(self):
        values = super().record_values()
        for name in self.NUMBER_FIELDS:
            if name in values:
                values[name] = _as_number_text(values[name])
        return values

    def sent_value(self, name):
        sent = super().sent_value(name)
        return _as_number_text(sent) if name in self.NUMBER_FIELDS else sent


class MeasureForm(
    _ComparesNumbers, GovukMessagesMixin, VersionedFormMixin, forms.ModelForm
):
    """Improvement managers define a measure and edit its definition.

    A measure stays in the plan it was added to. The priorities, actions and
    findings it evidences are offered from its plan only, once the plan is
    known (a measure added from a plan's page, or being edited).
    """

    target = number_field(
        "Target",
        required=False,
        help_text="Leave blank if there is no target yet. A measure with no "
        "target has no RAG.",
    )
    amber_tolerance = number_field(
        "Amber when short of the target by more than",
        minimum=0,
        initial=Decimal("0"),
        help_text="A value short of the target by no more than this is Green. "
        "For example, 2 for a caseload target of 18 makes 20 still Green.",
    )
    red_tolerance = number_field(
        "Red when short of the target by more than",
        minimum=0,
        initial=Decimal("0"),
        help_text="A value short of the target by more than this is Red; "
        "between the two tolerances it is Amber.",
    )

    class Meta:
        model = Measure
        fields = [
            "plan",
            "name",
            "definition",
            "unit",
            "direction",
            "frequency",
            "worked_out_from",
            "target",
            "amber_tolerance",
            "red_tolerance",
            "data_source",
            "owner",
            "priorities",
            "actions",
            "findings",
        ]
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 4}),
            "unit": forms.RadioSelect,
            "direction": forms.RadioSelect,
            "frequency": forms.RadioSelect,
            "worked_out_from": forms.RadioSelect,
            "priorities": forms.CheckboxSelectMultiple,
            "actions": forms.CheckboxSelectMultiple,
            "findings": forms.CheckboxSelectMultiple,
        }
        field_classes = {
            "priorities": RecordChoicesField,
            "actions": RecordChoicesField,
            "findings": RecordChoicesField,
        }
        labels = {"owner": "Owner"}
        help_texts = {
            "name": "For example, Average caseload per social worker.",
            "priorities": "Select all that apply.",
            "actions": "Select all that apply.",
            "findings": "Select all that apply.",
        }
        error_messages = {
            "plan": {"required": "Select the plan"},
            "name": {"required": "Enter the measure's name"},
            "definition": {"required": "Describe what the measure counts"},
            "unit": {"required": "Select the unit"},
            "direction": {"required": "Select which direction is better"},
            "frequency": {"required": "Select how often it is reported"},
            "owner": {"required": "Select the owner who records its values"},
        }

    constraint_fields = {"name": "name", "tolerance": "red_tolerance"}
    NUMBER_FIELDS = ("target", "amber_tolerance", "red_tolerance")

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        plan = plan or (instance.plan if instance.plan_id else None)
        self.fields["plan"].queryset = Plan.objects.order_by("name")
        self.fields["owner"].queryset = Owner.objects.filter(is_active=True) | (
            Owner.objects.filter(pk=instance.owner_id)
        )
        self.fields["owner"].help_text = "The person who records its values."
        if plan is None:
            # The links are offered once the plan is known.
            for name in ("priorities", "actions", "findings"):
                del self.fields[name]
            return
        self.fields["plan"].initial = plan.pk
        self.fields["plan"].disabled = True
        self.fields["plan"].help_text = "A measure stays in the plan it was added to."
        self.fields["priorities"].queryset = Priority.objects.filter(
            plan=plan
        ).order_by("number")
        self.fields["actions"].queryset = (
            Action.objects.filter(plan=plan)
            .select_related("priority")
            .in_reference_order()
        )
        self.fields["findings"].queryset = Finding.objects.for_plan(
            plan
        ).in_reference_order()
        self.fields["findings"].label_from_instance = str

    def clean(self):
        cleaned = super().clean()
        amber, red = cleaned.get("amber_tolerance"), cleaned.get("red_tolerance")
        if amber is not None and red is not None and red < amber:
            self.add_error(
                "red_tolerance",
                "Red tolerance must be the same as the amber tolerance or more",
            )
        return cleaned

    def validate_unique(self):
        # The name is unique within the plan: say so beside the name.
        try:
            self.instance.validate_constraints()
        except forms.ValidationError as error:
            for message in error.messages:
                field = "name" if "name" in message else None
                if field is None or not self.has_error(field):
                    self.add_error(field, message)


def recordable_periods(measure, today=None, ahead=0):
    """The periods a value may be recorded for, newest first: ``(date, label)``.

    From the current month or quarter back ``PERIODS_BACK`` periods; with
    ``ahead``, that many periods after the current one too (for targets).
    """
    today = today or timezone.localdate()
    step = 3 if measure.frequency == Measure.Frequency.QUARTERLY else 1
    current = period_start(today, measure.frequency)
    periods = []
    index = current.year * 12 + current.month - 1 + ahead * step
    year, month = index // 12, index % 12 + 1
    for _ in range(PERIODS_BACK[measure.frequency] + ahead):
        day = datetime.date(year, month, 1)
        periods.append((day, period_label(day, measure.frequency)))
        month -= step
        if month < 1:
            month += 12
            year -= 1
    return periods


class MeasureValueForm(GovukMessagesMixin, forms.Form):
    """A measure's owner (or a manager) records its value for a period."""

    period = forms.TypedChoiceField(
        label="Period",
        coerce=datetime.date.fromisoformat,
        error_messages={
            "required": "Select the period",
            "invalid_choice": "Select the period from the list",
        },
    )
    value = number_field("Value")
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, what lies behind a change since last time.",
    )

    def __init__(self, *args, measure, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure = measure
        periods = recordable_periods(measure)
        period = self.fields["period"]
        period.choices = [("", "Select the period")] + [
            (day.isoformat(), label) for day, label in periods
        ]
        period.help_text = (
            "Each quarter" if measure.frequency == Measure.Frequency.QUARTERLY else ""
        ) or None
        if not self.is_bound and periods:
            period.initial = periods[0][0].isoformat()

    def clean_period(self):
        period = self.cleaned_data["period"]
        if MeasureValue.objects.filter(measure=self.measure, period=period).exists():
            raise forms.ValidationError(
                "A value is already recorded for "
                f"{period_label(period, self.measure.frequency)}. Correct it "
                "from the measure's page instead"
            )
        return period


class MeasureValueCorrectionForm(
    _ComparesNumbers, GovukMessagesMixin, VersionedFormMixin, forms.ModelForm
):
    """Correct a recorded value or its note, saying why: the history keeps both."""

    value = number_field("Value")
    reason = forms.CharField(
        label="Why the value is being corrected",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="It is kept in the history with your name.",
        error_messages={"required": "Say why the value is being corrected"},
    )

    MERGED_FIELDS = ("value", "note")
    NUMBER_FIELDS = ("value",)

    class Meta:
        model = MeasureValue
        fields = ["value", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class MeasureTargetForm(GovukMessagesMixin, forms.Form):
    """Improvement managers set a step of a measure's target trajectory.

    A target already set from the same period is replaced, and the history
    keeps the one it replaced.
    """

    from_period = forms.TypedChoiceField(
        label="From",
        coerce=datetime.date.fromisoformat,
        help_text="The target applies from this period until the next step.",
        error_messages={
            "required": "Select the period the target applies from",
            "invalid_choice": "Select the period the target applies from the list",
        },
    )
    target = number_field("Target")

    def __init__(self, *args, measure, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure = measure
        periods = sorted(recordable_periods(measure, ahead=PERIODS_AHEAD))
        self.fields["from_period"].choices = [("", "Select the period")] + [
            (day.isoformat(), label) for day, label in periods
        ]

    def save(self):
        """Add the step, or replace the target of the step from that period."""
        period, target = self.cleaned_data["from_period"], self.cleaned_data["target"]
        step = MeasureTarget.objects.filter(
            measure=self.measure, from_period=period
        ).first()
        if step is None:
            return MeasureTarget.objects.create(
                measure=self.measure, from_period=period, target=target
            )
        step.target = target
        step.save()
        return step


class KnownOnForm(GovukMessagesMixin, forms.Form):
    """The date a measure's page shows it as it was known on. A GET form.

    Bound only when the query names the date (``?as_at=YYYY-MM-DD`` from a
    link, or the three boxes); a date in the future is refused beside it.
    """

    as_at = QueryDateField(
        label="Show the measure as it was known on", error_name="The date"
    )

    NAMES = ("as_at", "as_at_0", "as_at_1", "as_at_2")

    def __init__(self, query, *, today):
        bound = any(name in query for name in self.NAMES)
        super().__init__(query if bound else None)
        self.today = today
        self.fields["as_at"].help_text = hint("Leave blank for today.")

    def clean_as_at(self):
        day = self.cleaned_data.get("as_at")
        if day and day > self.today:
            raise forms.ValidationError("Enter today’s date or a date in the past")
        return day

    @property
    def day(self):
        """The date chosen, or None for today (also when it is not valid)."""
        return self.cleaned_data.get("as_at") if self.is_valid() else None


class DeleteWithReasonForm(GovukMessagesMixin, forms.Form):
    """Confirm deleting a record entered by mistake, saying why. The record
    stays in the history, with the reason and the person's name."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Why it is being deleted",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, it was recorded against the wrong measure. "
        "It is kept in the history with your name.",
        error_messages={"required": "Say why it is being deleted"},
    )
