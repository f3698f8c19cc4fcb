"""Measures and their values: the RAG rule, periods and corrections."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from improvement.kernel.history import acting_as
from improvement.measures.chart import value_chart
from improvement.measures.models import (
    Measure,
    MeasureValue,
    Rag,
    period_label,
    period_start,
    value_rag,
)
from tests.factories import (
    MeasureFactory,
    MeasureTargetFactory,
    MeasureValueFactory,
    UserFactory,
)

HIGHER, LOWER = Measure.Direction.HIGHER, Measure.Direction.LOWER


def rag(value, target, direction, amber=2, red=5):
    return value_rag(
        None if value is None else Decimal(value),
        target=None if target is None else Decimal(target),
        direction=direction,
        amber_tolerance=Decimal(amber),
        red_tolerance=Decimal(red),
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("90", Rag.GREEN),  # above target
        ("80", Rag.GREEN),  # on target
        ("78", Rag.GREEN),  # short by exactly the amber tolerance
        ("77.99", Rag.AMBER),
        ("75", Rag.AMBER),  # short by exactly the red tolerance
        ("74.99", Rag.RED),
        ("0", Rag.RED),
    ],
)
def test_higher_is_better(value, expected):
    assert rag(value, "80", HIGHER) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("15", Rag.GREEN),  # below target
        ("18", Rag.GREEN),
        ("20", Rag.GREEN),
        ("20.01", Rag.AMBER),
        ("23", Rag.AMBER),
        ("23.01", Rag.RED),
    ],
)
def test_lower_is_better(value, expected):
    assert rag(value, "18", LOWER) == expected


def test_no_tolerance_means_anything_short_of_target_is_red():
    assert rag("17.99", "18", HIGHER, amber=0, red=0) == Rag.RED
    assert rag("18", "18", HIGHER, amber=0, red=0) == Rag.GREEN


def test_no_target_or_no_value_has_no_rag():
    assert rag("12", None, HIGHER) == Rag.NONE
    assert rag(None, "12", HIGHER) == Rag.NONE


def test_periods_start_on_the_first_of_a_month_or_quarter():
    day = datetime.date(2026, 5, 17)
    assert period_start(day, Measure.Frequency.MONTHLY) == datetime.date(2026, 5, 1)
    assert period_start(day, Measure.Frequency.QUARTERLY) == datetime.date(2026, 4, 1)
    assert period_label(datetime.date(2026, 4, 1), "quarterly") == "April to June 2026"
    assert period_label(datetime.date(2026, 4, 1), "monthly") == "April 2026"
    # A month recorded before the measure became quarterly names its quarter.
    assert period_label(datetime.date(2026, 11, 1), "quarterly") == (
        "October to December 2026"
    )


def test_values_read_in_their_unit():
    measure = Measure(unit=Measure.Unit.PERCENTAGE)
    assert measure.format_value(Decimal("45.50")) == "45.5%"
    measure.unit = Measure.Unit.MONEY
    assert measure.format_value(Decimal("1200.5")) == "£1,200.50"
    measure.unit = Measure.Unit.DAYS
    assert measure.format_value(Decimal("1.00")) == "1 day"
    measure.unit = Measure.Unit.NUMBER
    assert measure.format_value(Decimal("18.00")) == "18"


@pytest.mark.django_db
def test_one_value_per_measure_and_period():
    value = MeasureValueFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        MeasureValueFactory(measure=value.measure, period=value.period)


@pytest.mark.django_db
def test_a_period_starts_on_the_first_of_a_month():
    with pytest.raises(IntegrityError), transaction.atomic():
        MeasureValueFactory(period=datetime.date(2026, 3, 2))


@pytest.mark.django_db
def test_tolerances_must_be_in_order():
    measure = MeasureFactory.build(amber_tolerance=5, red_tolerance=2)
    with pytest.raises(ValidationError) as error:
        measure.clean()
    assert "red_tolerance" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        MeasureFactory(amber_tolerance=5, red_tolerance=2)


@pytest.mark.django_db
def test_a_correction_needs_a_reason_and_history_keeps_who_and_why():
    corrector = UserFactory(username="corrector")
    value = MeasureValueFactory(value=Decimal("21"))
    value = MeasureValue.objects.get(pk=value.pk)
    value.value = Decimal("19")
    with pytest.raises(ValidationError):
        value.save()
    value._change_reason = "The report double-counted one team"
    with acting_as(corrector):
        value.save()
    latest = value.history.order_by("-history_id").first()
    assert latest.history_user == corrector
    assert latest.history_change_reason == "The report double-counted one team"
    assert latest.prev_record.value == Decimal("21")


@pytest.mark.django_db
def test_a_note_changes_without_a_reason():
    value = MeasureValue.objects.get(pk=MeasureValueFactory().pk)
    value.note = "Includes the new team"
    value.save()
    assert value.history.count() == 2


@pytest.mark.django_db
def test_the_chart_keeps_the_target_off_the_axis_and_lists_every_value():
    measure = MeasureFactory(target=Decimal("18"))
    values = [
        MeasureValueFactory(measure=measure, value=Decimal(v))
        for v in ("26", "22", "19.2")
    ]
    chart = value_chart(measure, values)
    target_y = float(chart.target_points.split()[0].split(",")[1])
    assert target_y < float(chart.plot_bottom)
    assert [row.value for row in chart.rows] == ["26", "22", "19.2"]
    assert [row.rag for row in chart.rows] == ["red", "amber", "green"]
    assert chart.end_text == "19.2"
    assert value_chart(measure, []).empty


@pytest.mark.django_db
def test_the_chart_draws_the_largest_values():
    measure = MeasureFactory(target=None, unit=Measure.Unit.MONEY)
    values = [
        MeasureValueFactory(measure=measure, value=Decimal(v))
        for v in ("-999999999999.99", "999999999999.99")
    ]
    chart = value_chart(measure, values)
    assert chart.target_points == ""
    assert len(chart.markers) == 2


@pytest.mark.django_db
def test_a_trajectory_sets_the_target_from_each_period():
    measure = MeasureFactory(target=Decimal("22"), amber_tolerance=0, red_tolerance=2)
    MeasureTargetFactory(
        measure=measure, from_period=datetime.date(2026, 4, 1), target=Decimal("20")
    )
    MeasureTargetFactory(
        measure=measure, from_period=datetime.date(2026, 10, 1), target=Decimal("18")
    )
    assert measure.target_for(datetime.date(2026, 3, 1)) == Decimal("22")
    assert measure.target_for(datetime.date(2026, 4, 1)) == Decimal("20")
    assert measure.target_for(datetime.date(2026, 9, 1)) == Decimal("20")
    assert measure.target_for(datetime.date(2027, 1, 1)) == Decimal("18")
    # 21 was Green against 22 in March, Amber against 20 in May, Red in
    # November against 18.
    assert measure.rag_of(Decimal("21"), datetime.date(2026, 3, 1)) == Rag.GREEN
    assert measure.rag_of(Decimal("21"), datetime.date(2026, 5, 1)) == Rag.AMBER
    assert measure.rag_of(Decimal("21"), datetime.date(2026, 11, 1)) == Rag.RED
    values = [
        MeasureValueFactory(measure=measure, period=datetime.date(2026, m, 1))
        for m in (3, 5, 11)
    ]
    chart = value_chart(measure, values)
    assert [row.target for row in chart.rows] == ["22", "20", "18"]
    # A step where the trajectory changes: five points for three values.
    assert len(chart.target_points.split()) == 5
