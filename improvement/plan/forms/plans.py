"""Forms improvement managers use to shape the plan: plans, priorities, owners."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from improvement.kernel.date_fields import GovukDateField
from improvement.kernel.forms import (
    GovukMessagesMixin,
    VersionedFormMixin,
)
from improvement.kernel.history import SYSTEM_USERNAME
from improvement.kernel.query import RecordChoicesField
from improvement.plan import validation
from improvement.plan.models import Owner, Plan, Priority


class PlanForm(GovukMessagesMixin, VersionedFormMixin, forms.ModelForm):
    """Improvement managers create and edit plans, and say what each answers.

    The inspections, and the visits and reviews, ticked here are the plan's
    sources: their findings are the plan's findings to answer.
    """

    start_date = GovukDateField(label="Start date", help_text="For example, 1 12 2025")
    end_date = GovukDateField(
        label="End date", required=False, help_text="For example, 30 11 2027"
    )

    class Meta:
        model = Plan
        fields = [
            "name",
            "description",
            "inspections",
            "visits",
            "status",
            "start_date",
            "end_date",
        ]
        # Ids too large for any database are refused before the query.
        field_classes = {
            "inspections": RecordChoicesField,
            "visits": RecordChoicesField,
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "inspections": forms.CheckboxSelectMultiple,
            "visits": forms.CheckboxSelectMultiple,
            "status": forms.RadioSelect,
        }
        labels = {
            "inspections": "Inspections this plan answers",
            "visits": "Visits and reviews this plan answers",
        }
        help_texts = {
            "name": "For example, Children's services improvement plan 2025 to 2027.",
            "inspections": "Select all that apply. The plan answers the findings "
            "they raised.",
            "visits": "Select all that apply, including the monitoring visits "
            "that follow the inspections above, and any review not linked to an "
            "inspection, such as a peer review.",
        }
        error_messages = {
            "name": {
                "required": "Enter the plan's name",
                "unique": "There is already a plan with this name",
            },
            "inspections": {
                "invalid_choice": "Select inspections from the list",
                "invalid_pk_value": "Select inspections from the list",
            },
            "visits": {
                "invalid_choice": "Select visits and reviews from the list",
                "invalid_pk_value": "Select visits and reviews from the list",
            },
            "status": {
                "required": "Select the plan's status",
                "invalid_choice": "Select the plan's status",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        visits = self.fields["visits"]
        visits.queryset = visits.queryset.select_related("inspection")
        visits.label_from_instance = self.visit_label

    @staticmethod
    def visit_label(visit):
        """“Ofsted monitoring visit 2 (October 2022), following ILACS 2021”."""
        if visit.inspection is None:
            return str(visit)
        return f"{visit}, following {visit.inspection}"


class PriorityForm(GovukMessagesMixin, VersionedFormMixin, forms.ModelForm):
    """Improvement managers create and edit priorities (workstreams) of a plan.

    A priority stays in the plan it was added to, so that its actions never end
    up under a priority of another plan.
    """

    number = forms.IntegerField(
        label="Number",
        min_value=1,
        max_value=999,
        help_text="As the plan numbers it, for example 3.",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter the priority's number",
            "invalid": "The priority's number must be a whole number, like 3",
            "min_value": validation.PRIORITY_NUMBER_BELOW_ONE,
            "max_value": "The priority's number must be 999 or less",
        },
    )

    class Meta:
        model = Priority
        fields = ["plan", "number", "title", "description", "lead_owner"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "plan": {
                "required": "Select the plan",
                "invalid_choice": "Select a plan from the list",
            },
            "title": {"required": "Enter a title"},
            "lead_owner": {"invalid_choice": "Select a lead officer from the list"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].empty_label = "Select a plan"
        lead = self.fields["lead_owner"]
        lead.empty_label = "No lead officer yet"
        lead.queryset = Owner.objects.filter(
            Q(is_active=True) | Q(pk=self.instance.lead_owner_id)
        )
        if self.instance.pk:
            plan = self.fields["plan"]
            plan.disabled = True
            plan.help_text = "A priority stays in the plan it was added to."

    def clean(self):
        cleaned = super().clean()
        plan, number = cleaned.get("plan"), cleaned.get("number")
        if plan is not None and number is not None:
            taken = Priority.objects.filter(plan=plan, number=number).exclude(
                pk=self.instance.pk
            )
            if taken.exists():
                self.add_error("number", validation.PRIORITY_NUMBER_TAKEN)
        return cleaned


def _sign_in_name(user):
    name = user.get_full_name()
    return f"{name} ({user.get_username()})" if name else user.get_username()


class OwnerForm(GovukMessagesMixin, VersionedFormMixin, forms.ModelForm):
    """Improvement managers add and edit owners (people, roles or partners).

    Many owners never sign in (partner leads, roles shared by a team); those
    who do are linked to their sign-in so “My actions” finds their work.
    """

    class Meta:
        model = Owner
        fields = [
            "name",
            "job_title",
            "team",
            "organisation",
            "email",
            "user",
            "is_active",
        ]
        labels = {
            "name": "Name or role",
            "job_title": "Job title",
            "email": "Email address",
            "user": "Sign-in",
            "is_active": "Can own actions",
        }
        help_texts = {
            "name": "For example, Head of Service, Safeguarding.",
            "user": "Link the owner to their sign-in so “My actions” shows their "
            "work. Leave blank for partners and roles who do not sign in.",
            "is_active": "Untick when the role ends. Their actions and history "
            "are kept.",
        }
        error_messages = {
            "name": {"required": "Enter the owner's name or role"},
            "email": {
                "invalid": "Enter an email address in the correct format, "
                "like name@example.com"
            },
            "user": {
                "invalid_choice": "Select a sign-in from the list",
                "unique": "This sign-in is already linked to another owner",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.fields["user"]
        user.empty_label = "Does not sign in"
        user.queryset = (
            get_user_model()
            .objects.filter(Q(is_active=True) | Q(pk=self.instance.user_id))
            .exclude(username=SYSTEM_USERNAME)
            .order_by("first_name", "last_name", "username")
        )
        user.label_from_instance = _sign_in_name

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("name")
        if name is not None and "organisation" in cleaned:
            taken = Owner.objects.filter(
                name=name, organisation=cleaned["organisation"]
            ).exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error("name", validation.OWNER_NAME_TAKEN)
        return cleaned
