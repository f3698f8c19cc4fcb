"""An id too large for any database, in a choice of several records.

Django checks such ids by type only before asking the database for them all,
and SQLite cannot take a number over 2**63 - 1: the page raised OverflowError.
The id must be refused like any other id that names no record.
"""

import pytest
from django.urls import reverse

from improvement.plan.models import Action
from tests.factories import ActionFactory, FindingFactory, ThemeFactory
from tests.form_data import form_data

pytestmark = pytest.mark.django_db

TOO_LARGE = "9223372036854775808"


def _post_form(client, url, **changes):
    data = form_data(client.get(url), **changes)
    return client.post(url, data)


def _refused(response):
    assert response.status_code == 200
    assert "There is a problem" in response.text


def test_supporting_owners_on_the_action_form(client_as_manager):
    action = ActionFactory()
    url = reverse("improvement:action_edit", args=[action.pk])
    _refused(_post_form(client_as_manager, url, supporting_owners=[TOO_LARGE]))
    assert Action.objects.get(pk=action.pk).version == action.version


def test_findings_to_link_to_an_action(client_as_officer, officer):
    action = ActionFactory(lead_owner=officer.owner)
    FindingFactory()
    url = reverse("improvement:action_findings", args=[action.pk])
    response = client_as_officer.post(url, {"add": [TOO_LARGE]})
    _refused(response)
    assert not action.findings.exists()


def test_actions_to_link_to_a_finding(client_as_manager):
    finding = FindingFactory()
    ActionFactory()
    url = reverse("findings:finding_actions", args=[finding.pk])
    _refused(client_as_manager.post(url, {"add": [TOO_LARGE]}))
    assert not finding.actions.exists()


def test_themes_of_a_finding(client_as_manager):
    finding = FindingFactory()
    ThemeFactory()
    url = reverse("findings:finding_update", args=[finding.pk])
    _refused(_post_form(client_as_manager, url, themes=[TOO_LARGE]))
    assert not finding.themes.exists()
