"""Django admin never saves over a newer change, for every versioned model."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from improvement.kernel.admin import VersionedAdmin, VersionedInlineMixin
from improvement.kernel.tracking import TrackedModel
from improvement.plan.models import Action, ProgressUpdate
from tests.factories import ActionFactory, FindingFactory, PlanFactory, PriorityFactory
from tests.form_data import form_data
from tests.helpers import sign_in_as

#: Rows that can be added but never changed, so have no version to check.
APPEND_ONLY = {ProgressUpdate}


def test_every_admin_of_a_versioned_model_checks_the_version():
    checked = 0
    for model, model_admin in admin.site._registry.items():
        if issubclass(model, TrackedModel):
            assert isinstance(model_admin, VersionedAdmin), model
            checked += 1
            for inline in model_admin.inlines:
                if inline.model not in APPEND_ONLY:
                    assert issubclass(inline, VersionedInlineMixin), inline
    assert checked >= 10


def _admin_client(user):
    client = Client()
    sign_in_as(client, user)
    return client


@pytest.mark.parametrize(
    "make,field,value",
    [
        (lambda: ActionFactory(title="Old title"), "title", "Admin's title"),
        (lambda: PlanFactory(name="Old plan"), "name", "Admin's plan"),
        (lambda: FindingFactory(title="Old finding"), "title", "Admin's finding"),
    ],
    ids=["action", "plan", "finding"],
)
def test_admin_refuses_a_save_over_an_officers_newer_change(
    admin_user, make, field, value
):
    record = make()
    opts = record._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
    client = _admin_client(admin_user)
    opened = client.get(url)
    assert opened.status_code == 200
    # Someone saves a change after the administrator opened the page.
    fresh = type(record).objects.get(pk=record.pk)
    setattr(fresh, field, "Someone else's change")
    fresh.save()
    response = client.post(url, form_data(opened, **{field: value}))
    assert response.status_code == 200
    assert "Someone else changed this" in response.text
    assert "Nothing has been saved" in response.text
    record.refresh_from_db()
    assert getattr(record, field) == "Someone else's change"
    # Opened again, the page saves.
    reopened = client.get(url)
    saved = client.post(url, form_data(reopened, **{field: value}))
    assert saved.status_code == 302
    record.refresh_from_db()
    assert getattr(record, field) == value


def test_admin_inline_row_refuses_a_stale_save(admin_user):
    priority = PriorityFactory(title="Old priority")
    plan = priority.plan
    url = reverse("admin:improvement_plan_change", args=[plan.pk])
    client = _admin_client(admin_user)
    opened = client.get(url)
    priority.title = "Changed on the site"
    priority.save()
    data = form_data(opened, {"priorities-0-title": "Admin's title"})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Someone else changed this" in response.text
    priority.refresh_from_db()
    assert priority.title == "Changed on the site"


def test_admin_save_that_changes_nothing_leaves_the_version(admin_user):
    action = ActionFactory()
    url = reverse("admin:improvement_action_change", args=[action.pk])
    client = _admin_client(admin_user)
    version = action.version
    rows = Action.history.filter(id=action.pk).count()
    assert client.post(url, form_data(client.get(url))).status_code == 302
    action.refresh_from_db()
    assert action.version == version
    assert Action.history.filter(id=action.pk).count() == rows
