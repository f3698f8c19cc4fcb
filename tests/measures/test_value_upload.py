"""Uploading a period's values for many measures: check, preview, confirm."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from improvement.measures import uploads
from improvement.measures.models import Measure, MeasureValue
from tests.factories import MeasureFactory, MeasureValueFactory, PlanFactory
from tests.helpers import sign_in_as, success_message

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC)
URL = reverse("measures:measurevalue_upload")


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY):
        yield


@pytest.fixture
def plan():
    plan = PlanFactory(name="Children's services plan")
    MeasureFactory(plan=plan, name="Average caseload")
    MeasureFactory(
        plan=plan,
        name="Assessments within 45 days",
        unit=Measure.Unit.PERCENTAGE,
        direction=Measure.Direction.HIGHER,
        target=Decimal("85"),
    )
    MeasureFactory(
        plan=plan, name="Audits graded good", frequency=Measure.Frequency.QUARTERLY
    )
    return plan


def csv_file(text, name="october.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def check(client, plan, text=None, *, file=None):
    data = {"plan": plan.pk, "text": text or ""}
    if file is not None:
        data["file"] = file
    return client.post(URL, data)


def confirm(client, response, reason=""):
    """Post the confirmation form the preview shows."""
    signed = response.context["confirm"]["upload"].value()
    return client.post(URL, {"upload": signed, "reason": reason})


def page_text(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text().split())


def summary(response):
    soup = BeautifulSoup(response.content, "html.parser")
    box = soup.select_one(".govuk-error-summary")
    return [" ".join(li.get_text().split()) for li in box.select("li")] if box else []


GOOD = """Measure,Period,Value,Note
Average caseload,October 2025,19.5,Two agency workers left
Assessments within 45 days,2025-10,82%,
Audits graded good,01/10/2025,40,
"""


# Who may upload -----------------------------------------------------------


def test_officers_are_refused(client_as_officer, plan):
    assert client_as_officer.get(URL).status_code == 403
    assert check(client_as_officer, plan, GOOD).status_code == 403


def test_board_members_are_refused(client_as_board, plan):
    assert client_as_board.get(URL).status_code == 403
    assert check(client_as_board, plan, GOOD).status_code == 403


def test_the_list_offers_the_upload_to_managers_only(client, manager, officer, plan):
    list_url = f"{reverse('measures:measure_list')}?plan={plan.pk}"
    sign_in_as(client, manager)
    assert f"{URL}?plan={plan.pk}" in client.get(list_url).content.decode()
    sign_in_as(client, officer)
    assert URL not in client.get(list_url).content.decode()


def test_the_page_chooses_the_plan_from_the_list(client_as_manager, plan):
    response = client_as_manager.get(f"{URL}?plan={plan.pk}")
    assert response.status_code == 200
    assert response.context["form"]["plan"].value() == plan.pk
    assert 'type="file"' in response.content.decode()


# Checking ---------------------------------------------------------------


def test_checking_saves_nothing_and_says_what_would_happen(client_as_manager, plan):
    caseload = plan.measures.get(name="Average caseload")
    MeasureValueFactory(
        measure=caseload, period=datetime.date(2025, 10, 1), value=Decimal("21")
    )
    response = check(client_as_manager, plan, file=csv_file(GOOD))
    assert response.status_code == 200
    assert MeasureValue.objects.count() == 1
    upload = response.context["upload"]
    assert [row.outcome for row in upload.rows] == ["correct", "new", "new"]
    text = page_text(response)
    assert "Correct the value: 21 becomes 19.5" in text
    assert "Record a new value" in text
    assert "Nothing has been saved yet" in text
    assert "Why the values are being corrected" in text
    assert summary(response) == []


def test_every_problem_is_named_by_row_and_column(client_as_manager, plan):
    text = """Measure,Period,Value
Average caseload,October 2025,19
Average caseloads,October 2025,19
Average caseload,Octember 2025,19
Average caseload,31/02/2026,19
Average caseload,15/10/2025,19
Audits graded good,November 2025,40
Assessments within 45 days,2025-10,lots
Assessments within 45 days,2025-11,1000000000000
Assessments within 45 days,2025-12,1.234
Average caseload,Oct 2025,20
Average caseload,2027-01,20
,,
Average caseload,,
"""
    response = check(client_as_manager, plan, text)
    assert response.status_code == 200
    problems = summary(response)
    assert problems[0] == (
        "The file has 12 problems. Put them right, then check the file again"
    )
    assert problems[1:] == [
        "Row 3, measure: there is no measure called “Average caseloads” in this plan",
        "Row 4, period: “Octember 2025” is not a month; write it like October 2025",
        "Row 5, period: “31/02/2026” is not a real date",
        "Row 6, period: a period starts on the first day of a month; write it like "
        "October 2025 or 01/10/2025",
        "Row 7, period: Audits graded good is reported each quarter, so its period "
        "must start in January, April, July or October",
        "Row 8, value: value must be a number, like 12 or 45.5",
        "Row 9, value: value must be 999,999,999,999.99 or less",
        "Row 10, value: value must have no more than 2 decimal places",
        "Row 11, period: the same measure and period as row 2; give each measure "
        "one value a period",
        "Row 12, period: January 2027 has not started yet",
        "Row 14, period: enter the period, like October 2025",
        "Row 14, value: enter the value",
    ]
    assert response.context["confirm"] is None
    assert "Error: Upload values" in response.content.decode()
    assert 'id="row-3"' in response.content.decode()
    assert MeasureValue.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Select a CSV file, or paste the CSV text"),
        ("Measure;Period;Value\nA;B;C\n", "The first row must be the headings"),
        ("Name,Month,Value\n", "Measure and Period are missing"),
        ("Measure,Period,Value\n", "The file has headings but no values"),
        (
            'Measure,Period,Value\n"Average caseload,October 2025,19\n',
            "its quotation marks do not match",
        ),
    ],
)
def test_bad_text_is_refused_beside_the_field(client_as_manager, plan, text, message):
    response = check(client_as_manager, plan, text)
    assert response.status_code == 200
    assert any(message in problem for problem in summary(response)), summary(response)
    assert response.context["confirm"] is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The submitted file is empty"),
        (b"   \n", "The selected file is empty"),
        (b"PK\x03\x04\x00\x00binary", "The selected file must be a CSV file"),
        (b"Measure,Period,Value\n\xff\xfe,x,y\n", "saved as text (CSV UTF-8)"),
        (b"Measure,Period,Value\n" + b"x" * (1024 * 1024), "smaller than 1 MB"),
    ],
)
def test_bad_files_are_refused(client_as_manager, plan, content, message):
    upload = SimpleUploadedFile("values.csv", content, content_type="text/csv")
    response = check(client_as_manager, plan, file=upload)
    assert response.status_code == 200
    assert any(message in problem for problem in summary(response)), summary(response)
    assert MeasureValue.objects.count() == 0


def test_a_file_and_pasted_text_together_are_refused(client_as_manager, plan):
    response = check(client_as_manager, plan, GOOD, file=csv_file(GOOD))
    assert summary(response) == ["Either upload a file or paste the text, not both"]


def test_a_plan_the_manager_cannot_choose_is_refused(client_as_manager, plan):
    response = client_as_manager.post(URL, {"plan": 99999999, "text": GOOD})
    assert summary(response) == ["Select the plan from the list"]


def test_other_plans_measures_are_unknown(client_as_manager, plan):
    other = MeasureFactory(name="Other plan's measure")
    response = check(
        client_as_manager, plan, f"Measure,Period,Value\n{other.name},2025-10,3\n"
    )
    assert "there is no measure called" in summary(response)[1]


def test_a_measure_worked_out_from_the_audits_cannot_be_uploaded(
    client_as_manager, plan
):
    MeasureFactory(
        plan=plan,
        name="Audits graded Good or better",
        unit=Measure.Unit.PERCENTAGE,
        worked_out_from=Measure.WorkedOut.AUDITS_AFTER,
    )
    response = check(
        client_as_manager,
        plan,
        "Measure,Period,Value\nAudits graded Good or better,2025-10,90\n",
    )
    assert (
        "is worked out from the audits, so its values cannot be uploaded"
        in (summary(response)[1])
    )
    assert response.context["confirm"] is None
    assert MeasureValue.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-10", datetime.date(2025, 10, 1)),
        ("2025-10-01", datetime.date(2025, 10, 1)),
        ("October 2025", datetime.date(2025, 10, 1)),
        ("oct 2025", datetime.date(2025, 10, 1)),
        ("Sept 2025", datetime.date(2025, 9, 1)),
        ("01/10/2025", datetime.date(2025, 10, 1)),
        ("October to December 2025", datetime.date(2025, 10, 1)),
    ],
)
def test_periods_are_read_as_people_write_them(text, expected):
    assert uploads.parse_period(text) == (expected, None)


# Confirming ---------------------------------------------------------------


def test_confirming_saves_every_row_with_history(client_as_manager, manager, plan):
    caseload = plan.measures.get(name="Average caseload")
    stored = MeasureValueFactory(
        measure=caseload,
        period=datetime.date(2025, 10, 1),
        value=Decimal("21"),
        note="First count",
    )
    preview = check(client_as_manager, plan, file=csv_file(GOOD))
    response = confirm(client_as_manager, preview, reason="Recounted after audit")
    assert response.status_code == 302
    assert response.url == f"{reverse('measures:measure_list')}?plan={plan.pk}"
    messages = success_message(client_as_manager.get(response.url))
    assert messages == ["2 new values recorded and 1 value corrected from october.csv"]
    stored.refresh_from_db()
    assert stored.value == Decimal("19.5")
    assert stored.note == "Two agency workers left"
    latest = stored.history.latest()
    assert latest.history_user == manager
    assert latest.history_change_reason == (
        "Uploaded from october.csv: Recounted after audit"
    )
    assessments = MeasureValue.objects.get(measure__name="Assessments within 45 days")
    assert assessments.value == Decimal("82")
    created = assessments.history.get()
    assert created.history_user == manager
    assert created.history_change_reason == "Uploaded from october.csv"
    quarterly = MeasureValue.objects.get(measure__name="Audits graded good")
    assert quarterly.period == datetime.date(2025, 10, 1)


def test_a_correction_needs_a_reason(client_as_manager, plan):
    caseload = plan.measures.get(name="Average caseload")
    MeasureValueFactory(
        measure=caseload, period=datetime.date(2025, 10, 1), value=Decimal("21")
    )
    preview = check(client_as_manager, plan, GOOD)
    response = confirm(client_as_manager, preview, reason="  ")
    assert response.status_code == 200
    assert summary(response) == ["Say why the values are being corrected"]
    assert MeasureValue.objects.count() == 1
    assert response.context["confirm"]["upload"].value()


def test_pasted_text_is_named_in_the_history(client_as_manager, plan):
    preview = check(client_as_manager, plan, GOOD)
    confirm(client_as_manager, preview)
    value = MeasureValue.objects.get(measure__name="Average caseload")
    assert value.history.get().history_change_reason == "Uploaded from pasted text"


def test_confirming_twice_changes_nothing_the_second_time(client_as_manager, plan):
    preview = check(client_as_manager, plan, GOOD)
    assert confirm(client_as_manager, preview).status_code == 302
    history = MeasureValue.history.count()
    again = confirm(client_as_manager, preview)
    assert again.status_code == 200
    assert MeasureValue.history.count() == history
    assert [row.outcome for row in again.context["upload"].rows] == ["unchanged"] * 3
    text = page_text(again)
    assert "Something changed since you checked the file" in text
    assert "Nothing to save: every value in the file is already recorded" in text
    assert again.context["confirm"] is None


def test_a_tampered_confirmation_is_refused(client_as_manager, plan):
    preview = check(client_as_manager, plan, GOOD)
    signed = preview.context["confirm"]["upload"].value()
    tampered = signed.replace(signed[5], "A" if signed[5] != "A" else "B", 1)
    for value in (tampered, "", "not signed", signed + "x"):
        response = client_as_manager.post(URL, {"upload": value, "reason": ""})
        assert response.status_code == 200
        assert summary(response) in (
            ["The checked values could not be read. Check the file again"],
            ["This page is out of date. Open it again to make your change."],
        ), summary(response)
    assert MeasureValue.objects.count() == 0


def test_another_persons_confirmation_is_refused(
    client_as_manager, plan, second_manager, client
):
    preview = check(client_as_manager, plan, GOOD)
    signed = preview.context["confirm"]["upload"].value()
    sign_in_as(client, second_manager)
    response = client.post(URL, {"upload": signed})
    assert summary(response) == [
        "The checked values could not be read. Check the file again"
    ]
    assert MeasureValue.objects.count() == 0


def test_an_old_confirmation_is_refused(client_as_manager, plan):
    preview = check(client_as_manager, plan, GOOD)
    with time_machine.travel(TODAY + datetime.timedelta(hours=3)):
        response = confirm(client_as_manager, preview)
    assert "more than 2 hours old" in summary(response)[0]
    assert MeasureValue.objects.count() == 0


def test_the_confirmation_is_checked_again(client_as_manager, plan):
    """A value recorded between the check and the confirmation turns a new
    value into a correction: the manager sees it, and nothing is saved."""
    preview = check(client_as_manager, plan, GOOD)
    caseload = plan.measures.get(name="Average caseload")
    MeasureValueFactory(
        measure=caseload, period=datetime.date(2025, 10, 1), value=Decimal("21")
    )
    response = confirm(client_as_manager, preview)
    assert response.status_code == 200
    assert "Something changed since you checked the file" in page_text(response)
    assert [row.outcome for row in response.context["upload"].rows] == [
        "correct",
        "new",
        "new",
    ]
    assert MeasureValue.objects.count() == 1
    # The new preview can be confirmed, with a reason.
    response = confirm(client_as_manager, response, reason="Later figures")
    assert response.status_code == 302
    assert MeasureValue.objects.count() == 3


def test_a_value_corrected_since_the_check_is_shown_again(client_as_manager, plan):
    stored = MeasureValueFactory(
        measure=plan.measures.get(name="Average caseload"),
        period=datetime.date(2025, 10, 1),
        value=Decimal("21"),
    )
    preview = check(client_as_manager, plan, file=csv_file(GOOD, "Oct.csv"))
    stored.value = Decimal("22")
    stored._change_reason = "Recount"
    stored.save()
    response = confirm(client_as_manager, preview, reason="Audit")
    assert response.status_code == 200
    assert "Correct the value: 22 becomes 19.5" in page_text(response)
    response = confirm(client_as_manager, response, reason="Audit")
    assert response.status_code == 302
    messages = success_message(client_as_manager.get(response.url))
    assert messages == ["2 new values recorded and 1 value corrected from Oct.csv"]


def test_a_measure_renamed_since_the_check_makes_a_problem(client_as_manager, plan):
    preview = check(client_as_manager, plan, GOOD)
    Measure.objects.filter(name="Average caseload").update(name="Caseload")
    response = confirm(client_as_manager, preview)
    assert response.status_code == 200
    assert response.context["confirm"] is None
    assert "Row 2, measure: there is no measure called" in page_text(response)
    assert MeasureValue.objects.count() == 0


def test_saving_is_all_or_nothing(client_as_manager, plan, monkeypatch):
    preview = check(client_as_manager, plan, GOOD)
    saved = []
    original = MeasureValue.save

    def failing_save(self, *args, **kwargs):
        if saved:
            raise RuntimeError("database went away")
        saved.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(MeasureValue, "save", failing_save)
    client_as_manager.raise_request_exception = False
    response = confirm(client_as_manager, preview)
    assert response.status_code == 500
    assert MeasureValue.objects.count() == 0


def test_a_changed_note_alone_is_a_correction_of_the_note(client_as_manager, plan):
    MeasureValueFactory(
        measure=plan.measures.get(name="Average caseload"),
        period=datetime.date(2025, 10, 1),
        value=Decimal("19.5"),
    )
    response = check(client_as_manager, plan, GOOD)
    assert "Correct the note only" in page_text(response)


def _check_queries(client, plan, rows):
    caseload = plan.measures.get(name="Average caseload")
    lines = ["Measure,Period,Value"]
    for n in range(rows):
        month = datetime.date(2023 + (n + 6) // 12, (n + 6) % 12 + 1, 1)
        MeasureValueFactory(measure=caseload, period=month, value=Decimal("20"))
        lines.append(f"Average caseload,{month:%Y-%m},{19 + n % 3}")
    with CaptureQueriesContext(connection) as captured:
        response = check(client, plan, "\n".join(lines))
    assert response.status_code == 200
    assert response.context["upload"].problem_count == 0
    return len(captured)


def test_checking_runs_the_same_queries_however_many_rows(client_as_manager, plan):
    """Guards against N+1: a file of 3 rows, then one of 30."""
    small = _check_queries(client_as_manager, plan, 3)
    MeasureValue.objects.all().delete()
    large = _check_queries(client_as_manager, plan, 30)
    assert small == large
    assert large == 8
