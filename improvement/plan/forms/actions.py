"""Forms for actions: recording progress, and adding and editing an action."""

from django import forms
from django.core.exceptions import ValidationError

from findings.models import Finding
from improvement.kernel.date_fields import GovukDateField
from improvement.kernel.forms import (
    MAX_TEXT,
    GovukMessagesMixin,
    VersionedFormMixin,
    comparable,
)
from improvement.kernel.query import RecordChoicesField
from improvement.plan import validation
from improvement.plan.models import Action, Owner, Priority


class ActionUpdateForm(GovukMessagesMixin, VersionedFormMixin, forms.Form):
    """One form to record progress and change status, RAG, impact and due date.

    Officers use it on the actions they lead or support; improvement managers
    on any action. Moving the due date needs a reason; pausing or withdrawing
    needs a reason; evidenced or embedded impact needs an evidence note. Each
    of those says when it is needed (``needed_when``) and the page reveals it
    when it is (``REVEALS``). An action nobody has given a RAG yet may keep
    none; once it has one, a RAG must be chosen.
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
        error_messages={
            "invalid": "Enter a link to the evidence in the correct format, "
            "like https://www.example.com/report.pdf",
            "max_length": "Link to evidence must be 500 characters or fewer",
        },
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
        choices=[(v, label) for v, label in Action.Rag.choices if v],
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
    )
    due_date = GovukDateField(label="Due date", help_text="For example, 27 3 2027")
    due_date_reason = forms.CharField(
        label="Reason for moving the due date",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="It is kept in the history.",
    )

    ACTION_FIELDS = ("status", "status_reason", "rag", "impact", "impact_evidence")
    MERGED_FIELDS = (*ACTION_FIELDS, "due_date")

    #: When each reason or note is needed, as its label says it.
    NEEDED_WHEN = {
        "status_reason": "needed if you pause or withdraw the action",
        "impact_evidence": "needed if impact is evidenced or embedded",
        "due_date_reason": "needed if you change the due date",
    }
    #: The radios that reveal a field (GOV.UK conditional reveal): the field,
    #: and the choices it is needed for.
    REVEALS = {
        "status": ("status_reason", Action.STATUSES_NEEDING_REASON),
        "impact": ("impact_evidence", Action.IMPACTS_NEEDING_EVIDENCE),
    }

    def __init__(self, *args, instance, **kwargs):
        self.instance = instance
        initial = {name: getattr(instance, name) for name in self.MERGED_FIELDS}
        kwargs["initial"] = {**initial, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        for name, when in self.NEEDED_WHEN.items():
            self.fields[name].needed_when = when
        if not instance.rag:
            rag = self.fields["rag"]
            rag.required = False
            rag.help_text = (
                "Not assessed yet. Choose one when you can say how confident you "
                "are of delivering by the due date: green on track, amber at risk, "
                "red off track."
            )

    def record_values(self):
        return {
            name: comparable(getattr(self.instance, name))
            for name in self.MERGED_FIELDS
        }

    def clean(self):
        cleaned = super().clean()
        action = self.instance
        due = cleaned.get("due_date")
        if due and self._moves("due_date"):
            if not cleaned.get("due_date_reason", "").strip():
                self.add_error("due_date_reason", validation.REASON_FOR_DUE_DATE_MOVE)
            if action.start_date and due < action.start_date:
                message = validation.on(validation.DUE_BEFORE_START, action.start_date)
                self.add_error("due_date", message)
        status = cleaned.get("status")
        if (
            status in Action.STATUSES_NEEDING_REASON
            and not cleaned.get("status_reason", "").strip()
        ):
            self.add_error("status_reason", validation.REASON_FOR_PAUSE_OR_WITHDRAWAL)
        impact = cleaned.get("impact")
        if (
            impact in Action.IMPACTS_NEEDING_EVIDENCE
            and not cleaned.get("impact_evidence", "").strip()
        ):
            self.add_error("impact_evidence", validation.EVIDENCE_OF_IMPACT)
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

    def _moves(self, name):
        """Does this submission change ``name`` from what is stored now?"""
        return (
            name in self.cleaned_data
            and self.changed_by_person(name)
            and (self.sent_value(name) != self.stored_values[name])
        )

    def action_changes(self):
        """Names of action fields this person changed (and that differ now)."""
        return [name for name in self.MERGED_FIELDS if self._moves(name)]

    def apply(self):
        """Copy this person's changes onto the action (not saved); return reasons."""
        action, data = self.instance, self.cleaned_data
        changes = self.mine
        reasons = []
        if "due_date" in changes:
            reasons.append(data["due_date_reason"].strip())
        if "status" in changes and data["status"] in Action.STATUSES_NEEDING_REASON:
            reasons.append(data["status_reason"].strip())
        for name in changes:
            setattr(action, name, data[name])
        return reasons


class ActionForm(GovukMessagesMixin, VersionedFormMixin, forms.ModelForm):
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
        field_classes = {"supporting_owners": RecordChoicesField}
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

    def clean(self):
        cleaned = super().clean()
        start = cleaned.get("start_date")
        if start and self.instance.pk:
            # The due dates are not edited here: the start must fit them.
            due = min(self.instance.due_date, self.instance.original_due_date)
            if start > due:
                self.add_error(
                    "start_date", validation.on(validation.START_AFTER_DUE, due)
                )
        elif start and cleaned.get("original_due_date"):
            if cleaned["original_due_date"] < start:
                self.add_error("original_due_date", validation.DUE_BEFORE_START)
        return cleaned

    def _update_errors(self, errors):
        # The model also checks the current due date, which this form does not
        # show, and the original one, which it shows disabled once added. Put
        # such a message beside the date the person can change, once.
        error_dict = getattr(errors, "error_dict", {})
        target = "start_date" if self.instance.pk else "original_due_date"
        for name in ("due_date", "original_due_date"):
            if name in error_dict and (
                name not in self.fields or self.fields[name].disabled
            ):
                moved = error_dict.pop(name)
                if not self.has_error(target) and target not in error_dict:
                    error_dict[target] = moved
        super()._update_errors(errors)

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


def link_candidates(findings):
    """The findings an action may be linked to answer: strengths need no action."""
    return findings.exclude(kind=Finding.Kind.STRENGTH)
