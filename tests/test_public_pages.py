"""The accessibility statement and the privacy notice: pages a council must
publish, readable by anyone, linked from the footer of every page."""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.template.loader import render_to_string
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "accessibility": "Accessibility statement",
    "privacy": "Privacy notice",
}


@pytest.fixture
def council(settings):
    """A council other than the demo's, with its own contact addresses."""
    settings.COUNCIL_NAME = "Eastshire County Council"
    settings.ACCESSIBILITY_CONTACT_EMAIL = "access@eastshire.example.gov.uk"
    settings.ACCESSIBILITY_REPLY_DAYS = 5
    settings.PRIVACY_CONTACT_EMAIL = "dpo@eastshire.example.gov.uk"
    return settings


def footer_links(response):
    """(text, href) of the links in the page's footer."""
    footer = BeautifulSoup(response.content, "html.parser").find("footer")
    return [(" ".join(a.get_text().split()), a["href"]) for a in footer.find_all("a")]


def text_of(response):
    main = BeautifulSoup(response.content, "html.parser").find("main")
    return " ".join(main.get_text().split())


@pytest.mark.parametrize("name", PAGES)
def test_anyone_may_read_the_page_without_signing_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response.templates[0].name == f"pages/{name}.html"
    heading = BeautifulSoup(response.content, "html.parser").find("h1")
    assert heading.get_text().startswith(PAGES[name])
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("role", ["officer", "board", "manager", "admin"])
def test_every_role_may_read_the_page(request, role, name):
    client = request.getfixturevalue(f"client_as_{role}")
    response = client.get(reverse(name))
    assert response.status_code == 200
    # Signed in, it is kept by no cache, like every page.
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("name", PAGES)
def test_someone_with_no_role_or_no_code_yet_may_read_the_page(
    client, no_group_user, manager, name
):
    """A person whose account has no role is refused every other page, and a
    manager who has not given a second factor is sent to give one; both may
    still read what the council publishes."""
    for person in (no_group_user, manager):
        client.force_login(person)
        assert client.get(reverse(name)).status_code == 200, person
        client.logout()


@pytest.mark.parametrize("name", PAGES)
def test_the_page_takes_no_posts(client, name):
    assert client.post(reverse(name)).status_code == 405


def test_the_sign_in_page_links_to_both_from_its_footer(client):
    links = footer_links(client.get(reverse("login")))
    for name, text in PAGES.items():
        assert (text, reverse(name)) in links


def test_a_signed_in_page_links_to_both_from_its_footer(client_as_officer):
    response = client_as_officer.get(reverse("improvement:dashboard"))
    assert response.status_code == 200
    links = footer_links(response)
    for name, text in PAGES.items():
        assert (text, reverse(name)) in links


@pytest.mark.parametrize("template", ["400.html", "500.html"])
def test_the_error_pages_link_to_both_from_their_footer(template):
    html = BeautifulSoup(render_to_string(template), "html.parser")
    links = [(a.get_text(strip=True), a["href"]) for a in html.footer.find_all("a")]
    for name, text in PAGES.items():
        assert (text, reverse(name)) in links


def test_the_statement_names_the_council_and_its_contact(client, council):
    response = client.get(reverse("accessibility"))
    text = text_of(response)
    assert "This website is run by Eastshire County Council." in text
    assert "Northmoor" not in response.content.decode()
    assert "access@eastshire.example.gov.uk" in text
    assert 'href="mailto:access@eastshire.example.gov.uk"' in response.content.decode()
    assert "get back to you within 5 working days" in text
    assert "partially compliant with the Web Content Accessibility Guidelines" in text
    for heading in (
        "How accessible this website is",
        "What to do if you cannot access parts of this website",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Technical information about this website’s accessibility",
        "Compliance status",
        "Non-accessible content",
        "What we’re doing to improve accessibility",
        "Preparation of this accessibility statement",
    ):
        assert heading in text, heading
    assert "Equality Advisory and Support Service (EASS)" in text


def test_the_statement_names_only_tests_that_exist(client):
    """Every test the statement cites is in the file it names, so the
    statement cannot claim testing that was renamed or removed."""
    html = BeautifulSoup(client.get(reverse("accessibility")).content, "html.parser")
    cited = 0
    for item in html.find("details").find_all("li"):
        codes = [code.get_text() for code in item.find_all("code")]
        path, names = codes[0], codes[1:]
        source = (ROOT / path).read_text()
        for test_name in names:
            assert re.search(rf"^def {test_name}\(", source, re.M), (path, test_name)
            cited += 1
    assert cited >= 6


def test_the_notice_names_the_council_and_what_it_keeps(client, council):
    council.SESSION_IDLE_MINUTES = 20
    council.AXES_FAILURE_LIMIT = 7
    response = client.get(reverse("privacy"))
    text = text_of(response)
    assert (
        "Eastshire County Council is the data controller for the personal data" in text
    )
    assert "Northmoor" not in response.content.decode()
    assert "dpo@eastshire.example.gov.uk" in text
    assert "UK GDPR Article 6(1)(e)" in text
    assert "After 7 failed sign-ins" in text
    assert "signed out after 20 minutes without using the service" in text
    for kept in ("IP", "user agent", "case’s reference", "never holds a child’s name"):
        assert kept in text, kept
    assert "Information Commissioner’s Office" in text
    assert 'href="https://ico.org.uk/make-a-complaint/"' in response.content.decode()
