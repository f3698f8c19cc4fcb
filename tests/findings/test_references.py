"""Finding references as the documents give them, or generated when they give none.

Ofsted's monitoring letters do not number their findings: people refer to
them by where they are ("Findings & evaluation para 6"), or leave the
reference blank and the register gives one from the source and order
("MV2-3", the third finding of monitoring visit 2), unique within the source.
"""

from unittest import mock

import pytest
from django.db import IntegrityError
from django.urls import reverse

from findings.models import Finding
from tests.factories import FindingFactory, InspectionFactory, MonitoringVisitFactory
from tests.helpers import finding_data, success_message
from visits.models import Inspection, MonitoringVisit

pytestmark = pytest.mark.django_db

CREATE_URL = reverse("findings:finding_create")


def _visit(sequence=2, **fields):
    return MonitoringVisitFactory(sequence=sequence, **fields)


def _finding(source, reference="", **fields):
    """A finding of ``source`` (an inspection or a visit), saved as the form does."""
    where = (
        {"inspection": source, "monitoring_visit": None}
        if isinstance(source, Inspection)
        else {"inspection": None, "monitoring_visit": source}
    )
    return FindingFactory(reference=reference, **where, **fields)


# Entering the documents' own references ---------------------------------------


def test_a_finding_from_a_monitoring_letter_keeps_the_letters_wording(
    client_as_manager,
):
    """The Bury letter of 16 November 2022: "Findings and evaluation of progress"
    has unnumbered paragraphs, referred to by place."""
    visit = _visit()
    response = client_as_manager.post(
        CREATE_URL,
        finding_data(
            monitoring_visit=visit.pk,
            reference="Findings & evaluation para 6",
            kind=Finding.Kind.AREA_FOR_IMPROVEMENT,
            title="Supervision records are not reflective; actions lack timescales",
        ),
    )

    finding = Finding.objects.get()
    assert response.status_code == 302
    assert finding.reference == "Findings & evaluation para 6"
    page = client_as_manager.get(finding.get_absolute_url()).content.decode()
    assert "Findings &amp; evaluation para 6" in page
    register = client_as_manager.get(reverse("findings:finding_list"))
    assert "Findings &amp; evaluation para 6" in register.content.decode()


def test_a_reference_of_100_characters_is_kept(client_as_manager):
    reference = "Headline findings, second paragraph, " + "x" * 63
    assert len(reference) == 100
    response = client_as_manager.post(
        CREATE_URL,
        finding_data(inspection=InspectionFactory().pk, reference=reference),
    )
    assert response.status_code == 302
    assert Finding.objects.get().reference == reference


# Generated references -----------------------------------------------------------


def test_a_blank_reference_is_generated_from_the_source_and_order(client_as_manager):
    visit = _visit(sequence=2)
    _finding(visit)
    _finding(visit)

    response = client_as_manager.post(
        CREATE_URL, finding_data(monitoring_visit=visit.pk, reference="")
    )

    assert response.status_code == 302
    finding = Finding.objects.latest("pk")
    assert finding.reference == "MV2-3"
    assert success_message(client_as_manager.get(response.url)) == [
        "Finding MV2-3 added"
    ]
    assert sorted(visit.findings.values_list("reference", flat=True)) == [
        "MV2-1",
        "MV2-2",
        "MV2-3",
    ]


def test_the_form_says_the_reference_may_be_left_blank(client_as_manager):
    page = client_as_manager.get(CREATE_URL).content.decode()
    assert "Reference (optional)" in page
    assert "the third finding of monitoring visit 2" in page


def test_generated_references_are_unique_per_source():
    visit = _visit(sequence=2)
    other_visit = _visit(sequence=3, inspection=visit.inspection)
    inspection = InspectionFactory(framework=Inspection.Framework.SIF)
    review = MonitoringVisitFactory(
        kind=MonitoringVisit.Kind.PEER_REVIEW, sequence=1, inspection=None
    )

    assert _finding(visit).reference == "MV2-1"
    assert _finding(other_visit).reference == "MV3-1"
    assert _finding(inspection).reference == "SIF-1"
    assert _finding(review).reference == "PR1-1"
    assert _finding(visit, reference="Headline findings").reference == (
        "Headline findings"
    )
    # The third finding of visit 2, after one numbered by hand.
    assert _finding(visit).reference == "MV2-3"


def test_a_generated_reference_moves_past_one_already_taken():
    visit = _visit(sequence=1)
    _finding(visit, reference="MV1-2")
    assert _finding(visit).reference == "MV1-3"
    assert _finding(visit).reference == "MV1-4"


def test_a_reference_taken_at_the_same_moment_is_tried_again():
    """Someone else may take the reference between choosing it and saving."""
    visit = _visit(sequence=1)
    _finding(visit, reference="MV1-1")
    finding = Finding(
        monitoring_visit=visit, kind=Finding.Kind.RECOMMENDATION, title="Drift"
    )
    with mock.patch.object(
        Finding, "generated_reference", side_effect=["MV1-1", "MV1-2"]
    ):
        finding.save()
    assert finding.reference == "MV1-2"


def test_a_save_that_fails_for_another_reason_is_not_retried():
    inspection = InspectionFactory()
    finding = Finding(
        inspection=inspection,
        monitoring_visit=_visit(),
        kind=Finding.Kind.RECOMMENDATION,
        title="From both, which the database refuses",
    )
    with pytest.raises(IntegrityError):
        finding.save()
    assert finding.reference == ""


def test_clearing_a_reference_gives_the_finding_one_in_its_place(client_as_manager):
    visit = _visit(sequence=2)
    _finding(visit)
    finding = _finding(visit, reference="Para 2")
    response = client_as_manager.post(
        reverse("findings:finding_edit", args=[finding.pk]),
        finding_data(finding, reference=""),
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.reference == "MV2-2"
    record = finding.history.first()
    assert (record.history_type, record.reference) == ("~", "MV2-2")
