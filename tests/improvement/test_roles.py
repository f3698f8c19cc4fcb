"""Role groups carry the permissions DESIGN.md gives them; sign-in is required."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from improvement.kernel.permissions import (
    BOARD_MEMBERS,
    IMPROVEMENT_MANAGERS,
    OFFICERS,
    can_update_action,
)
from tests.factories import ActionFactory, OwnerFactory

pytestmark = pytest.mark.django_db

VIEWS = {
    "visits.view_inspection",
    "visits.view_judgement",
    "visits.view_monitoringvisit",
    "findings.view_theme",
    "findings.view_finding",
    "findings.view_findingjudgement",
    "improvement.view_plan",
    "improvement.view_priority",
    "improvement.view_owner",
    "improvement.view_action",
    "improvement.view_progressupdate",
    "measures.view_measure",
    "measures.view_measurevalue",
    "audits.view_audit",
    "audits.view_practiceweek",
    # Meetings and their record, and the reminders sent before them.
    *(
        f"meetings.view_{model}"
        for model in (
            "body",
            "meeting",
            "agendaitem",
            "decision",
            "question",
            "actionarising",
            "reminder",
        )
    ),
}
#: Officers (and managers) update the actions arising they own and choose
#: their reminders.
UPDATE_OWN_ARISING = {
    "meetings.change_actionarising",
    "meetings.add_reminderchoice",
    "meetings.change_reminderchoice",
}
#: A measure's owner records and corrects its values (narrowed in code to
#: their own measures); managers on any measure.
RECORD_VALUES = {"measures.add_measurevalue", "measures.change_measurevalue"}
#: Officers and managers record and moderate case-file audits.
RECORD_AUDITS = {"audits.add_audit", "audits.change_audit"}


def _perms(group_name):
    group = Group.objects.get(name=group_name)
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_board_members_may_only_view():
    assert _perms(BOARD_MEMBERS) == VIEWS


def test_officers_view_everything_and_may_update_actions_and_add_progress():
    assert _perms(OFFICERS) == VIEWS | RECORD_VALUES | RECORD_AUDITS | (
        UPDATE_OWN_ARISING
    ) | {
        "improvement.change_action",
        "improvement.add_progressupdate",
    }


def test_improvement_managers_add_and_change_the_plan_and_its_sources():
    editable = [
        "visits.inspection",
        "visits.judgement",
        "visits.monitoringvisit",
        "findings.theme",
        "findings.finding",
        "findings.findingjudgement",
        "improvement.plan",
        "improvement.priority",
        "improvement.owner",
        "improvement.action",
        "measures.measure",
        "audits.practiceweek",
        "meetings.body",
        "meetings.meeting",
        "meetings.agendaitem",
        "meetings.decision",
        "meetings.question",
        "meetings.actionarising",
    ]
    expected = VIEWS | RECORD_VALUES | RECORD_AUDITS | UPDATE_OWN_ARISING
    expected |= {"improvement.add_progressupdate"}
    for label in editable:
        app, model = label.split(".")
        expected |= {f"{app}.add_{model}", f"{app}.change_{model}"}
    assert _perms(IMPROVEMENT_MANAGERS) == expected


def test_nobody_but_administrators_may_delete():
    for name in (BOARD_MEMBERS, OFFICERS, IMPROVEMENT_MANAGERS):
        assert not any(".delete_" in perm for perm in _perms(name))


def test_officer_may_update_only_actions_they_lead_or_support(officer):
    led = ActionFactory(lead_owner=officer.owner)
    supported = ActionFactory()
    supported.supporting_owners.add(officer.owner)
    someone_elses = ActionFactory(lead_owner=OwnerFactory())
    assert can_update_action(officer, led)
    assert can_update_action(officer, supported)
    assert not can_update_action(officer, someone_elses)


def test_manager_may_update_any_action_and_board_none(manager, board):
    action = ActionFactory()
    assert can_update_action(manager, action)
    assert not can_update_action(board, action)


def test_anonymous_requests_are_sent_to_sign_in(client):
    action = ActionFactory()
    for url in [
        reverse("home"),
        action.get_absolute_url(),
        action.plan.get_absolute_url(),
        action.lead_owner.get_absolute_url(),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == f"{reverse('login')}?next={url}"


def test_admin_needs_a_staff_sign_in(client, client_as_board):
    assert client.get("/admin/").status_code == 302
    assert client_as_board.get("/admin/").status_code == 302


def test_health_check_and_sign_in_page_are_public(client):
    health = client.get(reverse("health"))
    assert health.status_code == 200
    assert health.json() == {"status": "ok"}
    assert client.get(reverse("login")).status_code == 200
