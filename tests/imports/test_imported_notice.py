"""A page showing a plan as it stood before the plan was imported from the
council's tracker says so, naming the file and the day of the import."""

import datetime

import pytest
from django.urls import reverse

from improvement.imports.models import PlanImport
from tests.factories import ActionFactory, PlanFactory
from tests.helpers import at, travel

pytestmark = pytest.mark.django_db

NOTICE = "This plan was imported from the tracker “Tracker v3.xlsx” on 10 March 2026"


@pytest.fixture
def plan(manager):
    with travel(at(2026, 3, 10)):
        plan = PlanFactory()
        plan.start_date = datetime.date(2025, 9, 1)
        plan.save()
        ActionFactory(priority__plan=plan)
        PlanImport.objects.create(
            plan=plan, name="Tracker v3.xlsx", imported_by=manager
        )
    return plan


@pytest.mark.parametrize(
    "name, extra",
    [
        ("improvement:as_at", {}),
        ("improvement:dashboard", {}),
        ("improvement:board_pack", {"since": "2026-01-01"}),
    ],
)
def test_a_date_before_the_import_says_so_and_after_it_does_not(
    client_as_board, plan, name, extra
):
    with travel(at(2026, 4, 1)):
        before = client_as_board.get(
            reverse(name), {"plan": plan.pk, "as_at": "2026-02-28", **extra}
        )
        after = client_as_board.get(
            reverse(name), {"plan": plan.pk, "as_at": "2026-03-20", **extra}
        )
    assert before.status_code == after.status_code == 200
    assert NOTICE in before.text
    assert "after 28 February 2026" in before.text
    assert "imported from the tracker" not in after.text
