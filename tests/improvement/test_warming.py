"""The board pages people read are built again in the background after each
change, so the next reader gets a kept page (``improvement.board.warming``).

What the worker keeps must be exactly what the reader would have built: the
same page for the same permissions, never a page from before the change.
"""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import set_script_prefix
from django_tasks_db.models import DBTaskResult

from improvement.board import warming
from improvement.kernel.history import acting_as
from tests.helpers import DATABASE_QUEUE, at, plan_with_history, sign_in_as, travel
from tests.improvement.test_page_cache import (
    CHANGES,
    KEPT_QUERIES,
    PAGES,
    TODAY,
    _built,
    _main,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def warmed(settings, plan):
    """On, once the plan is made: what the fixtures wrote waits for the
    test's own transaction, which never commits, so it must not ask."""
    settings.BOARD_PAGES_WARMED = True


@pytest.fixture
def plan(db):
    with travel(at(2026, 1, 1)):
        return plan_with_history(6)


def _retitle(plan, title):
    action = plan.actions.order_by("pk").first()
    action.title = title
    action.save()


def _change(manager, plan, change, capture):
    """Make ``change`` as the manager, and run what waits for its commit."""
    with capture(execute=True), acting_as(manager):
        change(plan)


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__[1:])
@pytest.mark.parametrize("page", PAGES)
def test_after_a_change_the_next_reader_gets_the_page_built_afresh_and_kept(
    client_as_board,
    manager,
    plan,
    page,
    change,
    django_capture_on_commit_callbacks,
    warmed,
):
    with travel(TODAY):
        _main(client_as_board, page, plan)  # read, so remembered
        _change(manager, plan, change, django_capture_on_commit_callbacks)
        after, queries = _main(client_as_board, page, plan)
        assert after == _built(client_as_board, page, plan)
    # Kept by the worker: the reader built nothing.
    assert queries <= KEPT_QUERIES


def test_a_site_under_a_prefix_is_built_with_its_prefix(
    client_as_board, manager, plan, django_capture_on_commit_callbacks, warmed
):
    """A council serving the site under a sub-path: the kept page's links
    and form carry it, as the reader's own request would have."""

    def read():
        # Django's WSGI handler sets the prefix for each request; the test
        # client does not, so it is set here as a server would.
        set_script_prefix("/council/")
        try:
            with CaptureQueriesContext(connection) as queries:
                response = client_as_board.get(
                    "/dashboard/", {"plan": plan.pk}, SCRIPT_NAME="/council"
                )
        finally:
            set_script_prefix("/")
        assert response.status_code == 200
        main = str(BeautifulSoup(response.content, "html.parser").find("main"))
        return main, len(queries)

    with travel(TODAY):
        read()
        _change(manager, plan, CHANGES[0], django_capture_on_commit_callbacks)
        after, queries = read()
        cache.clear()
        built, _ = read()
    assert queries <= KEPT_QUERIES
    assert after == built
    assert 'href="/council/actions/' in after
    assert 'href="/council/dashboard/?plan=' in after  # the quick picks


def test_a_page_nobody_has_read_is_not_built(
    client_as_board, manager, plan, django_capture_on_commit_callbacks, warmed
):
    with travel(TODAY):
        _change(manager, plan, CHANGES[0], django_capture_on_commit_callbacks)
        assert cache.get(warming.READ) is None
        _, queries = _main(client_as_board, "dashboard", plan)
    assert queries > KEPT_QUERIES


def test_each_set_of_permissions_gets_its_own_page(
    client_as_board, manager, plan, django_capture_on_commit_callbacks, warmed
):
    client_as_manager = Client()  # the client fixtures share one client
    sign_in_as(client_as_manager, manager)
    with travel(TODAY):
        _main(client_as_board, "dashboard", plan)
        _main(client_as_manager, "dashboard", plan)
        assert len(cache.get(warming.READ)) == 2
        _change(manager, plan, CHANGES[0], django_capture_on_commit_callbacks)
        readers = (client_as_board, client_as_manager)
        pages = [_main(client, "dashboard", plan) for client in readers]
        assert all(queries <= KEPT_QUERIES for _, queries in pages)
        # As each would have built it (``_built`` empties the cache).
        assert pages[0][0] == _built(client_as_board, "dashboard", plan)
        assert pages[1][0] == _built(client_as_manager, "dashboard", plan)
        assert pages[0][0] != pages[1][0]  # a manager is offered more


def test_readers_with_the_same_permissions_are_remembered_once(
    client_as_board, board, plan, warmed
):
    other = Client()
    sign_in_as(other, board)
    with travel(TODAY):
        _main(client_as_board, "dashboard", plan)
        _main(other, "dashboard", plan)
        _main(other, "golden thread", plan)
        assert len(cache.get(warming.READ)) == 2


def test_a_page_read_again_later_is_remembered_from_then(client_as_board, plan, warmed):
    def read_at(moment):
        with travel(moment):
            _main(client_as_board, "dashboard", plan)
            (page,) = cache.get(warming.READ).values()
        return page["at"]

    first = read_at(TODAY)
    # Read again within minutes: nothing more is written.
    assert read_at(TODAY + datetime.timedelta(minutes=2)) == first
    # Read again later: remembered from then, so it stays built for longer.
    later = TODAY + datetime.timedelta(seconds=warming.READ_AGAIN_SECONDS + 60)
    assert read_at(later) == later.timestamp()


def test_a_reader_who_has_left_is_not_built_for(client_as_board, board, plan, warmed):
    with travel(TODAY):
        _main(client_as_board, "dashboard", plan)
        assert warming.warm_board_pages.call() == 1
        board.is_active = False
        board.save()
        assert warming.warm_board_pages.call() == 0


def test_pages_the_worker_builds_do_not_count_as_read(client_as_board, plan, warmed):
    with travel(TODAY):
        _main(client_as_board, "dashboard", plan)
        read = cache.get(warming.READ)
    with travel(TODAY + datetime.timedelta(hours=1)):
        assert warming.warm_board_pages.call() == 1
        assert cache.get(warming.READ) == read  # not read again by then
    with travel(TODAY + datetime.timedelta(hours=warming.READ_HOURS, minutes=1)):
        # Last read more than READ_HOURS ago: forgotten.
        assert warming.warm_board_pages.call() == 0


def test_a_burst_of_changes_asks_the_worker_for_one_build(
    settings, client_as_board, manager, plan, django_capture_on_commit_callbacks, warmed
):
    settings.TASKS = DATABASE_QUEUE
    with travel(TODAY):
        _main(client_as_board, "dashboard", plan)
        # One transaction writing many history rows asks once, when it commits.
        with django_capture_on_commit_callbacks(execute=True) as asked:
            with acting_as(manager):
                for n in range(5):
                    _retitle(plan, f"Audit supervision, round {n}")
        assert asked == [warming.ask_for_warm_pages]
        assert DBTaskResult.objects.count() == 1
        # Another change saved before the worker starts is in that build.
        warming.ask_for_warm_pages()
        assert DBTaskResult.objects.count() == 1
        # Once it has started, the next change asks again.
        warming.warm_board_pages.call()
        warming.ask_for_warm_pages()
    assert DBTaskResult.objects.count() == 2


def test_a_cache_that_cannot_be_reached_does_not_stop_a_change(
    settings, client_as_board, manager, plan, django_capture_on_commit_callbacks, warmed
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    with travel(TODAY):
        with django_capture_on_commit_callbacks(execute=True) as asked:
            with acting_as(manager):
                _retitle(plan, "Audit supervision")
        assert asked == [warming.ask_for_warm_pages]
        assert warming.warm_board_pages.call() == 0
        # The board's pages are still served, built each time.
        _, queries = _main(client_as_board, "dashboard", plan)
    assert queries > KEPT_QUERIES
    assert plan.actions.order_by("pk").first().title == "Audit supervision"


def test_nothing_is_asked_when_it_is_off(
    settings, client_as_board, manager, plan, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_QUEUE
    settings.BOARD_PAGES_WARMED = False
    with travel(TODAY):
        _main(client_as_board, "dashboard", plan)
        with acting_as(manager):
            with django_capture_on_commit_callbacks(execute=True) as asked:
                _retitle(plan, "Audit supervision")
    assert asked == []
    assert cache.get(warming.READ) is None
    assert not DBTaskResult.objects.exists()
