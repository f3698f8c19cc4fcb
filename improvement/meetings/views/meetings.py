"""Meetings and their record: the list, the meeting page and its history,
the board's papers for each plan it reviews, and the forms recording a
meeting, a body that meets, and the meeting's agenda items, decisions,
questions and actions arising.

Everyone with a role reads them; improvement managers record them.
"""

from functools import partial

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from improvement.kernel.dates import govuk_date
from improvement.kernel.editing import add_page, edit_page
from improvement.kernel.permissions import (
    can_edit_meeting,
    can_record_meetings,
    can_view_meetings,
    refuse_unless,
    require,
)
from improvement.kernel.timeline import HistorySource, Timeline, latest_changes
from improvement.kernel.views import history_page
from improvement.meetings.forms import (
    ActionArisingForm,
    AgendaItemForm,
    BodyForm,
    DecisionForm,
    MeetingForm,
    QuestionForm,
)
from improvement.meetings.models import (
    ActionArising,
    AgendaItem,
    Decision,
    Meeting,
    Question,
)
from improvement.meetings.reminders import reminded_since_update
from improvement.plan.models import Action

#: Meetings, answers owed and actions arising listed a page at a time.
PAGE_SIZE = 50


@require_safe
@require(can_view_meetings)
def meeting_list(request):
    """Every meeting, newest first, with how much it decided and set."""
    meetings = (
        Meeting.objects.visible_to(request.user)
        .select_related("body")
        .annotate(
            decision_count=Count("agenda_items__decisions", distinct=True),
            open_count=Count(
                "agenda_items__actions_arising",
                filter=~Q(
                    agenda_items__actions_arising__status__in=ActionArising.CLOSED_STATUSES
                ),
                distinct=True,
            ),
            owed_count=Count(
                "agenda_items__questions",
                filter=Q(agenda_items__questions__answer=""),
                distinct=True,
            ),
        )
        .order_by("-date", "-pk")
    )
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/meeting_list.html",
        {"page_obj": page, "can_add": can_record_meetings(request.user)},
    )


def _get_meeting(request, pk):
    refuse_unless(can_view_meetings, request.user)
    meetings = Meeting.objects.visible_to(request.user).select_related("body")
    return get_object_or_404(meetings, pk=pk)


def _meeting_timeline(meeting):
    """The meeting's changes with those of its agenda and what it recorded."""

    def named(prefix):
        return lambda record: (f"{prefix}: {str(record)[:60]}", "")

    return Timeline(
        HistorySource(Meeting, {"id": meeting.pk}, subject=lambda r: ("Meeting", "")),
        HistorySource(
            AgendaItem, {"meeting_id": meeting.pk}, subject=named("Agenda item")
        ),
        HistorySource(
            Decision,
            {"agenda_item__meeting_id": meeting.pk},
            subject=named("Decision"),
        ),
        HistorySource(
            Question,
            {"agenda_item__meeting_id": meeting.pk},
            subject=named("Question"),
        ),
        HistorySource(
            ActionArising,
            {"agenda_item__meeting_id": meeting.pk},
            subject=named("Action arising"),
        ),
    )


@require_safe
def meeting_detail(request, pk):
    """A meeting: who attended, the plans it reviewed, and each agenda item
    with its decisions, questions and answers, and actions arising."""
    meeting = _get_meeting(request, pk)
    items = meeting.agenda_items.prefetch_related(
        "decisions",
        Prefetch("questions", Question.objects.select_related("answered_by")),
        Prefetch("actions_arising", ActionArising.objects.for_rows()),
    )
    history = latest_changes(
        _meeting_timeline(meeting),
        reverse("meetings:meeting_history", args=[meeting.pk]),
    )
    previous = meeting.previous()
    reminded = (
        Action.objects.filter(reminders__meeting=meeting)
        .distinct()
        .select_related("lead_owner")
        .in_reference_order()
    )
    counts = reminded_since_update(reminded)
    plans = list(meeting.plans.all())
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "plans": plans,
            "papers": board_papers(meeting, previous, plans, timezone.localdate()),
            "items": items,
            "previous": previous,
            "not_updated": [(a, counts[a.pk]) for a in reminded if counts.get(a.pk)],
            "today": timezone.localdate(),
            "timeline": history.entries,
            "history": history,
            "can_edit": can_edit_meeting(request.user),
            "show_subject": True,
        },
    )


def board_papers(meeting, previous, plans, today):
    """For each plan the meeting reviews: the board's pages as at the meeting
    (today, for a meeting still to come) compared with the body's previous
    meeting, as (label, url) pairs, so nobody types a date; and the packs
    issued for the meeting, newest first, saying whether the plan's records
    have changed since the newest was issued."""
    as_at, since = meeting.papers_dates(today, previous)
    issued = list(meeting.issued_packs.select_related("document", "issued_by"))
    papers = []
    for plan in plans:
        dates = {"as_at": as_at, **({"since": since} if since else {})}
        pages = [
            ("Board pack", "improvement:board_pack", dates),
            ("Dashboard", "improvement:dashboard", {"as_at": as_at}),
        ]
        if since:
            pages += [
                (
                    "What changed",
                    "improvement:changes_since",
                    {"since": since, "until": as_at},
                ),
                ("Drift and delay", "improvement:drift", {"since": since}),
            ]
        packs = [pack for pack in issued if pack.plan_id == plan.pk]
        papers.append(
            {
                "plan": plan,
                "links": [
                    (label, f"{reverse(name)}?{urlencode({'plan': plan.pk, **query})}")
                    for label, name, query in pages
                ],
                "issued": packs,
                "superseded": bool(packs) and packs[0].is_superseded(),
            }
        )
    return {"as_at": as_at, "since": since, "plans": papers}


@require_safe
def meeting_history(request, pk):
    """Every change to a meeting and its record, a page at a time."""
    meeting = _get_meeting(request, pk)
    return history_page(
        request,
        meeting,
        _meeting_timeline(meeting),
        breadcrumbs=[("Meetings", reverse("meetings:meeting_list"))],
        show_subject=True,
    )


def _meeting_name(meeting):
    return f"Meeting of the {meeting.body.name} on {govuk_date(meeting.date)}"


@require(can_record_meetings)
def meeting_create(request):
    """Improvement managers record a meeting."""
    return add_page(
        request,
        MeetingForm,
        "meetings/meeting_form.html",
        name=_meeting_name,
        context={
            "page_title": "Record a meeting",
            "cancel_url": reverse("meetings:meeting_list"),
        },
    )


@require(can_edit_meeting)
def meeting_edit(request, pk):
    """Improvement managers correct a meeting's details."""
    meetings = Meeting.objects.visible_to(request.user).select_related("body")
    return edit_page(
        request,
        lambda: get_object_or_404(meetings, pk=pk),
        MeetingForm,
        "meetings/meeting_form.html",
        name=_meeting_name,
        context=lambda meeting: {
            "meeting": meeting,
            "page_title": "Edit meeting",
            "caption": str(meeting),
            "cancel_url": meeting.get_absolute_url(),
        },
    )


@require(can_record_meetings)
def body_create(request):
    """Improvement managers name a body that meets: a committee, Cabinet."""
    return add_page(
        request,
        BodyForm,
        "meetings/part_form.html",
        name=lambda body: body.name,
        context={
            "page_title": "Add a body",
            "cancel_url": reverse("meetings:meeting_create"),
            "submit_label": "Add body",
        },
    )


def _add_to_meeting(request, pk, form_class, *, title, submit, name):
    """The page adding a record to meeting ``pk``; back to the meeting after."""
    refuse_unless(can_record_meetings, request.user)
    meeting = _get_meeting(request, pk)

    return add_page(
        request,
        partial(form_class, meeting=meeting),
        "meetings/part_form.html",
        name=name,
        context={
            "meeting": meeting,
            "page_title": title,
            "caption": str(meeting),
            "cancel_url": meeting.get_absolute_url(),
            "submit_label": submit,
        },
    )


def meeting_additem(request, pk):
    """Improvement managers add an item to the meeting's agenda."""
    return _add_to_meeting(
        request,
        pk,
        AgendaItemForm,
        title="Add an agenda item",
        submit="Add agenda item",
        name=lambda item: f"Agenda item {item.number}",
    )


def meeting_adddecision(request, pk):
    """Improvement managers minute a decision under an agenda item."""
    return _add_to_meeting(
        request,
        pk,
        DecisionForm,
        title="Record a decision",
        submit="Record decision",
        name=lambda decision: "Decision",
    )


def meeting_addquestion(request, pk):
    """Improvement managers record a member's question, and its answer if given."""
    return _add_to_meeting(
        request,
        pk,
        QuestionForm,
        title="Record a question",
        submit="Record question",
        name=lambda question: "Question",
    )


def meeting_addaction(request, pk):
    """Improvement managers record an action arising, with its owner and due date."""
    return _add_to_meeting(
        request,
        pk,
        ActionArisingForm,
        title="Record an action arising",
        submit="Record action arising",
        name=lambda action: "Action arising",
    )
