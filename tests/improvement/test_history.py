"""History records who changed what and when, by every route, and nothing else."""

import datetime

import pytest
from django.urls import reverse

from improvement.kernel.history import (
    SYSTEM_USERNAME,
    acting_as,
    system_user,
    user_display_name,
)
from improvement.plan.models import Action
from tests.factories import (
    ActionFactory,
    FindingFactory,
    OwnerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _admin_change_data(action, **overrides):
    """The POST body Django admin's action form sends, with overrides."""
    data = {
        "opened_version": action.version,
        "plan": action.plan_id,
        "priority": action.priority_id,
        "reference": action.reference,
        "title": action.title,
        "description": action.description,
        "success_measure": action.success_measure,
        "lead_owner": action.lead_owner_id,
        "supporting_owners": [o.pk for o in action.supporting_owners.all()],
        "start_date": action.start_date.isoformat(),
        "due_date": action.due_date.isoformat(),
        "status": action.status,
        "status_reason": action.status_reason,
        "rag": action.rag,
        "impact": action.impact,
        "impact_evidence": action.impact_evidence,
        "findings": [f.pk for f in action.findings.all()],
        "change_reason": "",
        "progress_updates-TOTAL_FORMS": "0",
        "progress_updates-INITIAL_FORMS": "0",
        "progress_updates-MIN_NUM_FORMS": "0",
        "progress_updates-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_admin_change_records_the_administrator_fields_and_reason(
    client_as_admin, admin_user
):
    action = ActionFactory()
    url = reverse("admin:improvement_action_change", args=[action.pk])
    response = client_as_admin.post(
        url,
        _admin_change_data(
            action,
            rag="red",
            due_date="2026-09-30",
            change_reason="Commissioning the new service took longer",
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    latest = action.history.first()
    assert latest.history_user == admin_user
    assert latest.history_change_reason == "Commissioning the new service took longer"
    delta = latest.diff_against(latest.prev_record)
    assert sorted(delta.changed_fields) == ["due_date", "rag"]


def test_admin_refuses_a_due_date_move_without_a_reason(client_as_admin):
    action = ActionFactory()
    url = reverse("admin:improvement_action_change", args=[action.pk])
    response = client_as_admin.post(
        url, _admin_change_data(action, due_date="2026-09-30")
    )
    assert response.status_code == 200
    assert "Give a reason for moving the due date" in response.text
    action.refresh_from_db()
    assert action.due_date == datetime.date(2026, 6, 30)
    assert action.history.count() == 1


def test_admin_links_and_unlinks_findings_in_history_with_the_user(
    client_as_admin, admin_user
):
    action = ActionFactory()
    kept, dropped, added = FindingFactory(), FindingFactory(), FindingFactory()
    action.findings.add(kept, dropped)
    url = reverse("admin:improvement_action_change", args=[action.pk])
    response = client_as_admin.post(
        url, _admin_change_data(action, findings=[kept.pk, added.pk])
    )
    assert response.status_code == 302
    rows = list(action.history.filter(history_user=admin_user))
    assert rows, "the admin's link changes are recorded"
    newest = rows[0]
    assert {r.finding_id for r in newest.findings.all()} == {kept.pk, added.pk}
    oldest_by_admin = rows[-1]
    before = oldest_by_admin.prev_record
    assert {r.finding_id for r in before.findings.all()} == {kept.pk, dropped.pk}
    # The admin's history page shows the link change and who made it.
    page = client_as_admin.get(
        reverse("admin:improvement_action_history", args=[action.pk])
    )
    assert page.status_code == 200
    assert user_display_name(admin_user) in page.text
    assert "findings" in page.text.lower()


def test_admin_save_with_no_changes_writes_no_history(client_as_admin):
    action = ActionFactory()
    url = reverse("admin:improvement_action_change", args=[action.pk])
    response = client_as_admin.post(url, _admin_change_data(action))
    assert response.status_code == 302
    assert action.history.count() == 1


def test_changes_inside_acting_as_record_that_user():
    """Management commands name the user they act for."""
    importer = UserFactory(username="importer")
    with acting_as(importer):
        owner = OwnerFactory()
        owner.team = "Safeguarding"
        owner.save()
    assert [h.history_user for h in owner.history.all()] == [importer, importer]


def test_system_user_is_named_and_cannot_sign_in():
    user = system_user()
    assert user.username == SYSTEM_USERNAME
    assert not user.is_active
    assert not user.has_usable_password()
    assert system_user() == user


def test_save_that_changes_nothing_writes_no_history_row():
    action = ActionFactory()
    action = Action.objects.get(pk=action.pk)
    action.save()
    action.title = action.title  # same value
    action.save()
    assert action.history.count() == 1
    assert action.version == 1


def test_each_real_change_writes_one_row_and_bumps_the_version():
    action = ActionFactory()
    action.rag = Action.Rag.AMBER
    action.save()
    action.rag = Action.Rag.RED
    action.save()
    assert action.history.count() == 3
    assert action.version == 3
    # A new action has no RAG until someone assesses it.
    assert [h.rag for h in action.history.all()] == ["red", "amber", ""]


def test_linking_from_either_side_is_recorded_on_the_action():
    action = ActionFactory()
    finding = FindingFactory()
    finding.actions.add(action)
    assert action.history.count() == 2
    assert [r.finding_id for r in action.history.first().findings.all()] == [finding.pk]
    finding.actions.remove(action)
    assert action.history.count() == 3
    assert list(action.history.first().findings.all()) == []


def test_relinking_an_existing_link_writes_nothing():
    action = ActionFactory()
    finding = FindingFactory()
    action.findings.add(finding)
    action.findings.add(finding)
    action.findings.remove(FindingFactory())
    assert action.history.count() == 2


def test_clearing_links_from_the_finding_side_is_recorded():
    first, second = ActionFactory(), ActionFactory()
    finding = FindingFactory()
    finding.actions.add(first, second)
    finding.actions.clear()
    for action in (first, second):
        assert list(action.history.first().findings.all()) == []
        assert action.history.count() == 3


def test_reason_is_stored_once_and_not_reused():
    action = ActionFactory()
    action.rag = Action.Rag.RED
    action._change_reason = "Key post vacant"
    action.save()
    action.rag = Action.Rag.AMBER
    action.save()
    reasons = [h.history_change_reason for h in action.history.all()]
    assert reasons == [None, "Key post vacant", None]


def test_model_history_reuses_its_manager_class_and_still_filters_by_record():
    """``Model.history`` is read hundreds of times a page: build its class once."""
    first, second = ActionFactory(), ActionFactory()
    assert type(Action.history) is type(Action.history)
    assert type(first.history) is type(Action.history)
    assert {row.id for row in first.history.all()} == {first.pk}
    assert {row.id for row in Action.history.all()} >= {first.pk, second.pk}
    assert Action.history.filter(id=second.pk).latest().title == second.title
