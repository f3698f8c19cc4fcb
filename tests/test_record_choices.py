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
    url = reverse("findings:finding_edit", args=[finding.pk])
    _refused(_post_form(client_as_manager, url, themes=[TOO_LARGE]))
    assert not finding.themes.exists()


@pytest.mark.parametrize("field", ["inspections", "visits"])
def test_the_sources_a_new_plan_answers(client_as_manager, field):
    from improvement.plan.models import Plan

    url = reverse("improvement:plan_create")
    _refused(_post_form(client_as_manager, url, name="A plan", **{field: [TOO_LARGE]}))
    assert not Plan.objects.exists()


def test_every_choice_of_several_records_refuses_ids_too_large():
    """No form may offer a choice of several records without the id check."""
    import importlib
    import inspect

    from django import forms

    from improvement.kernel.query import RecordChoicesField

    unchecked = []
    for name in (
        "improvement.plan.forms.actions",
        "improvement.plan.forms.plans",
        "improvement.measures.forms",
        "improvement.plan.links",
        "improvement.board.forms",
        "findings.forms",
        "visits.forms",
    ):
        module = importlib.import_module(name)
        for _, form in inspect.getmembers(module, inspect.isclass):
            if not issubclass(form, forms.BaseForm) or form.__module__ != name:
                continue
            for field_name, field in form.base_fields.items():
                if isinstance(field, forms.ModelMultipleChoiceField) and not isinstance(
                    field, RecordChoicesField
                ):
                    unchecked.append(f"{name}.{form.__name__}.{field_name}")
    assert unchecked == []
