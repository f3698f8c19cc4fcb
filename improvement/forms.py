"""Forms officers and improvement managers use on the plan."""

from django import forms
from django.core.exceptions import ValidationError

from improvement.forms_base import (
    MAX_TEXT,
    GovukDateField,
    LimitedTextMixin,
    VersionedFormMixin,
)
from improvement.models import Action, Owner, Plan, Priority


class ActionUpdateForm(VersionedFormMixin, forms.Form):
    """One form to record progress and change status, RAG, impact and due date.

    Officers use it on the actions they lead or support; improvement managers
    on any action. Moving the due date needs a reason; pausing or withdrawing
    needs a reason; evidenced or embedded impact needs an evidence note.
    """

    narrative = forms.CharField(
        label="Progress since the last update",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What has been done, what difference it is making, what is next.",
    )
    evidence_url = forms.URLField(
        label="Link to evidence",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="For example, a link to an audit report or minutes.",
    )
    status = forms.ChoiceField(
        label="Delivery status", choices=Action.Status.choices, widget=forms.RadioSelect
    )
    status_reason = forms.CharField(
        label="Reason for pausing or withdrawing",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    rag = forms.ChoiceField(
        label="RAG",
        choices=Action.Rag.choices,
        widget=forms.RadioSelect,
        help_text="How confident you are of delivering by the due date. "
        "Green on track, amber at risk, red off track.",
    )
    impact = forms.ChoiceField(
        label="Impact", choices=Action.Impact.choices, widget=forms.RadioSelect
    )
    impact_evidence = forms.CharField(
        label="Evidence of impact",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when impact is evidenced or embedded.",
    )
    due_date = GovukDateField(label="Due date", help_text="For example, 27 3 2027")
    due_date_reason = forms.CharField(
        label="Reason for moving the due date",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed if you change the due date. It is kept in the history.",
    )

    ACTION_FIELDS = ("status", "status_reason", "rag", "impact", "impact_evidence")

    def __init__(self, *args, action, **kwargs):
        self.instance = action
        initial = {name: getattr(action, name) for name in self.ACTION_FIELDS}
        initial["due_date"] = action.due_date
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        action = self.instance
        due = cleaned.get("due_date")
        if due and due != action.due_date:
            if not cleaned.get("due_date_reason", "").strip():
                self.add_error(
                    "due_date_reason", "Give a reason for moving the due date"
                )
            if action.start_date and due < action.start_date:
                self.add_error(
                    "due_date",
                    "Due date must be on or after the start date "
                    f"({action.start_date:%-d %B %Y})",
                )
        status = cleaned.get("status")
        if (
            status in Action.STATUSES_NEEDING_REASON
            and not cleaned.get("status_reason", "").strip()
        ):
            self.add_error(
                "status_reason", "Give a reason for pausing or withdrawing the action"
            )
        impact = cleaned.get("impact")
        if (
            impact in Action.IMPACTS_NEEDING_EVIDENCE
            and not cleaned.get("impact_evidence", "").strip()
        ):
            self.add_error(
                "impact_evidence",
                "Describe the evidence when impact is evidenced or embedded",
            )
        if (
            not self.errors
            and not self.action_changes()
            and not cleaned.get("narrative", "").strip()
        ):
            raise ValidationError(
                "Write a progress update or change something before saving",
                code="nothing",
            )
        return cleaned

    def action_changes(self):
        """Names of action fields this submission changes."""
        data = self.cleaned_data
        changed = [
            name
            for name in self.ACTION_FIELDS
            if name in data and data[name] != getattr(self.instance, name)
        ]
        if data.get("due_date") and data["due_date"] != self.instance.due_date:
            changed.append("due_date")
        return changed

    def apply(self):
        """Copy the changes onto the action (not saved) and return reasons."""
        action, data = self.instance, self.cleaned_data
        for name in self.action_changes():
            setattr(action, name, data[name])
        reasons = []
        if "due_date" in self.action_changes():
            reasons.append(data["due_date_reason"].strip())
        if "status" in self.action_changes() and data["status"] in (
            Action.STATUSES_NEEDING_REASON
        ):
            reasons.append(data["status_reason"].strip())
        return reasons


class ActionForm(LimitedTextMixin, VersionedFormMixin, forms.ModelForm):
    """Improvement managers create and edit actions.

    The original due date is set when the action is added and never changes;
    the current due date is moved with the update form, which asks for a reason.
    """

    start_date = GovukDateField(label="Start date", required=False)
    original_due_date = GovukDateField(
        label="Due date", help_text="The date first agreed. It cannot change later."
    )

    class Meta:
        model = Action
        fields = [
            "priority",
            "reference",
            "title",
            "description",
            "success_measure",
            "lead_owner",
            "supporting_owners",
            "start_date",
            "original_due_date",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "success_measure": forms.Textarea(attrs={"rows": 3}),
            "supporting_owners": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "priority": {"required": "Select the priority this action sits under"},
            "reference": {"required": "Enter a reference, for example 2.3"},
            "title": {"required": "Enter a title"},
            "lead_owner": {"required": "Select the lead officer"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = Priority.objects.select_related("plan")
        self.fields["priority"].label_from_instance = lambda p: (
            f"{p.plan.name} – priority {p.number}: {p.title}"
        )
        self.fields["lead_owner"].queryset = Owner.objects.filter(is_active=True)
        self.fields["supporting_owners"].queryset = Owner.objects.filter(is_active=True)
        self.fields["supporting_owners"].required = False
        if self.instance.pk:
            self.fields["original_due_date"].disabled = True
            self.fields["original_due_date"].required = False
            self.fields["original_due_date"].help_text = (
                "The due date first agreed cannot change. To move the current due "
                "date, use “Update progress” and give a reason."
            )

    def clean_original_due_date(self):
        if self.instance.pk:
            return self.instance.original_due_date
        return self.cleaned_data["original_due_date"]

    def _post_clean(self):
        # The plan follows the chosen priority.
        priority = self.cleaned_data.get("priority")
        if priority is not None:
            self.instance.plan = priority.plan
        if not self.instance.pk and self.cleaned_data.get("original_due_date"):
            self.instance.due_date = self.cleaned_data["original_due_date"]
        super()._post_clean()

    def validate_unique(self):
        # Reference uniqueness is per plan; report it beside the reference.
        try:
            self.instance.validate_constraints()
        except ValidationError as error:
            for message in error.messages:
                field = "reference" if "reference" in message else None
                self.add_error(field, message)


class PlanForm(LimitedTextMixin, VersionedFormMixin, forms.ModelForm):
    """Improvement managers create and edit plans."""

    start_date = GovukDateField(label="Start date")
    end_date = GovukDateField(label="End date", required=False)

    class Meta:
        model = Plan
        fields = [
            "name",
            "description",
            "inspection",
            "status",
            "start_date",
            "end_date",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "status": forms.RadioSelect,
        }
        error_messages = {"name": {"required": "Enter the plan's name"}}


class PriorityForm(LimitedTextMixin, VersionedFormMixin, forms.ModelForm):
    """Improvement managers create and edit priorities."""

    class Meta:
        model = Priority
        fields = ["plan", "number", "title", "description", "lead_owner"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "plan": {"required": "Select the plan"},
            "number": {"required": "Enter the priority's number"},
            "title": {"required": "Enter a title"},
        }


class OwnerForm(LimitedTextMixin, VersionedFormMixin, forms.ModelForm):
    """Improvement managers add and edit owners (people, roles or partners)."""

    class Meta:
        model = Owner
        fields = ["name", "job_title", "team", "organisation", "email", "is_active"]
        error_messages = {"name": {"required": "Enter the owner's name or role"}}
        labels = {"is_active": "Can own actions"}


class FindingLinkForm(forms.Form):
    """Add findings to an action, or remove one. Ids are checked, never trusted."""

    add = forms.ModelMultipleChoiceField(
        label="Findings to add",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select findings from the list"},
    )
    remove = forms.ModelChoiceField(
        queryset=None,
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "That finding is not linked to this action"},
    )

    def __init__(self, *args, action, findings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["add"].queryset = findings.exclude(actions=action)
        self.fields["remove"].queryset = action.findings.all()

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("add") and not cleaned.get("remove"):
            raise ValidationError("Select at least one finding to add")
        return cleaned
