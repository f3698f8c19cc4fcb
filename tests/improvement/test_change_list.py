"""Recent changes: every change across a plan, newest first, with filters."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from improvement.kernel.history import acting_as
from improvement.plan.models import Action, Plan
from tests.factories import (
    ActionFactory,
    FindingFactory,
    OwnerFactory,
    PlanFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    UserFactory,
)
from tests.helpers import sign_in_as

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
URL = reverse("improvement:change_list")


def _at(day, hour=10):
    """Freeze the clock at ``hour`` o'clock London time on ``day``."""
    moment = datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def alex(db):
    return UserFactory(username="alex", first_name="Alex", last_name="Morgan")


@pytest.fixture
def plan(db):
    with _at(datetime.date(2026, 1, 5)):
        return PlanFactory(name="Children's services improvement plan")


@pytest.fixture
def action(plan):
    with _at(datetime.date(2026, 1, 5)):
        return ActionFactory(
            priority=PriorityFactory(plan=plan, number=2, title="Supervision"),
            reference="2.3",
            title="Monthly reflective supervision",
        )


def _entries(response):
    assert response.status_code == 200
    return response.context["entries"]


def _subjects(response):
    return [entry.subject for entry in _entries(response)]


# Access ---------------------------------------------------------------------


def test_anonymous_redirected_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_user_without_permission_gets_403(client, no_group_user):
    sign_in_as(client, no_group_user)
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize(
    "persona", ["client_as_board", "client_as_officer", "client_as_manager"]
)
def test_everyone_in_a_role_can_read_changes(request, persona, action):
    response = request.getfixturevalue(persona).get(URL)
    assert response.status_code == 200
    assert "Recent changes" in response.text


def test_no_plans_explains_why_nothing_shows(client_as_board):
    response = client_as_board.get(URL)
    assert response.status_code == 200
    assert "There are no improvement plans yet" in response.text


# What the list shows ---------------------------------------------------------


def test_shows_who_changed_what_old_to_new_with_reasons(client_as_board, alex, action):
    with _at(datetime.date(2026, 2, 2)), acting_as(alex):
        action.status = Action.Status.IN_PROGRESS
        action.save()
    with _at(datetime.date(2026, 2, 3)), acting_as(alex):
        action.due_date = datetime.date(2026, 9, 30)
        action._change_reason = "Recruitment of practice supervisors took longer"
        action.save()

    response = client_as_board.get(URL)

    text = response.text
    assert "Alex Morgan" in text
    assert "Delivery status" in text
    assert "Not started" in text and "In progress" in text
    assert "in_progress" not in text
    assert "30 September 2026" in text
    assert "Recruitment of practice supervisors took longer" in text
    assert "Action 2.3: Monthly reflective supervision" in text
    assert action.get_absolute_url() in text
    entries = _entries(response)
    assert entries[0].reason == "Recruitment of practice supervisors took longer"
    assert [c.label for c in entries[1].changes] == ["Delivery status"]
    assert (entries[1].changes[0].old, entries[1].changes[0].new) == (
        "Not started",
        "In progress",
    )


def test_shows_every_kind_of_change_in_the_plan(client_as_board, alex, plan, action):
    finding = FindingFactory(reference="R9", title="Supervision is not regular")
    supporter = OwnerFactory(name="Principal Social Worker")
    with acting_as(alex):
        with _at(datetime.date(2026, 2, 1)):
            plan.description = "Our plan"
            plan.save()
        with _at(datetime.date(2026, 2, 2)):
            action.priority.title = "Supervision and practice"
            action.priority.save()
        with _at(datetime.date(2026, 2, 3)):
            action.findings.add(finding)
        with _at(datetime.date(2026, 2, 4)):
            action.supporting_owners.add(supporter)
        with _at(datetime.date(2026, 2, 5)):
            ProgressUpdateFactory(action=action, update_date=datetime.date(2026, 2, 5))

    response = client_as_board.get(URL)

    subjects = _subjects(response)
    assert subjects[:5] == [
        "Progress update on action 2.3, 5 February 2026",
        "Action 2.3: Monthly reflective supervision",
        "Action 2.3: Monthly reflective supervision",
        "Priority 2: Supervision and practice",
        "Plan: Children's services improvement plan",
    ]
    entries = _entries(response)
    assert entries[1].changes[0].added == ["Principal Social Worker"]
    assert entries[2].changes[0].label == "Findings answered"
    assert entries[2].changes[0].added == ["R9: Supervision is not regular"]
    assert entries[0].kind == "created"
    assert f"{action.get_absolute_url()}#progress" in response.text
    assert plan.get_absolute_url() in response.text
    assert action.priority.get_absolute_url() in response.text


def test_changes_in_another_plan_are_left_out(client_as_board, plan, action):
    elsewhere = ActionFactory(title="Another plan's action")
    elsewhere.status = Action.Status.DELIVERED
    elsewhere.save()
    ProgressUpdateFactory(action=elsewhere)
    elsewhere.plan.description = "Changed"
    elsewhere.plan.save()

    response = client_as_board.get(f"{URL}?plan={plan.pk}")

    assert "Another plan" not in response.text
    assert all("Another plan" not in subject for subject in _subjects(response))
    other = client_as_board.get(f"{URL}?plan={elsewhere.plan_id}")
    assert "Another plan&#x27;s action" in other.text


def test_newest_active_plan_is_shown_by_default(client_as_board):
    older = PlanFactory(name="Older plan", start_date=datetime.date(2024, 1, 1))
    newest = PlanFactory(name="Newest plan", start_date=datetime.date(2026, 1, 1))
    PlanFactory(
        name="Closed plan",
        start_date=datetime.date(2026, 6, 1),
        status=Plan.Status.CLOSED,
    )
    response = client_as_board.get(URL)
    assert response.context["plan"] == newest
    assert response.context["filter_form"]["plan"].value() == newest.pk
    chosen = client_as_board.get(f"{URL}?plan={older.pk}")
    assert chosen.context["plan"] == older


def test_paginates_25_changes_a_page(client_as_board, action):
    for n in range(29):
        action.title = f"Title {n}"
        action.save()

    first = client_as_board.get(URL)
    second = client_as_board.get(f"{URL}?page=2")

    assert len(_entries(first)) == 25
    # 29 changes, and adding the plan, the priority and the action.
    assert first.context["page_obj"].paginator.count == 32
    assert len(_entries(second)) == 7
    assert _entries(second)[-1].kind == "created"
    assert "Showing 1 to 25 of 32 results" in first.text


# Filters --------------------------------------------------------------------


def test_filter_by_person(client_as_board, alex, manager, action):
    with acting_as(alex):
        action.title = "Changed by Alex"
        action.save()
    with acting_as(manager):
        action.rag = Action.Rag.RED
        action.save()

    response = client_as_board.get(f"{URL}?person={alex.pk}")

    entries = _entries(response)
    assert [e.user_name for e in entries] == ["Alex Morgan"]
    options = response.context["filter_form"].fields["person"].queryset
    assert {alex, manager} <= set(options)


def test_filter_by_kind(client_as_board, plan, action):
    ProgressUpdateFactory(action=action)
    plan.description = "Changed"
    plan.save()

    updates = _entries(client_as_board.get(f"{URL}?kind=progress_update"))
    plans = _entries(client_as_board.get(f"{URL}?kind=plan"))
    priorities = _entries(client_as_board.get(f"{URL}?kind=priority"))
    actions = _entries(client_as_board.get(f"{URL}?kind=action"))

    assert [e.model_label for e in updates] == ["progress update"]
    assert {e.model_label for e in plans} == {"improvement plan"}
    assert len(plans) == 2
    assert [e.model_label for e in priorities] == ["priority"]
    assert [e.model_label for e in actions] == ["action"]


def test_filter_by_date_range(client_as_board, action):
    with _at(datetime.date(2026, 1, 20)):
        action.title = "January change"
        action.save()
    # 11:30pm on 28 February in London is still 28 February.
    with _at(datetime.date(2026, 2, 28), hour=23):
        action.title = "February change"
        action.save()
    with _at(datetime.date(2026, 3, 10)):
        action.title = "March change"
        action.save()

    def titles(query):
        entries = _entries(client_as_board.get(f"{URL}?{query}"))
        return [e.changes[0].new for e in entries if e.kind == "changed"]

    assert titles("date_from=2026-02-01") == ["March change", "February change"]
    assert titles("date_to=2026-02-28") == ["February change", "January change"]
    assert titles("date_from=2026-02-01&date_to=2026-02-28") == ["February change"]
    assert titles("date_from=01/03/2026") == ["March change"]


@pytest.mark.parametrize(
    "query, field, message",
    [
        ("date_from=2026-02-31", "date_from", "The start date must be a real date"),
        ("date_to=yesterday", "date_to", "The end date must be a real date"),
        (
            "date_to_0=31&date_to_1=2&date_to_2=2026",
            "date_to",
            "The end date must be a real date",
        ),
        ("date_from_0=1&date_from_2=2026", "date_from", "must include a month"),
        ("person=abc", "person", "Select who changed it from the list"),
        ("person=99999", "person", "Select who changed it from the list"),
        ("kind=finding", "kind", "Select what changed from the list"),
        ("plan=abc", "plan", "Select a plan from the list"),
        ("plan=99999", "plan", "Select a plan from the list"),
        (
            "date_from=2026-01-01&date_to=2025-12-01",
            "date_to",
            "The date must be the same as or after the first date",
        ),
    ],
)
def test_bad_filters_are_explained_and_ignored(
    client_as_board, action, query, field, message
):
    response = client_as_board.get(f"{URL}?{query}")
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "<title>Error:" in response.text
    assert message in response.context["filter_form"].errors[field][0]
    assert response.context["plan"] == action.plan
    assert _entries(response)


def test_non_numeric_page_shows_the_first_page(client_as_board, action):
    response = client_as_board.get(f"{URL}?page=abc")
    assert response.status_code == 200
    assert response.context["page_obj"].number == 1


# Performance -----------------------------------------------------------------


def _build_history(plan, users, background):
    """``background`` older changes, then the same 30 recent ones of every kind."""
    with _at(datetime.date(2026, 1, 1)):
        priority = PriorityFactory(plan=plan, lead_owner=OwnerFactory())
        actions = ActionFactory.create_batch(3, priority=priority)
    with _at(datetime.date(2026, 1, 2)):
        for n in range(background):
            target = actions[n % 3]
            with acting_as(users[n % 2]):
                target.description = f"Background {n}"
                target.save()
    findings = FindingFactory.create_batch(2)
    with _at(datetime.date(2026, 2, 2)):
        for n, target in enumerate(actions * 6):
            with acting_as(users[n % 2]):
                target.rag = ["amber", "red", "green"][(n // 3) % 3]
                target._change_reason = f"Reason {n}"
                target.save()
        with acting_as(users[0]):
            plan.description = "Recent"
            plan.save()
            priority.title = "Recent title"
            priority.lead_owner = OwnerFactory()
            priority.save()
            actions[0].findings.add(*findings)
            actions[1].supporting_owners.add(OwnerFactory())
            for target in actions:
                ProgressUpdateFactory(action=target)


def _queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_query_count_does_not_grow_with_history(client_as_board, alex, manager):
    """Guards against loading whole history tables or one query per row."""
    with _at(datetime.date(2026, 1, 1)):
        small, large = PlanFactory(), PlanFactory()
    _build_history(small, [alex, manager], background=3)
    _build_history(large, [alex, manager], background=120)

    few, few_response = _queries_for(client_as_board, f"{URL}?plan={small.pk}")
    many, many_response = _queries_for(client_as_board, f"{URL}?plan={large.pk}")

    assert len(_entries(few_response)) == len(_entries(many_response)) == 25
    assert many_response.context["page_obj"].paginator.count >= 150

    filtered = f"{URL}?plan={large.pk}&person={alex.pk}&date_from=2026-02-01"
    few_filtered, _ = _queries_for(
        client_as_board, f"{URL}?plan={small.pk}&person={alex.pk}&date_from=2026-02-01"
    )
    many_filtered, _ = _queries_for(client_as_board, filtered)
    # Pinned, small and large, whole and filtered: a fixed extra query fails too.
    assert (few, many, few_filtered, many_filtered) == (16, 16, 17, 17)
