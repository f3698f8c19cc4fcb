"""The measures pages: who may use each, what they save, and its history."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from improvement.measures.models import Measure, MeasureValue
from tests.factories import (
    ActionFactory,
    MeasureFactory,
    MeasureTargetFactory,
    MeasureValueFactory,
    OwnerFactory,
    PlanFactory,
    PriorityFactory,
)
from tests.helpers import sign_in_as, success_message

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY):
        yield


def measure_data(who, **overrides):
    data = {
        "name": "Assessments completed within 45 days",
        "definition": "Share of child and family assessments completed in 45 days.",
        "unit": Measure.Unit.PERCENTAGE,
        "direction": Measure.Direction.HIGHER,
        "frequency": Measure.Frequency.MONTHLY,
        "target": "85",
        "amber_tolerance": "5",
        "red_tolerance": "10",
        "data_source": "Case management system",
        "owner": who.pk,
    }
    data.update(overrides)
    return data


def edit_data(measure, **overrides):
    data = measure_data(
        measure.owner,
        name=measure.name,
        definition=measure.definition,
        unit=measure.unit,
        direction=measure.direction,
        frequency=measure.frequency,
        target=str(measure.target),
        amber_tolerance=str(measure.amber_tolerance),
        red_tolerance=str(measure.red_tolerance),
        data_source=measure.data_source,
        version=measure.version,
    )
    data.update(overrides)
    return data


# Reading ---------------------------------------------------------------


def test_the_list_shows_measures_off_target_first(client_as_board):
    plan = PlanFactory()
    green = MeasureFactory(plan=plan, name="A green measure")
    red = MeasureFactory(plan=plan, name="Z red measure")
    none = MeasureFactory(plan=plan, name="B no value")
    MeasureValueFactory(measure=green, value=Decimal("17"))
    MeasureValueFactory(measure=red, value=Decimal("30"))
    response = client_as_board.get(
        reverse("measures:measure_list") + f"?plan={plan.pk}"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index(red.name) < body.index(green.name) < body.index(none.name)
    assert "None recorded yet" in body


def test_the_list_ignores_a_tampered_plan(client_as_board):
    for plan in ("abc", "99999999999999999999", "\x00", "-1"):
        url = reverse("measures:measure_list") + "?plan=" + plan
        assert client_as_board.get(url).status_code == 200


def test_a_measure_page_shows_latest_value_chart_and_history(client_as_board):
    measure = MeasureFactory()
    MeasureValueFactory(measure=measure, period=datetime.date(2026, 4, 1))
    MeasureValueFactory(
        measure=measure, period=datetime.date(2026, 5, 1), value=Decimal("23.5")
    )
    response = client_as_board.get(measure.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "Latest value: <strong>23.5</strong> for May 2026" in body
    assert "<svg" in body and "Show the numbers as a table" in body
    assert "Amber" in body
    assert "Record a value" not in body  # a board member changes nothing
    assert reverse("measures:measure_history", args=[measure.pk]) in body


def test_the_history_page_lists_the_measure_and_its_values(client_as_board):
    value = MeasureValueFactory()
    response = client_as_board.get(
        reverse("measures:measure_history", args=[value.measure.pk])
    )
    assert response.status_code == 200
    assert "Value for" in response.content.decode()


def test_a_missing_measure_is_404(client_as_board):
    assert client_as_board.get("/measures/999999/").status_code == 404
    assert client_as_board.get("/measures/values/999999/correct/").status_code in (
        403,
        404,
    )


def test_the_plan_page_links_to_its_measures(client_as_board):
    plan = PlanFactory()
    response = client_as_board.get(plan.get_absolute_url())
    assert f"{reverse('measures:measure_list')}?plan={plan.pk}" in (
        response.content.decode()
    )


def test_measures_are_in_the_service_navigation(client_as_board):
    response = client_as_board.get(reverse("measures:measure_list"))
    assert 'href="/measures/"' in response.content.decode()


# Defining and editing --------------------------------------------------


def test_a_manager_defines_a_measure_recorded_in_history(client_as_manager, manager):
    plan = PlanFactory()
    owner = OwnerFactory()
    response = client_as_manager.post(
        reverse("measures:measure_create") + f"?plan={plan.pk}", measure_data(owner)
    )
    measure = Measure.objects.get()
    assert response.status_code == 302
    assert response.url == measure.get_absolute_url()
    assert measure.plan == plan
    assert measure.target == Decimal("85")
    record = measure.history.get()
    assert record.history_user == manager


def test_a_measure_links_what_it_evidences_from_its_plan_only(
    client_as_manager, manager
):
    measure = MeasureFactory()
    priority = PriorityFactory(plan=measure.plan)
    action = ActionFactory(priority=priority)
    elsewhere = ActionFactory()
    response = client_as_manager.post(
        reverse("measures:measure_edit", args=[measure.pk]),
        edit_data(measure, actions=[elsewhere.pk]),
    )
    assert response.status_code == 200
    assert "Select" in response.content.decode()
    response = client_as_manager.post(
        reverse("measures:measure_edit", args=[measure.pk]),
        edit_data(measure, actions=[action.pk], priorities=[priority.pk]),
    )
    assert response.status_code == 302
    assert list(measure.actions.all()) == [action]
    assert measure.history.latest("history_id").history_user == manager


def test_a_manager_edits_a_measure(client_as_manager, manager):
    measure = MeasureFactory()
    response = client_as_manager.post(
        reverse("measures:measure_edit", args=[measure.pk]),
        edit_data(measure, target="16"),
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.target == Decimal("16")
    latest = measure.history.latest("history_id")
    assert latest.history_user == manager
    assert latest.prev_record.target == Decimal("18")


def test_a_stale_edit_is_refused(client_as_manager, second_manager):
    measure = MeasureFactory()
    opened = edit_data(measure, target="16")
    # Someone else changes the target after the form was opened.
    fresh = Measure.objects.get(pk=measure.pk)
    fresh.target = Decimal("15")
    fresh.save()
    response = client_as_manager.post(
        reverse("measures:measure_edit", args=[measure.pk]), opened
    )
    assert response.status_code == 409
    assert "Someone else changed this" in response.content.decode()
    measure.refresh_from_db()
    assert measure.target == Decimal("15")


def test_saving_without_changes_writes_nothing(client_as_manager):
    measure = MeasureFactory()
    response = client_as_manager.post(
        reverse("measures:measure_edit", args=[measure.pk]),
        edit_data(measure, target="18.00"),
        follow=True,
    )
    assert "You did not change anything" in " ".join(success_message(response))
    assert measure.history.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Enter the measure&#x27;s name"),
        ("target", "lots", "Target must be a number"),
        ("target", "1e400", "Target must be 999,999,999,999.99 or less"),
        ("target", "9" * 40, "Target must be 999,999,999,999.99 or less"),
        ("target", "NaN", "Target must be a number"),
        ("target", "1.234", "no more than 2 decimal places"),
        ("amber_tolerance", "-1", "must be 0 or more"),
        ("red_tolerance", "1", "Red tolerance must be the same as the amber"),
        ("definition", "bad\x00text", "must not include control characters"),
        ("owner", "99999999999999999999", "Select"),
        ("unit", "furlongs", "Select"),
    ],
)
def test_bad_input_is_refused_beside_the_field(
    client_as_manager, field, value, message
):
    plan = PlanFactory()
    response = client_as_manager.post(
        reverse("measures:measure_create") + f"?plan={plan.pk}",
        measure_data(OwnerFactory(), **{field: value}),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert message in body, body[body.find("govuk-error-message") :][:400]
    assert not Measure.objects.exists()


def test_a_name_is_unique_within_its_plan(client_as_manager):
    existing = MeasureFactory()
    response = client_as_manager.post(
        reverse("measures:measure_create") + f"?plan={existing.plan.pk}",
        measure_data(existing.owner, name=existing.name),
    )
    assert response.status_code == 200
    assert "already has a measure with that name" in response.content.decode()


def test_a_measure_added_without_a_plan_chooses_one(client_as_manager):
    plan = PlanFactory()
    response = client_as_manager.post(
        reverse("measures:measure_create"),
        {**measure_data(OwnerFactory()), "plan": plan.pk},
    )
    assert response.status_code == 302
    assert Measure.objects.get().plan == plan


# Recording and correcting values ---------------------------------------


def test_the_owner_records_a_value_recorded_in_history(client_as_officer, officer):
    measure = MeasureFactory(owner=officer.owner)
    response = client_as_officer.post(
        reverse("measures:measure_record", args=[measure.pk]),
        {"period": "2026-05-01", "value": "19.5", "note": "Two leavers"},
    )
    assert response.status_code == 302
    value = MeasureValue.objects.get()
    assert value.value == Decimal("19.5")
    assert value.history.get().history_user == officer


def test_another_officer_may_not_record_a_value(client_as_officer):
    measure = MeasureFactory()
    response = client_as_officer.post(
        reverse("measures:measure_record", args=[measure.pk]),
        {"period": "2026-05-01", "value": "19.5"},
    )
    assert response.status_code == 403
    assert not MeasureValue.objects.exists()


def test_a_manager_records_any_measures_value(client_as_manager):
    measure = MeasureFactory()
    response = client_as_manager.post(
        reverse("measures:measure_record", args=[measure.pk]),
        {"period": "2026-06-01", "value": "18"},
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"period": "2026-05-01", "value": ""}, "Enter the value"),
        ({"period": "2026-05-01", "value": "x"}, "Value must be a number"),
        ({"period": "2026-05-02", "value": "1"}, "Select the period from the list"),
        ({"period": "2099-01-01", "value": "1"}, "Select the period from the list"),
        ({"period": "1800-01-01", "value": "1"}, "Select the period from the list"),
        ({"period": "\x00", "value": "1"}, "Select the period from the list"),
        ({"period": "2026-05-01", "value": "1" * 30}, "999,999,999,999.99 or less"),
        ({"period": "2026-04-01", "value": "1"}, "A value is already recorded"),
    ],
)
def test_bad_values_are_refused(client_as_officer, officer, data, message):
    measure = MeasureFactory(owner=officer.owner)
    MeasureValueFactory(measure=measure, period=datetime.date(2026, 4, 1))
    response = client_as_officer.post(
        reverse("measures:measure_record", args=[measure.pk]), data
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert MeasureValue.objects.count() == 1


def test_quarterly_measures_offer_quarters(client_as_manager):
    measure = MeasureFactory(frequency=Measure.Frequency.QUARTERLY)
    response = client_as_manager.get(
        reverse("measures:measure_record", args=[measure.pk])
    )
    body = response.content.decode()
    assert "April to June 2026" in body
    assert 'value="2026-05-01"' not in body


def correction(record, **overrides):
    data = {
        "value": str(record.value),
        "note": record.note,
        "reason": "",
        "version": record.version,
    }
    data.update(overrides)
    return data


def test_the_owner_corrects_a_value_with_a_reason(client_as_officer, officer):
    value = MeasureValueFactory(
        measure=MeasureFactory(owner=officer.owner), value=Decimal("21")
    )
    url = reverse("measures:measurevalue_correct", args=[value.pk])
    response = client_as_officer.post(url, correction(value, value="20"))
    assert response.status_code == 200
    assert "Say why the value is being corrected" in response.content.decode()
    response = client_as_officer.post(
        url, correction(value, value="20", reason="One case was counted twice")
    )
    assert response.status_code == 302
    value.refresh_from_db()
    assert value.value == Decimal("20")
    latest = value.history.latest("history_id")
    assert latest.history_user == officer
    assert latest.history_change_reason == "One case was counted twice"
    assert latest.prev_record.value == Decimal("21")
    page = client_as_officer.get(value.measure.get_absolute_url()).content.decode()
    assert "One case was counted twice" in page


def test_a_stale_correction_is_refused(client_as_officer, officer):
    value = MeasureValueFactory(measure=MeasureFactory(owner=officer.owner))
    opened = correction(value, value="20", reason="Recount")
    fresh = MeasureValue.objects.get(pk=value.pk)
    fresh.value = Decimal("25")
    fresh._change_reason = "Late returns"
    fresh.save()
    response = client_as_officer.post(
        reverse("measures:measurevalue_correct", args=[value.pk]), opened
    )
    assert response.status_code == 409
    value.refresh_from_db()
    assert value.value == Decimal("25")


def test_another_officer_may_not_correct_a_value(client_as_officer):
    value = MeasureValueFactory()
    response = client_as_officer.post(
        reverse("measures:measurevalue_correct", args=[value.pk]),
        correction(value, value="1", reason="x"),
    )
    assert response.status_code == 403


def test_board_members_read_but_change_nothing(client_as_board):
    value = MeasureValueFactory()
    measure = value.measure
    for url in (
        reverse("measures:measure_create"),
        reverse("measures:measure_edit", args=[measure.pk]),
        reverse("measures:measure_record", args=[measure.pk]),
        reverse("measures:measurevalue_correct", args=[value.pk]),
    ):
        assert client_as_board.get(url).status_code == 403
        assert client_as_board.post(url, {}).status_code == 403


def test_no_role_is_refused(client, no_group_user):
    sign_in_as(client, no_group_user)
    measure = MeasureFactory()
    assert client.get(reverse("measures:measure_list")).status_code == 403
    assert client.get(measure.get_absolute_url()).status_code == 403


# The target trajectory ---------------------------------------------------


def test_a_manager_sets_a_target_from_a_period(client_as_manager, manager):
    measure = MeasureFactory(target=Decimal("22"))
    url = reverse("measures:measure_target", args=[measure.pk])
    response = client_as_manager.post(
        url, {"from_period": "2026-10-01", "target": "20"}, follow=True
    )
    assert "Target of 20 from October 2026 saved" in " ".join(success_message(response))
    step = measure.targets.get()
    assert step.history.get().history_user == manager
    # The same period again replaces the step; the history keeps both.
    client_as_manager.post(url, {"from_period": "2026-10-01", "target": "19"})
    step.refresh_from_db()
    assert step.target == Decimal("19")
    assert step.history.count() == 2
    page = client_as_manager.get(measure.get_absolute_url()).content.decode()
    assert "19 from October 2026" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"from_period": "", "target": "20"}, "Select the period the target"),
        ({"from_period": "2026-10-02", "target": "20"}, "from the list"),
        ({"from_period": "2026-10-01", "target": ""}, "Enter the target"),
        ({"from_period": "2026-10-01", "target": "1e99"}, "or less"),
    ],
)
def test_bad_targets_are_refused(client_as_manager, data, message):
    measure = MeasureFactory()
    response = client_as_manager.post(
        reverse("measures:measure_target", args=[measure.pk]), data
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not measure.targets.exists()


def test_only_managers_set_targets(client_as_officer, officer):
    measure = MeasureFactory(owner=officer.owner)
    url = reverse("measures:measure_target", args=[measure.pk])
    assert client_as_officer.get(url).status_code == 403
    assert client_as_officer.post(url, {}).status_code == 403


def test_the_list_judges_the_latest_value_against_its_periods_target(
    client_as_board,
):
    measure = MeasureFactory(target=Decimal("22"), amber_tolerance=0, red_tolerance=1)
    MeasureTargetFactory(
        measure=measure, from_period=datetime.date(2026, 5, 1), target=Decimal("18")
    )
    MeasureValueFactory(
        measure=measure, period=datetime.date(2026, 5, 1), value=Decimal("21")
    )
    response = client_as_board.get(reverse("measures:measure_list"))
    body = response.content.decode()
    assert ">Red<" in body and ">18<" in body.replace(" ", "")


def test_a_measure_made_quarterly_after_monthly_values_still_shows(
    client_as_manager,
):
    measure = MeasureFactory()
    for month in (10, 11, 12):
        MeasureValueFactory(measure=measure, period=datetime.date(2025, month, 1))
    response = client_as_manager.post(
        reverse("measures:measure_edit", args=[measure.pk]),
        edit_data(measure, frequency=Measure.Frequency.QUARTERLY),
    )
    assert response.status_code == 302
    for url in (
        measure.get_absolute_url(),
        reverse("measures:measure_history", args=[measure.pk]),
        reverse("measures:measure_list"),
        reverse("measures:measure_record", args=[measure.pk]),
        reverse("measures:measure_target", args=[measure.pk]),
    ):
        assert client_as_manager.get(url).status_code == 200, url
