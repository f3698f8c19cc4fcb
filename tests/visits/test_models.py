"""Inspections, judgements and visits refuse impossible data with clear messages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import InspectionFactory, JudgementFactory, MonitoringVisitFactory
from visits.models import Grade, Inspection, MonitoringVisit

pytestmark = pytest.mark.django_db


def test_inspection_ending_before_it_starts_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        Inspection.objects.create(
            title="ILACS",
            start_date=datetime.date(2025, 10, 10),
            end_date=datetime.date(2025, 10, 1),
        )


def test_inspection_dates_out_of_order_get_a_message_beside_the_field():
    inspection = Inspection(
        title="ILACS",
        start_date=datetime.date(2025, 10, 10),
        end_date=datetime.date(2025, 10, 1),
        published_date=datetime.date(2025, 9, 1),
    )
    with pytest.raises(ValidationError) as caught:
        inspection.full_clean()
    assert caught.value.message_dict["end_date"] == [
        "The end date must be on or after the start date"
    ]
    assert caught.value.message_dict["published_date"] == [
        "The published date must be on or after the end date"
    ]


def test_an_inspection_grades_each_area_once():
    judgement = JudgementFactory(area="Overall effectiveness", grade=Grade.INADEQUATE)
    with pytest.raises(ValidationError) as caught:
        JudgementFactory.build(
            inspection=judgement.inspection, area="Overall effectiveness"
        ).validate_constraints()
    assert "already has a judgement for that area" in str(caught.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        JudgementFactory(inspection=judgement.inspection, area="Overall effectiveness")


def test_judgement_reads_as_area_and_grade():
    judgement = JudgementFactory(area="Care leavers", grade=Grade.REQUIRES_IMPROVEMENT)
    assert str(judgement) == "Care leavers: Requires improvement to be good"


def test_visit_numbers_are_unique_per_kind_and_inspection():
    visit = MonitoringVisitFactory(sequence=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        MonitoringVisitFactory(inspection=visit.inspection, sequence=1)
    # Another kind of visit may reuse the number.
    MonitoringVisitFactory(
        inspection=visit.inspection, sequence=1, kind=MonitoringVisit.Kind.DFE_REVIEW
    )


def test_visit_ending_before_it_starts_is_refused():
    visit = MonitoringVisitFactory.build(
        inspection=InspectionFactory(),
        start_date=datetime.date(2026, 3, 10),
        end_date=datetime.date(2026, 3, 9),
    )
    with pytest.raises(ValidationError) as caught:
        visit.full_clean()
    assert caught.value.message_dict["end_date"] == [
        "The end date must be on or after the start date"
    ]
    with pytest.raises(IntegrityError):
        visit.save()


def test_visit_number_zero_is_refused():
    with pytest.raises(IntegrityError):
        MonitoringVisitFactory(sequence=0)


def test_visit_reads_as_kind_number_and_month():
    visit = MonitoringVisitFactory(sequence=2, start_date=datetime.date(2026, 3, 10))
    assert str(visit) == "Ofsted monitoring visit 2 (March 2026)"
