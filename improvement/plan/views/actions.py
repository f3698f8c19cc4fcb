"""Actions: the register, My actions, the action page, its updates and edits.

Links to findings are ``improvement.plan.links``.
"""

from functools import partial

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from findings.models import Finding
from improvement.kernel.dates import govuk_date
from improvement.kernel.editing import (
    add_page,
    edit_page,
    edit_with_version,
)
from improvement.kernel.permissions import (
    can_add_action,
    can_edit_action,
    can_update_action,
    require,
)
from improvement.kernel.query import positive_int
from improvement.kernel.timeline import HistorySource, Timeline, latest_changes
from improvement.kernel.views import history_page
from improvement.plan.filters import ActionFilter
from improvement.plan.forms import ActionForm, ActionUpdateForm, link_candidates
from improvement.plan.models import Action, Priority, ProgressUpdate
from improvement.plan.views.access import get_action

PAGE_SIZE = 25


def _page(request, queryset, size=PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


@require_safe
def action_list(request):
    """The actions register: every action, filtered, sorted and paginated."""
    actions = Action.objects.visible_to(request.user).for_list()
    action_filter = ActionFilter(request.GET or None, queryset=actions, request=request)
    page_obj = _page(request, action_filter.qs)
    form = action_filter.form
    return render(
        request,
        "improvement/action_list.html",
        {
            "filter_form": form,
            "chosen_finding": form.is_valid() and form.cleaned_data.get("finding"),
            "page_obj": page_obj,
            "object_list": page_obj.object_list,
            "today": timezone.localdate(),
            "can_add": can_add_action(request.user),
        },
    )


@require_safe
def my_actions(request):
    """Actions the signed-in officer leads or supports.

    Open actions that need an update (overdue or stale, by the same rules as
    the register's filters and the dashboard) come first, then the rest; each
    group soonest due first.
    """
    today = timezone.localdate()
    mine = (
        Action.objects.visible_to(request.user)
        .for_user(request.user)
        .for_list()
        .with_signals(today)
        .order_by("due_date", "sort_key", "pk")
    )
    actions = list(mine)
    needs_update = [a for a in actions if a.flag_overdue or a.flag_stale]
    up_to_date = [a for a in actions if a.is_open and a not in needs_update]
    return render(
        request,
        "improvement/my_actions.html",
        {
            "open_actions": needs_update + up_to_date,
            "needs_update": needs_update,
            "up_to_date": up_to_date,
            "closed_actions": [a for a in actions if not a.is_open],
            "today": today,
            "stale_days": settings.STALE_AFTER_DAYS,
            "has_owner": hasattr(request.user, "owner"),
        },
    )


def _action_timeline(action):
    """The action's own changes and its progress updates, newest first."""

    def name_update(record):
        return (f"Progress update, {govuk_date(record.update_date)}", "")

    return Timeline(
        HistorySource(Action, {"id": action.pk}, subject=lambda r: (str(action), "")),
        HistorySource(ProgressUpdate, {"action_id": action.pk}, subject=name_update),
    )


@require_safe
def action_detail(request, pk):
    """Everything about one action, its progress updates and its history."""
    action = get_action(
        request,
        pk,
        queryset=Action.objects.select_related(
            "plan", "priority", "priority__plan", "lead_owner"
        ).prefetch_related(
            "supporting_owners",
            Prefetch(
                "findings",
                queryset=Finding.objects.with_source().prefetch_related("themes"),
            ),
            Prefetch(
                "progress_updates",
                queryset=ProgressUpdate.objects.select_related("author"),
            ),
        ),
    )
    return render(
        request,
        "improvement/action_detail.html",
        {
            "action": action,
            **_latest_changes(action),
            "can_update": can_update_action(request.user, action),
            "can_edit": can_edit_action(request.user),
            "today": timezone.localdate(),
        },
    )


def _latest_changes(action):
    history = latest_changes(
        _action_timeline(action),
        reverse("improvement:action_history", args=[action.pk]),
        keep=True,
    )
    return {"timeline": history.entries, "history": history}


@require_safe
def action_history(request, pk):
    """Every change to one action and its progress updates, a page at a time."""
    action = get_action(request, pk, queryset=Action.objects.select_related("plan"))
    return history_page(
        request,
        action,
        _action_timeline(action),
        breadcrumbs=[
            ("Actions", reverse("improvement:action_list")),
            (action.plan.name, action.plan.get_absolute_url()),
        ],
        show_subject=True,
    )


def action_progress(request, pk):
    """Record progress and change status, RAG, impact or due date."""
    result = edit_with_version(
        request,
        lambda: get_action(request, pk, for_update=True),
        ActionUpdateForm,
        save=partial(_save_update, request),
    )
    action = result.stored
    if result.saved:
        messages.success(request, _update_message(action, result.form))
        return redirect(action)
    return render(
        request,
        "improvement/action_progress.html",
        {"action": action, "form": result.form, "conflict": result.conflict},
        status=result.status,
    )


def _update_message(action, form):
    """Say what the update saved, in the order the form asks for it.

    "Progress update saved for action 2.6. Status changed to In progress and
    RAG changed to Amber." Reasons and evidence go unmentioned: they explain
    the change they belong to.
    """
    data = form.cleaned_data
    said = []
    if "status" in form.mine:
        said.append(f"status changed to {action.get_status_display()}")
    if "rag" in form.mine:
        said.append(f"RAG changed to {action.get_rag_display()}")
    if "impact" in form.mine:
        said.append(f"impact changed to {action.get_impact_display()}")
    if "due_date" in form.mine:
        said.append(f"due date moved to {govuk_date(action.due_date)}")
    changes = ""
    if said:
        changes = said[0][0].upper() + said[0][1:]
        if len(said) > 1:
            changes = ", ".join([changes, *said[1:-1]]) + f" and {said[-1]}"
    subject = f"action {action.reference}"
    if data["narrative"].strip():
        saved = f"Progress update saved for {subject}"
        return f"{saved}. {changes}." if changes else saved
    return f"{changes} for {subject}"


def _save_update(request, form, stored, version):
    """Apply the person's changes and add their progress update, if any.

    A progress update alone leaves the action (and its version) as it is:
    updates are appended and never conflict with anyone's edit.
    """
    action = form.instance
    narrative = form.cleaned_data["narrative"].strip()
    with transaction.atomic():
        reasons = form.apply()
        if reasons:
            action._change_reason = "; ".join(reasons)
        if form.mine:
            action.save_if_current(version)
        if narrative:
            ProgressUpdate.objects.create(
                action=action,
                author=request.user,
                update_date=timezone.localdate(),
                narrative=narrative,
                status=action.status,
                rag=action.rag,
                evidence_url=form.cleaned_data["evidence_url"],
            )
    return bool(form.mine or narrative)


@require(can_add_action)
def action_create(request):
    """Improvement managers add an action, optionally answering a finding."""
    finding = None
    finding_id = request.GET.get("finding") or request.POST.get("finding")
    if finding_id:
        if positive_int(finding_id) is None:
            finding_id = 0
        # A strength needs no action: none is added to answer it.
        finding = get_object_or_404(
            link_candidates(Finding.objects.visible_to(request.user)), pk=finding_id
        )
    initial = {}
    priority_id = request.GET.get("priority", "")
    if positive_int(priority_id):
        initial["priority"] = Priority.objects.filter(pk=priority_id).first()

    def save(form):
        with transaction.atomic():
            action = form.save()
            if finding is not None:
                action.findings.add(finding)
        return action

    return add_page(
        request,
        ActionForm,
        "improvement/action_form.html",
        initial=initial,
        save=save,
        name=_action_name,
        context={"finding": finding, "page_title": "Add an action"},
    )


def _action_name(action):
    return f"Action {action.reference}"


def action_edit(request, pk):
    """Improvement managers edit an action's details and owners."""
    return edit_page(
        request,
        lambda: get_action(request, pk, for_edit=True),
        ActionForm,
        "improvement/action_form.html",
        name=_action_name,
        context=lambda action: {
            "action": action,
            "page_title": f"Edit action {action.reference}",
        },
    )
