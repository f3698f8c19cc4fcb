"""The service's one name, signing out, and Django admin's history in words.

Issue 8, point 14: the service has one name, which a council may change
(``SERVICE_NAME``); signing out says so; Django admin's history shows labels
and names, never stored values or "None". Print styles are checked in a real
browser (tests/e2e/test_reflow.py).
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.urls import reverse

from improvement.kernel.history import acting_as
from improvement.plan.models import Action
from tests.factories import ActionFactory, FindingFactory

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)


def test_the_service_is_called_golden_thread_unless_the_council_says_otherwise():
    assert settings.SERVICE_NAME == "Golden Thread"


def test_the_old_name_is_gone():
    searched = [
        *ROOT.joinpath("templates").rglob("*.html"),
        *ROOT.joinpath("improvement").rglob("*.py"),
        ROOT / "README.md",
    ]
    for path in searched:
        assert "improvement plan tracker" not in path.read_text().lower(), path


def test_pages_admin_and_readme_use_the_one_name(client_as_board, settings):
    settings.SERVICE_NAME = "Children's Improvement Tracker"
    response = client_as_board.get(reverse("improvement:dashboard"))
    text = response.content.decode()
    assert re.search(
        r"<title>Dashboard.* – Children&#x27;s Improvement Tracker</title>", text
    )
    assert (
        "service-navigation" in text and "Children&#x27;s Improvement Tracker" in text
    )
    assert (
        str(admin.site.site_header) == "Children's Improvement Tracker administration"
    )
    assert str(admin.site.site_title) == "Children's Improvement Tracker administration"
    readme = (ROOT / "README.md").read_text()
    assert "`SERVICE_NAME`" in readme and "Golden Thread" in readme


def test_the_admin_sign_in_page_names_the_service(client):
    response = client.get(reverse("admin:login"))
    assert "Golden Thread administration" in response.content.decode()


def test_signing_out_says_so(client_as_officer):
    response = client_as_officer.post(reverse("logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    text = response.content.decode()
    assert "You have signed out" in text
    assert "govuk-notification-banner--success" in text
    # Signed out: the next page asks to sign in again.
    assert client_as_officer.get(reverse("improvement:dashboard")).status_code == 302


def test_signing_out_when_not_signed_in_says_nothing(client):
    response = client.post(reverse("logout"), follow=True)
    assert "You have signed out" not in response.content.decode()


def test_admin_history_shows_labels_names_and_no_none(client_as_admin, admin_user):
    action = ActionFactory(status=Action.Status.NOT_STARTED)
    finding = FindingFactory(reference="R9", title="Supervision is not regular")
    with acting_as(admin_user):
        action.status = Action.Status.IN_PROGRESS
        action.save()
        action.findings.add(finding)
    # A change with no user and no reason, as from a script.
    action.refresh_from_db()
    action.title = "Audit supervision records every month"
    action.save()

    url = reverse("admin:improvement_action_history", args=[action.pk])
    response = client_as_admin.get(url)
    assert response.status_code == 200
    page = re.sub(
        r"<(script|style|svg).*?</\1>", "", response.content.decode(), flags=re.S
    )
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "Delivery status: Not started &rarr; In progress" in text.replace(
        "&nbsp;", " "
    )
    assert "not_started" not in text and "in_progress" not in text
    assert "Findings answered: added R9: Supervision is not regular" in text
    assert "None" not in text
    assert "Unknown user" in text
    assert "Golden Thread administration" in text
