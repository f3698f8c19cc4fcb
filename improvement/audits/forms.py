"""Forms to record and moderate case-file audits and to set up practice weeks."""

from django import forms
from django.utils import timezone

from improvement.audits.models import Audit, PracticeWeek
from improvement.kernel.date_fields import GovukDateField
from improvement.kernel.forms import GovukMessagesMixin, VersionedFormMixin
from improvement.kernel.query import RecordChoicesField
from improvement.plan.models import Action, Owner, Plan
from visits.models import Grade

NOT_MODERATED = ("", "Not moderated yet")


def _in_the_past(day, what):
    if day and day > timezone.localdate():
        raise forms.ValidationError(f"{what} must be today or in the past")
    return day


def _stays_in_its_plan(form, plan, what):
    """The plan field of a record added from a plan's page, or being edited:
    shown, but not changed."""
    form.fields["plan"].queryset = Plan.objects.order_by("name")
    if plan is None:
        return
    form.fields["plan"].initial = plan.pk
    form.fields["plan"].disabled = True
    form.fields["plan"].help_text = f"{what} stays in the plan it was added to."


class PracticeWeekForm(GovukMessagesMixin, VersionedFormMixin, forms.ModelForm):
    """Improvement managers set up a practice week and record its outcome."""

    start_date = GovukDateField(label="Start date", help_text="For example, 3 11 2025")
    end_date = GovukDateField(label="End date", help_text="For example, 14 11 2025")

    class Meta:
        model = PracticeWeek
        fields = [
            "plan",
            "practice_issue",
            "start_date",
            "end_date",
            "principles",
            "practice_leads",
            "guidance",
            "outcome",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in ("principles", "practice_leads", "guidance", "outcome")
        }
        error_messages = {
            "plan": {"required": "Select the plan"},
            "practice_issue": {"required": "Enter the practice issue"},
        }

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        _stays_in_its_plan(
            self, plan or (instance.plan if instance.plan_id else None), "A week"
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date", "The end date must be on or after the start date"
            )
        return cleaned


class AuditForm(GovukMessagesMixin, VersionedFormMixin, forms.ModelForm):
    """Officers and managers record a case-file audit, and moderate it later.

    The case is named by its reference only: the form says so, and refuses
    anything that is not a reference. The practice week and the actions the
    audit gave rise to are offered from the audit's plan once it is known.
    """

    audit_date = GovukDateField(
        label="Date of the audit", help_text="For example, 14 10 2025"
    )

    class Meta:
        model = Audit
        fields = [
            "plan",
            "practice_week",
            "audit_date",
            "team",
            "case_reference",
            "auditor",
            "grade",
            "moderated_grade",
            "strengths",
            "learning_points",
            "actions",
        ]
        widgets = {
            "grade": forms.RadioSelect,
            "moderated_grade": forms.RadioSelect,
            "strengths": forms.Textarea(attrs={"rows": 4}),
            "learning_points": forms.Textarea(attrs={"rows": 4}),
            "actions": forms.CheckboxSelectMultiple,
        }
        field_classes = {"actions": RecordChoicesField}
        labels = {"auditor": "Auditor", "practice_week": "Practice week"}
        help_texts = {"actions": "Select all that apply."}
        error_messages = {
            "plan": {"required": "Select the plan"},
            "team": {"required": "Enter the team or service area"},
            "case_reference": {"required": "Enter the case reference"},
            "auditor": {"required": "Select the auditor"},
            "grade": {"required": "Select the grade"},
        }

    def __init__(self, *args, plan=None, practice_week=None, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        plan = plan or (instance.plan if instance.plan_id else None)
        _stays_in_its_plan(self, plan, "An audit")
        self.fields["auditor"].queryset = Owner.objects.filter(is_active=True) | (
            Owner.objects.filter(pk=instance.auditor_id)
        )
        self.fields["grade"].choices = Grade.choices
        self.fields["moderated_grade"].choices = [NOT_MODERATED, *Grade.choices]
        if plan is None:
            # The week and the actions are offered once the plan is known.
            del self.fields["practice_week"]
            del self.fields["actions"]
            return
        self.fields["practice_week"].queryset = plan.practice_weeks.all()
        self.fields["practice_week"].empty_label = "Not part of a practice week"
        if practice_week is not None and not self.is_bound:
            self.initial["practice_week"] = practice_week.pk
        self.fields["actions"].queryset = (
            Action.objects.filter(plan=plan)
            .select_related("priority")
            .in_reference_order()
        )

    def clean_audit_date(self):
        return _in_the_past(
            self.cleaned_data.get("audit_date"), "The date of the audit"
        )
