"""Security controls that SECURITY.md cites and no other module shows: the
session id changes at sign-in, cookie flags, CSRF, safe redirects after
sign-in, the password box, long passwords, the production password hasher,
deactivated accounts, extra form fields ignored, a plain page for a server
error; and that SECURITY.md cites only tests that exist."""

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.conf import global_settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.password_validation import validate_password
from django.test import Client
from django.urls import include, path, reverse

from improvement import settings as site_settings
from improvement.imports import reading
from improvement.plan.models import Action
from tests.factories import ActionFactory, UserFactory
from tests.form_data import form_data

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # UserFactory's
ROOT = Path(__file__).resolve().parent.parent


@login_not_required
def _fails(request):
    raise RuntimeError("secret internals: SELECT * FROM auth_user")


# The site's own URLs, and one page that fails (for the 500 page test).
urlpatterns = [
    path("fails/", _fails),
    path("", include("improvement.urls")),
]


def _sign_in(client, username, password=PASSWORD, **extra):
    return client.post(
        reverse("login"), {"username": username, "password": password, **extra}
    )


def test_signing_in_gives_a_new_session_id():
    UserFactory(username="officer-one")
    client = Client()
    session = client.session
    session["seen"] = True
    session.save()
    client.cookies["sessionid"] = session.session_key
    before = session.session_key
    assert _sign_in(client, "officer-one").status_code == 302
    assert client.session.session_key != before
    assert client.session["seen"] is True  # the same visit, under a new id


def test_the_session_cookie_is_httponly_and_same_site():
    UserFactory(username="officer-one")
    response = _sign_in(Client(), "officer-one")
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    csrf = Client().get(reverse("login")).cookies["csrftoken"]
    assert csrf["samesite"] == "Lax"


def test_a_post_without_the_csrf_token_is_refused(officer):
    client = Client(enforce_csrf_checks=True)
    response = _sign_in(client, officer.username)
    assert response.status_code == 403
    client.force_login(officer)
    assert client.post(reverse("logout")).status_code == 403
    assert client.get(reverse("improvement:my_actions")).status_code == 200


@pytest.mark.parametrize(
    "elsewhere",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/"],
)
def test_signing_in_never_sends_you_to_another_site(elsewhere):
    UserFactory(username="officer-one")
    response = _sign_in(Client(), "officer-one", next=elsewhere)
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_signing_in_returns_you_to_the_page_you_asked_for():
    UserFactory(username="officer-one")
    wanted = reverse("improvement:action_list")
    response = _sign_in(Client(), "officer-one", next=wanted)
    assert response.url == wanted


def test_a_long_password_is_accepted_exactly_as_typed():
    """64 characters and more are allowed, and nothing is cut or changed."""
    password = "Correct Horse Battery Staple " * 4  # 116 characters
    person = UserFactory(username="officer-one")
    validate_password(password, person)
    person.set_password(password)
    person.save()
    assert _sign_in(Client(), "officer-one", password).status_code == 302
    for altered in (password[:64], password.lower(), password.strip()):
        assert _sign_in(Client(), "officer-one", altered).status_code == 200


def test_the_password_box_hides_the_password_and_lets_managers_fill_it(client):
    """type=password, and nothing that stops pasting or a password manager."""
    page = BeautifulSoup(client.get(reverse("login")).content, "html.parser")
    box = page.find("input", attrs={"name": "password"})
    assert box["type"] == "password"
    assert box["autocomplete"] == "current-password"
    assert not any(name.startswith("on") for name in box.attrs)


def test_production_hashes_passwords_with_pbkdf2():
    """The tests use a fast hasher (tests/conftest.py); the site keeps
    Django's default, PBKDF2-SHA256 with at least 600,000 iterations."""
    assert not hasattr(site_settings, "PASSWORD_HASHERS")
    default = global_settings.PASSWORD_HASHERS[0]
    assert default == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    assert PBKDF2PasswordHasher.iterations >= 600_000


def test_a_deactivated_account_is_signed_out_at_its_next_request(client, officer):
    client.force_login(officer)
    assert client.get(reverse("improvement:my_actions")).status_code == 200
    officer.is_active = False
    officer.save()
    response = client.get(reverse("improvement:my_actions"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_fields_a_form_does_not_show_are_ignored(client_as_officer, officer):
    """An officer's progress form has no title or lead owner: posting them
    changes neither (no mass assignment)."""
    action = ActionFactory(lead_owner=officer.owner, title="Audit supervision")
    other = ActionFactory().lead_owner
    url = reverse("improvement:action_progress", args=[action.pk])
    data = form_data(
        client_as_officer.get(url),
        narrative="Audit booked.",
        title="Renamed by hand",
        lead_owner=str(other.pk),
    )
    assert client_as_officer.post(url, data).status_code == 302
    action = Action.objects.get(pk=action.pk)
    assert action.title == "Audit supervision"
    assert action.lead_owner == officer.owner
    assert action.progress_updates.get().narrative == "Audit booked."


@pytest.mark.urls(__name__)
def test_a_server_error_shows_a_plain_page_and_nothing_of_the_cause():
    client = Client(raise_request_exception=False)
    response = client.get("/fails/")
    assert response.status_code == 500
    text = response.content.decode()
    assert "Sorry, there is a problem with the service" in text
    for leak in ("secret internals", "SELECT", "Traceback", "RuntimeError"):
        assert leak not in text


def test_security_md_cites_only_tests_that_exist():
    """Every ``path::test_name`` SECURITY.md gives as evidence is a test in
    that file, so the ASVS map cannot cite a test renamed or removed."""
    cited = re.findall(
        r"`(tests/[\w/]+\.py)::(\w+)`", (ROOT / "SECURITY.md").read_text()
    )
    assert len(cited) > 50
    for file, name in cited:
        source = (ROOT / file).read_text()
        assert re.search(rf"^def {name}\(", source, re.M), f"{file}::{name}"


@pytest.mark.parametrize("method", ["TRACE", "PUT", "PATCH", "DELETE", "OPTIONS"])
def test_only_get_head_and_post_are_answered(client_as_manager, objects, method):
    for url in ("/sign-in/", reverse("improvement:action_list"), "/health/"):
        response = client_as_manager.generic(method, url)
        assert response.status_code == 405, (method, url)
        assert set(response["Allow"].split(", ")) == {"GET", "HEAD", "POST"}
    action = objects["action"]
    edit = reverse("improvement:action_edit", args=[action.pk])
    assert client_as_manager.generic(method, edit, "title=Changed").status_code == 405
    action.refresh_from_db()
    assert action.title != "Changed"


# ---------------------------------------------------------------------------
# XML in uploaded workbooks (1.5.1)
# ---------------------------------------------------------------------------

_ENTITIES = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
)


def _workbook_declaring_entities():
    """A one-cell workbook whose sheet declares and uses XML entities."""
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Reference"
    plain = io.BytesIO()
    workbook.save(plain)
    source = zipfile.ZipFile(plain)
    hostile = io.BytesIO()
    with zipfile.ZipFile(hostile, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode().replace("<v>", "<v>&lol2;", 1)
                data = (_ENTITIES + text).encode()
            target.writestr(item, data)
    return hostile.getvalue()


def test_a_workbook_declaring_xml_entities_is_refused_plainly():
    """openpyxl parses with defusedxml, which refuses entity declarations
    (billion laughs, external entities) instead of expanding them."""
    with pytest.raises(reading.ImportRefused, match="could not be read"):
        reading.read_file("tracker.xlsx", _workbook_declaring_entities())
