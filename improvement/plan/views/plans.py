"""Plans, priorities and owners: lists, pages and the forms that change them."""

from django.core.paginator import Paginator
from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from improvement.kernel.editing import add_page, edit_page
from improvement.kernel.permissions import (
    can_add_action,
    can_add_owner,
    can_add_plan,
    can_add_priority,
    can_edit_owner,
    can_edit_plan,
    can_edit_priority,
    can_view_actions,
    can_view_owners,
    can_view_priorities,
    refuse_unless,
    require,
)
from improvement.kernel.query import positive_int
from improvement.kernel.timeline import (
    HistorySource,
    Timeline,
    latest_changes,
    own_timeline,
)
from improvement.kernel.views import history_page
from improvement.plan import buttons
from improvement.plan.forms import OwnerForm, PlanForm, PriorityForm
from improvement.plan.models import Action, Owner, Plan, Priority

PAGE_SIZE = 25


def _status_counts(prefix=""):
    """``Count`` annotations of actions by delivery status, and overdue.

    ``prefix`` is the path from the queryset's model to its actions, for
    example "actions__". Distinct, so other joins cannot inflate them.
    """
    field = f"{prefix}pk" if prefix else "pk"
    today = timezone.localdate()

    def count(**lookups):
        condition = Q(**{f"{prefix}{key}": value for key, value in lookups.items()})
        return Count(field, filter=condition, distinct=True)

    return {
        "action_count": Count(field, distinct=True),
        "not_started_count": count(status=Action.Status.NOT_STARTED),
        "in_progress_count": count(status=Action.Status.IN_PROGRESS),
        "delivered_count": count(status=Action.Status.DELIVERED),
        "paused_count": count(status=Action.Status.PAUSED),
        "withdrawn_count": count(status=Action.Status.WITHDRAWN),
        "overdue_count": Count(
            field,
            filter=Q(**{f"{prefix}due_date__lt": today})
            & ~Q(**{f"{prefix}status__in": Action.CLOSED_STATUSES}),
            distinct=True,
        ),
    }


# ---------------------------------------------------------------------------
# Plans
# ---------------------------------------------------------------------------


@require_safe
def plan_list(request):
    """Everyone sees each improvement plan with its actions counted by status."""
    plans = (
        Plan.objects.visible_to(request.user)
        .annotate(**_status_counts("actions__"))
        .prefetch_related("inspections", "visits")
        .order_by("-start_date", "name")
    )
    page_obj = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "improvement/plan_list.html",
        {
            "page_obj": page_obj,
            "object_list": page_obj.object_list,
            "can_add": can_add_plan(request.user),
        },
    )


def _plan_timeline(plan):
    """The plan's own changes and its priorities' changes, newest first."""

    def name_priority(record):
        return (
            f"Priority {record.number}: {record.title}",
            reverse("improvement:priority_detail", args=[record.id]),
        )

    # Whole histories of the priorities that were ever in this plan, so that
    # each record is compared with the one before it.
    ever_here = Priority.history.filter(plan_id=plan.pk).values("id")
    return Timeline(
        HistorySource(Plan, {"id": plan.pk}, subject=lambda r: (r.name, "")),
        HistorySource(Priority, {"id__in": ever_here}, subject=name_priority),
    )


def _latest(timeline, name, obj):
    """The detail page's latest changes and the link to ``name``'s history page."""
    history = latest_changes(timeline, reverse(name, args=[obj.pk]))
    return {"timeline": history.entries, "history": history}


@require_safe
def plan_detail(request, pk):
    """A plan: what it answers, its priorities, action counts and history."""
    plan = _get_plan(request, pk)
    inspections = list(plan.inspections.order_by("start_date", "pk"))
    visits = list(plan.visits.select_related("inspection").order_by("start_date", "pk"))
    priorities = (
        plan.priorities.select_related("lead_owner")
        .annotate(**_status_counts("actions__"))
        .order_by("number")
    )
    totals = Action.objects.filter(plan=plan).aggregate(**_status_counts())
    return render(
        request,
        "improvement/plan_detail.html",
        {
            "plan": plan,
            "inspections": inspections,
            "visits": visits,
            "findings_url": f"{reverse('findings:finding_list')}?plan={plan.pk}",
            "priorities": priorities,
            "totals": totals,
            "actions_url": f"{reverse('improvement:action_list')}?plan={plan.pk}",
            **_latest(_plan_timeline(plan), "improvement:plan_history", plan),
            "can_edit": can_edit_plan(request.user),
            "can_add_priority": can_add_priority(request.user),
            "can_see_changes": can_view_actions(request.user),
            "more_buttons": buttons.for_plan(request.user, plan),
        },
    )


def _get_plan(request, pk):
    """The plan ``pk`` if the user may see it, else 404."""
    return get_object_or_404(Plan.objects.visible_to(request.user), pk=pk)


@require_safe
def plan_history(request, pk):
    """Every change to a plan and its priorities, a page at a time."""
    plan = _get_plan(request, pk)
    return history_page(
        request,
        plan,
        _plan_timeline(plan),
        breadcrumbs=[("Plans", reverse("improvement:plan_list"))],
        show_subject=True,
    )


@require(can_add_plan)
def plan_create(request):
    """Improvement managers add an improvement plan."""
    return add_page(
        request,
        PlanForm,
        "improvement/plan_form.html",
        name=lambda plan: f"Plan “{plan.name}”",
        context={
            "page_title": "Add an improvement plan",
            "cancel_url": reverse("improvement:plan_list"),
        },
    )


@require(can_edit_plan)
def plan_edit(request, pk):
    """Improvement managers edit a plan's name, dates, status and what it answers."""
    plans = Plan.objects.visible_to(request.user)
    return edit_page(
        request,
        lambda: get_object_or_404(plans, pk=pk),
        PlanForm,
        "improvement/plan_form.html",
        name=lambda plan: f"Plan “{plan.name}”",
        context=lambda plan: {
            "plan": plan,
            "page_title": "Edit plan",
            "caption": plan.name,
            "cancel_url": plan.get_absolute_url(),
        },
    )


# ---------------------------------------------------------------------------
# Priorities
# ---------------------------------------------------------------------------


@require_safe
def priority_detail(request, pk):
    """A priority: its lead officer, its actions and its history."""
    priority = _get_priority(request, pk)
    actions = (
        Action.objects.visible_to(request.user)
        .filter(priority=priority)
        .for_list()
        .in_reference_order()
    )
    return render(
        request,
        "improvement/priority_detail.html",
        {
            "priority": priority,
            "actions": actions,
            "today": timezone.localdate(),
            **_latest(own_timeline(priority), "improvement:priority_history", priority),
            "can_edit": can_edit_priority(request.user),
            "can_add_action": can_add_action(request.user),
        },
    )


def _get_priority(request, pk):
    """The priority ``pk`` for someone who may see priorities (else 403), or 404."""
    refuse_unless(can_view_priorities, request.user)
    return get_object_or_404(
        Priority.objects.select_related("plan", "lead_owner"), pk=pk
    )


@require_safe
def priority_history(request, pk):
    """Every change to a priority, a page at a time."""
    priority = _get_priority(request, pk)
    return history_page(
        request,
        priority,
        own_timeline(priority),
        breadcrumbs=[(priority.plan.name, priority.plan.get_absolute_url())],
    )


def _next_priority_number(plan):
    """One more than the plan's highest priority number (one query)."""
    highest = plan.priorities.order_by("-number").values_list("number", flat=True)
    return (highest.first() or 0) + 1


@require(can_add_priority)
def priority_create(request):
    """Improvement managers add a priority, usually from the plan's page."""
    initial = {}
    plan = None
    plan_id = request.GET.get("plan", "")
    if positive_int(plan_id):
        plan = Plan.objects.visible_to(request.user).filter(pk=plan_id).first()
    if plan is not None:
        initial = {"plan": plan, "number": _next_priority_number(plan)}
    cancel_url = plan.get_absolute_url() if plan else reverse("improvement:plan_list")
    return add_page(
        request,
        PriorityForm,
        "improvement/priority_form.html",
        initial=initial,
        name=lambda priority: f"Priority {priority.number}",
        context={
            "page_title": "Add a priority",
            "caption": plan.name if plan else "",
            "cancel_url": cancel_url,
        },
    )


@require(can_edit_priority)
def priority_edit(request, pk):
    """Improvement managers edit a priority's number, title and lead officer."""
    priorities = Priority.objects.select_related("plan")
    return edit_page(
        request,
        lambda: get_object_or_404(priorities, pk=pk),
        PriorityForm,
        "improvement/priority_form.html",
        name=lambda priority: f"Priority {priority.number}",
        context=lambda priority: {
            "priority": priority,
            "page_title": f"Edit priority {priority.number}",
            "caption": priority.plan.name,
            "cancel_url": priority.get_absolute_url(),
        },
    )


# ---------------------------------------------------------------------------
# Owners
# ---------------------------------------------------------------------------


def _count_of(queryset):
    """A subquery counting the rows of ``queryset`` (0 if none)."""
    counted = queryset.order_by().annotate(
        total=Func(F("pk"), function="COUNT", output_field=IntegerField())
    )
    return Coalesce(Subquery(counted.values("total")[:1]), 0)


@require_safe
def owner_list(request):
    """Everyone sees the owners of actions and how many each leads or supports."""
    refuse_unless(can_view_owners, request.user)
    owners = (
        Owner.objects.select_related("user")
        .annotate(
            led_count=_count_of(Action.objects.filter(lead_owner=OuterRef("pk"))),
            supported_count=_count_of(
                Action.supporting_owners.through.objects.filter(owner=OuterRef("pk"))
            ),
        )
        .order_by("name", "organisation", "pk")
    )
    page_obj = Paginator(owners, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "improvement/owner_list.html",
        {
            "page_obj": page_obj,
            "object_list": page_obj.object_list,
            "can_add": can_add_owner(request.user),
        },
    )


@require_safe
def owner_detail(request, pk):
    """An owner: who they are, the actions they lead and support, and history."""
    owner = _get_owner(request, pk)
    actions = Action.objects.visible_to(request.user).for_list().in_reference_order()
    led_priorities = Priority.objects.none()
    if can_view_priorities(request.user):
        led_priorities = owner.led_priorities.select_related("plan")
    return render(
        request,
        "improvement/owner_detail.html",
        {
            "owner": owner,
            "led_actions": actions.filter(lead_owner=owner),
            "supported_actions": actions.filter(supporting_owners=owner),
            "led_priorities": led_priorities,
            "today": timezone.localdate(),
            **_latest(own_timeline(owner), "improvement:owner_history", owner),
            "can_edit": can_edit_owner(request.user),
        },
    )


def _get_owner(request, pk):
    """The owner ``pk`` for someone who may see owners (else 403), or 404."""
    refuse_unless(can_view_owners, request.user)
    return get_object_or_404(Owner.objects.select_related("user"), pk=pk)


@require_safe
def owner_history(request, pk):
    """Every change to an owner's details, a page at a time."""
    owner = _get_owner(request, pk)
    return history_page(
        request,
        owner,
        own_timeline(owner),
        breadcrumbs=[("Owners", reverse("improvement:owner_list"))],
    )


@require(can_add_owner)
def owner_create(request):
    """Improvement managers add an owner: a person, a role or a partner lead."""
    return add_page(
        request,
        OwnerForm,
        "improvement/owner_form.html",
        name=lambda owner: f"Owner “{owner.name}”",
        context={
            "page_title": "Add an owner",
            "cancel_url": reverse("improvement:owner_list"),
        },
    )


@require(can_edit_owner)
def owner_edit(request, pk):
    """Improvement managers edit an owner's details and sign-in."""
    owners = Owner.objects.select_related("user")
    return edit_page(
        request,
        lambda: get_object_or_404(owners, pk=pk),
        OwnerForm,
        "improvement/owner_form.html",
        name=lambda owner: f"Owner “{owner.name}”",
        context=lambda owner: {
            "owner": owner,
            "page_title": "Edit owner",
            "caption": owner.name,
            "cancel_url": owner.get_absolute_url(),
        },
    )
