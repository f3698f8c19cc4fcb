"""Forms to record meetings and what they decided, and to update actions arising."""

from django import forms
from django.utils import timezone

from improvement.kernel.date_fields import GovukDateField
from improvement.kernel.forms import GovukMessagesMixin, VersionedFormMixin
from improvement.kernel.query import RecordChoicesField
from improvement.meetings.models import (
    ActionArising,
    AgendaItem,
    Body,
    Decision,
    Meeting,
    Question,
    ReminderChoice,
)
from improvement.plan.models import Action, Owner, Plan


def _active_owners(current_id=None):
    """Owners to choose from: the active ones, and the one already chosen."""
    return Owner.objects.filter(is_active=True) | Owner.objects.filter(pk=current_id)


class BodyForm(GovukMessagesMixin, VersionedFormMixin, forms.ModelForm):
    """Improvement managers name a body that meets to govern the plan."""

    class Meta:
        model = Body
        fields = ["name", "description", "is_board"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"name": {"required": "Enter the body's name"}}


class MeetingForm(GovukMessagesMixin, VersionedFormMixin, forms.ModelForm):
    """Improvement managers record a meeting: its body, date, the plans it
    reviews and who attended."""

    date = GovukDateField(
        label="Date of the meeting", help_text="For example, 14 1 2026"
    )

    class Meta:
        model = Meeting
        fields = ["body", "date", "plans", "attendees", "partners", "notes"]
        widgets = {
            "plans": forms.CheckboxSelectMultiple,
            "attendees": forms.Textarea(attrs={"rows": 4}),
            "partners": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"plans": RecordChoicesField}
        labels = {"body": "Body"}
        help_texts = {"plans": "Select all that apply."}
        error_messages = {"body": {"required": "Select the body that met"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.order_by("name")
        self.fields["plans"].queryset = Plan.objects.order_by("name")


class _MeetingPartForm(GovukMessagesMixin, VersionedFormMixin, forms.ModelForm):
    """A record that belongs to one meeting's agenda item: the item is
    chosen from that meeting's agenda."""

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        if meeting is None:
            meeting = self.instance.agenda_item.meeting
        self.meeting = meeting
        if "agenda_item" in self.fields:
            self.fields["agenda_item"].queryset = meeting.agenda_items.all()
            self.fields["agenda_item"].label_from_instance = str


class AgendaItemForm(GovukMessagesMixin, VersionedFormMixin, forms.ModelForm):
    """An item on the meeting's agenda."""

    constraint_fields = {"number": "number"}

    class Meta:
        model = AgendaItem
        fields = ["number", "title", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}
        labels = {"number": "Item number"}
        error_messages = {
            "number": {"required": "Enter the item number"},
            "title": {"required": "Enter the item's title"},
        }

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        if meeting is not None:
            self.instance.meeting = meeting
            if not self.is_bound:
                self.initial.setdefault("number", meeting.agenda_items.count() + 1)

    def clean_number(self):
        number = self.cleaned_data.get("number")
        taken = AgendaItem.objects.filter(
            meeting_id=self.instance.meeting_id, number=number
        ).exclude(pk=self.instance.pk)
        if number is not None and taken.exists():
            raise forms.ValidationError(
                "The meeting already has an item with this number"
            )
        return number


class DecisionForm(_MeetingPartForm):
    """A decision minuted under an agenda item."""

    class Meta:
        model = Decision
        fields = ["agenda_item", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        labels = {"agenda_item": "Agenda item"}
        help_texts = {"text": "As minuted, for example “It was agreed that…”."}
        error_messages = {
            "agenda_item": {"required": "Select the agenda item"},
            "text": {"required": "Enter the decision"},
        }


class QuestionForm(_MeetingPartForm):
    """A question a member asked, with its answer if it was given."""

    answered_on = GovukDateField(
        label="Date answered",
        required=False,
        help_text="Leave blank while the answer is owed. For example, 20 1 2026",
    )

    class Meta:
        model = Question
        fields = [
            "agenda_item",
            "asked_by",
            "text",
            "answered_by",
            "answer",
            "answered_on",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "answer": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"agenda_item": "Agenda item", "answered_by": "Who answers"}
        error_messages = {
            "agenda_item": {"required": "Select the agenda item"},
            "asked_by": {"required": "Enter who asked, by role"},
            "text": {"required": "Enter the question"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answered_by"].queryset = _active_owners(
            self.instance.answered_by_id
        )
        self.fields["answered_by"].empty_label = "Not named"

    def clean(self):
        cleaned = super().clean()
        answer, day = cleaned.get("answer"), cleaned.get("answered_on")
        if day and not answer:
            self.add_error("answer", "Enter the answer, or leave the date blank")
        if day and day > timezone.localdate():
            self.add_error("answered_on", "Date answered must be today or in the past")
        if answer and not day and "answered_on" not in self.errors:
            cleaned["answered_on"] = timezone.localdate()
        return cleaned


class ActionArisingForm(_MeetingPartForm):
    """Improvement managers record an action arising, and may link it to the
    plan action it became."""

    due_date = GovukDateField(label="Due date", help_text="For example, 28 2 2026")

    class Meta:
        model = ActionArising
        fields = [
            "agenda_item",
            "description",
            "owner",
            "due_date",
            "status",
            "progress",
            "plan_action",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "progress": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"agenda_item": "Agenda item", "owner": "Owner"}
        error_messages = {
            "agenda_item": {"required": "Select the agenda item"},
            "description": {"required": "Enter the action"},
            "owner": {"required": "Select the owner"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _active_owners(self.instance.owner_id)
        plan_ids = [plan.pk for plan in self.meeting.plans.all()]
        taken = ActionArising.objects.exclude(pk=self.instance.pk).filter(
            plan_action__isnull=False
        )
        self.fields["plan_action"].queryset = (
            Action.objects.filter(plan__in=plan_ids)
            .exclude(pk__in=taken.values("plan_action"))
            .select_related("priority")
            .in_reference_order()
        )
        self.fields["plan_action"].label_from_instance = lambda action: (
            f"{action.reference} {action.title}"
        )
        self.fields["plan_action"].empty_label = "Stays on the meeting's log"
        self.fields[
            "plan_action"
        ].help_text = "If the meeting's action became an action of a plan it reviews."


class ActionArisingUpdateForm(GovukMessagesMixin, VersionedFormMixin, forms.ModelForm):
    """The owner (or a manager) records progress and status on an action arising."""

    class Meta:
        model = ActionArising
        fields = ["status", "progress"]
        widgets = {
            "status": forms.RadioSelect,
            "progress": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {"status": {"required": "Select the delivery status"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = ActionArising.Status.choices


class ReminderChoiceForm(GovukMessagesMixin, VersionedFormMixin, forms.ModelForm):
    """How often an owner is reminded."""

    class Meta:
        model = ReminderChoice
        fields = ["frequency"]
        widgets = {"frequency": forms.RadioSelect}
        error_messages = {"frequency": {"required": "Select how often to be reminded"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["frequency"].choices = ReminderChoice.Frequency.choices
