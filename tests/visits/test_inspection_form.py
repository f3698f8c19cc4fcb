"""Adding and editing an inspection with its judgements (area and grade rows)."""

import datetime

import pytest
from django.urls import reverse

from improvement.kernel.history import acting_as
from tests.factories import InspectionFactory, JudgementFactory, UserFactory
from tests.helpers import (
    JUDGEMENTS_PREFIX,
    date_parts,
    existing_rows,
    inspection_data,
    judgement_rows,
)
from visits.models import Grade, Inspection, Judgement

pytestmark = pytest.mark.django_db

CREATE_URL = reverse("visits:inspection_create")


def edit_url(inspection):
    return reverse("visits:inspection_edit", args=[inspection.pk])


def assert_form_error(response, message):
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "<title>Error: " in response.text
    assert message in response.text


def test_add_page_offers_blank_judgement_rows(client_as_manager):
    response = client_as_manager.get(CREATE_URL)
    assert response.status_code == 200
    assert len(response.context["formset"].forms) == 3
    assert "<title>Add an inspection" in response.text


def test_manager_adds_an_inspection_with_judgements(client_as_manager, manager):
    rows = [
        {"area": "Overall effectiveness", "grade": Grade.INADEQUATE},
        {"area": "Help and protection", "grade": Grade.REQUIRES_IMPROVEMENT},
        {"area": "", "grade": ""},  # a blank row is ignored
    ]
    response = client_as_manager.post(
        CREATE_URL, inspection_data(rows=rows), follow=True
    )
    inspection = Inspection.objects.get()
    assert response.redirect_chain[-1][0] == inspection.get_absolute_url()
    messages = [str(m) for m in response.context["messages"]]
    assert "Inspection “ILACS inspection 2026” added" in messages
    assert inspection.start_date == datetime.date(2026, 1, 12)
    assert [(j.area, j.grade, j.position) for j in inspection.judgements.all()] == [
        ("Overall effectiveness", "inadequate", 0),
        ("Help and protection", "requires_improvement", 1),
    ]
    assert inspection.history.get().history_user == manager
    assert {j.history.get().history_user for j in inspection.judgements.all()} == {
        manager
    }
    assert "Help and protection" in response.text


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"title": ""}, "Enter a title, for example ILACS inspection 2025"),
        (date_parts("start_date", None), "Enter the start date"),
        (
            {"start_date_0": "12", "start_date_1": "", "start_date_2": "2026"},
            "Start date must include a month",
        ),
        (
            date_parts("end_date", datetime.date(2026, 1, 1)),
            "The end date must be on or after the start date",
        ),
        (
            date_parts("published_date", datetime.date(2026, 1, 13)),
            "The published date must be on or after the end date",
        ),
        ({"framework": "secret"}, "Select a type of inspection from the list"),
        ({"overall_judgement": "brilliant"}, "Select an overall judgement from"),
        (
            {"report_url": "https://example.org/" + "a" * 600},
            "Report link must be 500 characters or fewer",
        ),
        ({"report_url": "not a web address"}, "Enter a report link in the correct"),
        ({"summary": "x" * 5001}, "Summary must be 5,000 characters or fewer"),
    ],
)
def test_bad_inspection_input_is_explained(client_as_manager, overrides, message):
    rows = [{"area": "Overall effectiveness", "grade": Grade.INADEQUATE}]
    response = client_as_manager.post(
        CREATE_URL, inspection_data(rows=rows, **overrides)
    )
    assert_form_error(response, message)
    assert not Inspection.objects.exists()
    assert not Judgement.objects.exists()


@pytest.mark.parametrize(
    "row, message",
    [
        ({"area": "Leadership", "grade": ""}, "Judgement 1: Select a grade"),
        ({"area": "", "grade": "good"}, "Judgement 1: Enter the area judged"),
        ({"area": "Leadership", "grade": "superb"}, "Select a grade from the list"),
        ({"area": "x" * 201, "grade": "good"}, "200 characters or fewer"),
    ],
)
def test_bad_judgement_rows_are_explained(client_as_manager, row, message):
    response = client_as_manager.post(CREATE_URL, inspection_data(rows=[row]))
    assert_form_error(response, message)
    assert not Inspection.objects.exists()


def test_an_area_can_only_be_graded_once(client_as_manager):
    rows = [
        {"area": "Leadership", "grade": "good"},
        {"area": "Leadership", "grade": "inadequate"},
    ]
    response = client_as_manager.post(CREATE_URL, inspection_data(rows=rows))
    assert_form_error(response, "Each area can only be graded once")
    assert not Inspection.objects.exists()


@pytest.mark.parametrize(
    "broken",
    [
        {f"{JUDGEMENTS_PREFIX}-TOTAL_FORMS": "abc"},
        {f"{JUDGEMENTS_PREFIX}-TOTAL_FORMS": "100000"},
        {f"{JUDGEMENTS_PREFIX}-INITIAL_FORMS": "5"},
    ],
)
def test_tampered_judgement_rows_never_break_the_page(client_as_manager, broken):
    data = inspection_data(rows=[{"area": "Leadership", "grade": "good"}])
    data.update(broken)
    response = client_as_manager.post(CREATE_URL, data)
    assert response.status_code == 200
    assert not Inspection.objects.exists()


def test_too_many_judgement_rows_are_refused_without_building_them(
    client_as_manager,
):
    rows = [{"area": f"Area {n}", "grade": "good"} for n in range(31)]
    response = client_as_manager.post(CREATE_URL, inspection_data(rows=rows))
    assert_form_error(response, "You can record up to 30 judgements")
    data = inspection_data(rows=rows[:1])
    data[f"{JUDGEMENTS_PREFIX}-TOTAL_FORMS"] = "100000"
    response = client_as_manager.post(CREATE_URL, data)
    assert_form_error(response, "You can record up to 30 judgements")
    assert len(response.context["formset"].forms) <= 33
    assert not Inspection.objects.exists()


def test_manager_edits_grades_removes_and_adds_judgements(client_as_manager, manager):
    inspection = InspectionFactory(title="ILACS 2025")
    kept = JudgementFactory(inspection=inspection, area="Leadership", grade="good")
    dropped = JudgementFactory(inspection=inspection, area="Old area")
    rows = existing_rows(inspection)
    rows[0]["grade"] = Grade.INADEQUATE
    rows[1]["DELETE"] = "on"
    rows.append({"area": "Care leavers", "grade": Grade.REQUIRES_IMPROVEMENT})
    data = inspection_data(inspection, title="ILACS inspection 2025")
    data.update(judgement_rows(rows, initial=2))
    response = client_as_manager.post(edit_url(inspection), data, follow=True)
    assert response.status_code == 200
    inspection.refresh_from_db()
    assert inspection.title == "ILACS inspection 2025"
    kept.refresh_from_db()
    assert kept.grade == Grade.INADEQUATE
    assert not Judgement.objects.filter(pk=dropped.pk).exists()
    assert [j.area for j in inspection.judgements.all()] == [
        "Leadership",
        "Care leavers",
    ]
    for model_history in (
        inspection.history.first(),
        kept.history.first(),
        Judgement.history.filter(id=dropped.pk, history_type="-").get(),
    ):
        assert model_history.history_user == manager
    timeline = response.context["timeline"]
    assert "Judgement: Old area" in [e.subject for e in timeline]
    assert "Judgement: Care leavers" in [e.subject for e in timeline]


def test_an_unchanged_judgement_writes_no_history(client_as_manager):
    inspection = InspectionFactory()
    judgement = JudgementFactory(inspection=inspection)
    data = inspection_data(inspection, summary="New summary")
    response = client_as_manager.post(edit_url(inspection), data)
    assert response.status_code == 302
    assert judgement.history.count() == 1
    assert inspection.history.count() == 2


def test_a_stale_inspection_edit_is_refused(client_as_manager, manager):
    inspection = InspectionFactory(title="First title", summary="")
    JudgementFactory(inspection=inspection, area="Leadership", grade="good")
    opened = client_as_manager.get(edit_url(inspection))
    assert opened.context["form"]["version"].value() == inspection.version

    colleague = UserFactory(first_name="Jo", last_name="Banks")
    with acting_as(colleague):
        current = Inspection.objects.get(pk=inspection.pk)
        current.summary = "Colleague's summary"
        current.save()

    mine = inspection_data(inspection, title="My title")
    response = client_as_manager.post(edit_url(inspection), mine)
    assert response.status_code == 409
    assert "Jo Banks" in response.text
    assert "Colleague&#x27;s summary" in response.text
    assert "My title" in response.text
    inspection.refresh_from_db()
    assert inspection.title == "First title"

    again = {**mine, "version": response.context["form"]["version"].value()}
    again["summary"] = "Colleague's summary"
    response = client_as_manager.post(edit_url(inspection), again)
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.title == "My title"
    assert inspection.summary == "Colleague's summary"
    assert inspection.history.first().history_user == manager


def test_a_stale_judgement_row_is_refused(client_as_manager):
    inspection = InspectionFactory()
    judgement = JudgementFactory(inspection=inspection, area="Leadership")
    mine = inspection_data(inspection)
    mine[f"{JUDGEMENTS_PREFIX}-0-grade"] = Grade.GOOD

    colleague = UserFactory(first_name="Kim", last_name="Lee")
    with acting_as(colleague):
        current = Judgement.objects.get(pk=judgement.pk)
        current.grade = Grade.INADEQUATE
        current.save()

    response = client_as_manager.post(edit_url(inspection), mine)
    assert response.status_code == 409
    assert "Kim Lee" in response.text
    judgement.refresh_from_db()
    assert judgement.grade == Grade.INADEQUATE
    # Saving again, now against the latest row, applies the change.
    formset = response.context["formset"]
    again = dict(mine)
    again["version"] = response.context["form"]["version"].value()
    again[f"{JUDGEMENTS_PREFIX}-0-version"] = formset.forms[0]["version"].value()
    response = client_as_manager.post(edit_url(inspection), again)
    assert response.status_code == 302
    judgement.refresh_from_db()
    assert judgement.grade == Grade.GOOD


def test_a_judgement_removed_by_someone_else_is_explained(client_as_manager):
    inspection = InspectionFactory()
    judgement = JudgementFactory(inspection=inspection, area="Leadership")
    mine = inspection_data(inspection)
    judgement.delete()
    response = client_as_manager.post(edit_url(inspection), mine)
    assert_form_error(response, "This judgement was removed by someone else")


# Tampered judgement rows on the edit page -------------------------------------


def _stored(inspection):
    """Everything a save could change: the rows, their history, the inspection."""
    return (
        sorted(Judgement.objects.values_list("pk", "inspection", "area", "grade")),
        Judgement.history.count(),
        Inspection.history.count(),
        Inspection.objects.values_list("version", "summary").get(pk=inspection.pk),
    )


@pytest.fixture
def graded():
    inspection = InspectionFactory(summary="As published")
    JudgementFactory(inspection=inspection, area="Leadership")
    JudgementFactory(inspection=inspection, area="Help and protection")
    return inspection


def test_stored_rows_sent_as_new_rows_are_refused(client_as_manager, graded):
    before = _stored(graded)
    data = inspection_data(graded, summary="Changed")
    data[f"{JUDGEMENTS_PREFIX}-INITIAL_FORMS"] = "0"
    response = client_as_manager.post(edit_url(graded), data)
    assert_form_error(response, "The judgements could not be read")
    assert _stored(graded) == before


def test_a_new_row_for_an_area_already_stored_is_refused(client_as_manager, graded):
    before = _stored(graded)
    data = {
        key: value
        for key, value in inspection_data(graded).items()
        if not key.startswith(JUDGEMENTS_PREFIX)
    }
    data.update(judgement_rows([{"area": "Leadership", "grade": "good"}]))
    response = client_as_manager.post(edit_url(graded), data)
    assert_form_error(response, "This inspection already has a judgement for that area")
    assert _stored(graded) == before


def test_a_row_naming_another_inspections_judgement_is_refused(
    client_as_manager, graded
):
    other = JudgementFactory(area="Leadership")
    before = _stored(graded)
    data = inspection_data(graded)
    data[f"{JUDGEMENTS_PREFIX}-0-id"] = other.pk
    data[f"{JUDGEMENTS_PREFIX}-0-version"] = other.version
    data[f"{JUDGEMENTS_PREFIX}-0-area"] = "Renamed"
    response = client_as_manager.post(edit_url(graded), data)
    assert_form_error(response, "The judgements could not be read")
    assert _stored(graded) == before


def test_a_new_row_naming_a_stored_judgement_is_refused(client_as_manager, graded):
    before = _stored(graded)
    stored = graded.judgements.first()
    data = inspection_data(graded, rows=[{"id": stored.pk, "area": "New area"}])
    data[f"{JUDGEMENTS_PREFIX}-2-grade"] = "good"
    response = client_as_manager.post(edit_url(graded), data)
    assert_form_error(response, "The judgements could not be read")
    assert _stored(graded) == before


def test_a_form_too_large_to_read_gets_the_400_page(client_as_manager, graded):
    before = _stored(graded)
    data = inspection_data(graded, summary="Changed")
    data.update({f"extra-{n}": "x" for n in range(1001)})
    response = client_as_manager.post(edit_url(graded), data)
    assert response.status_code == 400
    assert "Sorry, what was sent could not be read" in response.text
    assert "Nothing was changed" in response.text
    assert _stored(graded) == before
