"""Changing and resetting passwords: NCSC rules, sessions ended, links that
work once and expire, and every change in the sign-in record."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from improvement.accounts.models import SignInEvent
from tests.factories import UserFactory
from tests.helpers import sign_in_as

pytestmark = pytest.mark.django_db

OLD = "correct horse battery staple"
NEW = "marmalade lighthouse origami"
Kind = SignInEvent.Kind


def _signed_in(user, password=OLD):
    client = Client()
    response = client.post(
        reverse("login"), {"username": user.username, "password": password}
    )
    assert response.status_code == 302
    return client


# Rules ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "password, refused",
    [
        ("elevenchars", True),  # shorter than 12
        ("password1234", True),  # a common password
        ("officer-one-2026", True),  # like the username
        ("lowercase words only here", False),  # no rules on kinds of character
        ("739104628305716294", False),  # digits alone are fine when long
    ],
)
def test_passwords_follow_ncsc_advice(password, refused):
    user = UserFactory(username="officer-one", email="officer-one@example.org")
    if refused:
        with pytest.raises(ValidationError):
            validate_password(password, user)
    else:
        validate_password(password, user)


def test_the_minimum_length_is_twelve():
    with pytest.raises(ValidationError):
        validate_password("kettle-plum")  # 11
    validate_password("kettle-plums")  # 12


# Changing a password --------------------------------------------------------


@pytest.mark.parametrize("role", ["board", "officer", "manager", "admin"])
def test_every_role_can_change_their_password(role, request):
    user = request.getfixturevalue(role if role != "admin" else "admin_user")
    client = Client()
    sign_in_as(client, user)
    account = client.get(reverse("account"))
    assert account.status_code == 200
    assert reverse("password_change") in account.text
    response = client.post(
        reverse("password_change"),
        {"old_password": OLD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302, response.content[:2000]
    assert response.url == reverse("account")
    user.refresh_from_db()
    assert user.check_password(NEW)


def test_every_page_links_to_the_account_page(client_as_officer):
    page = client_as_officer.get(reverse("improvement:my_actions"))
    assert f'href="{reverse("account")}"' in page.text


def test_changing_a_password_ends_the_other_sessions_and_keeps_this_one(officer):
    here = _signed_in(officer)
    elsewhere = _signed_in(officer)
    assert elsewhere.get(reverse("account")).status_code == 200

    here.post(
        reverse("password_change"),
        {"old_password": OLD, "new_password1": NEW, "new_password2": NEW},
    )

    assert here.get(reverse("account")).status_code == 200
    gone = elsewhere.get(reverse("account"))
    assert gone.status_code == 302
    assert gone.url.startswith(reverse("login"))
    event = SignInEvent.objects.get(kind=Kind.PASSWORD_CHANGED)
    assert event.user == officer
    assert event.address == "127.0.0.1"


@pytest.mark.parametrize(
    "data, message",
    [
        (
            {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW},
            "old password",
        ),
        (
            {"old_password": OLD, "new_password1": NEW, "new_password2": NEW + "x"},
            "didn",
        ),
        (
            {"old_password": OLD, "new_password1": "tiny", "new_password2": "tiny"},
            "too short",
        ),
        (
            {
                "old_password": OLD,
                "new_password1": "password1234",
                "new_password2": "password1234",
            },
            "too common",
        ),
    ],
)
def test_bad_changes_are_refused_with_a_message_and_nothing_saved(
    client_as_officer, officer, data, message
):
    response = client_as_officer.post(reverse("password_change"), data)
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    assert response.text.count("govuk-error-message") >= 1
    officer.refresh_from_db()
    assert officer.check_password(OLD)
    assert not SignInEvent.objects.filter(kind=Kind.PASSWORD_CHANGED).exists()


# Resetting a forgotten password ----------------------------------------------


def _reset_link(client, email):
    mail.outbox.clear()
    response = client.post(reverse("password_reset"), {"email": email})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    if not mail.outbox:
        return None
    return re.search(r"https?://[^/\s]+(/password-reset/\S+/)", mail.outbox[0].body)[1]


def test_a_reset_link_works_once(client, officer):
    link = _reset_link(client, officer.email)
    assert "works once, for 60 minutes" in mail.outbox[0].body
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.text
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}
    )
    assert done.status_code == 302
    assert done.url == reverse("password_reset_complete")
    officer.refresh_from_db()
    assert officer.check_password(NEW)

    again = Client().get(link, follow=True)
    assert "This link does not work" in again.text
    kinds = list(
        SignInEvent.objects.filter(user=officer).values_list("kind", flat=True)
    )
    assert Kind.PASSWORD_RESET_REQUESTED in kinds
    assert Kind.PASSWORD_RESET in kinds


def test_a_reset_link_expires(client, officer):
    start = datetime.datetime(2026, 1, 15, 9, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        link = _reset_link(client, officer.email)
    with time_machine.travel(start + datetime.timedelta(minutes=61), tick=False):
        late = client.get(link, follow=True)
    assert "This link does not work" in late.text
    officer.refresh_from_db()
    assert officer.check_password(OLD)


def test_a_reset_ends_every_session(client, officer):
    elsewhere = _signed_in(officer)
    link = _reset_link(client, officer.email)
    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}
    )
    assert elsewhere.get(reverse("account")).status_code == 302


def test_asking_for_a_reset_says_the_same_for_unknown_addresses(client, officer):
    known = client.post(
        reverse("password_reset"), {"email": officer.email}, follow=True
    )
    unknown = client.post(
        reverse("password_reset"), {"email": "nobody@example.org"}, follow=True
    )
    # The same page but for the script nonce, which is new on every response.
    nonce = re.compile(r'nonce="[^"]*"')
    assert nonce.sub("", known.text) == nonce.sub("", unknown.text)
    assert len(mail.outbox) == 1


def test_the_sign_in_page_offers_a_reset(client):
    assert reverse("password_reset") in client.get(reverse("login")).text


def test_account_pages_cost_a_fixed_number_of_queries(
    client_as_manager, manager, django_assert_max_num_queries
):
    for size in (1, 20):
        for _ in range(size):
            SignInEvent.objects.create(kind=Kind.SIGNED_IN, user=manager)
        with django_assert_max_num_queries(6):
            assert client_as_manager.get(reverse("account")).status_code == 200
        with django_assert_max_num_queries(6):
            assert client_as_manager.get(reverse("password_change")).status_code == 200


def test_the_demo_refuses_a_demo_password_that_breaks_the_rules(monkeypatch):
    from django.core.management import CommandError, call_command

    monkeypatch.setenv("DEMO_PASSWORD", "demo1234")
    with pytest.raises(CommandError, match="at least 12 characters"):
        call_command("seed_demo")
