"""Plans: the list, the plan page, and adding and editing plans."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from improvement.kernel.editing import new_record_form, save_new
from improvement.kernel.history import acting_as
from improvement.plan.forms import PlanForm
from improvement.plan.models import Action, Plan
from tests.factories import (
    ActionFactory,
    InspectionFactory,
    MonitoringVisitFactory,
    OwnerFactory,
    PlanFactory,
    PriorityFactory,
    UserFactory,
)
from tests.helpers import plan_form_data, sign_in_as

pytestmark = pytest.mark.django_db


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# Access ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, needs_pk",
    [
        ("plan_list", False),
        ("plan_detail", True),
        ("plan_create", False),
        ("plan_edit", True),
    ],
)
def test_anonymous_redirected_to_login(client, name, needs_pk):
    plan = PlanFactory()
    url = reverse(f"improvement:{name}", args=[plan.pk] if needs_pk else [])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert "next=" in response.url


@pytest.mark.parametrize("persona", ["client_as_board", "client_as_officer"])
def test_board_and_officers_can_read_plans(request, persona):
    plan = PlanFactory(name="Children's services improvement plan")
    client = request.getfixturevalue(persona)
    listing = client.get(reverse("improvement:plan_list"))
    detail = client.get(plan.get_absolute_url())
    assert listing.status_code == 200
    assert detail.status_code == 200
    assert "Children&#x27;s services improvement plan" in listing.text
    assert "Add an improvement plan" not in listing.text
    assert "Edit plan" not in detail.text


@pytest.mark.parametrize("persona", ["client_as_board", "client_as_officer"])
def test_board_and_officers_get_403_on_create_and_edit(request, persona):
    plan = PlanFactory()
    client = request.getfixturevalue(persona)
    create = reverse("improvement:plan_create")
    edit = reverse("improvement:plan_edit", args=[plan.pk])
    assert client.get(create).status_code == 403
    assert client.post(create, plan_form_data()).status_code == 403
    assert client.get(edit).status_code == 403
    assert client.post(edit, plan_form_data(plan, name="Changed")).status_code == 403
    assert Plan.objects.count() == 1
    plan.refresh_from_db()
    assert plan.name != "Changed"


def test_no_group_user_is_refused_a_plan(client, no_group_user):
    plan = PlanFactory()
    sign_in_as(client, no_group_user)
    response = client.get(plan.get_absolute_url())
    assert response.status_code == 403
    assert plan.name not in response.text


def test_unknown_plan_is_404(client_as_manager):
    detail = client_as_manager.get(reverse("improvement:plan_detail", args=[999]))
    edit = client_as_manager.get(reverse("improvement:plan_edit", args=[999]))
    assert detail.status_code == 404
    assert edit.status_code == 404


# The list -------------------------------------------------------------------


def test_plan_list_counts_actions_by_status(client_as_board):
    plan = PlanFactory()
    priority = PriorityFactory(plan=plan)
    later = datetime.date(2099, 3, 31)
    ActionFactory.create_batch(2, priority=priority, original_due_date=later)
    ActionFactory(
        priority=priority, status=Action.Status.IN_PROGRESS, original_due_date=later
    )
    ActionFactory(
        priority=priority,
        status=Action.Status.DELIVERED,
        original_due_date=datetime.date(2020, 1, 31),
        start_date=datetime.date(2020, 1, 1),
    )
    ActionFactory(
        priority=priority,
        original_due_date=datetime.date(2020, 1, 31),
        start_date=datetime.date(2020, 1, 1),
    )
    other = PriorityFactory()
    ActionFactory(priority=other)

    response = client_as_board.get(reverse("improvement:plan_list"))

    shown = {p.pk: p for p in response.context["object_list"]}
    counted = shown[plan.pk]
    assert counted.action_count == 5
    assert counted.not_started_count == 3
    assert counted.in_progress_count == 1
    assert counted.delivered_count == 1
    assert counted.overdue_count == 1
    assert shown[other.plan_id].action_count == 1
    assert f"{reverse('improvement:action_list')}?plan={plan.pk}" in response.text


def test_manager_sees_add_button(client_as_manager):
    response = client_as_manager.get(reverse("improvement:plan_list"))
    assert "Add an improvement plan" in response.text


def test_plan_list_explains_when_empty(client_as_board):
    response = client_as_board.get(reverse("improvement:plan_list"))
    assert "There are no improvement plans yet" in response.text


def _queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_plan_list_query_count_does_not_grow(client_as_board):
    """Guards against N+1 queries on the plans list."""
    url = reverse("improvement:plan_list")
    ActionFactory(priority=PriorityFactory(plan=PlanFactory()))
    few = _queries_for(client_as_board, url)
    for _ in range(4):
        plan = PlanFactory(
            inspections=[InspectionFactory()], visits=[MonitoringVisitFactory()]
        )
        ActionFactory.create_batch(3, priority=PriorityFactory(plan=plan))
    # Pinned: a fixed extra query fails too.
    assert (few, _queries_for(client_as_board, url)) == (7, 7)


# The plan page --------------------------------------------------------------


def test_plan_page_shows_details_priorities_and_links(client_as_board):
    inspection = InspectionFactory(title="ILACS inspection 2025")
    plan = PlanFactory(
        inspections=[inspection],
        description="Our response to the inspection.",
        end_date=datetime.date(2027, 11, 30),
    )
    lead = OwnerFactory(name="Director of Children's Social Care")
    priority = PriorityFactory(plan=plan, number=2, title="Practice", lead_owner=lead)
    ActionFactory(priority=priority, status=Action.Status.DELIVERED)
    ActionFactory(priority=priority)

    response = client_as_board.get(plan.get_absolute_url())

    text = response.text
    assert "Our response to the inspection." in text
    assert "ILACS inspection 2025" in text
    assert inspection.get_absolute_url() in text
    assert "1 December 2025" in text
    assert "30 November 2027" in text
    assert "Priority 2: Practice" in text
    assert "Director of Children&#x27;s Social Care" in text
    assert f"{reverse('improvement:action_list')}?plan={plan.pk}" in text
    listed = list(response.context["priorities"])
    assert listed[0].action_count == 2
    assert listed[0].delivered_count == 1
    assert response.context["totals"]["action_count"] == 2


def test_plan_page_history_names_the_priority_changed(client_as_board, manager):
    plan = PlanFactory()
    priority = PriorityFactory(plan=plan, number=1, title="Leadership")
    with acting_as(manager):
        priority.title = "Leadership and governance"
        priority.save()
        plan.status = Plan.Status.CLOSED
        plan.save()

    response = client_as_board.get(plan.get_absolute_url())

    timeline = response.context["timeline"]
    subjects = [entry.subject for entry in timeline]
    assert "Priority 1: Leadership and governance" in subjects
    change = next(e for e in timeline if e.subject.startswith("Priority 1"))
    assert change.changes[0].old == "Leadership"
    assert change.user_name == manager.get_full_name()
    assert "Active" in response.text and "Closed" in response.text
    assert priority.get_absolute_url() in response.text


def test_plan_page_query_count_does_not_grow(client_as_board, manager):
    """Guards against N+1 queries on the plan page and its history."""
    plan = PlanFactory(
        inspections=[InspectionFactory()], visits=[MonitoringVisitFactory()]
    )
    url = plan.get_absolute_url()

    def add_priority(number):
        priority = PriorityFactory(plan=plan, number=number, lead_owner=OwnerFactory())
        ActionFactory.create_batch(2, priority=priority)
        with acting_as(manager):
            priority.title = f"Renamed {number}"
            priority.lead_owner = OwnerFactory()
            priority.save()

    add_priority(1)
    add_priority(2)
    few = _queries_for(client_as_board, url)
    for number in range(3, 8):
        add_priority(number)
    # Pinned: a fixed extra query fails too.
    assert (few, _queries_for(client_as_board, url)) == (15, 15)


# Adding ---------------------------------------------------------------------


def test_manager_can_add_a_plan(client_as_manager, manager):
    inspection = InspectionFactory()
    response = client_as_manager.post(
        reverse("improvement:plan_create"),
        plan_form_data(
            inspections=[inspection.pk],
            description="Written statement of action",
            end_date_0="31",
            end_date_1="3",
            end_date_2="2028",
        ),
    )
    plan = Plan.objects.get()
    assert response.status_code == 302
    assert response.url == plan.get_absolute_url()
    assert plan.name == "SEND written statement of action"
    assert list(plan.inspections.all()) == [inspection]
    assert plan.start_date == datetime.date(2026, 4, 1)
    assert plan.end_date == datetime.date(2028, 3, 31)
    record = plan.history.earliest("history_date")
    assert record.history_type == "+"
    assert record.history_user == manager
    assert {r.history_user for r in plan.history.all()} == {manager}
    assert _messages(response) == ["Plan “SEND written statement of action” added"]


def test_add_form_shows_errors_and_saves_nothing(client_as_manager):
    response = client_as_manager.post(
        reverse("improvement:plan_create"),
        plan_form_data(
            name="",
            start_date_0="31",
            start_date_1="2",
            end_date_0="1",
            end_date_1="1",
            end_date_2="2020",
        ),
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "<title>Error:" in response.text
    assert "Enter the plan&#x27;s name" in response.text
    assert "Start date must be a real date" in response.text
    assert Plan.objects.count() == 0


def test_end_date_before_start_is_reported_beside_the_field(client_as_manager):
    response = client_as_manager.post(
        reverse("improvement:plan_create"),
        plan_form_data(end_date_0="1", end_date_1="1", end_date_2="2026"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["end_date"] == [
        "The end date must be on or after the start date"
    ]
    assert Plan.objects.count() == 0


def test_unknown_inspection_and_duplicate_name_are_form_errors(client_as_manager):
    PlanFactory(name="SEND written statement of action")
    response = client_as_manager.post(
        reverse("improvement:plan_create"), plan_form_data(inspections=["99999"])
    )
    errors = response.context["form"].errors
    assert response.status_code == 200
    assert errors["inspections"] == ["Select inspections from the list"]
    assert errors["name"] == ["There is already a plan with this name"]
    assert Plan.objects.count() == 1


def test_non_numeric_inspection_is_a_form_error(client_as_manager):
    response = client_as_manager.post(
        reverse("improvement:plan_create"),
        plan_form_data(inspections=["abc"], visits=["x"], status="x"),
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    errors = response.context["form"].errors
    assert errors["status"] == ["Select the plan's status"]
    assert errors["inspections"] == ["Select inspections from the list"]
    assert errors["visits"] == ["Select visits and reviews from the list"]


# Editing --------------------------------------------------------------------


def test_manager_can_edit_a_plan(client_as_manager, manager):
    plan = PlanFactory(name="Old name")
    url = reverse("improvement:plan_edit", args=[plan.pk])
    assert client_as_manager.get(url).status_code == 200

    response = client_as_manager.post(
        url, plan_form_data(plan, name="New name", status="closed")
    )

    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.name, plan.status, plan.version) == ("New name", "closed", 2)
    latest = plan.history.first()
    assert latest.history_type == "~"
    assert latest.history_user == manager
    assert _messages(response) == ["Plan “New name” saved"]


def test_saving_without_changes_writes_no_history(client_as_manager):
    plan = PlanFactory()
    response = client_as_manager.post(
        reverse("improvement:plan_edit", args=[plan.pk]), plan_form_data(plan)
    )
    assert response.status_code == 302
    assert plan.history.count() == 1


def test_edit_with_bad_input_saves_nothing(client_as_manager):
    plan = PlanFactory(name="Kept")
    response = client_as_manager.post(
        reverse("improvement:plan_edit", args=[plan.pk]),
        plan_form_data(plan, name="", start_date_2="26"),
    )
    assert response.status_code == 200
    assert "<title>Error:" in response.text
    assert "Year must include 4 numbers" in response.text
    plan.refresh_from_db()
    assert plan.name == "Kept"


def test_tampered_version_is_an_error_not_a_crash(client_as_manager):
    plan = PlanFactory(name="Kept")
    response = client_as_manager.post(
        reverse("improvement:plan_edit", args=[plan.pk]),
        plan_form_data(plan, name="Changed", version="abc"),
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    plan.refresh_from_db()
    assert plan.name == "Kept"


def test_edit_conflict_is_refused_and_the_input_kept(client_as_manager):
    plan = PlanFactory(name="Children's plan", description="First")
    opened = plan_form_data(plan, description="Mine")
    other = UserFactory(first_name="Priya", last_name="Shah")
    with acting_as(other):
        plan.name = "Children's services plan"
        plan.save()
    url = reverse("improvement:plan_edit", args=[plan.pk])

    response = client_as_manager.post(url, opened)

    assert response.status_code == 409
    assert "Someone else changed this while you were editing" in response.text
    assert "Priya Shah" in response.text
    assert "Children&#x27;s services plan" in response.text
    plan.refresh_from_db()
    assert (plan.name, plan.description, plan.version) == (
        "Children's services plan",
        "First",
        2,
    )
    form = response.context["form"]
    assert form["description"].value() == "Mine"
    assert form["version"].value() == 2

    again = client_as_manager.post(url, {**opened, "version": 2})
    assert again.status_code == 302
    plan.refresh_from_db()
    assert plan.description == "Mine"
    assert plan.name == "Children's plan"


def test_add_page_shows_no_conflict_message(client_as_manager):
    response = client_as_manager.get(reverse("improvement:plan_create"))
    assert response.status_code == 200
    assert "Someone else changed this" not in response.text


def test_a_new_plan_clashing_with_one_saved_meanwhile_is_refused_beside_its_name():
    """Two managers add the same plan at once: the second is told, not a 500."""
    form = new_record_form(PlanForm, plan_form_data(name="Children's plan"))
    assert form.is_valid()
    PlanFactory(name="Children's plan")  # saved by someone else, meanwhile
    assert save_new(form) is None
    assert form.errors["name"] == ["There is already a plan with this name"]
    assert Plan.objects.filter(name="Children's plan").count() == 1
