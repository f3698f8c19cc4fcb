"""Lockout after repeated failed sign-ins: per account, per address, on the
site's sign-in and Django admin's, and not dodged with a forged header."""

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.urls import reverse

from improvement.accounts.models import SignInEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
SIGN_IN = "/sign-in/"


@pytest.fixture
def person():
    return UserFactory(username="officer-one")


def _try(client, username, password="wrong password", url=SIGN_IN, **extra):
    return client.post(url, {"username": username, "password": password}, **extra)


def test_ten_failures_lock_the_account_and_the_right_password_is_then_refused(
    client, person
):
    for _ in range(9):
        assert _try(client, "officer-one").status_code == 200
    locked = _try(client, "officer-one")
    assert locked.status_code == 429
    assert "Your account is locked for now" in locked.text
    assert "Wait 5 minutes without trying again" in locked.text

    refused = _try(client, "officer-one", PASSWORD)
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_are_counted_per_account_from_any_address(client, person):
    for n in range(10):
        _try(client, "officer-one", REMOTE_ADDR=f"198.51.100.{n + 1}")
    refused = _try(client, "officer-one", PASSWORD, REMOTE_ADDR="203.0.113.9")
    assert refused.status_code == 429


def test_failures_are_counted_per_address_across_accounts(client, person):
    for n in range(10):
        _try(client, f"guess-{n}", REMOTE_ADDR="198.51.100.7")
    refused = _try(client, "officer-one", PASSWORD, REMOTE_ADDR="198.51.100.7")
    assert refused.status_code == 429
    # Another address is not locked.
    other = _try(client, "officer-one", PASSWORD, REMOTE_ADDR="198.51.100.8")
    assert other.status_code == 302


def test_a_forged_x_forwarded_for_does_not_dodge_the_count(client, person):
    """Not behind a trusted proxy: the header is ignored, the connection counts."""
    for n in range(10):
        _try(
            client,
            f"guess-{n}",
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n + 1}",
        )
    refused = _try(
        client,
        "officer-one",
        PASSWORD,
        REMOTE_ADDR="198.51.100.7",
        HTTP_X_FORWARDED_FOR="10.9.9.9",
    )
    assert refused.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {
        "198.51.100.7"
    }


def test_behind_a_trusted_proxy_only_the_proxys_entry_counts(client, person, settings):
    """The caller may prepend anything; the proxy's own entry is the last one."""
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(10):
        _try(
            client,
            f"guess-{n}",
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n + 1}, 203.0.113.50",
        )
    refused = _try(
        client,
        "officer-one",
        PASSWORD,
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="192.0.2.200, 203.0.113.50",
    )
    assert refused.status_code == 429
    # Someone else behind the same proxy is not locked out.
    other = _try(
        client,
        "officer-one",
        PASSWORD,
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.51",
    )
    assert other.status_code == 302


def test_admin_sign_in_is_locked_too(client):
    UserFactory(username="administrator", is_staff=True, is_superuser=True)
    url = reverse("admin:login")
    for _ in range(10):
        _try(client, "administrator", url=url)
    refused = _try(client, "administrator", PASSWORD, url=url)
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("url", [SIGN_IN, reverse("admin:login")])
def test_a_username_too_long_for_any_account_is_refused_and_counted(client, url):
    # Django's sign-in forms try any length of username; the lockout count
    # and the sign-in record store at most 150 characters of it (on
    # PostgreSQL a longer one stopped the page with a database error).
    tried = "x" * 400
    first = _try(client, tried, url=url, HTTP_USER_AGENT="y" * 400)
    assert first.status_code == 200
    assert AccessAttempt.objects.get().username == "x" * 150
    assert SignInEvent.objects.get().username == "x" * 150
    for _ in range(9):
        _try(client, tried, url=url)
    assert _try(client, tried, url=url).status_code == 429


def test_the_lock_ends_after_the_wait_and_the_limit_is_configurable(
    client, person, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    start = datetime.datetime(2026, 1, 15, 9, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(3):
            _try(client, "officer-one")
        assert _try(client, "officer-one", PASSWORD).status_code == 429
    with time_machine.travel(start + datetime.timedelta(minutes=6), tick=False):
        assert _try(client, "officer-one", PASSWORD).status_code == 302


def test_a_lockout_is_recorded_and_cleared_in_admin(client, client_as_admin, person):
    from django.test import Client

    attacker = Client()
    for _ in range(10):
        _try(attacker, "officer-one")
    assert SignInEvent.objects.filter(
        kind=SignInEvent.Kind.LOCKED_OUT, user=person
    ).exists()

    attempts = client_as_admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert attempts.status_code == 200
    assert "officer-one" in attempts.text
    attempt = AccessAttempt.objects.get(username="officer-one")
    cleared = client_as_admin.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]),
        {"post": "yes"},
    )
    assert cleared.status_code == 302
    assert _try(attacker, "officer-one", PASSWORD).status_code == 302
