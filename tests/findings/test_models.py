"""A finding comes from exactly one inspection or visit, with a unique reference."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from findings.models import Finding
from tests.factories import (
    ActionFactory,
    FindingFactory,
    InspectionFactory,
    MonitoringVisitFactory,
)

pytestmark = pytest.mark.django_db


def test_finding_from_both_an_inspection_and_a_visit_is_refused():
    visit = MonitoringVisitFactory()
    finding = FindingFactory.build(inspection=visit.inspection, monitoring_visit=visit)
    with pytest.raises(ValidationError) as caught:
        finding.full_clean()
    assert "not both" in caught.value.message_dict["monitoring_visit"][0]
    with pytest.raises(IntegrityError):
        finding.save()


def test_finding_from_neither_is_refused():
    finding = FindingFactory.build(inspection=None, monitoring_visit=None)
    with pytest.raises(ValidationError) as caught:
        finding.full_clean()
    assert caught.value.message_dict["inspection"] == [
        "Select the inspection or the visit that raised this finding"
    ]
    with pytest.raises(IntegrityError):
        finding.save()


def test_reference_is_unique_per_source_only():
    inspection = InspectionFactory()
    FindingFactory(inspection=inspection, reference="R9")
    with pytest.raises(IntegrityError), transaction.atomic():
        FindingFactory(inspection=inspection, reference="R9")
    # The same reference in another report is fine.
    FindingFactory(inspection=InspectionFactory(), reference="R9")
    visit = MonitoringVisitFactory()
    FindingFactory(inspection=None, monitoring_visit=visit, reference="R9")
    duplicate = FindingFactory.build(
        inspection=None, monitoring_visit=visit, reference="R9"
    )
    with pytest.raises(ValidationError) as caught:
        duplicate.validate_constraints()
    assert "This visit already has a finding with that reference" in str(caught.value)


def test_unanswered_lists_findings_no_action_answers_except_strengths():
    answered = FindingFactory()
    unanswered = FindingFactory()
    FindingFactory(kind=Finding.Kind.STRENGTH)
    ActionFactory().findings.add(answered)
    assert list(Finding.objects.unanswered()) == [unanswered]


def test_finding_reads_as_reference_and_title():
    finding = FindingFactory(reference="R9", title="Supervision is not regular")
    assert str(finding) == "R9: Supervision is not regular"
