"""Filters for the findings register (django-filter)."""

import django_filters
from django import forms
from django.db.models import Case, IntegerField, Q, Value, When

from findings.models import Finding, Theme
from visits.models import Inspection, MonitoringVisit

ANSWERED = "answered"
UNANSWERED = "unanswered"


def visible_themes(user):
    if not user.has_perm("findings.view_theme"):
        return Theme.objects.none()
    return Theme.objects.all()


def narrow_choices(filterset, user):
    """Offer in each of ``filterset.visible_choices`` only what ``user`` may see.

    The filters are the filterset's own copies, so this changes no other
    filterset. Without a user nothing is narrowed.
    """
    if user is None:
        return
    for name, visible in filterset.visible_choices.items():
        filterset.filters[name].queryset = visible(user)


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

    q = django_filters.CharFilter(
        label="Reference or title",
        method="search",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
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
    sort = django_filters.OrderingFilter(
        label="Sort by",
        empty_label=None,
        fields=[
            ("reference", "reference"),
            ("title", "title"),
            ("priority_rank", "priority"),
            ("kind", "kind"),
        ],
        field_labels={
            "reference": "Reference",
            "-reference": "Reference (descending)",
            "title": "Title",
            "-title": "Title (Z to A)",
            "priority": "Priority (high first)",
            "-priority": "Priority (low first)",
            "kind": "Kind",
            "-kind": "Kind (descending)",
        },
    )

    class Meta:
        model = Finding
        fields = []

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
        queryset = super().qs
        if not queryset.query.order_by:
            queryset = queryset.order_by("reference", "pk")
        return queryset
