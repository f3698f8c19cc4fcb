"""Two-factor sign-in with an authenticator app and recovery codes: required
for administrators and improvement managers before any page, optional for
officers and board members. Every code here is computed from the secret the
set-up page shows, as an authenticator app computes it."""

import base64
import re
import time

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from improvement.accounts.models import SignInEvent
from tests.factories import ActionFactory
from tests.helpers import authenticator, authenticator_code, sign_in_as

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
Kind = SignInEvent.Kind


def _sign_in(client, user, url="/sign-in/"):
    response = client.post(url, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def _code_from_page(page, at=None):
    """What an app shows after the person types the page's secret key in."""
    shown = BeautifulSoup(page.text, "html.parser").select_one(".app-secret-key")
    key = shown.text.replace(" ", "")
    secret = base64.b32decode(key + "=" * (-len(key) % 8))
    totp = TOTP(secret)
    return f"{totp.token():06d}"


def _set_up(client):
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200
    response = client.post(reverse("two_factor_setup"), {"code": _code_from_page(page)})
    assert response.status_code == 302
    return response


def test_a_manager_must_set_up_before_any_page_and_saves_nothing_until_then(
    client, manager
):
    action = ActionFactory(title="Before")
    _sign_in(client, manager)
    dashboard = client.get(reverse("improvement:dashboard"))
    assert dashboard.status_code == 302
    assert dashboard["Location"] == (
        reverse("two_factor_setup") + "?next=%2Fdashboard%2F"
    )
    edit = client.post(
        reverse("improvement:action_edit", args=[action.pk]), {"title": "After"}
    )
    assert edit.status_code == 302
    assert edit["Location"] == reverse("two_factor_setup")
    action.refresh_from_db()
    assert action.title == "Before"

    page = client.get(reverse("two_factor_setup"))
    assert "Your role can change the improvement plan" in page.text
    assert page.text.count('<svg role="img" aria-label="QR code') == 1


def test_set_up_with_the_code_the_app_shows_then_recovery_codes(client, manager):
    _sign_in(client, manager)
    page = client.get(reverse("two_factor_setup") + "?next=/dashboard/")

    with time_machine.travel(time.time(), tick=False):
        wrong = client.post(reverse("two_factor_setup"), {"code": "000000"})
        assert wrong.status_code == 200
        assert "The code is not right" in wrong.text
        assert not TOTPDevice.objects.filter(user=manager, confirmed=True).exists()
        # A second try at once must wait: guessing is slowed down.
        hurried = client.post(
            reverse("two_factor_setup"), {"code": _code_from_page(page)}
        )
        assert "too many wrong codes" in hurried.text

    with time_machine.travel(time.time() + 5):
        done = client.post(
            reverse("two_factor_setup"),
            {"code": _code_from_page(page), "next": "/dashboard/"},
        )
    assert done["Location"] == reverse("recovery_codes") + "?next=%2Fdashboard%2F"
    codes_page = client.get(done["Location"])
    codes = re.findall(r"<code>([a-z2-7]{8})</code>", codes_page.text)
    assert len(codes) == 10
    assert set(codes) == set(
        StaticToken.objects.filter(device__user=manager).values_list("token", flat=True)
    )
    assert 'href="/dashboard/"' in codes_page.text
    assert client.get(reverse("improvement:dashboard")).status_code == 200
    assert SignInEvent.objects.filter(kind=Kind.TWO_FACTOR_ADDED, user=manager).exists()

    download = client.get(reverse("recovery_codes_download"))
    assert download["Content-Type"] == "text/plain; charset=utf-8"
    assert "attachment" in download["Content-Disposition"]
    assert all(code in download.content.decode() for code in codes)


def test_each_sign_in_asks_for_a_code_and_a_code_works_once(client, manager):
    device = authenticator(manager)
    _sign_in(client, manager)
    sent = client.get(reverse("improvement:dashboard"))
    assert sent["Location"] == reverse("two_factor_verify") + "?next=%2Fdashboard%2F"

    wrong = client.post(reverse("two_factor_verify"), {"code": "123456"})
    assert "The code is not right" in wrong.text
    assert client.get(reverse("improvement:dashboard")).status_code == 302

    with time_machine.travel(time.time() + 5):
        code = authenticator_code(device)
        right = client.post(
            reverse("two_factor_verify"), {"code": code, "next": "/dashboard/"}
        )
        assert right["Location"] == "/dashboard/"
        assert client.get(reverse("improvement:dashboard")).status_code == 200

        # The same code, seen over a shoulder, does not sign anyone else in.
        client.post(reverse("logout"))
        _sign_in(client, manager)
        again = client.post(reverse("two_factor_verify"), {"code": code})
        assert again.status_code == 200
        assert "The code is not right" in again.text


@pytest.mark.parametrize("drift", [-1, 0, 1])
def test_the_apps_codes_are_taken_whatever_drift_the_server_has_seen(manager, drift):
    """The server learns how far a person's app runs off its clock (drift)
    from each accepted code. Two sign-ins in a row must still be accepted:
    the tests' app gave a code two steps off after a drift of -1 was
    recorded, and a browser test failed to sign in."""
    device = authenticator(manager)
    device.drift = drift
    device.save()
    with time_machine.travel(time.time(), tick=False):
        assert device.verify_token(authenticator_code(device))
        assert device.verify_token(authenticator_code(device))


def test_a_recovery_code_works_once_instead_of_the_app(client, manager):
    authenticator(manager)
    sign_in_as(client, manager)
    codes = re.findall(
        r"<code>([a-z2-7]{8})</code>", client.get(reverse("recovery_codes")).text
    )
    assert codes == []  # none until the person makes some
    client.post(reverse("recovery_codes"))
    codes = re.findall(
        r"<code>([a-z2-7]{8})</code>", client.get(reverse("recovery_codes")).text
    )
    assert len(codes) == 10
    client.post(reverse("logout"))

    _sign_in(client, manager)
    used = client.post(reverse("two_factor_verify"), {"code": codes[0]})
    assert used.status_code == 302
    assert client.get(reverse("improvement:dashboard")).status_code == 200
    client.post(reverse("logout"))

    _sign_in(client, manager)
    refused = client.post(reverse("two_factor_verify"), {"code": codes[0]})
    assert "The code is not right" in refused.text
    assert StaticToken.objects.filter(device__user=manager).count() == 9


def test_only_the_password_cannot_replace_the_app(client, manager):
    authenticator(manager)
    _sign_in(client, manager)
    response = client.get(reverse("two_factor_setup"))
    assert response["Location"] == reverse("two_factor_verify")
    assert TOTPDevice.objects.filter(user=manager).count() == 1


def test_an_administrator_must_use_it_for_django_admin(client, admin_user):
    _sign_in(client, admin_user, url=reverse("admin:login"))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))
    _set_up(client)
    assert client.get(reverse("admin:index")).status_code == 200


def test_officers_may_use_it_and_turn_it_off_but_a_manager_may_not(
    client, officer, manager
):
    _sign_in(client, officer)
    assert client.get(reverse("improvement:my_actions")).status_code == 200
    _set_up(client)
    client.post(reverse("logout"))
    _sign_in(client, officer)
    assert client.get(reverse("improvement:my_actions")).status_code == 302
    device = TOTPDevice.objects.get(user=officer)
    client.post(reverse("two_factor_verify"), {"code": authenticator_code(device)})

    assert "Turn off two-factor sign-in" in client.get(reverse("two_factor")).text
    client.post(reverse("two_factor_remove"))
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert SignInEvent.objects.filter(
        kind=Kind.TWO_FACTOR_REMOVED, user=officer
    ).exists()
    assert client.get(reverse("improvement:my_actions")).status_code == 200

    client.post(reverse("logout"))
    sign_in_as(client, manager)
    assert client.post(reverse("two_factor_remove")).status_code == 403
    assert TOTPDevice.objects.filter(user=manager).exists()


def test_an_administrator_resets_a_lost_app_and_the_person_sets_up_again(
    client, client_as_admin, manager
):
    authenticator(manager)
    url = reverse("admin:auth_user_two_factor_reset", args=[manager.pk])
    change = client_as_admin.get(reverse("admin:auth_user_change", args=[manager.pk]))
    assert url in change.text
    assert "Yes, reset two-factor sign-in" in client_as_admin.get(url).text
    done = client_as_admin.post(url)
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=manager).exists()
    assert SignInEvent.objects.filter(
        kind=Kind.TWO_FACTOR_REMOVED, user=manager
    ).exists()
    assert LogEntry.objects.get(object_id=str(manager.pk)).change_message == (
        "Reset two-factor sign-in."
    )

    _sign_in(client, manager)
    assert client.get(reverse("improvement:dashboard"))["Location"].startswith(
        reverse("two_factor_setup")
    )


def test_a_manager_cannot_reset_anyones_second_factor(client_as_manager, officer):
    url = reverse("admin:auth_user_two_factor_reset", args=[officer.pk])
    response = client_as_manager.post(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_after_a_code_only_pages_of_this_site_are_next(client, manager):
    device = authenticator(manager)
    _sign_in(client, manager)
    response = client.post(
        reverse("two_factor_verify"),
        {"code": authenticator_code(device), "next": "https://elsewhere.example/"},
    )
    assert response["Location"] == reverse("home")


def test_the_account_page_says_whether_it_is_on(client_as_officer, manager):
    officer_page = client_as_officer.get(reverse("account")).text
    assert "Set up two-factor sign-in" in officer_page
    manager_page = sign_in_as(Client(), manager).get(reverse("account")).text
    assert "Manage two-factor sign-in" in manager_page


def test_no_one_reads_a_secret_key_in_admin(client_as_admin):
    assert client_as_admin.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client_as_admin.get("/admin/otp_static/staticdevice/").status_code == 404
