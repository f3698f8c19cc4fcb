"""The fuzz suite's own check: a change without its history row is caught."""

import pytest

from improvement.kernel.history import acting_as
from improvement.plan.models import Action
from tests.factories import ActionFactory, FindingFactory, UserFactory
from tests.fuzz.records import Snapshot, any_changes, unrecorded, watching_writes

pytestmark = pytest.mark.django_db


@pytest.fixture
def action():
    return ActionFactory(title="Before")


def test_a_save_by_the_person_is_recorded(action):
    person = UserFactory()
    before = Snapshot()
    with acting_as(person):
        action.title = "After"
        action.save()
    after = Snapshot(with_history=False)
    assert any_changes(before, after) == [f"improvement.Action {action.pk}: ~"]
    assert unrecorded(before, after, person) == []


def test_a_change_that_skips_history_is_caught(action):
    person = UserFactory()
    before = Snapshot()
    Action.objects.filter(pk=action.pk).update(title="After")
    assert unrecorded(before, Snapshot(with_history=False), person) == [
        f"improvement.Action {action.pk}: change ~ without a history row by user "
        f"{person.pk} (new history rows: [])"
    ]


def test_a_change_recorded_as_someone_else_is_caught(action):
    person, other = UserFactory(), UserFactory()
    before = Snapshot()
    with acting_as(other):
        action.title = "After"
        action.save()
    assert unrecorded(before, Snapshot(with_history=False), person) != []


def test_a_link_added_without_history_is_caught(action):
    person = UserFactory()
    before = Snapshot()
    Action.findings.through.objects.create(action=action, finding=FindingFactory())
    assert unrecorded(before, Snapshot(with_history=False), person) != []


def test_a_link_added_by_the_person_is_recorded(action):
    person = UserFactory()
    finding = FindingFactory()
    before = Snapshot()
    with acting_as(person):
        action.findings.add(finding)
    assert unrecorded(before, Snapshot(with_history=False), person) == []


def test_a_get_that_changes_nothing_has_no_changes(action):
    before = Snapshot()
    assert any_changes(before, Snapshot(with_history=False)) == []


def test_reads_are_not_taken_for_writes(action):
    with watching_writes() as writes:
        list(Action.objects.filter(pk=action.pk))
    assert not writes.seen


def test_a_save_is_seen_as_a_write(action):
    with watching_writes() as writes:
        Action.objects.filter(pk=action.pk).update(title="After")
    assert writes.seen


def test_a_statement_of_unknown_kind_counts_as_a_write(action):
    from django.db import connection

    with watching_writes() as writes, connection.cursor() as cursor:
        cursor.execute("WITH x AS (SELECT 1) SELECT * FROM x")
    assert writes.seen
