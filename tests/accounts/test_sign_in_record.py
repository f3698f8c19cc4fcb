"""The sign-in record: what is written, with address and browser, and that
nobody can change or delete it in Django admin."""

import pytest
from django.test import Client
from django.urls import reverse

from improvement.accounts.models import SignInEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
BROWSER = "Mozilla/5.0 (Windows NT 10.0) Firefox/140.0"
Kind = SignInEvent.Kind


def test_sign_ins_failures_and_sign_outs_are_recorded_with_address_and_browser():
    person = UserFactory(username="officer-one")
    client = Client(REMOTE_ADDR="198.51.100.4", HTTP_USER_AGENT=BROWSER)
    client.post(reverse("login"), {"username": "officer-one", "password": "nope"})
    client.post(reverse("login"), {"username": "no-such-person", "password": "x"})
    client.post(reverse("login"), {"username": "officer-one", "password": PASSWORD})
    client.post(reverse("logout"))

    events = list(SignInEvent.objects.order_by("pk"))
    assert [(e.kind, e.username, e.user) for e in events] == [
        (Kind.SIGN_IN_FAILED, "officer-one", person),
        (Kind.SIGN_IN_FAILED, "no-such-person", None),
        (Kind.SIGNED_IN, "officer-one", person),
        (Kind.SIGNED_OUT, "officer-one", person),
    ]
    assert {e.address for e in events} == {"198.51.100.4"}
    assert {e.browser for e in events} == {BROWSER}
    assert all(e.at is not None for e in events)


def test_admin_sign_ins_are_recorded_too():
    UserFactory(username="administrator", is_staff=True, is_superuser=True)
    Client().post(
        reverse("admin:login"), {"username": "administrator", "password": PASSWORD}
    )
    assert SignInEvent.objects.get().kind == Kind.SIGNED_IN


def test_administrators_read_the_record_and_cannot_change_or_delete_it(
    client_as_admin, officer
):
    event = SignInEvent.objects.create(
        kind=Kind.SIGNED_IN,
        user=officer,
        username="officer",
        address="198.51.100.4",
        browser=BROWSER,
    )
    listing = client_as_admin.get(reverse("admin:accounts_signinevent_changelist"))
    assert listing.status_code == 200
    assert "198.51.100.4" in listing.text
    page = client_as_admin.get(
        reverse("admin:accounts_signinevent_change", args=[event.pk])
    )
    assert page.status_code == 200
    assert 'name="address"' not in page.text  # shown, not editable

    assert (
        client_as_admin.get(reverse("admin:accounts_signinevent_add")).status_code
        == 403
    )
    changed = client_as_admin.post(
        reverse("admin:accounts_signinevent_change", args=[event.pk]),
        {"kind": Kind.SIGNED_OUT, "username": "someone-else", "at_0": "", "at_1": ""},
    )
    assert changed.status_code == 403
    deleted = client_as_admin.post(
        reverse("admin:accounts_signinevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 403
    bulk = client_as_admin.post(
        reverse("admin:accounts_signinevent_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    event.refresh_from_db()
    assert event.kind == Kind.SIGNED_IN
    assert event.username == "officer"
