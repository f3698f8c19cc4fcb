"""My actions: when each was last updated, and what needs an update first.

"Needs an update" is overdue or stale, by the same definitions as the
register's filters and the dashboard (``ActionQuerySet.overdue``/``stale``).
"""

import datetime

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from improvement.board import figures
from improvement.plan.models import Action
from tests.factories import ActionFactory, PriorityFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db

d = datetime.date
LONG_AGO = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC)
NOW = datetime.datetime(2026, 11, 23, 12, 0, tzinfo=datetime.UTC)
TODAY = d(2026, 11, 23)
URL = reverse("improvement:my_actions")


@pytest.fixture
def mine(officer):
    """The officer's actions in one plan, made in June; today is 23 November."""
    priority = PriorityFactory()

    def action(reference, due, status="in_progress", updated=None):
        with time_machine.travel(LONG_AGO, tick=False):
            made = ActionFactory(
                plan=priority.plan,
                priority=priority,
                reference=reference,
                lead_owner=officer.owner,
                start_date=d(2026, 6, 1),
                original_due_date=due,
                status=status,
                rag="green",
            )
        if updated:
            ProgressUpdateFactory(action=made, update_date=updated, rag="green")
        return made

    with time_machine.travel(NOW, tick=False):
        actions = {
            # Overdue, though updated last week.
            "overdue": action("1.4", d(2026, 10, 1), updated=d(2026, 11, 16)),
            # Due next year, but no update since August: stale.
            "stale": action("1.10", d(2027, 3, 1), updated=d(2026, 8, 3)),
            # Both, and never updated.
            "both": action("1.2", d(2026, 9, 1)),
            # Fine: updated this month, due next year.
            "fine": action("1.3", d(2027, 1, 31), updated=d(2026, 11, 2)),
            "later": action("1.1", d(2027, 6, 30), updated=d(2026, 11, 20)),
            # Delivered long ago: never needs an update.
            "done": action("1.5", d(2026, 7, 1), status="delivered"),
        }
    return actions


@pytest.fixture
def page(client_as_officer, mine):
    with time_machine.travel(NOW, tick=False):
        response = client_as_officer.get(URL)
    assert response.status_code == 200
    return response


def test_those_needing_an_update_come_first(page, mine):
    assert page.context["needs_update"] == [
        mine["both"],
        mine["overdue"],
        mine["stale"],
    ]
    assert page.context["up_to_date"] == [mine["fine"], mine["later"]]
    assert page.context["open_actions"] == [
        mine["both"],
        mine["overdue"],
        mine["stale"],
        mine["fine"],
        mine["later"],
    ]
    assert page.context["closed_actions"] == [mine["done"]]


def test_the_flags_are_the_querysets_signals(page, mine):
    with time_machine.travel(NOW, tick=False):
        overdue = set(Action.objects.overdue())
        stale = set(Action.objects.stale())
    assert overdue == {mine["both"], mine["overdue"]}
    assert stale == {mine["both"], mine["stale"]}
    flagged = set(page.context["needs_update"])
    assert flagged == overdue | stale


def test_the_dashboard_counts_the_same_actions(page, mine):
    """The dashboard's figures come from history; they must agree."""
    with time_machine.travel(NOW, tick=False):
        summary = figures.board_figures(mine["fine"].plan).summary
    assert {s.id for s in summary.overdue} == {mine["both"].pk, mine["overdue"].pk}
    assert {s.id for s in summary.stale} == {mine["both"].pk, mine["stale"].pk}


def rows(page, caption):
    soup = BeautifulSoup(page.content, "html.parser")
    table = soup.find("caption", string=caption).find_parent("table")
    headers = [th.get_text(strip=True) for th in table.thead.find_all("th")]
    return [
        dict(
            zip(
                headers,
                (" ".join(td.get_text(" ").split()) for td in tr.find_all("td")),
                strict=True,
            )
        )
        for tr in table.tbody.find_all("tr")
    ]


def test_each_row_shows_its_last_update_and_flags(page):
    needing = rows(page, "Needs an update")
    assert [r["Action"].split(":")[0] for r in needing] == ["1.2", "1.4", "1.10"]
    by_reference = {r["Action"].split(":")[0]: r for r in needing}
    assert by_reference["1.2"]["Last update"] == "None yet Stale"
    assert "Overdue" in by_reference["1.2"]["Due"]
    assert by_reference["1.4"]["Last update"] == "16 November 2026"
    assert "Overdue" in by_reference["1.4"]["Due"]
    assert by_reference["1.10"]["Last update"] == "3 August 2026 Stale"
    assert "Overdue" not in by_reference["1.10"]["Due"]

    fine = rows(page, "Up to date")
    assert [r["Last update"] for r in fine] == ["2 November 2026", "20 November 2026"]
    assert not any("Stale" in r["Last update"] or "Overdue" in r["Due"] for r in fine)
    assert rows(page, "Delivered or withdrawn")[0]["Last update"] == "None yet"


def test_the_page_says_what_needs_an_update_means(page):
    assert "no progress update for 30 days" in page.text


def test_with_nothing_flagged_the_open_actions_are_to_deliver(
    client_as_officer, officer
):
    ActionFactory(lead_owner=officer.owner, original_due_date=d(2099, 1, 1))
    response = client_as_officer.get(URL)
    assert response.context["needs_update"] == []
    assert "Needs an update" not in response.text
    assert rows(response, "To deliver")


def test_queries_do_not_grow_with_the_actions(client_as_officer, officer, mine):
    def count():
        with CaptureQueriesContext(connection) as queries:
            with time_machine.travel(NOW, tick=False):
                client_as_officer.get(URL)
        return len(queries)

    before = count()
    priority = PriorityFactory()
    for _ in range(20):
        action = ActionFactory(
            priority=priority, plan=priority.plan, lead_owner=officer.owner
        )
        ProgressUpdateFactory(action=action)
    # Pinned: a fixed extra query fails too.
    assert (before, count()) == (5, 5)


def test_actions_led_supported_or_both_are_listed_once(client_as_officer, officer):
    other = ActionFactory(title="Led by someone else, not supported")
    led = ActionFactory(title="Led, not supported", lead_owner=officer.owner)
    supported = ActionFactory(title="Supported by the officer")
    supported.supporting_owners.add(officer.owner, ActionFactory().lead_owner)
    both = ActionFactory(title="Led and supported", lead_owner=officer.owner)
    both.supporting_owners.add(officer.owner)
    assert set(Action.objects.for_user(officer)) == {led, supported, both}
    assert Action.objects.for_user(officer).count() == 3
    text = client_as_officer.get(URL).text
    for action in (led, supported, both):
        assert text.count(action.title) == 1, action.title
    assert other.title not in text
