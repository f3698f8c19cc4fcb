"""The findings register: rows, unanswered flags, every filter, sorting, pages."""

import pytest
from django.urls import reverse

from findings.models import Finding
from tests.factories import (
    ActionFactory,
    FindingFactory,
    InspectionFactory,
    MonitoringVisitFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("findings:finding_list")


def listed(client, query=""):
    response = client.get(f"{URL}?{query}" if query else URL)
    assert response.status_code == 200
    return list(response.context["object_list"])


def test_each_row_shows_the_finding_its_kind_source_and_actions(client_as_board):
    inspection = InspectionFactory(title="ILACS inspection 2025")
    finding = FindingFactory(inspection=inspection, reference="R3", title="Caseloads")
    action = ActionFactory(reference="4.1", title="Recruit social workers")
    action.findings.add(finding)
    response = client_as_board.get(URL)
    text = response.text
    assert "<title>Findings" in text
    assert f'href="{finding.get_absolute_url()}">R3: Caseloads</a>' in text
    assert "Recommendation" in text
    assert f'href="{inspection.get_absolute_url()}">ILACS inspection 2025</a>' in text
    assert "Action 4.1: Recruit social workers" in text
    assert "Not started" in text


def test_unanswered_findings_are_flagged_in_words(client_as_board):
    FindingFactory(title="Nothing answers me")
    FindingFactory(title="A strength", kind=Finding.Kind.STRENGTH)
    text = client_as_board.get(URL).text
    assert "Not answered" in text
    assert "No action answers this finding yet" in text
    assert "No action needed for a strength" in text
    assert text.count(">Not answered</strong>") == 1


def test_empty_register_explains_what_to_do(client_as_board, client):
    assert "No findings have been recorded yet" in client_as_board.get(URL).text
    response = client_as_board.get(URL + "?q=nothing-like-this")
    assert "No findings match your filters" in response.text


def test_manager_is_offered_add_a_finding(client_as_manager):
    text = client_as_manager.get(URL).text
    assert reverse("findings:finding_create") in text


def test_board_member_is_not_offered_add_a_finding(client_as_board):
    assert reverse("findings:finding_create") not in client_as_board.get(URL).text


# Filters ----------------------------------------------------------------


def test_filter_by_words_in_reference_or_title(client_as_board):
    by_title = FindingFactory(reference="R1", title="Supervision of social workers")
    by_ref = FindingFactory(reference="AFI-7", title="Something else")
    FindingFactory(reference="R2", title="Caseloads")
    assert listed(client_as_board, "q=supervision") == [by_title]
    assert listed(client_as_board, "q=afi-7") == [by_ref]


def test_filter_by_inspection(client_as_board):
    match = FindingFactory()
    FindingFactory()
    assert listed(client_as_board, f"inspection={match.inspection_id}") == [match]


def test_filter_by_visit(client_as_board):
    visit = MonitoringVisitFactory()
    match = FindingFactory(inspection=None, monitoring_visit=visit)
    FindingFactory()
    assert listed(client_as_board, f"monitoring_visit={visit.pk}") == [match]


def test_filter_by_kind_takes_several(client_as_board):
    recommendation = FindingFactory(kind=Finding.Kind.RECOMMENDATION)
    area = FindingFactory(kind=Finding.Kind.AREA_FOR_IMPROVEMENT)
    FindingFactory(kind=Finding.Kind.STRENGTH)
    assert listed(client_as_board, "kind=recommendation") == [recommendation]
    found = listed(client_as_board, "kind=recommendation&kind=area_for_improvement")
    assert set(found) == {recommendation, area}


def test_filter_by_theme(client_as_board):
    theme = ThemeFactory(name="Supervision")
    match = FindingFactory()
    match.themes.add(theme, ThemeFactory(name="Caseloads"))
    FindingFactory()
    assert listed(client_as_board, f"theme={theme.pk}") == [match]


def test_filter_by_priority(client_as_board):
    high = FindingFactory(priority=Finding.Priority.HIGH)
    FindingFactory(priority=Finding.Priority.LOW)
    assert listed(client_as_board, "priority=high") == [high]


def test_filter_answered_and_unanswered(client_as_board):
    answered = FindingFactory()
    ActionFactory().findings.add(answered)
    unanswered = FindingFactory()
    strength = FindingFactory(kind=Finding.Kind.STRENGTH)
    assert listed(client_as_board, "answered=answered") == [answered]
    # Strengths are not expected to be answered, so they are not "unanswered".
    assert listed(client_as_board, "answered=unanswered") == [unanswered]
    assert set(listed(client_as_board)) == {answered, unanswered, strength}


@pytest.mark.parametrize(
    "query",
    [
        "inspection=abc",
        "monitoring_visit=99999",
        "kind=opinion",
        "theme=-1",
        "priority=urgent",
        "answered=maybe",
        "sort=secret_field",
        "page=abc",
        "page=99999",
        "q=" + "x" * 300,
    ],
)
def test_bad_filter_values_never_break_the_page(client_as_board, query):
    FindingFactory()
    response = client_as_board.get(f"{URL}?{query}")
    assert response.status_code == 200


def test_sort_by_priority_puts_high_first(client_as_board):
    low = FindingFactory(reference="A1", priority=Finding.Priority.LOW)
    high = FindingFactory(reference="B1", priority=Finding.Priority.HIGH)
    medium = FindingFactory(reference="C1", priority=Finding.Priority.MEDIUM)
    assert listed(client_as_board, "sort=priority") == [high, medium, low]
    assert listed(client_as_board, "sort=-priority") == [low, medium, high]
    assert listed(client_as_board) == [low, high, medium]  # by reference


def test_sort_by_title(client_as_board):
    b = FindingFactory(title="Bravo")
    a = FindingFactory(title="Alpha")
    assert listed(client_as_board, "sort=title") == [a, b]
    assert listed(client_as_board, "sort=-title") == [b, a]


def test_pages_of_25_keep_the_filters_in_the_links(client_as_board):
    inspection = InspectionFactory()
    for n in range(30):
        FindingFactory(inspection=inspection, reference=f"R{n:02d}")
    FindingFactory(title="Not from this inspection")
    query = f"inspection={inspection.pk}&kind=recommendation"
    response = client_as_board.get(f"{URL}?{query}")
    assert len(response.context["object_list"]) == 25
    assert "Showing 1 to 25 of 30 results" in response.text
    next_link = f"?inspection={inspection.pk}&amp;kind=recommendation&amp;page=2"
    assert next_link in response.text
    assert len(listed(client_as_board, f"{query}&page=2")) == 5


def test_the_register_offers_downloads_only_when_the_plan_gives_them(
    client_as_board, monkeypatch
):
    from findings import answers

    response = client_as_board.get(f"{URL}?kind=recommendation&page=2")
    assert (
        f'href="{reverse("improvement:finding_export_csv")}?kind=recommendation"'
        in response.content.decode()
    )

    monkeypatch.setattr(answers, "_answers", answers.NoAnswers())
    response = client_as_board.get(URL)
    assert response.status_code == 200
    assert "app-downloads" not in response.content.decode()
