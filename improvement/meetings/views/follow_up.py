"""What a meeting leaves to follow up: answers owed, actions arising and
the reminders their owners choose.

Everyone with a role reads the answers owed and actions arising; improvement
managers record answers and correct actions arising; the owner of an action
arising (or a manager) records its progress and status; owners choose their
reminders.
"""

from functools import partial

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from improvement.kernel.editing import add_page, edit_page
from improvement.kernel.permissions import (
    can_choose_reminders,
    can_edit_meeting,
    can_update_action_arising,
    can_view_meetings,
    refuse_unless,
    require,
)
from improvement.kernel.timeline import HistorySource, Timeline, latest_changes
from improvement.kernel.views import history_page
from improvement.meetings.forms import (
    ActionArisingForm,
    ActionArisingUpdateForm,
    QuestionForm,
    ReminderChoiceForm,
)
from improvement.meetings.models import ActionArising, Question, ReminderChoice
from improvement.meetings.views.meetings import PAGE_SIZE

# Answers owed ----------------------------------------------------------------


@require_safe
@require(can_view_meetings)
def question_list(request):
    """Answers owed: questions members asked that are still waiting for
    their answer, oldest meeting first."""
    questions = (
        Question.objects.visible_to(request.user)
        .owed()
        .select_related("agenda_item__meeting__body", "answered_by")
        .order_by("agenda_item__meeting__date", "pk")
    )
    page = Paginator(questions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/question_list.html",
        {
            "page_obj": page,
            "can_answer": can_edit_meeting(request.user),
            "today": timezone.localdate(),
        },
    )


@require(can_edit_meeting)
def question_answer(request, pk):
    """Improvement managers record the answer to a question (or correct it)."""
    questions = Question.objects.visible_to(request.user).select_related(
        "agenda_item__meeting__body"
    )
    return edit_page(
        request,
        lambda: get_object_or_404(questions, pk=pk),
        QuestionForm,
        "meetings/part_form.html",
        name=lambda question: "Question",
        context=lambda question: {
            "page_title": "Answer the question",
            "caption": str(question.agenda_item.meeting),
            "cancel_url": question.agenda_item.meeting.get_absolute_url(),
            "submit_label": "Save answer",
        },
    )


# Actions arising -------------------------------------------------------------


@require_safe
@require(can_view_meetings)
def actionarising_list(request):
    """Open actions arising from every meeting, soonest due first; with
    ``?show=all``, the closed ones too."""
    show_all = request.GET.get("show") == "all"
    rows = ActionArising.objects.visible_to(request.user).for_rows()
    if not show_all:
        rows = rows.open()
    page = Paginator(rows.order_by("due_date", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "meetings/actionarising_list.html",
        {"page_obj": page, "show_all": show_all, "today": timezone.localdate()},
    )


def _get_action_arising(request, pk):
    refuse_unless(can_view_meetings, request.user)
    rows = ActionArising.objects.visible_to(request.user).for_rows()
    return get_object_or_404(rows, pk=pk)


def _action_arising_timeline(action):
    return Timeline(
        HistorySource(ActionArising, {"id": action.pk}, subject=lambda r: ("", ""))
    )


@require_safe
def actionarising_detail(request, pk):
    """An action arising: the meeting that set it, its owner, due date,
    status and progress, the plan action it became, and the reminders sent."""
    action = _get_action_arising(request, pk)
    history = latest_changes(
        _action_arising_timeline(action),
        reverse("meetings:actionarising_history", args=[action.pk]),
    )
    return render(
        request,
        "meetings/actionarising_detail.html",
        {
            "action": action,
            "meeting": action.agenda_item.meeting,
            "reminders": action.reminders.order_by("-sent_at")[:10],
            "today": timezone.localdate(),
            "timeline": history.entries,
            "history": history,
            "can_update": can_update_action_arising(request.user, action),
            "can_edit": can_edit_meeting(request.user),
        },
    )


@require_safe
def actionarising_history(request, pk):
    """Every change to an action arising, a page at a time."""
    action = _get_action_arising(request, pk)
    return history_page(
        request,
        action,
        _action_arising_timeline(action),
        breadcrumbs=[
            ("Actions arising", reverse("meetings:actionarising_list")),
        ],
    )


@require(can_edit_meeting)
def actionarising_edit(request, pk):
    """Improvement managers correct an action arising, or link it to the
    plan action it became."""
    rows = ActionArising.objects.visible_to(request.user).for_rows()
    return edit_page(
        request,
        lambda: get_object_or_404(rows, pk=pk),
        ActionArisingForm,
        "meetings/part_form.html",
        name=lambda action: "Action arising",
        context=lambda action: {
            "page_title": "Edit action arising",
            "caption": str(action.agenda_item.meeting),
            "cancel_url": action.get_absolute_url(),
            "submit_label": "Save action arising",
        },
    )


def actionarising_update(request, pk):
    """The owner of an action arising (or a manager) records its progress
    and delivery status."""
    action = _get_action_arising(request, pk)
    refuse_unless(lambda user: can_update_action_arising(user, action), request.user)
    rows = ActionArising.objects.visible_to(request.user).for_rows()
    return edit_page(
        request,
        lambda: get_object_or_404(rows, pk=pk),
        ActionArisingUpdateForm,
        "meetings/part_form.html",
        name=lambda action: "Action arising",
        context=lambda action: {
            "page_title": "Update the action arising",
            "caption": action.description[:80],
            "cancel_url": action.get_absolute_url(),
            "submit_label": "Save update",
        },
    )


# Reminders -------------------------------------------------------------------


@require(can_choose_reminders)
def reminder_choice(request):
    """Anyone signed in as an owner chooses the weekly digest as well as the
    reminders before each meeting, or only those."""
    owner = getattr(request.user, "owner", None)
    if owner is None:
        return render(request, "meetings/reminder_choice.html", {"form": None})
    context = {"page_title": "Your reminders", "owner": owner}
    choice = ReminderChoice.objects.filter(owner=owner).first()
    if choice is None:
        return add_page(
            request,
            partial(ReminderChoiceForm, instance=ReminderChoice(owner=owner)),
            "meetings/reminder_choice.html",
            name=lambda choice: "Your choice of reminders",
            context=context,
        )
    return edit_page(
        request,
        lambda: ReminderChoice.objects.get(pk=choice.pk),
        ReminderChoiceForm,
        "meetings/reminder_choice.html",
        name=lambda choice: "Your choice of reminders",
        context=lambda choice: context,
    )
