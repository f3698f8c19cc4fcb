"""Filters for the actions register (django-filter)."""

import django_filters
from django import forms
from django.db.models import F
from django.db.models.functions import Lower

from findings.filters import narrow_choices, visible_themes
from findings.models import Finding, Theme
from improvement.kernel.date_fields import QueryDateField
from improvement.kernel.forms import GovukFilterForm
from improvement.kernel.ordering import SortFilter
from improvement.kernel.permissions import can_view_owners, can_view_priorities, visible
from improvement.kernel.query import matching_reference_or_title
from improvement.plan.models import Action, Owner, Plan, Priority


class DateFilter(django_filters.Filter):
    """A date typed in the GOV.UK date input (``improvement.kernel.forms``)."""

    field_class = QueryDateField


def visible_plans(user):
    return Plan.objects.visible_to(user)


def visible_priorities(user):
    """Priorities of the plans the user may see, if they may see priorities."""
    priorities = Priority.objects.filter(plan__in=visible_plans(user))
    return visible(priorities, can_view_priorities, user)


def visible_owners(user):
    return visible(Owner.objects.all(), can_view_owners, user)


def visible_findings(user):
    return Finding.objects.visible_to(user)


class ActionFilter(django_filters.FilterSet):
    """Every filter of the actions register. Applied filters stay in the URL.

    Give the ``request`` (or, away from a request, the ``user``): each choice
    list then offers only what that user may see, and a hidden record's id is
    refused like any unknown value. Without either the lists are not narrowed,
    which is only for narrowing rows already limited to the user (exports).
    """

    visible_choices = {
        "plan": visible_plans,
        "priority": visible_priorities,
        "lead_owner": visible_owners,
        "finding": visible_findings,
        "theme": visible_themes,
    }
    #: What each drop-down's options show (the records' ``__str__``).
    choice_columns = {
        "plan": ("name",),
        "priority": ("number", "title"),
        "lead_owner": ("name",),
        "theme": ("name",),
    }

    q = django_filters.CharFilter(
        label="Reference or title",
        method="search",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    plan = django_filters.ModelChoiceFilter(
        queryset=Plan.objects.all(), empty_label="All plans"
    )
    priority = django_filters.ModelChoiceFilter(
        queryset=Priority.objects.all(), empty_label="All priorities"
    )
    status = django_filters.MultipleChoiceFilter(
        label="Delivery status",
        choices=Action.Status.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    rag = django_filters.MultipleChoiceFilter(
        label="RAG",
        choices=[
            (value, label)
            for value, label in Action.ShownRag.choices
            if value != Action.ShownRag.NONE
        ],
        method="filter_rag",
        widget=forms.CheckboxSelectMultiple,
    )
    lead_owner = django_filters.ModelChoiceFilter(
        label="Lead officer", queryset=Owner.objects.all(), empty_label="Anyone"
    )
    # One finding, by id: what the finding pages link to ("actions answering
    # this"). Hidden, so the page never lists every finding as options.
    finding = django_filters.ModelChoiceFilter(
        label="Finding answered",
        field_name="findings",
        queryset=Finding.objects.all(),
        widget=forms.HiddenInput,
    )
    finding_q = django_filters.CharFilter(
        label="Finding answered",
        help_text="Its reference or words from its title",
        method="search_findings",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    theme = django_filters.ModelChoiceFilter(
        label="Theme",
        queryset=Theme.objects.all(),
        method="filter_theme",
        empty_label="Any theme",
    )
    overdue = django_filters.BooleanFilter(
        label="Overdue", method="filter_overdue", widget=forms.CheckboxInput
    )
    stale = django_filters.BooleanFilter(
        label="Stale (no recent update)",
        method="filter_stale",
        widget=forms.CheckboxInput,
    )
    slipped = django_filters.BooleanFilter(
        label="Slipped", method="filter_slipped", widget=forms.CheckboxInput
    )
    due_after = DateFilter(
        label="Due on or after",
        error_name="The first due date",
        field_name="due_date",
        lookup_expr="gte",
    )
    due_before = DateFilter(
        label="Due on or before",
        error_name="The last due date",
        field_name="due_date",
        lookup_expr="lte",
    )
    sort = SortFilter(
        # "Reference" first; ties fall back to reference order (R9 before R10).
        reference_order=Action.REFERENCE_ORDER,
        options={
            "due_date": ("Due date (soonest first)", ["due_date"]),
            "-due_date": ("Due date (latest first)", ["-due_date"]),
            "rag": ("RAG (red first)", [Action.rag_rank()]),
            "-rag": ("RAG (blue first)", [Action.rag_rank(reverse=True)]),
            "status": ("Status (not started first)", [Action.status_rank()]),
            "-status": (
                "Status (withdrawn first)",
                [Action.status_rank(reverse=True)],
            ),
            "last_update": (
                "Last update (oldest first)",
                [F("last_update_date").asc(nulls_first=True)],
            ),
            "-last_update": (
                "Last update (newest first)",
                [F("last_update_date").desc(nulls_last=True)],
            ),
            "title": ("Title (A to Z)", [Lower("title")]),
            "-title": ("Title (Z to A)", [Lower("title").desc()]),
            "lead_owner": ("Lead officer (A to Z)", [Lower("lead_owner__name")]),
            "-lead_owner": (
                "Lead officer (Z to A)",
                [Lower("lead_owner__name").desc()],
            ),
        },
    )

    class Meta:
        model = Action
        fields = []
        form = GovukFilterForm

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kw):
        super().__init__(data, queryset, request=request, **kw)
        narrow_choices(
            self, user if user is not None else getattr(request, "user", None)
        )

    def search(self, queryset, name, value):
        return matching_reference_or_title(queryset, value)

    def search_findings(self, queryset, name, value):
        """Actions answering any finding the user may see that matches ``value``."""
        findings = matching_reference_or_title(self.filters["finding"].queryset, value)
        through = Action.findings.through
        return queryset.filter(
            pk__in=through.objects.filter(finding__in=findings).values("action_id")
        )

    def filter_theme(self, queryset, name, value):
        through = Action.findings.through
        return queryset.filter(
            pk__in=through.objects.filter(finding__themes=value).values("action_id")
        )

    def filter_rag(self, queryset, name, value):
        """By the RAG as shown: Blue is delivered, "Not assessed" stands alone."""
        return queryset.with_shown_rag(value) if value else queryset

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset

    def filter_stale(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=Action.objects.stale().values("pk"))

    def filter_slipped(self, queryset, name, value):
        return queryset.slipped() if value else queryset

    @property
    def qs(self):
        return SortFilter.sorted(self, super().qs)
