"""What changed since: exactly the changes in the window, in the right sections.

Changes are made at known moments (time_machine) by named people
(``acting_as``): some before the window, some inside it and some after it,
so each section can be checked for exactly what it should hold.
"""

import datetime
import zoneinfo
from contextlib import contextmanager

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from improvement.board.change_report import change_rows
from improvement.board.periods import day_window
from improvement.board.what_changed import changes_between
from improvement.kernel.history import acting_as
from improvement.plan.models import Action
from tests.factories import (
    ActionFactory,
    FindingFactory,
    InspectionFactory,
    OwnerFactory,
    PlanFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    UserFactory,
)
from tests.helpers import sign_in_as

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
SINCE = datetime.date(2026, 4, 1)
UNTIL = datetime.date(2026, 4, 30)


def at(month, day, hour=10, minute=0):
    """A moment in 2026, London time."""
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=LONDON)


@contextmanager
def change(when, user):
    """Make the changes in the block at ``when``, as ``user``."""
    with time_machine.travel(when, tick=False), acting_as(user):
        yield


def move_due(action, new_due, reason):
    action.due_date = new_due
    action._change_reason = reason
    action.save()


@pytest.fixture
def people(db):
    return {
        "alice": UserFactory(username="alice", first_name="Alice", last_name="Ames"),
        "bob": UserFactory(username="bob", first_name="Bob", last_name="Best"),
    }


@pytest.fixture
def story(people):
    """A plan with changes before, inside and after April 2026."""
    alice, bob = people["alice"], people["bob"]
    inspection = InspectionFactory()
    plan = PlanFactory(inspections=[inspection], name="Children's plan")
    other_plan = PlanFactory(name="SEND plan")
    priority = PriorityFactory(plan=plan)
    other_priority = PriorityFactory(plan=other_plan)
    lead = OwnerFactory(name="Head of Service")
    objects = {"plan": plan, "inspection": inspection}

    with change(at(3, 1), alice):
        f1 = FindingFactory(inspection=inspection, reference="R1", title="Caseloads")
        f2 = FindingFactory(inspection=inspection, reference="R2", title="Oversight")
        a1 = ActionFactory(
            priority=priority,
            reference="1.1",
            title="Cut caseloads",
            lead_owner=lead,
            rag=Action.Rag.GREEN,
        )
        a2 = ActionFactory(priority=priority, reference="1.2", title="Audit plans")
        a3 = ActionFactory(priority=priority, reference="1.3", title="Old idea")
        elsewhere = ActionFactory(priority=other_priority, reference="9.1")
        a1.findings.add(f1)
    # Before the window: must not appear.
    with change(at(3, 10), alice):
        move_due(a1, datetime.date(2026, 7, 5), "Before the window")
    with change(at(3, 31, 23, 59), alice):
        a2.rag = Action.Rag.RED
        a2.save()

    # Inside the window.
    with change(at(4, 1, 0, 1), alice):
        a4 = ActionFactory(
            priority=priority,
            reference="1.4",
            title="New panel",
            lead_owner=lead,
            original_due_date=datetime.date(2026, 9, 30),
        )
    with change(at(4, 3), bob):
        a1.status = Action.Status.IN_PROGRESS
        a1.rag = Action.Rag.AMBER
        a1.save()
    with change(at(4, 5), bob):
        move_due(a1, datetime.date(2026, 8, 4), "Recruitment took longer")
    with change(at(4, 6), alice):
        move_due(a2, datetime.date(2026, 6, 20), "The board asked for it sooner")
    with change(at(4, 8), alice):
        a2.status = Action.Status.DELIVERED
        a2.save()
    with change(at(4, 9), alice):
        a3.status = Action.Status.WITHDRAWN
        a3.status_reason = "Superseded by action 1.4"
        a3.save()
    with change(at(4, 10), bob):
        a2.impact = Action.Impact.EVIDENCED
        a2.impact_evidence = "Audit grades up from 40% to 70% good"
        a2.save()
    with change(at(4, 12), bob):
        a1.findings.add(f2)
    with change(at(4, 13), bob):
        a1.findings.remove(f1)
    with change(at(4, 15), alice):
        f3 = FindingFactory(inspection=inspection, reference="R3", title="Voice")
        FindingFactory(reference="X1", title="Another council's inspection")
    with change(at(4, 20), bob):
        ProgressUpdateFactory(
            action=a1, author=bob, narrative="Two social workers recruited"
        )
    with change(at(4, 21), alice):
        elsewhere.rag = Action.Rag.RED
        elsewhere.save()
        ProgressUpdateFactory(action=elsewhere, author=alice)
    with change(at(4, 30, 23, 30), alice):
        a4.rag = Action.Rag.AMBER
        a4.save()

    # After the window: must not appear.
    with change(at(5, 1, 0, 10), alice):
        a1.status = Action.Status.DELIVERED
        a1.save()
        move_due(a4, datetime.date(2026, 10, 30), "After the window")
        a4.findings.add(f3)
        ProgressUpdateFactory(action=a4, author=alice)
        FindingFactory(inspection=inspection, reference="R4")
    objects.update(a1=a1, a2=a2, a3=a3, a4=a4, f1=f1, f2=f2, f3=f3)
    return objects


def _report(plan):
    return changes_between(plan, *day_window(SINCE, UNTIL))


def test_each_section_holds_exactly_the_changes_in_the_window(story):
    report = _report(story["plan"])

    assert [(i.reference, i.who, i.new, i.detail) for i in report.actions_added] == [
        ("1.4", "Alice Ames", "Due 30 September 2026", "Lead officer: Head of Service")
    ]
    assert [(i.reference, i.who, i.old, i.new) for i in report.actions_delivered] == [
        ("1.2", "Alice Ames", "Not started", "Delivered")
    ]
    assert [
        (i.reference, i.who, i.old, i.new, i.reason) for i in report.actions_withdrawn
    ] == [("1.3", "Alice Ames", "Not started", "Withdrawn", "Superseded by action 1.4")]
    assert [
        (i.reference, i.kind, i.label, i.old, i.new, i.who)
        for i in report.status_changes
    ] == [
        ("1.1", "status", "Delivery status", "Not started", "In progress", "Bob Best"),
        ("1.1", "rag", "RAG", "Green", "Amber", "Bob Best"),
        ("1.2", "impact", "Impact", "Not yet assessed", "Evidenced", "Bob Best"),
        # 1.4 started with no RAG: its first one is an assessment, not a drop.
        ("1.4", "rag", "RAG", "Not assessed", "Amber", "Alice Ames"),
    ]
    assert report.status_changes[2].detail == "Audit grades up from 40% to 70% good"
    assert [
        (i.reference, i.who, i.old, i.new, i.days, i.days_text, i.reason)
        for i in report.due_date_moves
    ] == [
        (
            "1.1",
            "Bob Best",
            "5 July 2026",
            "4 August 2026",
            30,
            "+30 days",
            "Recruitment took longer",
        ),
        (
            "1.2",
            "Alice Ames",
            "30 June 2026",
            "20 June 2026",
            -10,
            "\u221210 days",
            "The board asked for it sooner",
        ),
    ]
    assert [(i.reference, i.who) for i in report.findings_added] == [
        ("R3", "Alice Ames")
    ]
    assert [(i.reference, i.finding, i.who) for i in report.links_added] == [
        ("1.1", "R2: Oversight", "Bob Best")
    ]
    assert [(i.reference, i.finding, i.who) for i in report.links_removed] == [
        ("1.1", "R1: Caseloads", "Bob Best")
    ]
    assert [
        (i.reference, i.who, i.detail, i.tags) for i in report.progress_updates
    ] == [
        (
            "1.1",
            "Bob Best",
            "Two social workers recruited",
            [("in_progress", "In progress"), ("amber", "Amber")],
        )
    ]
    assert report.total == 13


def test_each_change_says_when_it_was_made(story):
    report = _report(story["plan"])
    assert report.actions_added[0].when == at(4, 1, 0, 1)
    assert report.due_date_moves[0].when == at(4, 5)
    assert report.links_removed[0].when == at(4, 13)
    # The last minutes of the last day are in; the first of the next are not.
    assert report.status_changes[-1].when == at(4, 30, 23, 30)


def test_a_narrower_window_leaves_out_what_falls_outside_it(story):
    start, end = day_window(datetime.date(2026, 4, 5), datetime.date(2026, 4, 8))
    report = changes_between(story["plan"], start, end)
    assert report.actions_added == []
    assert [i.reference for i in report.due_date_moves] == ["1.1", "1.2"]
    assert [i.reference for i in report.actions_delivered] == ["1.2"]
    assert report.status_changes == []
    assert report.links_added == report.links_removed == []
    assert report.progress_updates == []


def test_a_move_and_a_withdrawal_in_one_save_each_keep_their_own_reason(people):
    plan = PlanFactory()
    with change(at(3, 1), people["alice"]):
        action = ActionFactory(priority=PriorityFactory(plan=plan))
    with change(at(4, 2), people["alice"]):
        action.due_date = datetime.date(2026, 7, 30)
        action.status = Action.Status.WITHDRAWN
        action.status_reason = "No longer needed"
        action._change_reason = "Waiting for the new structure; No longer needed"
        action.save()
    report = _report(plan)
    assert [(i.days, i.reason) for i in report.due_date_moves] == [
        (30, "Waiting for the new structure")
    ]
    assert [i.reason for i in report.actions_withdrawn] == ["No longer needed"]


def test_change_rows_flatten_the_report_oldest_first(story):
    rows = change_rows(_report(story["plan"]))
    assert list(rows[0]) == [
        "when",
        "who",
        "kind",
        "reference",
        "title",
        "what",
        "old",
        "new",
        "reason",
    ]
    assert [row["when"] for row in rows] == sorted(row["when"] for row in rows)
    move = next(row for row in rows if row["kind"] == "Due date moved")
    assert move == {
        "when": at(4, 5),
        "who": "Bob Best",
        "kind": "Due date moved",
        "reference": "1.1",
        "title": "Cut caseloads",
        "what": "Due date moved 30 days later (+30 days)",
        "old": "5 July 2026",
        "new": "4 August 2026",
        "reason": "Recruitment took longer",
    }
    unlinked = next(row for row in rows if row["kind"] == "Finding unlinked")
    assert (unlinked["old"], unlinked["new"]) == ("R1: Caseloads", "")
    assert len(rows) == 13


# The page -------------------------------------------------------------------


def _url(plan, since=SINCE, until=UNTIL):
    return (
        reverse("improvement:changes_since")
        + f"?plan={plan.pk}&since={since:%Y-%m-%d}&until={until:%Y-%m-%d}"
    )


def test_the_page_shows_each_section_with_who_when_and_why(client_as_board, story):
    response = client_as_board.get(_url(story["plan"]))
    assert response.status_code == 200
    text = response.text
    for heading in (
        "Actions added",
        "Actions delivered",
        "Actions withdrawn",
        "Status, RAG and impact changes",
        "Due dates moved",
        "Findings added",
        "Findings linked to actions",
        "Findings unlinked from actions",
        "Progress updates recorded",
    ):
        assert heading in text
    assert "1 April 2026 to 30 April 2026" in text
    assert "Recruitment took longer" in text
    assert "+30 days" in text
    assert "\u221210 days" in text
    assert "Superseded by action 1.4" in text
    assert "Now answers" in text and "R2: Oversight" in text
    assert "No longer answers" in text and "R1: Caseloads" in text
    assert "Bob Best" in text and "5 April 2026 at 10am" in text
    assert "Before the window" not in text
    assert "After the window" not in text


def test_the_page_opens_on_the_last_30_days_of_the_newest_active_plan(
    client_as_board, people
):
    PlanFactory(start_date=datetime.date(2024, 1, 1), name="Old plan")
    newest = PlanFactory(start_date=datetime.date(2026, 1, 1), name="New plan")
    PlanFactory(start_date=datetime.date(2026, 2, 1), status="draft", name="Draft")
    with time_machine.travel(at(11, 22), tick=False):
        response = client_as_board.get(reverse("improvement:changes_since"))
    assert response.status_code == 200
    report = response.context["report"]
    assert report.plan == newest
    assert report.start == at(10, 23, 0, 0)
    assert report.end == at(11, 23, 0, 0)
    assert "23 October 2026 to 22 November 2026" in response.text


@pytest.mark.parametrize(
    "query, message",
    [
        ("since=not-a-date", "The start date must be a real date"),
        ("since=2026-02-30", "The start date must be a real date"),
        ("until=31/13/2026", "The end date must be a real date"),
        (
            "since=2026-05-01&until=2026-04-01",
            "The end date must be the same as or after the start date",
        ),
        ("plan=999999", "Select a plan from the list"),
        ("plan=abc", "Select a plan from the list"),
    ],
)
def test_bad_input_is_explained_beside_the_field(
    client_as_board, story, query, message
):
    response = client_as_board.get(reverse("improvement:changes_since") + "?" + query)
    assert response.status_code == 200
    assert response.context.get("report") is None
    assert "There is a problem" in response.text
    assert 'class="govuk-error-message"' in response.text
    assert message in response.text
    assert response.text.count(message) == 2  # in the summary and beside the field


def test_dates_typed_the_uk_way_are_accepted(client_as_board, story):
    url = reverse("improvement:changes_since")
    response = client_as_board.get(
        url + f"?plan={story['plan'].pk}&since=1/4/2026&until=30/04/2026"
    )
    assert response.status_code == 200
    assert response.context["report"].total == 13


def test_with_no_plans_the_page_says_so(client_as_board):
    response = client_as_board.get(reverse("improvement:changes_since"))
    assert response.status_code == 200
    assert "There are no improvement plans yet" in response.text


@pytest.mark.parametrize(
    "fixture", ["client_as_board", "client_as_officer", "client_as_manager"]
)
def test_every_role_may_read_it(request, fixture, story):
    client = request.getfixturevalue(fixture)
    assert client.get(_url(story["plan"])).status_code == 200


def test_anonymous_people_are_sent_to_sign_in(client, story):
    response = client.get(_url(story["plan"]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_people_without_the_view_permission_are_refused(client, no_group_user, story):
    sign_in_as(client, no_group_user)
    assert client.get(_url(story["plan"])).status_code == 403


def test_the_page_changes_nothing(client_as_manager, story):
    history = Action.history.count()
    client_as_manager.get(_url(story["plan"]))
    assert Action.history.count() == history


# Query counts -----------------------------------------------------------------


def _grow(plan, people, count):
    """``count`` more actions, each changed before and inside the window."""
    priority = plan.priorities.first()
    inspection = plan.inspections.get()
    for n in range(count):
        with change(at(3, 2), people["alice"]):
            action = ActionFactory(priority=priority)
            finding = FindingFactory(inspection=inspection)
        with change(at(4, 2 + n % 20), people["bob"]):
            action.rag = Action.Rag.AMBER
            action.status = Action.Status.IN_PROGRESS
            action.save()
            move_due(action, action.due_date + datetime.timedelta(days=7), "Late")
            action.findings.add(finding)
            ProgressUpdateFactory(action=action)
            FindingFactory(inspection=inspection)


def test_queries_do_not_grow_with_the_plan_or_its_history(
    client_as_board, story, people
):
    plan = story["plan"]
    with CaptureQueriesContext(connection) as small_compute:
        small = _report(plan)
    with CaptureQueriesContext(connection) as small_page:
        client_as_board.get(_url(plan))
    _grow(plan, people, 30)
    with CaptureQueriesContext(connection) as large_compute:
        large = _report(plan)
    with CaptureQueriesContext(connection) as large_page:
        client_as_board.get(_url(plan))
    assert large.total > small.total + 100
    # Pinned: a fixed extra query fails too.
    assert (len(small_compute), len(large_compute)) == (10, 10)
    assert (len(small_page), len(large_page)) == (15, 15)
