"""Sessions end after 30 minutes without activity, and at the absolute
limit however active; the sign-in page says why."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from improvement.accounts.models import SignInEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
START = datetime.datetime(2026, 1, 15, 9, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _idle_limit_on(settings):
    settings.SESSION_IDLE_MINUTES = 30


def _at(minutes):
    return time_machine.travel(START + datetime.timedelta(minutes=minutes), tick=False)


def _signed_in():
    person = UserFactory(username="officer-one")
    client = Client()
    with _at(0):
        client.post(reverse("login"), {"username": "officer-one", "password": PASSWORD})
    return person, client


def test_half_an_hour_without_activity_signs_you_out_and_says_why():
    person, client = _signed_in()
    with _at(31):
        response = client.get(reverse("account"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
        page = client.get(response.url)
    assert "had not used the service for 30 minutes" in page.text
    assert "_auth_user_id" not in client.session
    event = SignInEvent.objects.filter(user=person).latest("pk")
    assert event.kind == SignInEvent.Kind.SESSION_EXPIRED


def test_activity_keeps_you_signed_in():
    _, client = _signed_in()
    for minutes in (20, 40, 60, 80):
        with _at(minutes):
            assert client.get(reverse("account")).status_code == 200


def test_the_idle_limit_is_configurable(settings):
    settings.SESSION_IDLE_MINUTES = 10
    _, client = _signed_in()
    with _at(11):
        assert client.get(reverse("account")).status_code == 302


def test_the_absolute_limit_stays_however_active(settings):
    _, client = _signed_in()
    minutes = 0
    while minutes < 8 * 60 - 20:
        minutes += 20
        with _at(minutes):
            assert client.get(reverse("account")).status_code == 200, minutes
    with _at(8 * 60 + 1):
        response = client.get(reverse("account"))
        assert response.status_code == 302
        page = client.get(response.url)
    assert "signed in more than 8 hours ago" in page.text
