"""Themes in the site: the list, a theme's page, and adding and editing them."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from findings.models import Theme
from tests.factories import FindingFactory, ThemeFactory
from tests.form_data import form_data
from tests.helpers import sign_in_as

pytestmark = pytest.mark.django_db

LIST = reverse("findings:theme_list")
ADD = reverse("findings:theme_create")


def _detail(theme):
    return reverse("findings:theme_detail", args=[theme.pk])


def _edit(theme):
    return reverse("findings:theme_edit", args=[theme.pk])


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _field_error(response, name):
    """The GOV.UK error message shown beside field ``name``, as text."""
    soup = BeautifulSoup(response.content, "html.parser")
    error = soup.find(id=f"id_{name}_error")
    return " ".join(error.get_text().split()) if error else ""


def _error_summary(response):
    soup = BeautifulSoup(response.content, "html.parser")
    summary = soup.find(class_="govuk-error-summary")
    return " ".join(summary.get_text().split()) if summary else ""


# Access ---------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["client_as_board", "client_as_officer"])
def test_board_and_officers_read_themes_but_cannot_change_them(request, persona):
    theme = ThemeFactory(name="Supervision", description="Regular, reflective")
    client = request.getfixturevalue(persona)
    listing = client.get(LIST)
    detail = client.get(_detail(theme))
    assert listing.status_code == 200 and detail.status_code == 200
    assert "Supervision" in listing.text and "Regular, reflective" in detail.text
    assert "Add a theme" not in listing.text
    assert "Edit theme" not in detail.text
    before = Theme.objects.count()
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, {"name": "Caseloads"}).status_code == 403
    assert client.get(_edit(theme)).status_code == 403
    post = {"name": "Renamed", "description": "", "version": theme.version}
    assert client.post(_edit(theme), post).status_code == 403
    assert Theme.objects.count() == before
    theme.refresh_from_db()
    assert theme.name == "Supervision"


def test_a_sign_in_with_no_role_is_refused_every_theme_page(client, no_group_user):
    theme = ThemeFactory(name="Supervision")
    sign_in_as(client, no_group_user)
    for url in (LIST, _detail(theme), ADD, _edit(theme)):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Supervision" not in response.text, url
        assert "Your account does not have a role yet" in response.text, url
    assert client.post(ADD, {"name": "Caseloads"}).status_code == 403
    assert not Theme.objects.filter(name="Caseloads").exists()


def test_anonymous_is_sent_to_sign_in(client):
    theme = ThemeFactory()
    for url in (LIST, _detail(theme), ADD, _edit(theme)):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url


def test_unknown_theme_is_404(client_as_manager):
    for name in ("theme_detail", "theme_edit"):
        url = reverse(f"findings:{name}", args=[999999])
        assert client_as_manager.get(url).status_code == 404


# The list and the theme's page ---------------------------------------------


def test_list_counts_each_themes_findings_and_links_to_the_filtered_register(
    client_as_board,
):
    supervision = ThemeFactory(name="Supervision")
    caseloads = ThemeFactory(name="Caseloads")
    unused = ThemeFactory(name="Return home interviews")
    for finding in FindingFactory.create_batch(3):
        finding.themes.add(supervision)
    FindingFactory().themes.add(caseloads, supervision)

    response = client_as_board.get(LIST)
    soup = BeautifulSoup(response.content, "html.parser")
    rows = {
        " ".join(row.find("td").get_text().split()): row
        for row in soup.select("table tbody tr")
    }
    assert list(rows) == ["Caseloads", "Return home interviews", "Supervision"]
    counts = {
        name: " ".join(row.find_all("td")[-1].get_text().split())
        for name, row in rows.items()
    }
    assert counts["Supervision"].startswith("4 findings")
    assert counts["Caseloads"].startswith("1 finding")
    assert counts["Return home interviews"] == "0"
    link = rows["Supervision"].find_all("td")[-1].find("a")["href"]
    assert link == f"{reverse('findings:finding_list')}?theme={supervision.pk}"
    assert rows["Return home interviews"].find_all("td")[-1].find("a") is None
    # The link leads to the register showing exactly that theme's findings.
    register = client_as_board.get(link)
    assert register.status_code == 200
    shown = {finding.pk for finding in register.context["object_list"]}
    assert shown == set(supervision.findings.values_list("pk", flat=True))
    assert unused.findings.count() == 0


def test_list_queries_do_not_grow_with_themes(client_as_board):
    ThemeFactory.create_batch(2)
    with CaptureQueriesContext(connection) as few:
        client_as_board.get(LIST)
    for theme in ThemeFactory.create_batch(20):
        FindingFactory().themes.add(theme)
    with CaptureQueriesContext(connection) as many:
        response = client_as_board.get(LIST)
    assert response.status_code == 200
    assert (len(few), len(many)) == (5, 5)  # pinned: a fixed extra one fails too


def test_the_findings_register_links_to_the_themes(client_as_board, client):
    response = client_as_board.get(reverse("findings:finding_list"))
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one(f'main a[href="{LIST}"]') is not None


def test_the_findings_register_offers_managers_to_manage_themes(client_as_manager):
    response = client_as_manager.get(reverse("findings:finding_list"))
    soup = BeautifulSoup(response.content, "html.parser")
    link = soup.select_one(f'main a[href="{LIST}"]')
    assert link is not None and "add" in link.get_text()


def test_a_findings_themes_link_to_their_pages(client_as_officer):
    theme = ThemeFactory(name="Supervision")
    finding = FindingFactory()
    finding.themes.add(theme)
    response = client_as_officer.get(
        reverse("findings:finding_detail", args=[finding.pk])
    )
    soup = BeautifulSoup(response.content, "html.parser")
    link = soup.select_one(f'main a[href="{_detail(theme)}"]')
    assert link is not None and link.get_text() == "Supervision"


def test_theme_page_links_to_its_findings_and_shows_history(client_as_manager, manager):
    response = client_as_manager.post(
        ADD, {"name": "Supervision", "description": "Monthly"}
    )
    theme = Theme.objects.get(name="Supervision")
    FindingFactory().themes.add(theme)
    edit = client_as_manager.get(_edit(theme))
    response = client_as_manager.post(
        _edit(theme), form_data(edit, name="Supervision and oversight")
    )
    assert response.status_code == 302

    page = client_as_manager.get(_detail(theme))
    assert page.status_code == 200
    soup = BeautifulSoup(page.content, "html.parser")
    register = f"{reverse('findings:finding_list')}?theme={theme.pk}"
    link = soup.select_one(f'main a[href="{register}"]')
    assert link is not None and "1 finding with this theme" in link.get_text()
    history = soup.select_one('table[aria-labelledby="history"]')
    assert history is not None
    text = " ".join(history.get_text().split())
    assert manager.get_full_name() in text
    assert "Supervision" in text and "Supervision and oversight" in text
    assert "Edit theme" in page.text


# Adding ---------------------------------------------------------------------


def test_manager_adds_a_theme(client_as_manager, manager):
    page = client_as_manager.get(ADD)
    assert page.status_code == 200
    response = client_as_manager.post(
        ADD, form_data(page, name="  Caseloads  ", description="Too many children")
    )
    theme = Theme.objects.get()
    assert response.status_code == 302
    assert response.url == _detail(theme)
    assert theme.name == "Caseloads"
    assert theme.description == "Too many children"
    assert _messages(response) == ["Theme “Caseloads” added"]
    record = theme.history.get()
    assert record.history_type == "+" and record.history_user == manager


@pytest.mark.parametrize("typed", ["Supervision", "supervision", " SUPERVISION "])
def test_a_name_another_theme_has_is_refused_beside_the_field(client_as_manager, typed):
    ThemeFactory(name="Supervision")
    response = client_as_manager.post(ADD, {"name": typed, "description": ""})
    assert response.status_code == 200
    message = _field_error(response, "name")
    assert "A theme called “Supervision” already exists" in message
    assert "A theme called “Supervision” already exists" in _error_summary(response)
    assert Theme.objects.count() == 1


def test_renaming_to_another_themes_name_is_refused(client_as_manager):
    ThemeFactory(name="Caseloads")
    theme = ThemeFactory(name="Supervision")
    page = client_as_manager.get(_edit(theme))
    response = client_as_manager.post(_edit(theme), form_data(page, name="caseloads"))
    assert response.status_code == 200
    assert "A theme called “Caseloads” already exists" in _field_error(response, "name")
    theme.refresh_from_db()
    assert theme.name == "Supervision"


def test_changing_only_the_capitals_of_its_own_name_is_allowed(client_as_manager):
    theme = ThemeFactory(name="supervision")
    page = client_as_manager.get(_edit(theme))
    response = client_as_manager.post(_edit(theme), form_data(page, name="Supervision"))
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.name == "Supervision"


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"name": ""}, "name", "Enter a name for the theme"),
        ({"name": "   "}, "name", "Enter a name for the theme"),
        ({"name": "x" * 101}, "name", "Name must be 100 characters or fewer"),
        (
            {"name": "Caseloads", "description": "x" * 5001},
            "description",
            "Description must be 5,000 characters or fewer",
        ),
        ({"name": "Case\x00loads"}, "name", "Name must not include control characters"),
    ],
)
def test_bad_input_gets_a_message_beside_the_field(
    client_as_manager, data, field, message
):
    response = client_as_manager.post(ADD, data)
    assert response.status_code == 200
    assert message in _field_error(response, field)
    assert Theme.objects.count() == 0


# Editing ---------------------------------------------------------------------


def test_manager_edits_a_theme_and_the_change_is_recorded(client_as_manager, manager):
    theme = ThemeFactory(name="Supervision", description="Old")
    page = client_as_manager.get(_edit(theme))
    assert page.status_code == 200
    response = client_as_manager.post(
        _edit(theme), form_data(page, description="Monthly, recorded, reflective")
    )
    assert response.status_code == 302
    assert response.url == _detail(theme)
    assert _messages(response) == ["Theme “Supervision” saved"]
    theme.refresh_from_db()
    assert theme.description == "Monthly, recorded, reflective"
    latest = theme.history.latest("history_date")
    assert latest.history_type == "~" and latest.history_user == manager


@pytest.mark.parametrize(
    "changes",
    [
        {"version": "abc"},
        {"version": "99999999999999999999"},
        {"version": None},
        {"opened": "{not json"},
        {"opened": '{"name": 5}'},
        {"conflicted": "name,unknown"},
    ],
)
def test_tampered_edit_forms_never_fail_with_a_server_error(client_as_manager, changes):
    theme = ThemeFactory(name="Supervision")
    page = client_as_manager.get(_edit(theme))
    response = client_as_manager.post(
        _edit(theme), form_data(page, name="Renamed", **changes)
    )
    assert response.status_code in (200, 302, 409)


def test_page_numbers_that_are_not_numbers_show_the_first_page(client_as_board):
    ThemeFactory(name="Supervision")
    for page in ("abc", "-1", "999999999999999999999", "1\x00"):
        response = client_as_board.get(LIST, {"page": page})
        assert response.status_code == 200, page
        assert "Supervision" in response.text
