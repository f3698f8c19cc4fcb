"""A start date after the due date on the add and edit action forms.

The model checks the current due date too, which the form does not show; the
message must still appear beside a date the person can change, with nothing
saved and what they typed kept.
"""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from improvement.plan.models import Action
from tests.factories import ActionFactory, OwnerFactory, PriorityFactory

pytestmark = pytest.mark.django_db


def _error_beside(response, name):
    soup = BeautifulSoup(response.content, "html.parser")
    message = soup.select_one(f"#id_{name}_error")
    return message.get_text(" ", strip=True) if message else None


def _typed(response, name):
    soup = BeautifulSoup(response.content, "html.parser")
    return [soup.select_one(f"[name={name}_{i}]").get("value") for i in range(3)]


def test_adding_an_action_due_before_it_starts_is_refused_beside_the_due_date(
    client_as_manager,
):
    priority, owner = PriorityFactory(), OwnerFactory()
    response = client_as_manager.post(
        reverse("improvement:action_create"),
        {
            "priority": priority.pk,
            "reference": "4.1",
            "title": "Launch the practice model",
            "lead_owner": owner.pk,
            "start_date_0": "1",
            "start_date_1": "12",
            "start_date_2": "2026",
            "original_due_date_0": "31",
            "original_due_date_1": "3",
            "original_due_date_2": "2026",
        },
    )
    assert response.status_code == 200
    assert _error_beside(response, "original_due_date") == (
        "Error: The due date must be on or after the start date"
    )
    assert "There is a problem" in response.text
    assert not Action.objects.exists()
    assert _typed(response, "start_date") == ["1", "12", "2026"]
    assert _typed(response, "original_due_date") == ["31", "3", "2026"]


def test_moving_the_start_after_the_due_date_is_refused_beside_the_start_date(
    client_as_manager,
):
    action = ActionFactory(
        start_date=datetime.date(2026, 1, 5),
        original_due_date=datetime.date(2026, 6, 30),
    )
    history_rows = action.history.count()
    url = reverse("improvement:action_edit", args=[action.pk])
    response = client_as_manager.post(
        url,
        {
            "version": action.version,
            "priority": action.priority_id,
            "reference": action.reference,
            "title": "A new title",
            "lead_owner": action.lead_owner_id,
            "start_date_0": "1",
            "start_date_1": "7",
            "start_date_2": "2026",
        },
    )
    assert response.status_code == 200
    assert _error_beside(response, "start_date") == (
        "Error: The start date must be on or before the due date (30 June 2026)"
    )
    fresh = Action.objects.get(pk=action.pk)
    assert (fresh.title, fresh.start_date, fresh.version) == (
        action.title,
        action.start_date,
        action.version,
    )
    assert fresh.history.count() == history_rows
    assert _typed(response, "start_date") == ["1", "7", "2026"]


def test_the_start_is_checked_against_a_due_date_moved_earlier(client_as_manager):
    action = ActionFactory(
        start_date=datetime.date(2026, 1, 5),
        original_due_date=datetime.date(2026, 6, 30),
        due_date=datetime.date(2026, 4, 30),
    )
    response = client_as_manager.post(
        reverse("improvement:action_edit", args=[action.pk]),
        {
            "version": action.version,
            "priority": action.priority_id,
            "reference": action.reference,
            "title": action.title,
            "lead_owner": action.lead_owner_id,
            "start_date_0": "1",
            "start_date_1": "5",
            "start_date_2": "2026",
        },
    )
    assert response.status_code == 200
    assert _error_beside(response, "start_date") == (
        "Error: The start date must be on or before the due date (30 April 2026)"
    )
    action.refresh_from_db()
    assert action.start_date == datetime.date(2026, 1, 5)
