"""Priorities: the priority page, and adding and editing priorities."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from improvement.kernel.history import acting_as
from improvement.plan.models import Priority
from tests.factories import (
    ActionFactory,
    OwnerFactory,
    PlanFactory,
    PriorityFactory,
    UserFactory,
)
from tests.helpers import sign_in_as

pytestmark = pytest.mark.django_db


def _priority_data(priority=None, **overrides):
    """The POST body of the priority form."""
    if priority is None:
        data = {"plan": "", "number": "1", "title": "Leadership", "description": ""}
        data["lead_owner"] = ""
    else:
        data = {
            "plan": priority.plan_id,
            "number": str(priority.number),
            "title": priority.title,
            "description": priority.description,
            "lead_owner": priority.lead_owner_id or "",
            "version": priority.version,
        }
    data.update(overrides)
    return data


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# Access ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, needs_pk",
    [("priority_detail", True), ("priority_create", False), ("priority_edit", True)],
)
def test_anonymous_redirected_to_login(client, name, needs_pk):
    priority = PriorityFactory()
    url = reverse(f"improvement:{name}", args=[priority.pk] if needs_pk else [])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["client_as_board", "client_as_officer"])
def test_board_and_officers_can_read_a_priority(request, persona):
    priority = PriorityFactory(title="Quality of practice")
    response = request.getfixturevalue(persona).get(priority.get_absolute_url())
    assert response.status_code == 200
    assert "Quality of practice" in response.text
    assert "Edit priority" not in response.text


@pytest.mark.parametrize("persona", ["client_as_board", "client_as_officer"])
def test_board_and_officers_get_403_on_create_and_edit(request, persona):
    priority = PriorityFactory(title="Kept")
    client = request.getfixturevalue(persona)
    create = reverse("improvement:priority_create")
    edit = reverse("improvement:priority_edit", args=[priority.pk])
    assert client.get(create).status_code == 403
    assert (
        client.post(create, _priority_data(plan=priority.plan_id, number="9"))
    ).status_code == 403
    assert client.get(edit).status_code == 403
    assert client.post(edit, _priority_data(priority, title="X")).status_code == 403
    assert Priority.objects.count() == 1
    priority.refresh_from_db()
    assert priority.title == "Kept"


def test_no_group_user_gets_403_on_a_priority(client, no_group_user):
    priority = PriorityFactory()
    sign_in_as(client, no_group_user)
    assert client.get(priority.get_absolute_url()).status_code == 403


def test_unknown_priority_is_404(client_as_manager):
    for name in ("priority_detail", "priority_edit"):
        url = reverse(f"improvement:{name}", args=[999])
        assert client_as_manager.get(url).status_code == 404


# The priority page ----------------------------------------------------------


def test_priority_page_shows_lead_actions_and_history(client_as_board, manager):
    lead = OwnerFactory(name="Head of Service, Safeguarding")
    priority = PriorityFactory(number=3, title="Supervision", lead_owner=lead)
    ActionFactory(priority=priority, reference="3.1", title="Monthly supervision")
    ActionFactory(priority=PriorityFactory(), title="Somewhere else")
    with acting_as(manager):
        priority.description = "Reflective supervision for every social worker"
        priority.save()

    response = client_as_board.get(priority.get_absolute_url())

    text = response.text
    assert "Head of Service, Safeguarding" in text
    assert "3.1: Monthly supervision" in text
    assert "Somewhere else" not in text
    assert priority.plan.get_absolute_url() in text
    assert "Reflective supervision for every social worker" in text
    entry = response.context["timeline"][0]
    assert entry.user_name == manager.get_full_name()
    assert entry.changes[0].label == "Description"


def test_manager_sees_edit_and_add_action_links(client_as_manager):
    priority = PriorityFactory()
    response = client_as_manager.get(priority.get_absolute_url())
    assert reverse("improvement:priority_edit", args=[priority.pk]) in response.text
    assert (
        f"{reverse('improvement:action_create')}?priority={priority.pk}"
        in response.text
    )


def _queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_priority_page_query_count_does_not_grow(client_as_board, manager):
    """Guards against N+1 queries on the priority page."""
    priority = PriorityFactory(lead_owner=OwnerFactory())
    url = priority.get_absolute_url()

    def change(n):
        ActionFactory(priority=priority)
        with acting_as(manager):
            priority.title = f"Title {n}"
            priority.lead_owner = OwnerFactory()
            priority.save()

    change(1)
    change(2)
    few = _queries_for(client_as_board, url)
    for n in range(3, 9):
        change(n)
    # Pinned: a fixed extra query fails too.
    assert (few, _queries_for(client_as_board, url)) == (9, 9)


# Adding ---------------------------------------------------------------------


def test_plan_in_the_query_string_is_preselected_with_the_next_number(
    client_as_manager,
):
    plan = PlanFactory()
    PriorityFactory(plan=plan, number=4)
    response = client_as_manager.get(
        f"{reverse('improvement:priority_create')}?plan={plan.pk}"
    )
    form = response.context["form"]
    assert response.status_code == 200
    assert form["plan"].value() == plan.pk
    assert form["number"].value() == 5
    assert escape(plan.name) in response.text


@pytest.mark.parametrize("value", ["abc", "99999", "-1"])
def test_bad_plan_in_the_query_string_is_ignored(client_as_manager, value):
    response = client_as_manager.get(
        f"{reverse('improvement:priority_create')}?plan={value}"
    )
    assert response.status_code == 200
    assert response.context["form"]["plan"].value() is None


def test_manager_can_add_a_priority(client_as_manager, manager):
    plan = PlanFactory()
    lead = OwnerFactory()
    response = client_as_manager.post(
        f"{reverse('improvement:priority_create')}?plan={plan.pk}",
        _priority_data(plan=plan.pk, number="2", lead_owner=lead.pk),
    )
    priority = Priority.objects.get()
    assert response.status_code == 302
    assert response.url == priority.get_absolute_url()
    assert (priority.plan, priority.number, priority.lead_owner) == (plan, 2, lead)
    assert priority.history.get().history_user == manager
    assert _messages(response) == ["Priority 2 added"]


def test_add_form_shows_errors_and_saves_nothing(client_as_manager):
    response = client_as_manager.post(
        reverse("improvement:priority_create"),
        _priority_data(plan="", number="0", title=""),
    )
    errors = response.context["form"].errors
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "<title>Error:" in response.text
    assert errors["plan"] == ["Select the plan"]
    assert errors["number"] == ["The priority number must be 1 or more"]
    assert errors["title"] == ["Enter a title"]
    assert Priority.objects.count() == 0


def test_unknown_ids_and_taken_numbers_are_form_errors(client_as_manager):
    plan = PlanFactory()
    PriorityFactory(plan=plan, number=1)
    response = client_as_manager.post(
        reverse("improvement:priority_create"),
        _priority_data(plan=plan.pk, number="1", lead_owner="99999"),
    )
    errors = response.context["form"].errors
    assert response.status_code == 200
    assert errors["number"] == ["This plan already has a priority with that number"]
    assert errors["lead_owner"] == ["Select a lead officer from the list"]
    bad = client_as_manager.post(
        reverse("improvement:priority_create"),
        _priority_data(plan="abc", number="two"),
    )
    assert bad.status_code == 200
    assert bad.context["form"].errors["plan"] == ["Select a plan from the list"]
    assert Priority.objects.count() == 1


# Editing --------------------------------------------------------------------


def test_manager_can_edit_a_priority(client_as_manager, manager):
    priority = PriorityFactory(title="Old")
    lead = OwnerFactory()
    url = reverse("improvement:priority_edit", args=[priority.pk])
    assert client_as_manager.get(url).status_code == 200

    response = client_as_manager.post(
        url, _priority_data(priority, title="New", lead_owner=lead.pk)
    )

    assert response.status_code == 302
    priority.refresh_from_db()
    assert (priority.title, priority.lead_owner, priority.version) == ("New", lead, 2)
    assert priority.history.first().history_user == manager
    assert _messages(response) == [f"Priority {priority.number} saved"]


def test_a_priority_stays_in_its_plan(client_as_manager):
    priority = PriorityFactory()
    original_plan = priority.plan
    response = client_as_manager.post(
        reverse("improvement:priority_edit", args=[priority.pk]),
        _priority_data(priority, plan=PlanFactory().pk, title="Moved?"),
    )
    assert response.status_code == 302
    priority.refresh_from_db()
    assert priority.plan == original_plan
    assert priority.title == "Moved?"


def test_edit_with_bad_input_saves_nothing(client_as_manager):
    priority = PriorityFactory(title="Kept")
    response = client_as_manager.post(
        reverse("improvement:priority_edit", args=[priority.pk]),
        _priority_data(priority, title="", number="x"),
    )
    assert response.status_code == 200
    assert "<title>Error:" in response.text
    priority.refresh_from_db()
    assert priority.title == "Kept"


def test_edit_conflict_is_refused_and_the_input_kept(client_as_manager):
    priority = PriorityFactory(title="Leadership")
    opened = _priority_data(priority, description="Mine")
    other = UserFactory(first_name="Sam", last_name="Okafor")
    with acting_as(other):
        priority.title = "Leadership and governance"
        priority.save()
    url = reverse("improvement:priority_edit", args=[priority.pk])

    response = client_as_manager.post(url, opened)

    assert response.status_code == 409
    assert "Sam Okafor" in response.text
    assert "Leadership and governance" in response.text
    priority.refresh_from_db()
    assert (priority.title, priority.description) == ("Leadership and governance", "")
    assert response.context["form"]["version"].value() == 2

    again = client_as_manager.post(url, {**opened, "version": 2})
    assert again.status_code == 302
    priority.refresh_from_db()
    assert (priority.title, priority.description) == ("Leadership", "Mine")


def test_add_page_shows_no_conflict_message(client_as_manager):
    response = client_as_manager.get(reverse("improvement:priority_create"))
    assert response.status_code == 200
    assert "Someone else changed this" not in response.text
