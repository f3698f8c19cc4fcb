"""Meetings and their record: who records them, what is refused, answers
owed and actions arising, their history, and what the pages cost."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from improvement.meetings.models import (
    ActionArising,
    AgendaItem,
    Decision,
    Meeting,
    Question,
    ReminderChoice,
)
from tests.factories import (
    ActionArisingFactory,
    ActionFactory,
    AgendaItemFactory,
    BodyFactory,
    DecisionFactory,
    MeetingFactory,
    OwnerFactory,
    PlanFactory,
    QuestionFactory,
)
from tests.helpers import at, date_parts, sign_in_as, success_message, travel

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with travel(at(2026, 1, 27)):
        yield


def meeting_data(met, plans=(), **overrides):
    data = {
        "body": met.pk,
        **date_parts("date", datetime.date(2026, 1, 20)),
        "plans": [plan.pk for plan in plans],
        "attendees": "Independent Chair\nDirector of Children's Services",
        "partners": "Police: Detective Superintendent",
        "notes": "",
    }
    data.update(overrides)
    return data


def _history_users(record):
    """Everyone who made a history row of ``record``, once each."""
    return list({row.history_user for row in record.history.all()})


# Recording a meeting ------------------------------------------------------------


def test_a_manager_records_a_meeting_with_its_plans(client_as_manager, manager):
    body, plan = BodyFactory(), PlanFactory()
    response = client_as_manager.post(
        reverse("meetings:meeting_create"), meeting_data(body, [plan])
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response.url == meeting.get_absolute_url()
    assert meeting.body == body
    assert meeting.date == datetime.date(2026, 1, 20)
    assert list(meeting.plans.all()) == [plan]
    assert _history_users(meeting) == [manager]
    page = client_as_manager.get(response.url)
    assert "Meeting of the Improvement Board on 20 January 2026 added" in (
        success_message(page)
    )
    assert "Independent Chair" in page.content.decode()


def test_a_meeting_without_a_body_or_real_date_is_refused(client_as_manager):
    body = BodyFactory()
    data = meeting_data(body, body="", date_1="13")
    response = client_as_manager.post(reverse("meetings:meeting_create"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["body"] == ["Select the body that met"]
    assert form.errors["date"] == ["Date of the meeting must be a real date"]
    assert "Error:" in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_manager_names_a_new_body(client_as_manager, manager):
    response = client_as_manager.post(
        reverse("meetings:body_create"),
        {"name": "Children's Scrutiny Committee", "description": "", "is_board": ""},
    )
    assert response.status_code == 302
    assert response.url == reverse("meetings:meeting_create")
    page = client_as_manager.get(response.url)
    assert "Children&#x27;s Scrutiny Committee" in page.content.decode()


def test_editing_a_meeting_over_a_newer_change_is_refused(client_as_manager):
    meeting = MeetingFactory()
    opened = meeting.version
    meeting.attendees = "Independent Chair"
    meeting.save()
    data = meeting_data(meeting.body, version=opened, attendees="DfE Adviser")
    response = client_as_manager.post(
        reverse("meetings:meeting_edit", args=[meeting.pk]), data
    )
    assert response.status_code == 409
    meeting.refresh_from_db()
    assert meeting.attendees == "Independent Chair"


# The agenda and what the meeting recorded ------------------------------------------


def test_a_manager_records_the_agenda_a_decision_and_a_question(
    client_as_manager, manager
):
    meeting = MeetingFactory()
    client_as_manager.post(
        reverse("meetings:meeting_additem", args=[meeting.pk]),
        {"number": "3", "title": "Improvement plan progress", "notes": ""},
    )
    item = AgendaItem.objects.get()
    assert (item.meeting, item.number) == (meeting, 3)
    response = client_as_manager.post(
        reverse("meetings:meeting_adddecision", args=[meeting.pk]),
        {"agenda_item": item.pk, "text": "It was agreed that the report be noted."},
    )
    assert response.status_code == 302
    assert response.url == f"{meeting.get_absolute_url()}#item-{item.pk}"
    assert Decision.objects.get().agenda_item == item
    client_as_manager.post(
        reverse("meetings:meeting_addquestion", args=[meeting.pk]),
        {
            "agenda_item": item.pk,
            "asked_by": "Councillor",
            "text": "How many social workers are agency staff?",
            "answer": "",
            **date_parts("answered_on", None),
        },
    )
    question = Question.objects.get()
    assert question.is_owed
    assert _history_users(question) == [manager]
    page = client_as_manager.get(meeting.get_absolute_url()).content.decode()
    assert "It was agreed that the report be noted." in page
    assert "Answer owed" in page


def test_an_agenda_item_of_another_meeting_is_refused(client_as_manager):
    meeting, other = MeetingFactory(), AgendaItemFactory()
    response = client_as_manager.post(
        reverse("meetings:meeting_adddecision", args=[meeting.pk]),
        {"agenda_item": other.pk, "text": "It was agreed."},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["agenda_item"]
    assert not Decision.objects.exists()


def test_a_taken_item_number_is_refused_beside_the_field(client_as_manager):
    item = AgendaItemFactory(number=1)
    response = client_as_manager.post(
        reverse("meetings:meeting_additem", args=[item.meeting.pk]),
        {"number": "1", "title": "Another", "notes": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["number"]
    assert AgendaItem.objects.count() == 1


# Answers owed -----------------------------------------------------------------------


def test_answers_owed_are_listed_until_answered(client_as_board, client, manager):
    owed = QuestionFactory(text="When will the audit report come to the board?")
    QuestionFactory(text="Answered at the meeting", answer="Yes.")
    page = client_as_board.get(reverse("meetings:question_list")).content.decode()
    assert "When will the audit report come to the board?" in page
    assert "Answered at the meeting" not in page

    sign_in_as(client, manager)
    response = client.post(
        reverse("meetings:question_answer", args=[owed.pk]),
        {
            "version": owed.version,
            "agenda_item": owed.agenda_item_id,
            "asked_by": owed.asked_by,
            "text": owed.text,
            "answered_by": "",
            "answer": "It comes to the March board.",
            **date_parts("answered_on", None),
        },
    )
    assert response.status_code == 302
    owed.refresh_from_db()
    assert owed.answered_on == datetime.date(2026, 1, 27)
    assert owed.history.first().history_user == manager
    page = client.get(reverse("meetings:question_list")).content.decode()
    assert "When will the audit report come to the board?" not in page


def test_an_answer_date_without_an_answer_is_refused(client_as_manager):
    question = QuestionFactory()
    response = client_as_manager.post(
        reverse("meetings:question_answer", args=[question.pk]),
        {
            "version": question.version,
            "agenda_item": question.agenda_item_id,
            "asked_by": question.asked_by,
            "text": question.text,
            "answer": "",
            **date_parts("answered_on", datetime.date(2026, 1, 21)),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["answer"] == [
        "Enter the answer, or leave the date blank"
    ]
    question.refresh_from_db()
    assert question.answered_on is None


# Actions arising -------------------------------------------------------------------


def arising_data(item, who, **overrides):
    data = {
        "agenda_item": item.pk,
        "description": "Bring the agency staffing figures to the next board.",
        "owner": who.pk,
        **date_parts("due_date", datetime.date(2026, 2, 17)),
        "status": ActionArising.Status.NOT_STARTED,
        "progress": "",
        "plan_action": "",
    }
    data.update(overrides)
    return data


def test_an_action_arising_is_recorded_with_owner_and_due_date(
    client_as_manager, manager
):
    item, owner = AgendaItemFactory(), OwnerFactory()
    response = client_as_manager.post(
        reverse("meetings:meeting_addaction", args=[item.meeting.pk]),
        arising_data(item, owner),
    )
    action = ActionArising.objects.get()
    assert response.url == action.get_absolute_url()
    assert (action.owner, action.due_date) == (owner, datetime.date(2026, 2, 17))
    assert _history_users(action) == [manager]


def test_an_action_arising_without_owner_or_due_date_is_refused(client_as_manager):
    item = AgendaItemFactory()
    data = arising_data(item, OwnerFactory(), owner="", due_date_0="")
    response = client_as_manager.post(
        reverse("meetings:meeting_addaction", args=[item.meeting.pk]), data
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["owner"] == ["Select the owner"]
    assert errors["due_date"] == ["Due date must include a day"]
    assert not ActionArising.objects.exists()


def test_an_action_arising_becomes_a_plan_action_linked_both_ways(
    client_as_manager,
):
    plan = PlanFactory()
    plan_action = ActionFactory(plan=plan, priority__plan=plan)
    arising = ActionArisingFactory(agenda_item__meeting__plans=[plan])
    data = arising_data(
        arising.agenda_item,
        arising.owner,
        version=arising.version,
        description=arising.description,
        plan_action=plan_action.pk,
    )
    response = client_as_manager.post(
        reverse("meetings:actionarising_edit", args=[arising.pk]), data
    )
    assert response.status_code == 302
    plan_action.refresh_from_db()
    assert plan_action.arising_from == arising
    page = client_as_manager.get(arising.get_absolute_url()).content.decode()
    assert plan_action.title in page


def test_a_plan_action_outside_the_meetings_plans_is_refused(client_as_manager):
    arising = ActionArisingFactory(agenda_item__meeting__plans=[PlanFactory()])
    elsewhere = ActionFactory()
    data = arising_data(
        arising.agenda_item,
        arising.owner,
        version=arising.version,
        plan_action=elsewhere.pk,
    )
    response = client_as_manager.post(
        reverse("meetings:actionarising_edit", args=[arising.pk]), data
    )
    assert response.status_code == 200
    assert response.context["form"].errors["plan_action"]
    arising.refresh_from_db()
    assert arising.plan_action is None


def test_the_owner_updates_an_action_arising_to_closure(client_as_officer, officer):
    arising = ActionArisingFactory(owner=officer.owner)
    response = client_as_officer.post(
        reverse("meetings:actionarising_update", args=[arising.pk]),
        {
            "version": arising.version,
            "status": ActionArising.Status.DELIVERED,
            "progress": "Figures circulated to members on 3 February.",
        },
    )
    assert response.status_code == 302
    arising.refresh_from_db()
    assert arising.status == ActionArising.Status.DELIVERED
    assert arising.history.first().history_user == officer
    open_page = client_as_officer.get(reverse("meetings:actionarising_list"))
    assert arising.description not in open_page.content.decode()
    every = client_as_officer.get(
        reverse("meetings:actionarising_list"), {"show": "all"}
    )
    assert arising.description in every.content.decode()


def test_an_officer_may_not_update_someone_elses_action_arising(client_as_officer):
    arising = ActionArisingFactory()
    response = client_as_officer.post(
        reverse("meetings:actionarising_update", args=[arising.pk]),
        {"version": arising.version, "status": ActionArising.Status.DELIVERED},
    )
    assert response.status_code == 403
    arising.refresh_from_db()
    assert arising.status == ActionArising.Status.NOT_STARTED


def test_an_unknown_status_is_refused(client_as_officer, officer):
    arising = ActionArisingFactory(owner=officer.owner)
    response = client_as_officer.post(
        reverse("meetings:actionarising_update", args=[arising.pk]),
        {"version": arising.version, "status": "finished", "progress": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["status"]


def test_an_officer_chooses_only_the_pre_meeting_reminders(client_as_officer, officer):
    url = reverse("meetings:reminder_choice")
    assert client_as_officer.get(url).status_code == 200
    response = client_as_officer.post(url, {"frequency": "meetings"})
    assert response.status_code == 302
    choice = ReminderChoice.objects.get(owner=officer.owner)
    assert choice.frequency == ReminderChoice.Frequency.MEETINGS
    assert choice.history.first().history_user == officer
    response = client_as_officer.post(
        url, {"frequency": "daily", "version": choice.version}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["frequency"]


# What the pages cost ---------------------------------------------------------------

#: The SQL queries each page runs, small or grown (pinned).
PAGE_QUERIES = {
    "Meetings": 5,
    "Meeting page": 24,
    "Answers owed": 5,
    "Actions arising": 5,
    "Action arising": 8,
}


def _grow(meeting, count):
    owners = [OwnerFactory() for _ in range(3)]
    for n in range(count):
        item = AgendaItemFactory(meeting=meeting)
        DecisionFactory(agenda_item=item)
        QuestionFactory(agenda_item=item, answered_by=owners[n % 3])
        ActionArisingFactory(agenda_item=item, owner=owners[n % 3])
        MeetingFactory(date=datetime.date(2025, 1 + n % 12, 1 + n % 28))


def _costs(client, meeting, arising):
    pages = {
        "Meetings": reverse("meetings:meeting_list"),
        "Meeting page": meeting.get_absolute_url(),
        "Answers owed": reverse("meetings:question_list"),
        "Actions arising": reverse("meetings:actionarising_list"),
        "Action arising": arising.get_absolute_url(),
    }
    costs = {}
    for label, url in pages.items():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        costs[label] = len(captured)
    return costs


def test_meeting_pages_cost_the_same_however_much_is_recorded(client_as_board):
    """Guards against N+1 queries on every meetings page."""
    meeting = MeetingFactory(plans=[PlanFactory(), PlanFactory()])
    _grow(meeting, 3)
    arising = ActionArising.objects.first()
    small = _costs(client_as_board, meeting, arising)
    _grow(meeting, 30)
    assert _costs(client_as_board, meeting, arising) == small
    assert small == PAGE_QUERIES
