"""The board's pages are built once for everyone, and never shown stale.

Each board page keeps its body (``improvement.board.page_cache``) under its
plan's latest change. A second board member reading the same page costs a
few queries instead of a build; any change to what it shows (an action, a
link, a finding, a measure's value, a deletion) is on the next page served,
exactly as a page built from nothing would show it.
"""

import datetime
import os
import uuid
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from improvement.board.page_cache import change_stamp
from improvement.kernel.history import acting_as
from improvement.plan.models import Action
from tests.factories import (
    ActionFactory,
    FindingFactory,
    MeasureFactory,
    MeasureValueFactory,
    OwnerFactory,
    PlanFactory,
    PriorityFactory,
    ProgressUpdateFactory,
)
from tests.helpers import (
    at,
    latest_changes_shown,
    plan_with_history,
    sign_in_as,
    travel,
)
from tests.improvement.test_action_views import _update_data

TODAY = at(2026, 6, 15)

#: Queries of a page served as kept: the session and person, the plans on
#: offer, the form's choices and the plan's latest change.
KEPT_QUERIES = 10

PAGES = {
    "dashboard": ("improvement:dashboard", {}),
    "dashboard as at": ("improvement:dashboard", {"as_at": "2026-03-31"}),
    "register as at": ("improvement:as_at", {"as_at": "2026-03-31"}),
    "register as at today": ("improvement:as_at", {"as_at": "2026-06-15"}),
    "trend": ("improvement:trend", {}),
    "what changed": (
        "improvement:changes_since",
        {"since": "2026-01-01", "until": "2026-06-15"},
    ),
    "golden thread": ("improvement:golden_thread", {}),
    "drift": ("improvement:drift", {"since": "2026-01-01"}),
    "board pack": ("improvement:board_pack", {}),
    "board pack as at": (
        "improvement:board_pack",
        {"as_at": "2026-03-31", "since": "2026-02-01"},
    ),
}


@pytest.fixture
def plan(db):
    with travel(at(2026, 1, 1)):
        return plan_with_history(6)


def _main(client, page, plan):
    """The page's ``<main>``, and the number of queries it cost."""
    name, query = PAGES[page]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name), {"plan": plan.pk, **query})
    assert response.status_code == 200
    main = BeautifulSoup(response.content, "html.parser").find("main")
    return str(main), len(queries)


def _built(client, page, plan):
    """The page as it would be built with nothing kept."""
    cache.clear()
    return _main(client, page, plan)[0]


@pytest.mark.parametrize("page", PAGES)
def test_a_second_reader_gets_the_page_kept_for_the_first(
    client, client_as_board, board, plan, page
):
    other = Client()
    sign_in_as(other, board)
    with travel(TODAY):
        first, built = _main(client_as_board, page, plan)
        second, kept = _main(other, page, plan)
    assert second == first
    # The person, the plans, the form and the latest change: no build.
    assert (page, kept < built, kept <= KEPT_QUERIES) == (page, True, True)


def _edit_action(plan):
    action = plan.actions.order_by("pk").first()
    action.title = "Audit every child's plan against the new standard"
    action.rag = Action.Rag.RED
    action.save()


def _unlink_finding(plan):
    action = plan.actions.order_by("pk").first()
    action.findings.clear()


def _retitle_finding(plan):
    finding = plan.actions.order_by("pk").first().findings.get()
    finding.title = "Managers do not check that plans are progressed"
    finding.save()


def _delete_update(plan):
    plan.actions.order_by("pk").last().progress_updates.last().delete()


def _record_value(plan):
    measure = MeasureFactory(plan=plan, name="Visits within timescale")
    MeasureValueFactory(measure=measure, value=Decimal("82"))


def _add_action(plan):
    ActionFactory(
        plan=plan,
        priority=plan.priorities.first(),
        reference="9.1",
        title="Recruit two more independent reviewing officers",
    )


CHANGES = [
    _edit_action,
    _unlink_finding,
    _retitle_finding,
    _delete_update,
    _record_value,
    _add_action,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__[1:])
@pytest.mark.parametrize("page", PAGES)
def test_after_a_change_the_page_is_as_if_built_afresh(
    client_as_board, manager, plan, page, change
):
    with travel(TODAY):
        before, _ = _main(client_as_board, page, plan)
        with acting_as(manager):
            change(plan)
        after, _ = _main(client_as_board, page, plan)
        assert after == _built(client_as_board, page, plan)
    if change in (_edit_action, _add_action) and page in SHOW_TODAYS_ACTIONS:
        assert after != before  # and the change is there to see


#: The pages that show the plan's actions as they are today (the golden
#: thread shows only those answering the plan's sources' findings).
SHOW_TODAYS_ACTIONS = (
    "dashboard",
    "register as at today",
    "trend",
    "what changed",
    "board pack",
)


def test_an_update_through_the_site_shows_at_once_on_the_kept_pages(
    client_as_board, client, officer, plan
):
    action = plan.actions.order_by("pk").first()
    action.lead_owner = officer.owner
    action.save()
    sign_in_as(client, officer)
    narrative = "Second audit done: 31 of 40 files good"
    url = reverse("improvement:dashboard")
    with travel(TODAY):
        assert narrative not in client_as_board.get(url, {"plan": plan.pk}).text
        response = client.post(
            reverse("improvement:action_progress", args=[action.pk]),
            _update_data(action, narrative=narrative, status="delivered"),
        )
        assert response.status_code == 302
        dashboard = client_as_board.get(url, {"plan": plan.pk}).text
    assert narrative in dashboard


def test_each_person_is_offered_only_their_own_links(board, manager):
    """The same page is kept apart for people whose permissions differ."""
    as_board, as_manager = Client(), Client()
    sign_in_as(as_board, board)
    sign_in_as(as_manager, manager)
    plan = PlanFactory(name="Service plan without sources")
    PriorityFactory(plan=plan)
    edit = reverse("improvement:plan_edit", args=[plan.pk])
    url = f"{reverse('improvement:golden_thread')}?plan={plan.pk}"
    assert edit not in as_board.get(url).text
    assert edit in as_manager.get(url).text
    assert edit not in as_board.get(url).text


def test_another_plans_change_keeps_this_plans_pages(db, manager):
    with travel(at(2026, 1, 1)):
        plan, other = plan_with_history(2), plan_with_history(2)
    stamp = change_stamp(plan)
    with acting_as(manager):
        _edit_action(other)
    assert change_stamp(plan) == stamp
    with acting_as(manager):
        moved = other.actions.order_by("pk").first()
        moved.plan, moved.priority = plan, plan.priorities.first()
        moved.reference = "8.1"
        moved.save()
    assert change_stamp(plan) != stamp
    stamp = change_stamp(plan)
    with acting_as(manager):
        moved.plan, moved.priority = other, other.priorities.first()
        moved.save()  # moved out again: the plan has lost it
    assert change_stamp(plan) != stamp
    stamp = change_stamp(plan)
    with acting_as(manager):
        FindingFactory().delete()  # findings may show on any plan's pages
    assert change_stamp(plan) != stamp


def test_the_stamp_is_one_query_whatever_the_history(db, manager):
    with travel(at(2026, 1, 1)):
        small, large = plan_with_history(2), plan_with_history(40)
    for plan in (small, large, None):
        with CaptureQueriesContext(connection) as queries:
            change_stamp(plan)
        assert len(queries) == 1


UNREACHABLE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",
    }
}


def test_a_cache_that_cannot_be_reached_does_not_break_the_page(client_as_board, plan):
    with override_settings(CACHES=UNREACHABLE), travel(TODAY):
        response = client_as_board.get(
            reverse("improvement:as_at"), {"plan": plan.pk, "as_at": "2026-06-15"}
        )
    assert response.status_code == 200
    assert plan.actions.first().title in response.text


REDIS_URL = os.environ.get("REDIS_URL")


@pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL names no Redis server")
@pytest.mark.parametrize("page", ["dashboard", "register as at today", "board pack"])
def test_app_servers_sharing_redis_build_each_page_once(
    client_as_board, manager, plan, page
):
    """Two app servers: the second finds what the first kept, and neither
    shows a page from before a change."""
    shared = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-{uuid.uuid4()}",
        }
    }
    with travel(TODAY):
        with override_settings(CACHES=shared):
            first, built = _main(client_as_board, page, plan)
        with override_settings(CACHES=shared):  # a new connection: another server
            second, kept = _main(client_as_board, page, plan)
            assert (second, kept < built) == (first, True)
            with acting_as(manager):
                _edit_action(plan)
            after, _ = _main(client_as_board, page, plan)
        with override_settings(CACHES=shared):
            again, _ = _main(client_as_board, page, plan)
        built_now = _built(client_as_board, page, plan)
    assert after == again == built_now != first


def test_redis_is_used_when_its_address_is_given():
    from tests.test_settings import _run_manage

    code = (
        "from django.core.cache import caches;print(type(caches['default']).__name__)"
    )
    with_redis = _run_manage(
        "shell", "-c", code, env={"DEBUG": "true", "REDIS_URL": "redis://x:6379/0"}
    )
    without = _run_manage("shell", "-c", code, env={"DEBUG": "true", "REDIS_URL": ""})
    assert with_redis.stdout.split()[-1] == "RedisCache", with_redis.stderr
    assert without.stdout.split()[-1] == "LocMemCache", without.stderr


def test_pages_are_kept_for_today_only(client_as_board, plan):
    """Overdue and stale are counted from today: tomorrow builds again."""
    url = reverse("improvement:dashboard")
    with travel(TODAY):
        client_as_board.get(url, {"plan": plan.pk})
    with travel(TODAY + datetime.timedelta(days=1)):
        with CaptureQueriesContext(connection) as queries:
            client_as_board.get(url, {"plan": plan.pk})
    assert len(queries) > KEPT_QUERIES


def test_a_person_renamed_is_named_anew_on_the_kept_pages(
    client_as_board, manager, plan
):
    """Names are not history: a rename starts a new generation of pages."""
    with travel(TODAY):
        with acting_as(manager):
            _edit_action(plan)
        page = ("what changed", plan)
        before, _ = _main(client_as_board, *page)
        manager.first_name, manager.last_name = "Alex", "Renamed-Person"
        manager.save()
        after, _ = _main(client_as_board, *page)
        manager.last_login = TODAY
        manager.save(update_fields=["last_login"])  # signing in renames nobody
        kept, queries = _main(client_as_board, *page)
    assert "Renamed-Person" not in before
    assert "Renamed-Person" in after
    assert kept == after and queries <= KEPT_QUERIES


# An action's latest changes --------------------------------------------------


def test_an_actions_latest_changes_are_kept_until_something_in_them_changes(
    client_as_board, manager, plan
):
    action = plan.actions.order_by("pk").first()
    owner = OwnerFactory(name="Head of Service, Fostering")
    with travel(TODAY):
        built_text, built = latest_changes_shown(client_as_board, action)
        kept_text, kept = latest_changes_shown(client_as_board, action)
        assert (kept_text, kept) == (built_text, built - KEPT_TIMELINE_SAVES)
        with acting_as(manager):
            action.lead_owner = owner
            action.save()
        text, _ = latest_changes_shown(client_as_board, action)
        assert "Head of Service, Fostering" in text
        owner.name = "Service Manager, Fostering and Adoption"
        with acting_as(manager):
            owner.save()  # a name the latest changes mention
        text, _ = latest_changes_shown(client_as_board, action)
        assert "Service Manager, Fostering and Adoption" in text
        with acting_as(manager):
            ProgressUpdateFactory(action=action, narrative="Panel dates agreed")
        text, _ = latest_changes_shown(client_as_board, action)
    cache.clear()
    with travel(TODAY):
        assert latest_changes_shown(client_as_board, action)[0] == text


#: Queries the action page saves when its latest changes are kept.
KEPT_TIMELINE_SAVES = 5
