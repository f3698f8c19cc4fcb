"""The findings register's pages: who may open them, the finding page and its forms."""

import pytest
from django.urls import reverse

from findings.models import Finding
from improvement.kernel.history import acting_as
from tests.factories import (
    ActionFactory,
    FindingFactory,
    InspectionFactory,
    MonitoringVisitFactory,
    ThemeFactory,
    UserFactory,
)
from tests.helpers import finding_data, sign_in_as, success_message

pytestmark = pytest.mark.django_db


# Who may open what --------------------------------------------------------


def _read_urls(finding):
    return [reverse("findings:finding_list"), finding.get_absolute_url()]


def _write_urls(finding):
    return [
        reverse("findings:finding_create"),
        reverse("findings:finding_edit", args=[finding.pk]),
        reverse("findings:finding_actions", args=[finding.pk]),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client):
    finding = FindingFactory()
    for url in _read_urls(finding) + _write_urls(finding):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("persona", ["client_as_board", "client_as_officer"])
def test_board_members_and_officers_can_read(request, persona):
    client = request.getfixturevalue(persona)
    finding = FindingFactory()
    for url in _read_urls(finding):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", ["client_as_board", "client_as_officer"])
def test_board_members_and_officers_get_403_on_write_pages(request, persona):
    client = request.getfixturevalue(persona)
    finding = FindingFactory(title="Original title")
    action = ActionFactory()
    for url in _write_urls(finding):
        assert client.get(url).status_code == 403, url
    posts = [
        (_write_urls(finding)[0], finding_data(inspection=finding.inspection_id)),
        (_write_urls(finding)[1], finding_data(finding, title="Changed")),
        (_write_urls(finding)[2], {"add": [action.pk]}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    finding.refresh_from_db()
    assert finding.title == "Original title"
    assert Finding.objects.count() == 1
    assert not action.findings.exists()


def test_officer_does_not_see_manager_controls(client_as_officer):
    finding = FindingFactory()
    response = client_as_officer.get(finding.get_absolute_url())
    assert "Edit finding" not in response.text
    assert "Link an existing action" not in response.text
    assert "Create a new action" not in response.text


def test_unknown_finding_is_404(client_as_manager):
    for name in ("finding_detail", "finding_edit", "finding_actions"):
        url = reverse(f"findings:{name}", args=[999999])
        assert client_as_manager.get(url).status_code == 404


def test_user_without_any_role_cannot_see_a_finding(client, no_group_user):
    sign_in_as(client, no_group_user)
    finding = FindingFactory()
    assert client.get(finding.get_absolute_url()).status_code == 403
    response = client.get(reverse("findings:finding_list"))
    assert response.status_code == 403
    assert finding.title not in response.text


# The finding page ---------------------------------------------------------


def test_finding_page_shows_text_source_themes_and_answering_actions(client_as_board):
    theme = ThemeFactory(name="Supervision")
    finding = FindingFactory(
        reference="R4",
        title="Management oversight",
        text="Managers do not check that plans progress.",
        priority=Finding.Priority.HIGH,
    )
    finding.themes.add(theme)
    action = ActionFactory(reference="2.3", title="Audit supervision", rag="amber")
    action.findings.add(finding)
    response = client_as_board.get(finding.get_absolute_url())
    text = response.text
    assert "<title>Finding R4: Management oversight" in text
    assert "Managers do not check that plans progress." in text
    assert "Recommendation" in text and "High priority" in text
    assert "Supervision" in text
    assert finding.inspection.get_absolute_url() in text
    assert "Action 2.3: Audit supervision" in text
    assert "Not started" in text and "Amber" in text
    assert "30 June 2026" in text
    assert "No action answers this finding yet" not in text


def test_unanswered_finding_page_warns(client_as_manager):
    finding = FindingFactory()
    response = client_as_manager.get(finding.get_absolute_url())
    assert "govuk-warning-text" in response.text
    assert "No action answers this finding yet." in response.text
    assert "Not answered" in response.text
    # Managers are offered both ways to answer it.
    create_url = reverse("improvement:action_create") + f"?finding={finding.pk}"
    assert create_url in response.text
    assert reverse("findings:finding_actions", args=[finding.pk]) in response.text
    assert reverse("findings:finding_edit", args=[finding.pk]) in response.text


def test_a_strength_needs_no_action(client_as_board):
    finding = FindingFactory(kind=Finding.Kind.STRENGTH)
    response = client_as_board.get(finding.get_absolute_url())
    assert "no action is needed" in response.text
    assert "govuk-warning-text" not in response.text
    assert "Not answered" not in response.text


def test_finding_from_a_visit_links_to_the_visit(client_as_board):
    visit = MonitoringVisitFactory()
    finding = FindingFactory(inspection=None, monitoring_visit=visit)
    response = client_as_board.get(finding.get_absolute_url())
    assert visit.get_absolute_url() in response.text


# Adding a finding ---------------------------------------------------------


def test_manager_adds_a_finding(client_as_manager, manager):
    inspection = InspectionFactory()
    theme = ThemeFactory(name="Caseloads")
    url = reverse("findings:finding_create")
    response = client_as_manager.post(
        url, finding_data(inspection=inspection.pk, themes=[theme.pk]), follow=True
    )
    finding = Finding.objects.get()
    assert response.redirect_chain[-1][0] == finding.get_absolute_url()
    assert "Finding R9 added" in success_message(response)
    assert finding.inspection == inspection
    assert finding.priority == Finding.Priority.HIGH
    assert list(finding.themes.all()) == [theme]
    assert finding.history.first().history_user == manager
    assert {h.history_user for h in finding.history.all()} == {manager}


def test_add_page_preselects_the_inspection_or_visit(client_as_manager):
    inspection = InspectionFactory()
    visit = MonitoringVisitFactory()
    url = reverse("findings:finding_create")
    form = client_as_manager.get(f"{url}?inspection={inspection.pk}").context["form"]
    assert form["inspection"].value() == inspection.pk
    form = client_as_manager.get(f"{url}?visit={visit.pk}").context["form"]
    assert form["monitoring_visit"].value() == visit.pk


@pytest.mark.parametrize("query", ["inspection=abc", "visit=-1", "inspection=99999"])
def test_add_page_ignores_bad_source_ids(client_as_manager, query):
    response = client_as_manager.get(reverse("findings:finding_create") + "?" + query)
    assert response.status_code == 200
    assert response.context["form"]["inspection"].value() is None


def _assert_error(response, message):
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "<title>Error: " in response.text
    assert message in response.text


def test_a_finding_needs_a_source(client_as_manager):
    response = client_as_manager.post(
        reverse("findings:finding_create"), finding_data()
    )
    _assert_error(response, "Select the inspection or the visit that raised this")
    assert "inspection" in response.context["form"].errors
    assert not Finding.objects.exists()


def test_a_finding_cannot_come_from_both(client_as_manager):
    visit = MonitoringVisitFactory()
    response = client_as_manager.post(
        reverse("findings:finding_create"),
        finding_data(inspection=visit.inspection_id, monitoring_visit=visit.pk),
    )
    _assert_error(response, "not both")
    assert "monitoring_visit" in response.context["form"].errors
    assert not Finding.objects.exists()


def test_reference_must_be_unique_within_its_inspection(client_as_manager):
    existing = FindingFactory(reference="R9")
    response = client_as_manager.post(
        reverse("findings:finding_create"),
        finding_data(inspection=existing.inspection_id),
    )
    _assert_error(response, "This inspection already has a finding with that reference")
    assert "reference" in response.context["form"].errors
    assert Finding.objects.count() == 1


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        (
            {"reference": "x" * 101},
            "reference",
            "Reference must be 100 characters or fewer",
        ),
        ({"title": ""}, "title", "Enter a title"),
        ({"kind": ""}, "kind", "Select the kind of finding"),
        ({"kind": "opinion"}, "kind", "Select a kind of finding from the list"),
        ({"title": "x" * 251}, "title", "Title must be 250 characters or fewer"),
        ({"text": "x" * 5001}, "text", "Full text must be 5,000 characters or fewer"),
        ({"themes": ["999999"]}, "themes", "Select themes from the list"),
        ({"themes": ["abc"]}, "themes", "Select themes from the list"),
        ({"priority": "urgent"}, "priority", "Select a priority from the list"),
    ],
)
def test_bad_input_is_explained_beside_the_field(
    client_as_manager, overrides, field, message
):
    inspection = InspectionFactory()
    response = client_as_manager.post(
        reverse("findings:finding_create"),
        finding_data(inspection=inspection.pk, **overrides),
    )
    _assert_error(response, message)
    assert field in response.context["form"].errors
    assert not Finding.objects.exists()


@pytest.mark.parametrize("value", ["abc", "99999", "1.5"])
def test_unknown_inspection_is_a_form_error(client_as_manager, value):
    response = client_as_manager.post(
        reverse("findings:finding_create"), finding_data(inspection=value)
    )
    _assert_error(response, "Select an inspection from the list")
    assert not Finding.objects.exists()


# Editing a finding --------------------------------------------------------


def test_manager_edits_a_finding(client_as_manager, manager):
    finding = FindingFactory(title="Old title")
    theme = ThemeFactory()
    url = reverse("findings:finding_edit", args=[finding.pk])
    form = client_as_manager.get(url).context["form"]
    assert form["version"].value() == finding.version
    response = client_as_manager.post(
        url,
        finding_data(finding, title="New title", themes=[theme.pk]),
        follow=True,
    )
    assert f"Finding {finding.reference} saved" in success_message(response)
    finding.refresh_from_db()
    assert finding.title == "New title"
    assert list(finding.themes.all()) == [theme]
    latest = finding.history.filter(history_type="~").order_by("history_date")
    assert {h.history_user for h in latest} == {manager}
    page = client_as_manager.get(finding.get_absolute_url()).text
    assert "Old title" in page and "New title" in page


def test_editing_with_bad_input_keeps_the_finding(client_as_manager):
    finding = FindingFactory(title="Kept")
    response = client_as_manager.post(
        reverse("findings:finding_edit", args=[finding.pk]),
        finding_data(finding, title="", inspection=""),
    )
    _assert_error(response, "Enter a title")
    finding.refresh_from_db()
    assert finding.title == "Kept"
    assert finding.history.count() == 1


def test_a_stale_edit_is_refused_and_the_input_kept(client_as_manager, manager):
    finding = FindingFactory(title="First wording", priority="medium")
    url = reverse("findings:finding_edit", args=[finding.pk])
    opened = client_as_manager.get(url).context["form"]["version"].value()

    colleague = UserFactory(first_name="Priya", last_name="Shah")
    with acting_as(colleague):
        current = Finding.objects.get(pk=finding.pk)
        current.priority = Finding.Priority.LOW
        current.save()

    mine = finding_data(finding, version=opened, title="My better wording")
    response = client_as_manager.post(url, mine)
    assert response.status_code == 409
    assert "Someone else changed this while you were editing" in response.text
    assert "Priya Shah" in response.text
    assert "My better wording" in response.text
    finding.refresh_from_db()
    assert finding.title == "First wording"
    assert finding.priority == Finding.Priority.LOW

    fresh_version = response.context["form"]["version"].value()
    assert fresh_version == finding.version
    response = client_as_manager.post(
        url, {**mine, "version": fresh_version, "priority": "low"}
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.title == "My better wording"
    assert finding.priority == Finding.Priority.LOW
    assert finding.history.first().history_user == manager


@pytest.mark.parametrize("version", ["", "abc", "-1"])
def test_a_missing_or_bad_version_is_a_form_error(client_as_manager, version):
    finding = FindingFactory(title="Kept")
    response = client_as_manager.post(
        reverse("findings:finding_edit", args=[finding.pk]),
        finding_data(finding, version=version, title="Changed"),
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    finding.refresh_from_db()
    assert finding.title == "Kept"
