"""Importing an inspection's or a visit's findings from a list: upload,
check, confirm."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from findings.models import Finding, Theme
from improvement.imports.findings_columns import parse_kind, suggest_field
from improvement.imports.findings_views import GONE
from improvement.imports.models import FindingsFile
from tests import factories
from tests.helpers import sign_in_as
from tests.imports.trackers import csv_bytes, workbook_bytes
from visits.models import Inspection

pytestmark = pytest.mark.django_db

HEADINGS = ["Ref", "Type", "Finding", "Detail", "Themes"]


def findings_rows(count=3):
    """Headings, then ``count`` findings."""
    rows = [list(HEADINGS)]
    kinds = ["Recommendation", "AFI", "Strength"]
    for n in range(1, count + 1):
        rows.append(
            [
                f"R{n}",
                kinds[(n - 1) % 3],
                f"Finding number {n}",
                f"What the report says about finding {n}.",
                "Supervision; Caseloads",
            ]
        )
    return rows


@pytest.fixture
def inspection():
    factories.ThemeFactory(name="Supervision")
    factories.ThemeFactory(name="Caseloads")
    return factories.InspectionFactory()


def _url(source):
    name = (
        "imports:inspection_importfindings"
        if isinstance(source, Inspection)
        else "imports:monitoringvisit_importfindings"
    )
    return reverse(name, args=[source.pk])


def _upload(client, source, data, name="findings.xlsx"):
    return client.post(_url(source), {"file": SimpleUploadedFile(name, data)})


def _checked(client, source, data, name="findings.xlsx"):
    """Upload the list and follow to its check."""
    response = _upload(client, source, data, name)
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response.url)


def _confirm(client, source, response):
    return client.post(
        _url(source),
        {
            "record": response.context["record"].pk,
            "fingerprint": response.context["fingerprint"],
        },
    )


def test_a_manager_imports_an_inspections_findings(
    client_as_manager, manager, inspection
):
    response = _upload(client_as_manager, inspection, workbook_bytes(findings_rows()))
    record = FindingsFile.objects.get()
    assert response.url == f"{_url(inspection)}?file={record.pk}"
    response = client_as_manager.get(response.url)
    page = response.content.decode()
    assert "3 findings in the file: 3 to create, 0 to change, 0 unchanged" in page
    assert "Nothing has been saved yet" in page
    assert not Finding.objects.exists()

    response = _confirm(client_as_manager, inspection, response)
    assert response.url == inspection.get_absolute_url()
    findings = {f.reference: f for f in Finding.objects.filter(inspection=inspection)}
    assert sorted(findings) == ["R1", "R2", "R3"]
    assert findings["R2"].kind == Finding.Kind.AREA_FOR_IMPROVEMENT
    assert findings["R3"].kind == Finding.Kind.STRENGTH
    assert findings["R1"].text == "What the report says about finding 1."
    assert {t.name for t in findings["R1"].themes.all()} == {"Supervision", "Caseloads"}
    for record in findings["R1"].history.all():
        assert record.history_user == manager
        assert record.history_change_reason == "Imported from findings.xlsx"
    page = client_as_manager.get(response.url).content.decode()
    assert "Imported from findings.xlsx: 3 findings created, 0 changed" in page
    # The file is used up: it cannot be imported twice.
    page = client_as_manager.get(f"{_url(inspection)}?file={record.pk}")
    assert GONE in page.content.decode()


def test_a_visits_findings_come_from_a_csv(client_as_manager):
    visit = factories.MonitoringVisitFactory()
    data = csv_bytes([["No.", "Title", "Kind"], ["1", "Plans are not SMART", "AFI"]])
    response = _checked(client_as_manager, visit, data, name="letter.csv")
    assert "1 finding in the file: 1 to create" in response.content.decode()
    _confirm(client_as_manager, visit, response)
    finding = Finding.objects.get()
    assert finding.monitoring_visit == visit
    assert finding.inspection is None
    assert finding.kind == Finding.Kind.AREA_FOR_IMPROVEMENT


def test_a_newer_copy_changes_only_what_differs(client_as_manager, inspection):
    supervision = Theme.objects.get(name="Supervision")
    first = factories.FindingFactory(
        inspection=inspection,
        reference="R1",
        title="Old title",
        text="Same text.",
        kind=Finding.Kind.RECOMMENDATION,
    )
    first.themes.set([supervision])
    second = factories.FindingFactory(
        inspection=inspection,
        reference="R2",
        title="Finding number 2",
        text="Same text.",
        kind=Finding.Kind.STRENGTH,
    )
    # Another source's R1 is never touched.
    elsewhere = factories.FindingFactory(reference="R1", title="Old title")
    histories = {f.pk: f.history.count() for f in (first, second, elsewhere)}
    rows = [
        ["Reference", "Kind", "Title", "Text", "Theme"],
        ["r1", "Area for improvement", "New title", "Same text.", "Supervision"],
        ["R2", "Strengths", "Finding number 2", "", ""],
    ]
    response = _checked(client_as_manager, inspection, workbook_bytes(rows))
    page = response.content.decode()
    assert "2 findings in the file: 0 to create, 1 to change, 1 unchanged" in page
    assert "Title: Old title becomes New title" in page
    assert "Kind: Recommendation becomes Area for improvement" in page
    assert "Full text:" not in page
    _confirm(client_as_manager, inspection, response)
    first.refresh_from_db()
    second.refresh_from_db()
    elsewhere.refresh_from_db()
    assert first.title == "New title"
    assert first.reference == "R1"
    assert first.kind == Finding.Kind.AREA_FOR_IMPROVEMENT
    assert list(first.themes.all()) == [supervision]
    assert first.history.count() == histories[first.pk] + 1
    assert first.history.latest().history_change_reason == "Imported from findings.xlsx"
    # A blank cell clears nothing, and an unchanged row writes no history.
    assert second.text == "Same text."
    assert second.history.count() == histories[second.pk]
    assert elsewhere.title == "Old title"
    assert elsewhere.history.count() == histories[elsewhere.pk]


def test_every_problem_is_named_and_nothing_is_saved(client_as_manager, inspection):
    rows = [
        ["Ref", "Type", "Finding", "Detail", "Themes"],
        ["", "AFI", "No reference", "", ""],
        ["R2", "AFI", "", "", ""],
        ["R3", "Major issue", "Unknown kind", "", ""],
        ["R4", "AFI", "First R4", "", ""],
        ["r4", "AFI", "Second R4", "", ""],
        ["R6", "AFI", "Too long", "x" * 5001, ""],
        ["R7", "AFI", "Unknown theme", "", "Supervision; Early help"],
        ["R8", "AFI", "Fine", "", ""],
    ]
    response = _checked(client_as_manager, inspection, workbook_bytes(rows))
    page = response.content.decode()
    assert "<title>Error:" in page
    for problem in [
        "Row 4, Ref: enter the finding&#x27;s reference",
        "Row 5, Finding: enter the finding&#x27;s title",
        "Row 6, Type: “Major issue” is not a kind of finding",
        "Row 8, Ref: r4 is also the reference of row 7",
        "Row 9, Detail: the full text must be 5,000 characters or fewer",
        "Row 10, Themes: “Early help” is not yet a theme",
    ]:
        assert problem in page, problem
    assert response.context["fingerprint"] == ""
    # Confirming anyway saves nothing.
    response = client_as_manager.post(
        _url(inspection),
        {"record": response.context["record"].pk, "fingerprint": "anything"},
    )
    assert response.status_code == 200
    assert not Finding.objects.exists()


def test_missing_themes_are_created_when_the_manager_chooses(
    client_as_manager, manager, inspection
):
    rows = [["Ref", "Finding", "Themes"], ["R1", "Early help", "Early help"]]
    response = _checked(client_as_manager, inspection, workbook_bytes(rows))
    record = response.context["record"]
    assert "“Early help” is not yet a theme" in response.content.decode()
    response = client_as_manager.post(
        _url(inspection), {"record": record.pk, "create_themes": "yes"}
    )
    response = client_as_manager.get(response.url)
    page = response.content.decode()
    assert "is not yet a theme" not in page
    assert "New theme: Early help" in page
    assert not Theme.objects.filter(name="Early help").exists()
    _confirm(client_as_manager, inspection, response)
    theme = Theme.objects.get(name="Early help")
    assert theme.history.get().history_user == manager
    assert theme.history.get().history_change_reason == "Imported from findings.xlsx"
    assert list(Finding.objects.get().themes.all()) == [theme]


def test_a_change_since_the_check_is_shown_again(client_as_manager, inspection):
    response = _checked(client_as_manager, inspection, workbook_bytes(findings_rows(2)))
    # Someone adds R1 by hand before the import is confirmed.
    factories.FindingFactory(inspection=inspection, reference="R1")
    response = _confirm(client_as_manager, inspection, response)
    assert response.status_code == 200
    assert "Something changed" in response.content.decode()
    assert Finding.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("findings.xlsm", b"PK anything", "macros"),
        ("findings.xlsx", b"not a workbook", "may be damaged"),
        ("findings.xls", b"\xd0\xcf\x11\xe0", "old Excel format"),
        ("findings.pdf", b"%PDF", "must be an Excel workbook (.xlsx) or a CSV file"),
        ("findings.csv", b"Ref,Title\x00\r\n", "must be a CSV file saved as text"),
        ("findings.csv", b"   ", "The file is empty"),
    ],
)
def test_a_hostile_or_broken_file_is_refused_beside_the_field(
    client_as_manager, inspection, name, data, message
):
    response = _upload(client_as_manager, inspection, data, name=name)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error:" in page
    assert message in page
    assert not FindingsFile.objects.exists()


def test_a_list_without_the_needed_columns_says_so(client_as_manager, inspection):
    data = csv_bytes([["Colour", "Size"], ["Red", "Large"]])
    response = _checked(client_as_manager, inspection, data, name="odd.csv")
    page = response.content.decode()
    assert "No column is headed Reference" in page
    assert "No column is headed Title" in page
    assert response.context["fingerprint"] == ""


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"file": "garbage"},
        {"record": "abc"},
        {"record": "99999999999999999999", "fingerprint": "x"},
        {"record": "12", "create_themes": "yes"},
    ],
)
def test_garbage_in_the_form_gets_a_message_beside_the_field(
    client_as_manager, inspection, data
):
    response = client_as_manager.post(_url(inspection), data)
    assert response.status_code == 200
    assert 'id="id_file_error"' in response.content.decode()
    assert not Finding.objects.exists()


@pytest.mark.parametrize("query", ["abc", "0", "-1", "99999999999999", "\x00"])
def test_garbage_in_the_query_string_asks_for_the_file_again(
    client_as_manager, inspection, query
):
    response = client_as_manager.get(_url(inspection), {"file": query})
    assert response.status_code == 200
    assert GONE in response.content.decode()


def test_another_managers_file_is_not_theirs(
    client_as_manager, inspection, second_manager
):
    record = FindingsFile.objects.create(
        inspection=inspection,
        uploaded_by=second_manager,
        name="findings.xlsx",
        data=workbook_bytes(findings_rows(1)),
    )
    response = client_as_manager.get(f"{_url(inspection)}?file={record.pk}")
    assert GONE in response.content.decode()
    response = client_as_manager.post(
        _url(inspection), {"record": record.pk, "fingerprint": "x"}
    )
    assert GONE in response.content.decode()


@pytest.mark.parametrize("role", ["officer", "board"])
def test_those_who_may_not_add_findings_are_refused(request, role, inspection):
    client = request.getfixturevalue(f"client_as_{role}")
    visit = factories.MonitoringVisitFactory()
    for source in (inspection, visit):
        assert client.get(_url(source)).status_code == 403
        response = _upload(client, source, workbook_bytes(findings_rows(1)))
        assert response.status_code == 403
    assert not FindingsFile.objects.exists()


def test_no_role_is_refused(client, no_group_user, inspection):
    sign_in_as(client, no_group_user)
    assert client.get(_url(inspection)).status_code == 403
    assert _upload(client, inspection, b"Ref,Title\r\n").status_code == 403


def test_the_pages_offer_the_import_to_those_who_may_add_findings(
    client_as_manager, officer, client, inspection
):
    visit = factories.MonitoringVisitFactory()
    for source in (inspection, visit):
        page = client_as_manager.get(source.get_absolute_url()).content.decode()
        assert _url(source) in page
        assert "Import findings from a spreadsheet" in page
    sign_in_as(client, officer)
    for source in (inspection, visit):
        assert (
            _url(source) not in client.get(source.get_absolute_url()).content.decode()
        )


@pytest.mark.parametrize("count", [5, 40])
def test_checking_page_queries_do_not_grow_with_rows(
    client_as_manager, manager, inspection, count, django_assert_max_num_queries
):
    """Guards against a query per row on the check page."""
    for n in range(1, count + 1, 2):
        finding = factories.FindingFactory(inspection=inspection, reference=f"R{n}")
        finding.themes.set(Theme.objects.all())
    record = FindingsFile.objects.create(
        inspection=inspection,
        uploaded_by=manager,
        name="findings.xlsx",
        data=workbook_bytes(findings_rows(count)),
    )
    with django_assert_max_num_queries(10):
        response = client_as_manager.get(f"{_url(inspection)}?file={record.pk}")
    assert re.search(rf"{count} findings in the file", response.content.decode())


@pytest.mark.parametrize(
    ("heading", "field"),
    [
        ("Ref", "reference"),
        ("No.", "reference"),
        ("Reference:", "reference"),
        ("Type", "kind"),
        ("Kind", "kind"),
        ("Finding", "title"),
        ("Area", "title"),
        ("Title", "title"),
        ("Detail", "text"),
        ("Description", "text"),
        ("Full text", "text"),
        ("Theme", "themes"),
        ("Themes", "themes"),
        ("Colour", ""),
    ],
)
def test_headings_are_read_from_the_councils_words(heading, field):
    assert suggest_field(heading) == field


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Area for improvement", Finding.Kind.AREA_FOR_IMPROVEMENT),
        ("AFI", Finding.Kind.AREA_FOR_IMPROVEMENT),
        ("areas for improvement", Finding.Kind.AREA_FOR_IMPROVEMENT),
        ("Strength", Finding.Kind.STRENGTH),
        ("Strengths", Finding.Kind.STRENGTH),
        ("Recommendation", Finding.Kind.RECOMMENDATION),
        ("recommendation", Finding.Kind.RECOMMENDATION),
        ("AFD", Finding.Kind.AREA_FOR_DEVELOPMENT),
        ("area_for_development", Finding.Kind.AREA_FOR_DEVELOPMENT),
    ],
)
def test_kinds_are_read_from_labels_and_common_words(text, kind):
    assert parse_kind(text) == (kind, None)


def test_the_readme_names_the_limits_the_check_uses():
    from pathlib import Path

    from improvement.imports.findings_columns import LENGTHS

    text = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    start = text.index("### Findings from a list")
    section = " ".join(text[start : text.index("\n## ", start)].split())
    assert f"longer than {LENGTHS['reference']} characters" in section
    assert f"a title over {LENGTHS['title']} characters" in section
    assert f"a full text over {LENGTHS['text']:,}" in section
