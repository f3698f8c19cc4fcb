"""Drift and delay: due-date moves counted, days slipped and reasons, exactly."""

import datetime
import zoneinfo
from contextlib import contextmanager

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from improvement.board.drift import drift
from improvement.board.periods import start_of_day
from improvement.kernel.history import acting_as
from improvement.plan.models import Action
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

LONDON = zoneinfo.ZoneInfo("Europe/London")


def at(month, day, hour=10):
    return datetime.datetime(2026, month, day, hour, tzinfo=LONDON)


@contextmanager
def change(when, user):
    with time_machine.travel(when, tick=False), acting_as(user):
        yield


def move_due(action, new_due, reason):
    action.due_date = new_due
    action._change_reason = reason
    action.save()


@pytest.fixture
def plan_story(db):
    """Three actions: one moved three times, one once, one never."""
    alice = UserFactory(username="alice", first_name="Alice", last_name="Ames")
    plan = PlanFactory()
    first = PriorityFactory(plan=plan, number=1, title="Leadership")
    second = PriorityFactory(plan=plan, number=2, title="Workforce")
    head = OwnerFactory(name="Head of Service")
    hr = OwnerFactory(name="HR Business Partner")
    june = datetime.date(2026, 6, 30)
    with change(at(1, 5), alice):
        often = ActionFactory(
            priority=first, reference="1.1", lead_owner=head, original_due_date=june
        )
        once = ActionFactory(
            priority=second, reference="2.1", lead_owner=hr, original_due_date=june
        )
        never = ActionFactory(
            priority=second, reference="2.2", lead_owner=head, original_due_date=june
        )
    with change(at(2, 1), alice):
        move_due(often, datetime.date(2026, 7, 31), "Recruitment delayed")
    with change(at(2, 10), alice):
        # Changes that do not move the due date are not moves.
        often.status = Action.Status.IN_PROGRESS
        often.rag = Action.Rag.AMBER
        often.save()
        often.findings.add(FindingFactory())
        ProgressUpdateFactory(action=often)
    with change(at(3, 1), alice):
        move_due(often, datetime.date(2026, 9, 30), "Second round of interviews")
    with change(at(3, 20), alice):
        move_due(once, datetime.date(2026, 7, 10), "Waiting for the new system")
    with change(at(4, 1), alice):
        move_due(often, datetime.date(2026, 9, 15), "Brought forward by the board")
    with change(at(4, 2), alice):
        never.rag = Action.Rag.RED
        never.save()
    # Another plan's moves never count.
    with change(at(3, 25), alice):
        elsewhere = ActionFactory(priority=PriorityFactory(), original_due_date=june)
        move_due(elsewhere, datetime.date(2026, 12, 31), "Another plan")
    return {"plan": plan, "often": often, "once": once, "never": never}


def test_moves_days_and_reasons_are_counted_exactly(plan_story):
    report = drift(plan_story["plan"])
    by_reference = {item.action.reference: item for item in report.actions}

    often = by_reference["1.1"]
    assert often.move_count == 3
    assert often.days_slipped == 77  # 30 June to 15 September
    assert often.reasons == [
        "Recruitment delayed",
        "Second round of interviews",
        "Brought forward by the board",
    ]
    assert [(m.old_date, m.new_date, m.days, m.who) for m in often.moves] == [
        (datetime.date(2026, 6, 30), datetime.date(2026, 7, 31), 31, "Alice Ames"),
        (datetime.date(2026, 7, 31), datetime.date(2026, 9, 30), 61, "Alice Ames"),
        (datetime.date(2026, 9, 30), datetime.date(2026, 9, 15), -15, "Alice Ames"),
    ]
    assert often.moves[0].when == at(2, 1)

    once = by_reference["2.1"]
    assert (once.move_count, once.days_slipped) == (1, 10)
    assert once.reasons == ["Waiting for the new system"]

    never = by_reference["2.2"]
    assert (never.move_count, never.days_slipped, never.moves) == (0, 0, [])


def test_actions_are_sorted_by_days_slipped_most_first(plan_story):
    report = drift(plan_story["plan"])
    assert [item.action.reference for item in report.actions] == ["1.1", "2.1", "2.2"]
    assert [item.action.reference for item in report.moved] == ["1.1", "2.1"]
    assert report.never_moved_count == 1


def test_figures_by_priority_by_lead_officer_and_for_the_plan(plan_story):
    report = drift(plan_story["plan"])
    figures = [
        (f.label, f.actions, f.slipped, f.moves, f.days, f.average_days)
        for f in report.by_priority
    ]
    assert figures == [
        ("Priority 1: Leadership", 1, 1, 3, 77, 77),
        ("Priority 2: Workforce", 2, 1, 1, 10, 10),
    ]
    figures = [
        (f.label, f.actions, f.slipped, f.moves, f.days, f.average_days)
        for f in report.by_owner
    ]
    assert figures == [
        ("Head of Service", 2, 1, 3, 77, 77),
        ("HR Business Partner", 1, 1, 1, 10, 10),
    ]
    totals = report.totals
    assert (totals.actions, totals.slipped, totals.moves, totals.days) == (3, 2, 4, 87)
    assert totals.average_days == 44, "43.5 days, in whole days"


def test_slipped_since_lists_only_later_moves_after_the_date(plan_story):
    report = drift(plan_story["plan"], since=start_of_day(datetime.date(2026, 3, 15)))
    # 1.1 moved after 15 March, but earlier (brought forward): not a slip.
    assert [(s.action.reference, s.days) for s in report.slipped_since] == [("2.1", 10)]
    assert [m.reason for m in report.slipped_since[0].moves] == [
        "Waiting for the new system"
    ]
    report = drift(plan_story["plan"], since=start_of_day(datetime.date(2026, 2, 1)))
    assert [(s.action.reference, s.days) for s in report.slipped_since] == [
        ("1.1", 92),
        ("2.1", 10),
    ]


# The page -------------------------------------------------------------------


def _url(plan, since="2026-03-15"):
    return reverse("improvement:drift") + f"?plan={plan.pk}&since={since}"


def test_the_page_shows_moves_days_and_reasons(client_as_board, plan_story):
    response = client_as_board.get(_url(plan_story["plan"]))
    assert response.status_code == 200
    text = response.text
    assert "Slipped since 15 March 2026" in text
    assert "Recruitment delayed" in text
    assert "Brought forward by the board" in text
    assert "+31 days" in text and "\u221215 days" in text
    assert "Another plan" not in text
    assert "1 other action has never moved" in text


def test_the_page_opens_on_the_newest_active_plan_and_the_last_30_days(
    client_as_board, plan_story
):
    with time_machine.travel(at(11, 22), tick=False):
        response = client_as_board.get(reverse("improvement:drift"))
    assert response.status_code == 200
    report = response.context["report"]
    assert report.since == start_of_day(datetime.date(2026, 10, 23))
    assert "Slipped since 23 October 2026" in response.text


@pytest.mark.parametrize(
    "query, message",
    [
        ("since=yesterday", "The date must be a real date"),
        ("since=2026-13-01", "The date must be a real date"),
        ("plan=0", "Select a plan from the list"),
    ],
)
def test_bad_input_is_explained_beside_the_field(
    client_as_board, plan_story, query, message
):
    response = client_as_board.get(reverse("improvement:drift") + "?" + query)
    assert response.status_code == 200
    assert response.context.get("report") is None
    assert "There is a problem" in response.text
    assert response.text.count(message) == 2


@pytest.mark.parametrize(
    "fixture", ["client_as_board", "client_as_officer", "client_as_manager"]
)
def test_every_role_may_read_it(request, fixture, plan_story):
    client = request.getfixturevalue(fixture)
    assert client.get(_url(plan_story["plan"])).status_code == 200


def test_anonymous_people_are_sent_to_sign_in(client, plan_story):
    response = client.get(_url(plan_story["plan"]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_people_without_the_view_permission_are_refused(
    client, no_group_user, plan_story
):
    sign_in_as(client, no_group_user)
    assert client.get(_url(plan_story["plan"])).status_code == 403


def test_queries_do_not_grow_with_the_plan(client_as_board, plan_story):
    plan = plan_story["plan"]
    priority = plan.priorities.first()
    with CaptureQueriesContext(connection) as small_compute:
        drift(plan, since=start_of_day(datetime.date(2026, 3, 15)))
    with CaptureQueriesContext(connection) as small_page:
        client_as_board.get(_url(plan))
    for n in range(30):
        user = UserFactory()
        with change(at(1, 6), user):
            action = ActionFactory(priority=priority, lead_owner=OwnerFactory())
        with change(at(3, 16 + n % 10), user):
            move_due(action, action.due_date + datetime.timedelta(days=n + 1), "Late")
        with change(at(4, 16 + n % 10), user):
            move_due(action, action.due_date + datetime.timedelta(days=3), "Later")
    with CaptureQueriesContext(connection) as large_compute:
        report = drift(plan, since=start_of_day(datetime.date(2026, 3, 15)))
    with CaptureQueriesContext(connection) as large_page:
        client_as_board.get(_url(plan))
    assert report.totals.moves == 64
    # Pinned: a fixed extra query fails too.
    assert (len(small_compute), len(large_compute)) == (3, 3)
    assert (len(small_page), len(large_page)) == (8, 8)
