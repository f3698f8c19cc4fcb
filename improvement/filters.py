"""Filters for the actions register (django-filter)."""

import django_filters
from django import forms
from django.db.models import Q

from findings.filters import narrow_choices, visible_themes
from findings.models import Finding, Theme
from improvement.models import Action, Owner, Plan, Priority


def visible_plans(user):
    return Plan.objects.visible_to(user)


def visible_priorities(user):
    """Priorities of the plans the user may see, if they may see priorities."""
    if not user.has_perm("improvement.view_priority"):
        return Priority.objects.none()
    return Priority.objects.filter(plan__in=visible_plans(user)).select_related("plan")


def visible_owners(user):
    if not user.has_perm("improvement.view_owner"):
        return Owner.objects.none()
    return Owner.objects.all()


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
        queryset=Priority.objects.select_related("plan"), empty_label="All priorities"
    )
    status = django_filters.MultipleChoiceFilter(
        label="Delivery status",
        choices=Action.Status.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    rag = django_filters.MultipleChoiceFilter(
        label="RAG",
        choices=Action.Rag.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    lead_owner = django_filters.ModelChoiceFilter(
        label="Lead officer", queryset=Owner.objects.all(), empty_label="Anyone"
    )
    finding = django_filters.ModelChoiceFilter(
        label="Finding answered",
        field_name="findings",
        queryset=Finding.objects.all(),
        empty_label="Any finding",
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
    due_after = django_filters.DateFilter(
        label="Due on or after",
        field_name="due_date",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    due_before = django_filters.DateFilter(
        label="Due on or before",
        field_name="due_date",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sort = django_filters.OrderingFilter(
        label="Sort by",
        empty_label=None,
        fields=[
            ("due_date", "due_date"),
            ("reference", "reference"),
            ("title", "title"),
            ("status", "status"),
            ("rag", "rag"),
            ("lead_owner__name", "lead_owner"),
        ],
        field_labels={
            "due_date": "Due date (soonest first)",
            "-due_date": "Due date (latest first)",
            "reference": "Reference",
            "-reference": "Reference (descending)",
            "title": "Title",
            "-title": "Title (Z to A)",
            "status": "Delivery status",
            "-status": "Delivery status (descending)",
            "rag": "RAG",
            "-rag": "RAG (descending)",
            "lead_owner": "Lead officer",
            "-lead_owner": "Lead officer (Z to A)",
        },
    )

    class Meta:
        model = Action
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kw):
        super().__init__(data, queryset, request=request, **kw)
        narrow_choices(
            self, user if user is not None else getattr(request, "user", None)
        )

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(reference__icontains=value) | Q(title__icontains=value)
        )

    def filter_theme(self, queryset, name, value):
        through = Action.findings.through
        return queryset.filter(
            pk__in=through.objects.filter(finding__themes=value).values("action_id")
        )

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
        queryset = super().qs
        if not queryset.query.order_by:
            queryset = queryset.order_by("plan", "priority__number", "reference")
        return queryset
