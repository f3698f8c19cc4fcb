"""Two people editing the same record: nobody's change is lost or reverted.

Each edit form carries the version and the values the person opened. A save
over someone else's newer change is refused (409) and shown again holding
only this person's changes on top of the newer record; saving that applies
exactly what this person changed. Where both changed the same field, the
person must choose. A save that changes nothing writes nothing.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from improvement.plan.models import Action, ProgressUpdate
from tests.factories import (
    ActionFactory,
    FindingFactory,
    JudgementFactory,
    MonitoringVisitFactory,
    OwnerFactory,
    PlanFactory,
    PriorityFactory,
    ThemeFactory,
)
from tests.form_data import form_data
from tests.helpers import sign_in_as


def _client(user):
    client = Client()
    sign_in_as(client, user)
    return client


def _history_count(obj):
    return type(obj).history.filter(id=obj.pk).count()


# (url name, factory, one person's change, the other's change, fields to read)
EDIT_FORMS = [
    pytest.param(
        "improvement:action_edit",
        lambda: ActionFactory(title="Audit supervision", description="Old"),
        {"title": "Audit supervision monthly"},
        {"description": "Every team, every month"},
        ("title", "description"),
        id="action-edit",
    ),
    pytest.param(
        "improvement:plan_edit",
        lambda: PlanFactory(name="Plan A", description="Old"),
        {"name": "Plan A (phase 2)"},
        {"description": "Expands on phase 1"},
        ("name", "description"),
        id="plan",
    ),
    pytest.param(
        "improvement:priority_edit",
        lambda: PriorityFactory(title="Workforce", description="Old"),
        {"title": "A stable workforce"},
        {"description": "Recruit and keep social workers"},
        ("title", "description"),
        id="priority",
    ),
    pytest.param(
        "improvement:owner_edit",
        lambda: OwnerFactory(name="Head of Service", team="Old team"),
        {"name": "Head of Service, Safeguarding"},
        {"team": "Front door"},
        ("name", "team"),
        id="owner",
    ),
    pytest.param(
        "findings:finding_edit",
        lambda: FindingFactory(title="Supervision", text="Old text"),
        {"title": "Supervision is not regular"},
        {"text": "Managers do not record supervision"},
        ("title", "text"),
        id="finding",
    ),
    pytest.param(
        "findings:theme_edit",
        lambda: ThemeFactory(name="Supervision", description="Old"),
        {"name": "Supervision and oversight"},
        {"description": "Regular, recorded and reflective"},
        ("name", "description"),
        id="theme",
    ),
    pytest.param(
        "visits:monitoringvisit_edit",
        lambda: MonitoringVisitFactory(areas_covered="Old", summary="Old summary"),
        {"areas_covered": "The front door"},
        {"summary": "Some progress, not yet embedded"},
        ("areas_covered", "summary"),
        id="visit",
    ),
    pytest.param(
        "visits:inspection_edit",
        lambda: JudgementFactory(area="Leadership").inspection,
        {"title": "ILACS inspection, October 2025"},
        {"summary": "Services for children are inadequate"},
        ("title", "summary"),
        id="inspection",
    ),
]


@pytest.mark.parametrize("url_name,make,change_a,change_b,fields", EDIT_FORMS)
def test_saving_again_after_a_refusal_keeps_the_other_persons_change(
    manager, second_manager, url_name, make, change_a, change_b, fields
):
    record = make()
    url = reverse(url_name, args=[record.pk])
    first, second = _client(manager), _client(second_manager)
    opened_a, opened_b = first.get(url), second.get(url)
    # The first person saves a change to one field.
    saved = first.post(url, form_data(opened_a, **change_a))
    assert saved.status_code == 302, saved.context["form"].errors
    # The second, who opened the form before that, changes another field.
    refused = second.post(url, form_data(opened_b, **change_b))
    assert refused.status_code == 409
    assert "Someone else changed this while you were editing" in refused.text
    assert manager.get_full_name() in refused.text
    record.refresh_from_db()
    for name, value in change_a.items():
        assert getattr(record, name) == value
    # The refused form now shows the first person's change and keeps the
    # second person's; saving it again applies both.
    again = form_data(refused)
    for name, value in {**change_a, **change_b}.items():
        assert again[name] == value
    assert second.post(url, again).status_code == 302
    record.refresh_from_db()
    for name, value in {**change_a, **change_b}.items():
        assert getattr(record, name) == value


@pytest.mark.parametrize("url_name,make,change_a,change_b,fields", EDIT_FORMS)
def test_a_save_that_changes_nothing_writes_nothing(
    manager, second_manager, url_name, make, change_a, change_b, fields
):
    record = make()
    url = reverse(url_name, args=[record.pk])
    client = _client(manager)
    version, rows = record.version, _history_count(record)
    response = client.post(url, form_data(client.get(url)))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.version == version
    assert _history_count(record) == rows
    # So someone else's real save from a form opened before it is not refused.
    other = _client(second_manager)
    assert other.post(url, form_data(other.get(url), **change_b)).status_code == 302


@pytest.mark.parametrize("url_name,make,change_a,change_b,fields", EDIT_FORMS)
def test_both_changing_one_field_must_choose(
    manager, second_manager, url_name, make, change_a, change_b, fields
):
    record = make()
    url = reverse(url_name, args=[record.pk])
    ((name, theirs),) = change_a.items()
    first, second = _client(manager), _client(second_manager)
    opened_a, opened_b = first.get(url), second.get(url)
    assert first.post(url, form_data(opened_a, **change_a)).status_code == 302
    mine = f"{theirs} (my wording)"
    refused = second.post(url, form_data(opened_b, **{name: mine}))
    assert refused.status_code == 409
    assert theirs in refused.text and mine in refused.text
    # Saving again without choosing is refused beside the choice.
    again = form_data(refused)
    assert again[name] == mine and again["conflicted"] == name
    unchosen = second.post(url, again)
    assert unchosen.status_code == 200
    assert "to keep" in unchosen.text
    record.refresh_from_db()
    assert getattr(record, name) == theirs
    # Keeping theirs leaves their value and saves nothing.
    version = record.version
    assert second.post(url, {**again, f"keep_{name}": "theirs"}).status_code == 302
    record.refresh_from_db()
    assert getattr(record, name) == theirs and record.version == version
    # Or, from a fresh refusal, choosing their own applies it.
    opened_c = second.get(url)
    assert (
        first.post(url, form_data(first.get(url), **{name: "Third"})).status_code == 302
    )
    refused = second.post(url, form_data(opened_c, **{name: mine}))
    assert refused.status_code == 409
    kept = {**form_data(refused), f"keep_{name}": "mine"}
    assert second.post(url, kept).status_code == 302
    record.refresh_from_db()
    assert getattr(record, name) == mine


# The officer's update form ------------------------------------------------


@pytest.fixture
def shared_action(officer):
    return ActionFactory(lead_owner=officer.owner, status="in_progress", rag="green")


def test_refused_update_saved_again_does_not_revert_the_other_status(
    officer, manager, shared_action
):
    """The case reported: status by one person, RAG by the other."""
    url = reverse("improvement:action_progress", args=[shared_action.pk])
    officer_client, manager_client = _client(officer), _client(manager)
    opened_officer, opened_manager = officer_client.get(url), manager_client.get(url)
    saved = officer_client.post(
        url,
        form_data(opened_officer, status="paused", status_reason="Waiting for funding"),
    )
    assert saved.status_code == 302
    refused = manager_client.post(url, form_data(opened_manager, rag="red"))
    assert refused.status_code == 409
    again = form_data(refused)
    assert again["status"] == "paused" and again["rag"] == "red"
    assert manager_client.post(url, again).status_code == 302
    shared_action.refresh_from_db()
    assert shared_action.status == "paused"
    assert shared_action.status_reason == "Waiting for funding"
    assert shared_action.rag == "red"


def test_a_progress_update_alone_leaves_the_action_version(
    officer, manager, shared_action
):
    url = reverse("improvement:action_progress", args=[shared_action.pk])
    officer_client, manager_client = _client(officer), _client(manager)
    opened_manager = manager_client.get(url)
    version, rows = shared_action.version, _history_count(shared_action)
    response = officer_client.post(
        url, form_data(officer_client.get(url), narrative="Audits started")
    )
    assert response.status_code == 302
    shared_action.refresh_from_db()
    assert shared_action.version == version
    assert _history_count(shared_action) == rows
    assert ProgressUpdate.objects.filter(action=shared_action).count() == 1
    # The manager's form, opened before the update, still saves.
    assert (
        manager_client.post(url, form_data(opened_manager, rag="amber")).status_code
        == 302
    )
    shared_action.refresh_from_db()
    assert shared_action.rag == "amber"


def test_a_refusal_names_only_changes_made_after_the_form_was_opened(
    officer, manager, shared_action
):
    url = reverse("improvement:action_progress", args=[shared_action.pk])
    officer_client, manager_client = _client(officer), _client(manager)
    # Before the manager opens the form: an update and a change of impact.
    officer_client.post(
        url,
        form_data(officer_client.get(url), narrative="Earlier update text"),
    )
    officer_client.post(url, form_data(officer_client.get(url), impact="emerging"))
    opened = manager_client.get(url)
    officer_client.post(url, form_data(officer_client.get(url), rag="amber"))
    refused = manager_client.post(url, form_data(opened, rag="red"))
    assert refused.status_code == 409
    summary = refused.text.split("This is what changed since you opened the form")[1]
    summary = summary.split("</ul>")[0]
    assert "Amber" in summary
    assert "Emerging" not in summary and "Earlier update text" not in summary


def test_unchanged_update_form_is_refused_as_nothing_to_save(officer, shared_action):
    url = reverse("improvement:action_progress", args=[shared_action.pk])
    client = _client(officer)
    version = shared_action.version
    response = client.post(url, form_data(client.get(url)))
    assert response.status_code == 200
    assert "Write a progress update or change something" in response.text
    shared_action.refresh_from_db()
    assert shared_action.version == version


def test_moving_the_due_date_applies_over_another_persons_rag(
    officer, manager, shared_action
):
    url = reverse("improvement:action_progress", args=[shared_action.pk])
    officer_client, manager_client = _client(officer), _client(manager)
    opened_officer = officer_client.get(url)
    manager_client.post(url, form_data(manager_client.get(url), rag="red"))
    new_due = shared_action.due_date + datetime.timedelta(days=31)
    moved = form_data(
        opened_officer,
        due_date_0=str(new_due.day),
        due_date_1=str(new_due.month),
        due_date_2=str(new_due.year),
        due_date_reason="Recruitment took longer",
    )
    refused = officer_client.post(url, moved)
    assert refused.status_code == 409
    again = form_data(refused)
    assert again["rag"] == "red"
    assert again["due_date_reason"] == "Recruitment took longer"
    assert officer_client.post(url, again).status_code == 302
    action = Action.objects.get(pk=shared_action.pk)
    assert action.due_date == new_due and action.rag == "red"


# The inspection and its judgement rows ------------------------------------


def test_inspection_rows_keep_each_persons_change(manager, second_manager):
    inspection = JudgementFactory(
        area="Help and protection", grade="inadequate"
    ).inspection
    url = reverse("visits:inspection_edit", args=[inspection.pk])
    first, second = _client(manager), _client(second_manager)
    opened_a, opened_b = first.get(url), second.get(url)
    saved = first.post(url, form_data(opened_a, summary="Widespread weaknesses"))
    assert saved.status_code == 302
    # The other person regrades a row nobody else changed: each record has
    # its own version, so this saves, and the summary is not reverted.
    regraded = form_data(opened_b, {"judgements-0-grade": "requires_improvement"})
    assert second.post(url, regraded).status_code == 302
    inspection.refresh_from_db()
    judgement = inspection.judgements.get()
    assert inspection.summary == "Widespread weaknesses"
    assert judgement.grade == "requires_improvement"


def test_inspection_row_changed_by_both_must_be_chosen(manager, second_manager):
    judgement = JudgementFactory(area="Help and protection", grade="inadequate")
    url = reverse("visits:inspection_edit", args=[judgement.inspection.pk])
    first, second = _client(manager), _client(second_manager)
    opened_a, opened_b = first.get(url), second.get(url)
    first.post(url, form_data(opened_a, {"judgements-0-grade": "good"}))
    refused = second.post(
        url, form_data(opened_b, {"judgements-0-grade": "requires_improvement"})
    )
    assert refused.status_code == 409
    again = form_data(refused)
    assert again["judgements-0-conflicted"] == "grade"
    assert second.post(url, again).status_code == 200  # no choice made
    judgement.refresh_from_db()
    assert judgement.grade == "good"
    chosen = {**again, "judgements-0-keep_grade": "mine"}
    assert second.post(url, chosen).status_code == 302
    judgement.refresh_from_db()
    assert judgement.grade == "requires_improvement"


def test_unchanged_inspection_form_writes_nothing(manager):
    judgement = JudgementFactory()
    inspection = judgement.inspection
    url = reverse("visits:inspection_edit", args=[inspection.pk])
    client = _client(manager)
    versions = (inspection.version, judgement.version)
    rows = _history_count(inspection) + _history_count(judgement)
    assert client.post(url, form_data(client.get(url))).status_code == 302
    inspection.refresh_from_db()
    judgement.refresh_from_db()
    assert (inspection.version, judgement.version) == versions
    assert _history_count(inspection) + _history_count(judgement) == rows
