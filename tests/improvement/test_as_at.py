"""The actions register as it stood: a past state, reproduced exactly."""

import dataclasses
import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from improvement.board import states
from improvement.kernel import dates
from improvement.plan.models import Action
from tests.factories import (
    ActionFactory,
    FindingFactory,
    OwnerFactory,
    PlanFactory,
    PriorityFactory,
    ProgressUpdateFactory,
)
from tests.helpers import at, plan_with_history, travel

pytestmark = pytest.mark.django_db

AS_AT = reverse("improvement:as_at")
D = datetime.date(2026, 2, 28)


class Story:
    """A plan whose actions change after 28 February 2026 (the date D).

    By D: action 1.1 is in progress, green, due 30 June, led by the first
    owner and answering R1; action 1.2 exists. After D (15 March): 1.1 is
    paused, red, due 30 September (with a reason), led by another owner and
    answers R2 instead of R1; 1.2 is deleted and 1.3 is added.
    """

    def __init__(self):
        with travel(at(2026, 1, 5)):
            self.plan = PlanFactory(start_date=datetime.date(2026, 1, 1))
            priority = PriorityFactory(plan=self.plan, number=1)
            self.first_owner = OwnerFactory(name="Head of Service, Safeguarding")
            self.other_owner = OwnerFactory(name="Principal Social Worker")
            self.r1 = FindingFactory(reference="R1")
            self.r2 = FindingFactory(reference="R2")
            self.action = ActionFactory(
                plan=self.plan,
                priority=priority,
                reference="1.1",
                title="Reflective supervision every month",
                lead_owner=self.first_owner,
                original_due_date=datetime.date(2026, 6, 30),
            )
            self.action.findings.add(self.r1)
            self.doomed = ActionFactory(
                plan=self.plan, priority=priority, reference="1.2", title="Doomed"
            )
        with travel(at(2026, 2, 2)):
            self.action.status = Action.Status.IN_PROGRESS
            self.action.rag = Action.Rag.GREEN
            self.action.save()
            ProgressUpdateFactory(
                action=self.action, update_date=datetime.date(2026, 2, 2)
            )
        with travel(at(2026, 3, 15)):
            self.action.status = Action.Status.PAUSED
            self.action.status_reason = "Waiting for the new case management system"
            self.action.rag = Action.Rag.RED
            self.action.lead_owner = self.other_owner
            self.action.due_date = datetime.date(2026, 9, 30)
            self.action._change_reason = "The system goes live in August"
            self.action.save()
            self.action.findings.remove(self.r1)
            self.action.findings.add(self.r2)
            self.doomed.delete()
            self.added = ActionFactory(
                plan=self.plan, priority=priority, reference="1.3", title="Added later"
            )
            ProgressUpdateFactory(
                action=self.action, update_date=datetime.date(2026, 3, 15)
            )


@pytest.fixture
def story(db):
    return Story()


def _state(states, reference):
    return next(s for s in states if s.reference == reference)


def test_as_at_reproduces_the_past_state_links_included(story):
    then = states.states_as_at(story.plan, dates.end_of_day(D))
    assert [s.reference for s in then] == ["1.1", "1.2"]
    old = _state(then, "1.1")
    assert old.status == "in_progress"
    assert old.rag == "green"
    assert old.due_date == datetime.date(2026, 6, 30)
    assert old.lead_owner_id == story.first_owner.pk
    assert old.finding_ids == {story.r1.pk}
    assert old.last_update_date == datetime.date(2026, 2, 2)

    now = states.states_as_at(story.plan, at(2026, 3, 31))
    assert [s.reference for s in now] == ["1.1", "1.3"]
    new = _state(now, "1.1")
    assert new.status == "paused"
    assert new.rag == "red"
    assert new.due_date == datetime.date(2026, 9, 30)
    assert new.slipped_days == 92
    assert new.lead_owner_name == "Principal Social Worker"
    assert new.finding_ids == {story.r2.pk}
    assert new.last_update_date == datetime.date(2026, 3, 15)
    current = {s.reference: s for s in states.current_states(story.plan)}
    assert dataclasses.replace(current["1.1"], on=new.on) == new


def test_the_page_shows_the_old_values_and_links(client_as_board, story):
    with travel(at(2026, 4, 1)):
        response = client_as_board.get(AS_AT, {"as_at": D.isoformat()})
    assert response.status_code == 200
    text = re.sub(r"\s+", " ", response.text)
    assert "Actions as at 28 February 2026" in text
    row = re.search(r"1\.1: Reflective supervision.*?</tr>", text).group(0)
    assert "Head of Service, Safeguarding" in row
    assert "30 June 2026" in row
    assert "In progress" in row
    assert "Green" in row
    assert f'href="{story.r1.get_absolute_url()}">R1</a>' in row
    assert "R2" not in row
    assert "Doomed" in text
    assert "Added later" not in text


def test_the_page_shows_the_new_values_after_the_changes(client_as_board, story):
    with travel(at(2026, 4, 1)):
        response = client_as_board.get(AS_AT, {"as_at": "2026-03-31"})
    text = re.sub(r"\s+", " ", response.text)
    row = re.search(r"1\.1: Reflective supervision.*?</tr>", text).group(0)
    assert "Principal Social Worker" in row
    assert "30 September 2026" in row
    assert "Slipped 92 days" in row
    assert "Paused" in row and "Red" in row
    assert f'href="{story.r2.get_absolute_url()}">R2</a>' in row
    assert "R1" not in row
    assert "Doomed" not in text
    assert "Added later" in text


def test_a_day_ends_at_midnight_in_london(story):
    """A change at 23:30 UTC on 30 June is made on 1 July in London (BST)."""
    late = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)
    with travel(late):
        story.action.rag = Action.Rag.AMBER
        story.action.save()
    on_30_june = states.states_as_at(
        story.plan, dates.end_of_day(datetime.date(2026, 6, 30))
    )
    on_1_july = states.states_as_at(
        story.plan, dates.end_of_day(datetime.date(2026, 7, 1))
    )
    assert _state(on_30_june, "1.1").rag == "red"
    assert _state(on_1_july, "1.1").rag == "amber"


def test_without_a_date_the_page_asks_for_one(client_as_board, story):
    response = client_as_board.get(AS_AT)
    assert response.status_code == 200
    assert "Choose a date to see every action of the plan" in response.text
    assert "rows" not in response.context


@pytest.mark.parametrize(
    "value, message",
    [
        ("31-31-2026", "The date must be a real date"),
        ("2099-01-01", "Enter today’s date or a date in the past"),
        (
            "2025-06-01",
            "Enter a date on or after 1 January 2026, when the plan started",
        ),
    ],
)
def test_a_bad_date_gets_a_message(client_as_board, story, value, message):
    with travel(at(2026, 4, 1)):
        response = client_as_board.get(AS_AT, {"as_at": value})
    assert response.status_code == 200
    assert f'<a href="#id_as_at_0">{message}</a>' in response.text
    assert "rows" not in response.context


def test_a_date_before_any_action_says_the_plan_had_none(client_as_board, story):
    with travel(at(2026, 4, 1)):
        response = client_as_board.get(AS_AT, {"as_at": "2026-01-02"})
    assert "The plan had no actions at the end of 2 January 2026." in response.text


def test_the_register_as_at_costs_the_same_for_10_or_150_actions(client_as_board):
    small, large = plan_with_history(10), plan_with_history(150)
    with travel(at(2026, 6, 15)):
        client_as_board.get(AS_AT, {"plan": small.pk, "as_at": "2026-02-20"})
        counts = []
        for plan in (small, large):
            cache.clear()  # the page built, not the page kept
            with CaptureQueriesContext(connection) as queries:
                response = client_as_board.get(
                    AS_AT, {"plan": plan.pk, "as_at": "2026-02-20"}
                )
            assert len(response.context["rows"]) in (10, 150)
            counts.append(len(queries.captured_queries))
    # Pinned: a fixed extra query fails too.
    assert counts == [12, 12]


def test_the_rebuild_never_reads_a_whole_history_table(story):
    """The plan's actions (by the plan's index), then each action's latest
    row by a subquery."""
    with CaptureQueriesContext(connection) as queries:
        states.states_as_at(story.plan, at(2026, 3, 31))
    ids_query, rows_query = (q["sql"] for q in queries.captured_queries[:2])
    assert 'COUNT(DISTINCT "improvement_historicalaction"."plan_id")' in ids_query
    assert '"plan_id" = ' in ids_query
    assert "LIMIT 1" in rows_query  # the correlated subquery, once per action
    assert "\"history_type\" = '+'" in rows_query
    for query in queries.captured_queries:
        if "historicalaction" in query["sql"]:
            assert "WHERE" in query["sql"]
