"""An action moved from one plan to another keeps its past where it happened.

Action 1.1 "Cut caseloads" is in the Children's plan. A progress update is
recorded on it in March. On 1 April it moves to the SEND plan as 4.2 "Cut
caseloads across SEND", and a second update is recorded there. On 1 May it
is renumbered 4.3. Every board screen must read each update in the plan the
action was in when the update was recorded, named as the action was named
then; and the move itself must show in both plans' "What changed".
"""

import csv
import datetime
import io
import zoneinfo
from contextlib import contextmanager

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from improvement.board import states
from improvement.board.change_report import change_rows
from improvement.board.periods import day_window
from improvement.board.what_changed import changes_between
from improvement.kernel import dates
from improvement.kernel.history import acting_as
from tests.factories import (
    ActionFactory,
    PlanFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
MARCH = (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
APRIL = (datetime.date(2026, 4, 1), datetime.date(2026, 4, 30))
TODAY = datetime.datetime(2026, 6, 15, 12, tzinfo=LONDON)

IN_CHILDRENS = "Caseloads down to 18 in every team"
IN_SEND = "SEND caseloads reviewed with the new panel"


def at(month, day, hour=10):
    """A moment in 2026, London time."""
    return datetime.datetime(2026, month, day, hour, tzinfo=LONDON)


@contextmanager
def change(when, user):
    with time_machine.travel(when, tick=False), acting_as(user):
        yield


def move(action, priority, reference, title, reason):
    action.plan = priority.plan
    action.priority = priority
    action.reference = reference
    action.title = title
    action._change_reason = reason
    action.save()


@pytest.fixture
def story(db):
    alice = UserFactory(username="alice", first_name="Alice", last_name="Ames")
    childrens = PlanFactory(
        name="Children's plan", start_date=datetime.date(2026, 1, 1)
    )
    send = PlanFactory(name="SEND plan", start_date=datetime.date(2026, 1, 1))
    p1 = PriorityFactory(plan=childrens, number=1)
    p4 = PriorityFactory(plan=send, number=4)
    with change(at(3, 1), alice):
        action = ActionFactory(priority=p1, reference="1.1", title="Cut caseloads")
        ActionFactory(priority=p1, reference="1.2", title="Audit plans")
        ActionFactory(priority=p4, reference="4.1", title="Assess needs")
    with change(at(3, 10), alice):
        before = ProgressUpdateFactory(
            action=action,
            author=alice,
            update_date=datetime.date(2026, 3, 10),
            narrative=IN_CHILDRENS,
        )
    with change(at(4, 1), alice):
        move(
            action,
            p4,
            "4.2",
            "Cut caseloads across SEND",
            "The SEND board now oversees caseloads",
        )
    with change(at(4, 10), alice):
        after = ProgressUpdateFactory(
            action=action,
            author=alice,
            update_date=datetime.date(2026, 4, 10),
            narrative=IN_SEND,
        )
    with change(at(5, 1), alice):
        action.reference = "4.3"
        action.title = "Cut SEND caseloads"
        action.save()
    return {
        "childrens": childrens,
        "send": send,
        "action": action,
        "before": before,
        "after": after,
    }


def report(plan, period):
    return changes_between(plan, *day_window(*period))


def narratives(items):
    return [item.detail for item in items]


# What changed: the computation ----------------------------------------------


def test_updates_stay_in_the_plan_they_were_recorded_in(story):
    childrens, send = story["childrens"], story["send"]
    assert narratives(report(childrens, MARCH).progress_updates) == [IN_CHILDRENS]
    assert narratives(report(send, MARCH).progress_updates) == []
    assert narratives(report(send, APRIL).progress_updates) == [IN_SEND]
    assert narratives(report(childrens, APRIL).progress_updates) == []


def test_progress_rows_name_the_action_as_it_was_then(story):
    (march,) = report(story["childrens"], MARCH).progress_updates
    assert (march.reference, march.title) == ("1.1", "Cut caseloads")
    (april,) = report(story["send"], APRIL).progress_updates
    assert (april.reference, april.title) == ("4.2", "Cut caseloads across SEND")
    # Both still lead to the action itself.
    url = reverse("improvement:action_detail", args=[story["action"].pk])
    assert march.url == april.url == url
    assert march.action_id == april.action_id == story["action"].pk


def test_an_action_renumbered_in_its_own_plan_keeps_its_name_then(story):
    stays = story["childrens"].actions.get(reference="1.2")
    with change(at(3, 20), UserFactory()):
        ProgressUpdateFactory(action=stays, narrative="Audit tool agreed")
    with change(at(4, 20), UserFactory()):
        stays.reference = "1.5"
        stays.title = "Audit every plan"
        stays.save()
    items = report(story["childrens"], MARCH).progress_updates
    assert [(i.reference, i.title, i.detail) for i in items] == [
        ("1.1", "Cut caseloads", IN_CHILDRENS),
        ("1.2", "Audit plans", "Audit tool agreed"),
    ]


def test_an_update_older_than_its_actions_history_counts_where_it_began(db):
    """Data brought in from elsewhere can date an update before the first
    history row of its action; it counts in the plan the action began in."""
    childrens = PlanFactory(name="Children's plan")
    send = PlanFactory(name="SEND plan")
    p4 = PriorityFactory(plan=send)
    someone = UserFactory()
    with change(at(3, 1), someone):
        action = ActionFactory(priority=PriorityFactory(plan=childrens))
    with change(at(2, 1), someone):
        ProgressUpdateFactory(action=action, narrative="Recorded on paper")
    with change(at(4, 1), someone):
        move(action, p4, "4.9", action.title, "Moved")
    february = (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    assert narratives(report(childrens, february).progress_updates) == [
        "Recorded on paper"
    ]
    assert report(send, february).progress_updates == []
    assert _updates(childrens) == ["Recorded on paper"]
    assert _updates(send) == []


def test_the_move_shows_in_both_plans(story):
    left = report(story["childrens"], APRIL)
    (out,) = left.actions_moved
    assert (out.reference, out.title) == ("1.1", "Cut caseloads")
    assert out.what == "Moved to SEND plan as 4.2"
    assert (out.old, out.new) == ("Children's plan", "SEND plan")
    assert out.reason == "The SEND board now oversees caseloads"
    assert out.who == "Alice Ames"
    assert out.when == at(4, 1)
    # Leaving is all the Children's plan hears of the action after 1 April.
    assert [item.kind for item in left.items] == ["moved_out"]

    arrived = report(story["send"], APRIL)
    (came,) = arrived.actions_moved
    assert (came.reference, came.title) == ("4.2", "Cut caseloads across SEND")
    assert came.what == "Moved in from Children's plan (was 1.1)"
    assert (came.old, came.new) == ("Children's plan", "SEND plan")
    assert came.reason == "The SEND board now oversees caseloads"
    assert arrived.actions_added == []
    assert [item.kind for item in arrived.items] == ["moved_in", "progress"]

    # Before the move, nothing of the action is in the SEND plan: March
    # there holds only the adding of its own action 4.1.
    assert [item.reference for item in report(story["send"], MARCH).items] == ["4.1"]


def test_an_action_moved_back_arrives_again(story):
    action, childrens = story["action"], story["childrens"]
    with change(at(5, 20), UserFactory()):
        move(
            action,
            childrens.priorities.get(),
            "1.1",
            "Cut caseloads",
            "Back with children's services",
        )
    may = (datetime.date(2026, 5, 1), datetime.date(2026, 5, 31))
    (back,) = report(childrens, may).actions_moved
    assert back.what == "Moved in from SEND plan (was 4.3)"
    (gone,) = report(story["send"], may).actions_moved
    assert gone.what == "Moved to Children's plan as 1.1"
    assert (gone.reference, gone.title) == ("4.3", "Cut SEND caseloads")


def test_flat_rows_name_the_action_as_it_was_then(story):
    rows = change_rows(report(story["childrens"], MARCH))
    progress = [row for row in rows if row["kind"] == "Progress update"]
    assert [(r["reference"], r["title"], r["new"]) for r in progress] == [
        ("1.1", "Cut caseloads", IN_CHILDRENS)
    ]


# What changed: the page and the CSV -----------------------------------------


def _period(plan, period):
    since, until = period
    return {"plan": plan.pk, "since": since.isoformat(), "until": until.isoformat()}


def test_the_page_shows_each_update_in_its_own_plan(client_as_board, story):
    url = reverse("improvement:changes_since")
    with time_machine.travel(TODAY, tick=False):
        childrens = client_as_board.get(url, _period(story["childrens"], MARCH))
        send = client_as_board.get(url, _period(story["send"], MARCH))
    assert IN_CHILDRENS in childrens.text
    assert "1.1: Cut caseloads</a>" in childrens.text
    assert IN_CHILDRENS not in send.text
    assert "No progress updates were recorded." in send.text


def test_the_page_shows_the_move_in_both_plans(client_as_board, story):
    url = reverse("improvement:changes_since")
    with time_machine.travel(TODAY, tick=False):
        childrens = client_as_board.get(url, _period(story["childrens"], APRIL))
        send = client_as_board.get(url, _period(story["send"], APRIL))
    assert 'id="actions_moved">Actions moved between plans</h2>' in childrens.text
    assert "Moved to SEND plan as 4.2" in childrens.text
    assert "Moved in from Children&#x27;s plan (was 1.1)" in send.text
    assert "The SEND board now oversees caseloads" in send.text


def _csv_rows(client, plan, period):
    with time_machine.travel(TODAY, tick=False):
        response = client.get(
            reverse("improvement:change_export_csv"),
            _period(plan, period),
            follow=True,
        )
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else None
    text = (content if content is not None else response.content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_csv_keeps_each_update_in_its_own_plan(client_as_board, story):
    rows = _csv_rows(client_as_board, story["childrens"], MARCH)
    progress = [r for r in rows if r["Kind of change"] == "Progress update"]
    assert [(r["Reference"], r["Title"], r["To"]) for r in progress] == [
        ("1.1", "Cut caseloads", IN_CHILDRENS)
    ]
    send = _csv_rows(client_as_board, story["send"], MARCH)
    assert [(r["Kind of change"], r["Reference"]) for r in send] == [
        ("Action added", "4.1")
    ]


def test_the_csv_lists_the_move_in_both_plans(client_as_board, story):
    (out,) = [
        r
        for r in _csv_rows(client_as_board, story["childrens"], APRIL)
        if r["Kind of change"] == "Action moved out"
    ]
    assert (out["Reference"], out["What changed"]) == (
        "1.1",
        "Moved to SEND plan as 4.2",
    )
    kinds = [
        r["Kind of change"] for r in _csv_rows(client_as_board, story["send"], APRIL)
    ]
    assert kinds == ["Action moved in", "Progress update"]


def test_the_board_pack_lists_each_update_in_its_own_plan(client_as_board, story):
    url = reverse("improvement:board_pack")
    params = {"as_at": "2026-03-31", "since": "2026-03-01"}
    with time_machine.travel(TODAY, tick=False):
        childrens = client_as_board.get(url, {"plan": story["childrens"].pk, **params})
        send = client_as_board.get(url, {"plan": story["send"].pk, **params})
    assert childrens.status_code == send.status_code == 200
    assert IN_CHILDRENS in childrens.text
    assert IN_CHILDRENS not in send.text


# The dashboard's latest updates -------------------------------------------


def _updates(plan, day=None):
    when = None if day is None else dates.end_of_day(day)
    return [u.narrative for u in states.latest_updates(plan, when)]


def test_latest_updates_as_at_a_date_are_those_of_the_plan_then(story):
    childrens, send = story["childrens"], story["send"]
    march = datetime.date(2026, 3, 20)
    april = datetime.date(2026, 4, 20)
    assert _updates(childrens, march) == [IN_CHILDRENS]
    assert _updates(send, march) == []
    assert _updates(childrens, april) == [IN_CHILDRENS]
    assert _updates(send, april) == [IN_SEND]


def test_latest_updates_today_keep_each_update_in_its_own_plan(story):
    assert _updates(story["childrens"]) == [IN_CHILDRENS]
    assert _updates(story["send"]) == [IN_SEND]


def test_latest_updates_name_the_action_as_it_was_then(story):
    (update,) = states.latest_updates(story["send"])
    assert (update.action_reference, update.action_title) == (
        "4.2",
        "Cut caseloads across SEND",
    )


def test_the_dashboard_as_at_an_earlier_date_lists_the_plans_own_updates(
    client_as_board, story
):
    url = reverse("improvement:dashboard")
    with time_machine.travel(TODAY, tick=False):
        childrens = client_as_board.get(
            url, {"plan": story["childrens"].pk, "as_at": "2026-03-20"}
        )
        send = client_as_board.get(
            url, {"plan": story["send"].pk, "as_at": "2026-03-20"}
        )
        send_now = client_as_board.get(url, {"plan": story["send"].pk})
    assert [u.pk for u in childrens.context["figures"].updates] == [story["before"].pk]
    assert IN_CHILDRENS in childrens.text
    assert "1.1: Cut caseloads</a>" in childrens.text
    assert send.context["figures"].updates == []
    assert IN_CHILDRENS not in send.text
    assert [u.pk for u in send_now.context["figures"].updates] == [story["after"].pk]
    assert "4.2: Cut caseloads across SEND</a>" in send_now.text


def test_month_picks_follow_the_plan_the_update_was_recorded_in(client_as_board, story):
    url = reverse("improvement:dashboard")
    with time_machine.travel(TODAY, tick=False):
        childrens = client_as_board.get(url, {"plan": story["childrens"].pk})
        send = client_as_board.get(url, {"plan": story["send"].pk})
    labels = {pick.label for pick in childrens.context["choice"].month_picks}
    assert labels == {"End of March 2026"}
    labels = {pick.label for pick in send.context["choice"].month_picks}
    assert labels == {"End of April 2026"}


# Recent changes -------------------------------------------------------------


def _feed(client, plan):
    with time_machine.travel(TODAY, tick=False):
        response = client.get(
            reverse("improvement:change_list"),
            {"plan": plan.pk, "kind": "progress_update"},
        )
    assert response.status_code == 200
    return [entry.subject for entry in response.context["entries"]]


def test_recent_changes_keep_each_update_in_its_own_plan(client_as_board, story):
    assert _feed(client_as_board, story["childrens"]) == [
        "Progress update on action 1.1, 10 March 2026"
    ]
    assert _feed(client_as_board, story["send"]) == [
        "Progress update on action 4.2, 10 April 2026"
    ]


# Cost ---------------------------------------------------------------------


def _grow(story, count):
    """``count`` more actions, each updated in the Children's plan, moved to
    the SEND plan, and updated there."""
    childrens, send = story["childrens"], story["send"]
    p1, p4 = childrens.priorities.get(), send.priorities.get()
    someone = UserFactory()
    for n in range(count):
        with change(at(3, 2), someone):
            action = ActionFactory(priority=p1, reference=f"1.{n + 10}")
        with change(at(3, 12), someone):
            ProgressUpdateFactory(action=action)
        with change(at(4, 2 + n % 20), someone):
            move(action, p4, f"4.{n + 10}", action.title, "Moved")
        with change(at(4, 25), someone):
            ProgressUpdateFactory(action=action)


def _pages(story):
    childrens, send = story["childrens"], story["send"]
    return [
        (reverse("improvement:changes_since"), _period(childrens, APRIL)),
        (reverse("improvement:changes_since"), _period(send, MARCH)),
        (reverse("improvement:change_export_csv"), _period(childrens, MARCH)),
        (reverse("improvement:dashboard"), {"plan": childrens.pk}),
        (
            reverse("improvement:dashboard"),
            {"plan": send.pk, "as_at": "2026-03-20"},
        ),
        (
            reverse("improvement:change_list"),
            {"plan": childrens.pk, "kind": "progress_update"},
        ),
        (
            reverse("improvement:board_pack"),
            {"plan": send.pk, "as_at": "2026-04-30", "since": "2026-03-01"},
        ),
    ]


def _costs(client, story):
    costs = []
    with time_machine.travel(TODAY, tick=False):
        for url, params in _pages(story):
            client.get(url, params)  # warm up
            cache.clear()  # measure the page built, not the page kept
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, params).status_code == 200
            costs.append(len(queries))
    return costs


def test_queries_do_not_grow_with_the_actions_moved(client_as_board, story):
    small = _costs(client_as_board, story)
    with CaptureQueriesContext(connection) as small_compute:
        report(story["childrens"], APRIL)
    _grow(story, 30)
    large = _costs(client_as_board, story)
    with CaptureQueriesContext(connection) as large_compute:
        moved = report(story["childrens"], APRIL)
    assert len(moved.actions_moved) == 31
    # Pinned: a fixed extra query fails too.
    assert small == large == [14, 13, 13, 14, 16, 9, 24]
    assert (len(small_compute), len(large_compute)) == (9, 9)
