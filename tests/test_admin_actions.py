"""Django admin's list actions refuse tampered ids instead of failing.

Admin runs an action on the ids ticked on the list, as sent; an id that is
not a whole number ("", "abc", one too large for any table) used to end in a
server error. It now changes nothing and says so.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.fuzz.site import admin_models
from tests.helpers import sign_in_as

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", admin_models(), ids=lambda m: m._meta.label)
@pytest.mark.parametrize("tampered", ["", "abc", "1.5", "99999999999999999999", "²"])
def test_a_tampered_id_in_a_list_action_changes_nothing(
    client, admin_user, model, tampered
):
    sign_in_as(client, admin_user)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    before = model.objects.count()
    response = client.post(
        url,
        {"action": "delete_selected", "_selected_action": [tampered], "index": "0"},
        follow=True,
    )
    assert response.status_code == 200
    assert model.objects.count() == before
    actions = admin.site._registry[model].get_actions(response.wsgi_request)
    if "delete_selected" in actions:
        assert "Nothing was changed" in response.text


def test_real_ids_still_reach_the_action(client, admin_user):
    from tests.factories import ThemeFactory

    theme = ThemeFactory()
    sign_in_as(client, admin_user)
    url = reverse("admin:findings_theme_changelist")
    response = client.post(
        url, {"action": "delete_selected", "_selected_action": [str(theme.pk)]}
    )
    # Django asks to confirm the deletion: the action ran on the real id.
    assert response.status_code == 200
    assert "Are you sure you want to delete" in response.text
    assert admin.site.is_registered(type(theme))


@pytest.mark.parametrize(
    ("url_name", "field"),
    [
        ("admin:improvement_action_add", "lead_owner"),
        ("admin:improvement_action_add", "supporting_owners"),
        ("admin:improvement_action_add", "findings"),
        ("admin:findings_finding_add", "themes"),
        ("admin:improvement_progressupdate_add", "action"),
        ("admin:improvement_owner_add", "user"),
    ],
)
@pytest.mark.parametrize("tampered", ["A", "1.5", "99999999999999999999", "\x00"])
def test_a_tampered_autocomplete_value_is_refused_beside_the_field(
    client, admin_user, url_name, field, tampered
):
    """The form is shown again with the field's message; nothing is saved."""
    sign_in_as(client, admin_user)
    response = client.post(reverse(url_name), {field: tampered})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
