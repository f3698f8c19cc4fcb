"""Filters for the findings register (django-filter)."""

import django_filters
from django import forms
from django.db.models import Case, IntegerField, Value, When
from django.db.models.functions import Lower

from findings.models import Finding, Theme
from improvement.kernel.forms import GovukFilterForm
from improvement.kernel.ordering import SortFilter, choice_rank
from improvement.kernel.permissions import can_view_themes, visible
from improvement.kernel.query import matching_reference_or_title
from visits.models import Inspection, MonitoringVisit

#: Kinds in the order the register sorts them: as ``Finding.Kind`` lists them.
KINDS = Finding.Kind.values

ANSWERED = "answered"
UNANSWERED = "unanswered"


def visible_themes(user):
    return visible(Theme.objects.all(), can_view_themes, user)


#: Where the register's plan filter finds plans. The plan app sits above
#: findings, so it provides them when Django starts (``offer_plans``);
#: until then the register has no plan filter.
_plans = None


def offer_plans(plans):
    """Give the findings register a plan filter over ``plans()``.

    ``plans`` returns every plan as a queryset with ``visible_to(user)``.
    Called by the plan app's ``ready()``: findings never import it.
    """
    global _plans
    _plans = plans


def narrow_choices(filterset, user):
    """Offer in each of ``filterset.visible_choices`` only what ``user`` may see.

    The filters are the filterset's own copies, so this changes no other
    filterset. Without a user nothing is narrowed. A drop-down reads only
    the columns its options show (``filterset.choice_columns``).
    """
    if user is None:
        return
    columns = getattr(filterset, "choice_columns", {})
    for name, choices_for in filterset.visible_choices.items():
        choices = choices_for(user)
        if name in columns:
            choices = choices.only(*columns[name])
        filterset.filters[name].queryset = choices


class FindingFilter(django_filters.FilterSet):
    """Every filter of the findings register. Applied filters stay in the URL.

    Give the ``request`` (or, away from a request, the ``user``): each choice
    list then offers only what that user may see, and a hidden record's id is
    refused like any unknown value. Without either the lists are not narrowed,
    which is only for narrowing rows already limited to the user (exports).
    """

    visible_choices = {
        "inspection": lambda user: Inspection.objects.visible_to(user),
        "monitoring_visit": lambda user: MonitoringVisit.objects.visible_to(user),
        "theme": visible_themes,
    }
    #: What each drop-down's options show (the records' ``__str__``).
    choice_columns = {
        "plan": ("name",),
        "inspection": ("title",),
        "monitoring_visit": ("kind", "sequence", "start_date"),
        "theme": ("name",),
    }

    q = django_filters.CharFilter(
        label="Reference or title",
        method="search",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    plan = django_filters.ModelChoiceFilter(
        label="Findings a plan answers",
        queryset=None,
        method="filter_plan",
        empty_label="Any plan",
    )
    inspection = django_filters.ModelChoiceFilter(
        label="Raised by inspection",
        queryset=Inspection.objects.all(),
        empty_label="Any inspection",
    )
    monitoring_visit = django_filters.ModelChoiceFilter(
        label="Raised by visit or review",
        queryset=MonitoringVisit.objects.all(),
        empty_label="Any visit or review",
    )
    kind = django_filters.MultipleChoiceFilter(
        label="Kind of finding",
        choices=Finding.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )
    theme = django_filters.ModelChoiceFilter(
        label="Theme",
        field_name="themes",
        queryset=Theme.objects.all(),
        empty_label="Any theme",
    )
    priority = django_filters.MultipleChoiceFilter(
        label="Priority",
        choices=Finding.Priority.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )
    answered = django_filters.ChoiceFilter(
        label="Answered by an action",
        choices=[(ANSWERED, "Answered"), (UNANSWERED, "Not answered")],
        method="filter_answered",
        empty_label="Answered or not",
    )
    sort = SortFilter(
        # "Reference" first; ties fall back to reference order (R9 before R10).
        reference_order=Finding.REFERENCE_ORDER,
        options={
            "priority": ("Priority (high first)", ["priority_rank"]),
            "-priority": ("Priority (low first)", ["-priority_rank"]),
            "kind": ("Kind (recommendations first)", [choice_rank("kind", KINDS)]),
            "-kind": ("Kind (strengths first)", [choice_rank("kind", KINDS[::-1])]),
            "title": ("Title (A to Z)", [Lower("title")]),
            "-title": ("Title (Z to A)", [Lower("title").desc()]),
        },
    )

    class Meta:
        model = Finding
        fields = []
        form = GovukFilterForm

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kw):
        if queryset is None:
            queryset = Finding.objects.all()
        # Sorting by priority means high, medium, low – not alphabetical.
        queryset = queryset.annotate(
            priority_rank=Case(
                When(priority=Finding.Priority.HIGH, then=Value(1)),
                When(priority=Finding.Priority.MEDIUM, then=Value(2)),
                When(priority=Finding.Priority.LOW, then=Value(3)),
                default=Value(4),
                output_field=IntegerField(),
            )
        )
        super().__init__(data, queryset=queryset, request=request, **kw)
        if _plans is None:
            del self.filters["plan"]
        else:
            self.filters["plan"].queryset = _plans()
            self.visible_choices = {
                **self.visible_choices,
                "plan": lambda user: _plans().visible_to(user),
            }
        narrow_choices(
            self, user if user is not None else getattr(request, "user", None)
        )

    def search(self, queryset, name, value):
        return matching_reference_or_title(queryset, value)

    def filter_plan(self, queryset, name, value):
        """The findings the plan answers: raised by its inspections and visits."""
        return queryset.for_plan(value)

    def filter_answered(self, queryset, name, value):
        if "is_answered" not in queryset.query.annotations:
            queryset = queryset.with_is_answered()
        if value == ANSWERED:
            return queryset.filter(is_answered=True)
        if value == UNANSWERED:
            # Strengths need no action, so they are never "not answered".
            return queryset.filter(is_answered=False).exclude(
                kind=Finding.Kind.STRENGTH
            )
        return queryset

    @property
    def qs(self):
        return SortFilter.sorted(self, super().qs)
