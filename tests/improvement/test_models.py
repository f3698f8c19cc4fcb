"""Actions, plans and progress updates hold the plan's rules."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from improvement.plan.models import Action, ProgressUpdate
from tests.factories import (
    ActionFactory,
    FindingFactory,
    PlanFactory,
    PriorityFactory,
    ProgressUpdateFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)


def test_due_date_before_start_date_is_refused():
    action = ActionFactory.build(
        priority=PriorityFactory(),
        start_date=datetime.date(2026, 5, 1),
        original_due_date=datetime.date(2026, 4, 1),
        due_date=datetime.date(2026, 4, 1),
    )
    action.plan = action.priority.plan
    action.lead_owner.save()
    with pytest.raises(ValidationError) as caught:
        action.full_clean()
    assert caught.value.message_dict["due_date"] == [
        "The due date must be on or after the start date"
    ]
    with pytest.raises(IntegrityError):
        action.save()


def test_reference_is_unique_within_a_plan():
    action = ActionFactory(reference="2.3")
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionFactory(priority=action.priority, reference="2.3")
    ActionFactory(reference="2.3")  # another plan


def test_priority_must_belong_to_the_actions_plan():
    action = ActionFactory()
    action.priority = PriorityFactory(plan=PlanFactory())
    with pytest.raises(ValidationError) as caught:
        action.full_clean()
    assert caught.value.message_dict["priority"] == [
        "Select a priority from this action's plan"
    ]


@pytest.mark.parametrize("status", [Action.Status.PAUSED, Action.Status.WITHDRAWN])
def test_pausing_or_withdrawing_needs_a_reason(status):
    action = ActionFactory()
    action.status = status
    with pytest.raises(ValidationError) as caught:
        action.full_clean()
    assert caught.value.message_dict["status_reason"] == [
        "Give a reason for pausing or withdrawing the action"
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        action.save()
    action.status_reason = "Paused while the new case management system goes live"
    action.full_clean()
    action.save()


@pytest.mark.parametrize("impact", [Action.Impact.EVIDENCED, Action.Impact.EMBEDDED])
def test_evidenced_or_embedded_impact_needs_evidence(impact):
    action = ActionFactory()
    action.impact = impact
    with pytest.raises(ValidationError) as caught:
        action.full_clean()
    assert caught.value.message_dict["impact_evidence"] == [
        "Describe the evidence when impact is evidenced or embedded"
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        action.save()


def test_original_due_date_never_changes():
    action = ActionFactory()
    action.original_due_date = datetime.date(2026, 9, 30)
    with pytest.raises(ValidationError) as caught:
        action.save()
    assert caught.value.message_dict["original_due_date"] == [
        "The original due date cannot be changed"
    ]
    action.refresh_from_db()
    assert action.original_due_date == datetime.date(2026, 6, 30)


def test_moving_the_due_date_needs_a_reason_which_history_keeps():
    action = ActionFactory()
    action.due_date = datetime.date(2026, 9, 30)
    with pytest.raises(ValidationError) as caught:
        action.save()
    assert caught.value.message_dict["due_date"] == [
        "Give a reason for moving the due date"
    ]
    action._change_reason = "Recruitment to the team delayed until September"
    action.save()
    latest = action.history.first()
    assert latest.due_date == datetime.date(2026, 9, 30)
    assert latest.history_change_reason == (
        "Recruitment to the team delayed until September"
    )
    assert action.original_due_date == datetime.date(2026, 6, 30)
    assert action.slipped_days == 92


def test_new_action_takes_its_current_due_date_from_the_original():
    action = ActionFactory(due_date=None)
    assert action.due_date == action.original_due_date


def test_progress_updates_cannot_be_changed_once_recorded():
    update = ProgressUpdateFactory()
    update.narrative = "Rewritten afterwards"
    with pytest.raises(ValidationError):
        update.save()
    update.refresh_from_db()
    assert update.narrative.startswith("Supervision audit completed")


def test_progress_update_needs_a_narrative():
    with pytest.raises(IntegrityError):
        ProgressUpdateFactory(narrative="")
    update = ProgressUpdateFactory.build(narrative="  ")
    with pytest.raises(ValidationError) as caught:
        update.clean()
    assert caught.value.message_dict["narrative"] == ["Describe the progress made"]


def test_overdue_means_past_due_and_not_delivered():
    late = ActionFactory(due_date=datetime.date(2026, 11, 1))
    ActionFactory(due_date=datetime.date(2026, 11, 1), status=Action.Status.DELIVERED)
    ActionFactory(due_date=datetime.date(2026, 12, 1))
    assert list(Action.objects.overdue(on=TODAY)) == [late]
    assert late.overdue_on(TODAY)


def test_stale_means_no_progress_update_for_thirty_days(settings):
    settings.STALE_AFTER_DAYS = 30
    with time_machine.travel(datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC)):
        quiet = ActionFactory()
        recent = ActionFactory()
        never_updated = ActionFactory()
    just_added = ActionFactory()
    ProgressUpdateFactory(action=quiet, update_date=datetime.date(2026, 10, 1))
    ProgressUpdateFactory(action=recent, update_date=datetime.date(2026, 11, 10))
    delivered = ActionFactory(status=Action.Status.DELIVERED)
    ProgressUpdateFactory(action=delivered, update_date=datetime.date(2026, 9, 1))
    stale = Action.objects.stale(on=TODAY)
    assert quiet in stale
    assert recent not in stale
    assert never_updated in stale
    assert just_added not in stale
    assert delivered not in stale
    # A shorter setting makes the recent one stale too.
    assert recent in Action.objects.stale(on=TODAY, days=7)


def test_slipped_and_orphan_actions():
    slipped = ActionFactory()
    slipped.due_date = datetime.date(2026, 8, 31)
    slipped._change_reason = "Waiting for the new practice model"
    slipped.save()
    on_time = ActionFactory()
    assert list(Action.objects.slipped()) == [slipped]
    on_time.findings.add(FindingFactory())
    assert list(Action.objects.orphans()) == [slipped]


def test_delivered_shows_blue():
    action = ActionFactory(status=Action.Status.DELIVERED, rag=Action.Rag.AMBER)
    assert action.display_rag == "blue"
    assert action.display_rag_label == "Blue"


def test_progress_update_reads_with_reference_and_date():
    update = ProgressUpdateFactory(
        action=ActionFactory(reference="3.2"), update_date=datetime.date(2026, 2, 1)
    )
    assert str(update) == "3.2 update, 1 February 2026"
    assert isinstance(update, ProgressUpdate)
