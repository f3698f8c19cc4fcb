"""Inspections and visits: who may open what, the pages, and the visit form."""

import datetime

import pytest
from django.urls import reverse

from findings.models import Finding
from improvement.kernel.history import acting_as
from tests.factories import (
    ActionFactory,
    FindingFactory,
    InspectionFactory,
    JudgementFactory,
    MonitoringVisitFactory,
    UserFactory,
)
from tests.helpers import date_parts, sign_in_as, visit_data
from visits.models import Grade, Inspection, Judgement, MonitoringVisit

pytestmark = pytest.mark.django_db


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def assert_form_error(response, message):
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "<title>Error: " in response.text
    assert message in response.text


# Who may open what --------------------------------------------------------


def read_urls(inspection, visit):
    return [
        reverse("visits:inspection_list"),
        inspection.get_absolute_url(),
        visit.get_absolute_url(),
    ]


def write_urls(inspection, visit):
    return [
        reverse("visits:inspection_create"),
        reverse("visits:inspection_edit", args=[inspection.pk]),
        reverse("visits:monitoringvisit_create"),
        reverse("visits:monitoringvisit_edit", args=[visit.pk]),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client):
    visit = MonitoringVisitFactory()
    for url in read_urls(visit.inspection, visit) + write_urls(visit.inspection, visit):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("persona", ["client_as_board", "client_as_officer"])
def test_board_members_and_officers_can_read(request, persona):
    client = request.getfixturevalue(persona)
    visit = MonitoringVisitFactory()
    for url in read_urls(visit.inspection, visit):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", ["client_as_board", "client_as_officer"])
def test_board_members_and_officers_get_403_on_write_pages(request, persona):
    client = request.getfixturevalue(persona)
    visit = MonitoringVisitFactory(summary="Unchanged")
    inspection = visit.inspection
    for url in write_urls(inspection, visit):
        assert client.get(url).status_code == 403, url
        assert client.post(url, visit_data(visit, summary="x")).status_code == 403
    visit.refresh_from_db()
    assert visit.summary == "Unchanged"
    assert MonitoringVisit.objects.count() == 1
    assert Inspection.objects.count() == 1


def test_read_pages_hide_manager_controls_from_board_members(client_as_board):
    visit = MonitoringVisitFactory()
    text = client_as_board.get(visit.inspection.get_absolute_url()).text
    assert "Edit inspection" not in text
    assert reverse("findings:finding_create") not in text
    text = client_as_board.get(visit.get_absolute_url()).text
    assert "Edit visit" not in text
    text = client_as_board.get(reverse("visits:inspection_list")).text
    assert reverse("visits:inspection_create") not in text


@pytest.mark.parametrize(
    "name", ["inspection_detail", "inspection_edit", "monitoringvisit_detail"]
)
def test_unknown_records_are_404(client_as_manager, name):
    url = reverse(f"visits:{name}", args=[999999])
    assert client_as_manager.get(url).status_code == 404


def test_user_without_any_role_sees_no_inspections(client, no_group_user):
    sign_in_as(client, no_group_user)
    inspection = InspectionFactory(title="Hidden inspection")
    assert client.get(inspection.get_absolute_url()).status_code == 403
    refused = client.get(reverse("visits:inspection_list"))
    assert refused.status_code == 403
    assert "Hidden inspection" not in refused.text


# The register and detail pages ---------------------------------------------


def test_register_lists_inspections_and_then_visits(client_as_board):
    inspection = InspectionFactory(title="ILACS inspection 2025")
    visit = MonitoringVisitFactory(inspection=inspection, sequence=3)
    FindingFactory(inspection=inspection)
    FindingFactory(inspection=inspection)
    response = client_as_board.get(reverse("visits:inspection_list"))
    text = response.text
    assert "<title>Inspections and visits" in text
    assert "ILACS inspection 2025" in text
    assert "6 October 2025 to 17 October 2025" in text
    assert "28 November 2025" in text
    assert "Inadequate" in text
    assert response.context["inspections"][0].finding_count == 2
    assert str(visit) in text
    assert text.index("ILACS inspection 2025") < text.index(str(visit))


def test_empty_register_says_what_happens_next(client_as_manager):
    text = client_as_manager.get(reverse("visits:inspection_list")).text
    assert "No inspections have been recorded yet" in text
    assert "No monitoring visits or reviews have been recorded yet" in text
    assert reverse("visits:inspection_create") in text
    assert reverse("visits:monitoringvisit_create") in text


def test_inspection_page_shows_judgements_visits_findings(client_as_board):
    inspection = InspectionFactory(
        title="ILACS inspection 2025", report_url="https://reports.example/ilacs.pdf"
    )
    JudgementFactory(inspection=inspection, area="Help and protection", grade="good")
    visit = MonitoringVisitFactory(inspection=inspection)
    answered = FindingFactory(inspection=inspection, reference="R1")
    ActionFactory().findings.add(answered)
    FindingFactory(inspection=inspection, reference="R2", title="Nothing yet")
    response = client_as_board.get(inspection.get_absolute_url())
    text = response.text
    assert "Help and protection" in text and "Good" in text
    assert 'href="https://reports.example/ilacs.pdf"' in text
    assert visit.get_absolute_url() in text
    assert answered.get_absolute_url() in text
    assert "R2: Nothing yet" in text
    assert ">Not answered</strong>" in text
    assert "Overall judgement" in text


def test_inspection_history_includes_its_judgements(client_as_manager, manager):
    inspection = InspectionFactory()
    judgement = JudgementFactory(inspection=inspection, area="Leadership")
    with acting_as(manager):
        judgement.grade = Grade.GOOD
        judgement.save()
    response = client_as_manager.get(inspection.get_absolute_url())
    subjects = [entry.subject for entry in response.context["timeline"]]
    assert "Judgement: Leadership" in subjects
    assert "Requires improvement to be good" in response.text
    assert "Good" in response.text


def test_visit_page_shows_details_inspection_and_findings(client_as_board):
    visit = MonitoringVisitFactory(
        inspectors="Two inspectors",
        areas_covered="The front door",
        letter_date=datetime.date(2026, 4, 14),
        letter_url="https://files.example/letter.pdf",
    )
    finding = FindingFactory(
        inspection=None, monitoring_visit=visit, kind=Finding.Kind.AREA_FOR_IMPROVEMENT
    )
    text = client_as_board.get(visit.get_absolute_url()).text
    assert "Two inspectors" in text and "The front door" in text
    assert "14 April 2026" in text
    assert 'href="https://files.example/letter.pdf"' in text
    assert visit.inspection.get_absolute_url() in text
    assert finding.get_absolute_url() in text
    assert "Area for improvement" in text
    assert "Monitoring visit or review added" in text


def test_visit_without_inspection_says_so(client_as_board):
    visit = MonitoringVisitFactory(inspection=None, kind="peer_review")
    text = client_as_board.get(visit.get_absolute_url()).text
    assert "Not linked to an inspection" in text


# Adding and editing a visit ------------------------------------------------


def test_manager_adds_a_visit(client_as_manager, manager):
    inspection = InspectionFactory()
    url = reverse("visits:monitoringvisit_create")
    response = client_as_manager.post(
        url, visit_data(inspection=inspection.pk), follow=True
    )
    visit = MonitoringVisit.objects.get()
    assert response.redirect_chain[-1][0] == visit.get_absolute_url()
    assert "Ofsted monitoring visit 2 added" in messages_of(response)
    assert visit.inspection == inspection
    assert visit.start_date == datetime.date(2026, 5, 12)
    assert visit.letter_url == "https://files.ofsted.gov.uk/letter.pdf"
    assert visit.history.get().history_user == manager


def test_add_visit_page_preselects_the_inspection(client_as_manager):
    inspection = InspectionFactory()
    url = reverse("visits:monitoringvisit_create")
    form = client_as_manager.get(f"{url}?inspection={inspection.pk}").context["form"]
    assert form["inspection"].value() == inspection.pk
    for bad in ("abc", "0", "99999", "1e3"):
        response = client_as_manager.get(f"{url}?inspection={bad}")
        assert response.status_code == 200
        assert response.context["form"]["inspection"].value() is None


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        (date_parts("start_date", None), "start_date", "Enter the start date"),
        (date_parts("end_date", None), "end_date", "Enter the end date"),
        (
            {"start_date_0": "31", "start_date_1": "2", "start_date_2": "2026"},
            "start_date",
            "Start date must be a real date",
        ),
        (
            date_parts("end_date", datetime.date(2026, 5, 1)),
            "end_date",
            "end date must be on or after the start date",
        ),
        (
            date_parts("letter_date", datetime.date(2026, 1, 1)),
            "letter_date",
            "letter date must be on or after the start date",
        ),
        ({"sequence": ""}, "sequence", "Enter the visit number"),
        ({"sequence": "two"}, "sequence", "Visit number must be a whole number"),
        ({"sequence": "0"}, "sequence", "Visit number must be 1 or more"),
        ({"kind": ""}, "kind", "Select the kind of visit"),
        ({"kind": "picnic"}, "kind", "Select a kind of visit from the list"),
        ({"inspection": "abc"}, "inspection", "Select an inspection from the list"),
        ({"inspection": "99999"}, "inspection", "Select an inspection from the list"),
        ({"letter_url": "not a link at all"}, "letter_url", "in the correct format"),
        ({"inspectors": "x" * 5001}, "inspectors", "5,000 characters or fewer"),
    ],
)
def test_bad_visit_input_is_explained_beside_the_field(
    client_as_manager, overrides, field, message
):
    response = client_as_manager.post(
        reverse("visits:monitoringvisit_create"), visit_data(**overrides)
    )
    assert_form_error(response, message)
    assert field in response.context["form"].errors
    assert not MonitoringVisit.objects.exists()


def test_visit_number_must_be_unique_for_its_inspection_and_kind(client_as_manager):
    existing = MonitoringVisitFactory(sequence=2)
    response = client_as_manager.post(
        reverse("visits:monitoringvisit_create"),
        visit_data(inspection=existing.inspection_id),
    )
    assert_form_error(response, "There is already a visit of this kind with that")
    assert "sequence" in response.context["form"].errors
    assert MonitoringVisit.objects.count() == 1


def test_manager_edits_a_visit(client_as_manager, manager):
    visit = MonitoringVisitFactory(summary="")
    url = reverse("visits:monitoringvisit_edit", args=[visit.pk])
    assert client_as_manager.get(url).status_code == 200
    response = client_as_manager.post(
        url, visit_data(visit, summary="Progress is slow."), follow=True
    )
    assert f"Ofsted monitoring visit {visit.sequence} saved" in messages_of(response)
    visit.refresh_from_db()
    assert visit.summary == "Progress is slow."
    assert visit.history.first().history_user == manager
    assert "Progress is slow." in response.text


def test_a_stale_visit_edit_is_refused(client_as_manager):
    visit = MonitoringVisitFactory(summary="Original")
    url = reverse("visits:monitoringvisit_edit", args=[visit.pk])
    opened = client_as_manager.get(url).context["form"]["version"].value()
    colleague = UserFactory(first_name="Alex", last_name="Okafor")
    with acting_as(colleague):
        current = MonitoringVisit.objects.get(pk=visit.pk)
        current.inspectors = "Three inspectors"
        current.save()
    mine = visit_data(visit, version=opened, summary="Mine")
    response = client_as_manager.post(url, mine)
    assert response.status_code == 409
    assert "Alex Okafor" in response.text
    assert "Three inspectors" in response.text
    visit.refresh_from_db()
    assert visit.summary == "Original"
    fresh = response.context["form"]["version"].value()
    response = client_as_manager.post(
        url, {**mine, "version": fresh, "inspectors": "Three inspectors"}
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.summary == "Mine"
    assert visit.inspectors == "Three inspectors"


def test_invalid_visit_edit_saves_nothing(client_as_manager):
    visit = MonitoringVisitFactory()
    before = visit.history.count()
    response = client_as_manager.post(
        reverse("visits:monitoringvisit_edit", args=[visit.pk]),
        visit_data(visit, **date_parts("start_date", None)),
    )
    assert_form_error(response, "Enter the start date")
    assert visit.history.count() == before
    assert Judgement.objects.count() == 0
