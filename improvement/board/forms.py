"""What the board's pages share to read a plan and dates from a query string.

Dates are read by the kernel's ``QueryDateField`` (three GOV.UK boxes, or
one ISO date from a link the pages build) with the one date hint; a value
not given is filled in by ``filled_in`` before the form reads it, so a
bookmark and a blank form open on the same defaults.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from improvement.kernel.date_fields import QueryDateField
from improvement.kernel.dates import hint
from improvement.kernel.forms import GovukMessagesMixin
from improvement.kernel.history import user_display_name
from improvement.plan.models import Plan


def default_plan(plans=None):
    """The plan pages open on: the newest active plan, else the newest plan.

    ``plans`` are the plans the user may see: a queryset (every plan if
    None; one or two queries) or a list already loaded (no query). Returns
    None when there are none.
    """
    plans = Plan.objects.all() if plans is None else plans
    if isinstance(plans, QuerySet):
        newest = plans.order_by("-start_date", "-pk")
        return newest.filter(status=Plan.Status.ACTIVE).first() or newest.first()
    newest = sorted(plans, key=lambda plan: (plan.start_date, plan.pk), reverse=True)
    active = [plan for plan in newest if plan.status == Plan.Status.ACTIVE]
    return (active or newest or [None])[0]


def date_field(label, name_in_errors, help_text=""):
    """An optional GOV.UK date input, with the date hint and GOV.UK messages.

    ``help_text`` follows the hint (“Usually the date of the last board.”).
    """
    return QueryDateField(
        label=label, error_name=name_in_errors, help_text=hint(help_text)
    )


class NoBlankSelect(forms.Select):
    """A drop-down whose first choice is never blank (``empty_label=None``).

    Django gives a drop-down the ``required`` attribute only when its first
    choice is blank, and finds out by reading the first choice, before it
    asks whether the field is required at all: for a choice of plans, a
    query of its own on every page. Without a blank choice the answer is
    always no.
    """

    def use_required_attribute(self, initial):
        return False


class PlanChoiceField(forms.TypedChoiceField):
    """A choice of one of ``plans``, the plans the person may see as the view
    read them (a list), cleaned to the plan itself; with ``empty_label``,
    a first choice of no plan (cleaned to None).

    Checking and drawing the choice asks the database nothing more, where a
    ``ModelChoiceField`` reads the chosen plan again, then every plan again
    to draw its drop-down.
    """

    def __init__(self, *, empty_label=None, **kwargs):
        kwargs.setdefault("label", "Plan")
        kwargs.setdefault("empty_value", None)
        kwargs.setdefault(
            "error_messages", {"invalid_choice": "Select a plan from the list"}
        )
        super().__init__(**kwargs)
        self.empty_label = empty_label
        self._by_key = {}

    @property
    def plans(self):
        return list(self._by_key.values())

    @plans.setter
    def plans(self, plans):
        self._by_key = {str(plan.pk): plan for plan in plans}
        blank = [("", self.empty_label)] if self.empty_label is not None else []
        self.choices = blank + [(plan.pk, plan.name) for plan in plans]

    def _coerce(self, value):
        # ``validate`` has checked it is one of the choices.
        if value in self.empty_values:
            return self.empty_value
        return self._by_key[str(value)]


def required_plan_field():
    """A choice of one plan, which must be given (``filled_in`` gives the
    default plan when the query string names none). The view gives the
    plans to choose from as a list: ``form.fields["plan"].plans = plans``."""
    return PlanChoiceField(
        required=True,
        widget=NoBlankSelect,
        error_messages={
            "required": "Select a plan",
            "invalid_choice": "Select a plan from the list",
        },
    )


def filled_in(data, defaults):
    """A copy of the query string with ``defaults`` for values not given.

    A date is given when any of its day, month and year boxes
    (``<name>_0/_1/_2``) or the date in one piece (``<name>``) is filled in;
    a date default is given in one piece, ``2026-03-31``.
    """
    data = data.copy()
    for name, value in defaults.items():
        keys = (name, f"{name}_0", f"{name}_1", f"{name}_2")
        if value is None or any(str(data.get(k, "")).strip() for k in keys):
            continue
        for key in keys:
            data.pop(key, None)
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


class ChangeFilter(GovukMessagesMixin, forms.Form):
    """Filters of the plan-wide list of recent changes. Every filter is optional.

    A filter with a bad value is reported beside it and left out; the others
    still apply.
    """

    KINDS = [
        ("plan", "Plan"),
        ("priority", "Priority"),
        ("action", "Action"),
        ("progress_update", "Progress update"),
    ]

    #: The view gives the plans the person may see: ``fields["plan"].plans``.
    plan = PlanChoiceField(required=False, widget=NoBlankSelect)
    person = forms.ModelChoiceField(
        label="Changed by",
        queryset=None,
        required=False,
        empty_label="Anyone",
        error_messages={"invalid_choice": "Select who changed it from the list"},
    )
    kind = forms.ChoiceField(
        label="What changed",
        choices=[("", "Anything"), *KINDS],
        required=False,
        error_messages={"invalid_choice": "Select what changed from the list"},
    )
    date_from = QueryDateField(label="Changed on or after", error_name="The start date")
    date_to = QueryDateField(label="Changed on or before", error_name="The end date")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Everyone with a sign-in, including people who have left: finding who
        # appears in the history would mean reading whole history tables.
        person = self.fields["person"]
        person.queryset = get_user_model().objects.order_by(
            "first_name", "last_name", "username"
        )
        person.label_from_instance = user_display_name

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error(
                "date_to", "The date must be the same as or after the first date"
            )
        return cleaned

    def valid_filters(self):
        """The filters that were given and are valid, by name."""
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value not in (None, "") and name not in self.errors
        }
