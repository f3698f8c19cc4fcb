"""What the documents name can be recorded: every kind of visit or review, and
an inspection under the Single Inspection Framework (before 2018)."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.factories import InspectionFactory, MonitoringVisitFactory
from tests.helpers import inspection_data, visit_data
from visits.models import Grade, Inspection, MonitoringVisit

pytestmark = pytest.mark.django_db

CREATE_URL = reverse("visits:inspection_create")
VISIT_CREATE_URL = reverse("visits:monitoringvisit_create")

#: Kinds the seed documents name that the register could not hold before.
NEW_KINDS = [
    (MonitoringVisit.Kind.IMPROVEMENT_NOTICE, "DfE improvement notice"),
    (MonitoringVisit.Kind.STATUTORY_DIRECTION, "DfE statutory direction"),
    (MonitoringVisit.Kind.FOCUSED_VISIT, "Ofsted focused visit"),
    (MonitoringVisit.Kind.JTAI, "Joint targeted area inspection (JTAI)"),
    (MonitoringVisit.Kind.COMMISSIONER_REPORT, "Commissioner's report"),
    (MonitoringVisit.Kind.AUDIT, "Audit"),
]


def _radio_labels(response, name):
    soup = BeautifulSoup(response.text, "html.parser")
    return {
        radio["value"]: soup.find("label", attrs={"for": radio["id"]}).get_text(
            strip=True
        )
        for radio in soup.find_all("input", attrs={"type": "radio", "name": name})
    }


def test_the_visit_form_offers_every_kind_the_documents_name(client_as_manager):
    offered = _radio_labels(client_as_manager.get(VISIT_CREATE_URL), "kind")
    for value, label in NEW_KINDS:
        assert offered[value] == label
    assert offered[MonitoringVisit.Kind.OFSTED_MONITORING] == "Ofsted monitoring visit"


@pytest.mark.parametrize("kind, label", NEW_KINDS)
def test_each_new_kind_is_recorded_and_shown(client_as_manager, kind, label):
    response = client_as_manager.post(
        VISIT_CREATE_URL, visit_data(kind=kind, sequence="1")
    )

    visit = MonitoringVisit.objects.get()
    assert response.status_code == 302
    assert visit.kind == kind
    page = client_as_manager.get(visit.get_absolute_url()).content.decode()
    assert label.replace("'", "&#x27;") in page
    listed = client_as_manager.get(reverse("visits:inspection_list")).content.decode()
    assert label.replace("'", "&#x27;") in listed


def test_an_improvement_notice_issued_after_an_inspection(client_as_manager):
    """Bradford: an improvement notice on 4 December 2018, after the inspection."""
    inspection = InspectionFactory(
        title="ILACS inspection 2018",
        start_date=datetime.date(2018, 9, 17),
        end_date=datetime.date(2018, 9, 28),
        published_date=datetime.date(2018, 10, 29),
    )
    response = client_as_manager.post(
        VISIT_CREATE_URL,
        visit_data(
            kind=MonitoringVisit.Kind.IMPROVEMENT_NOTICE,
            sequence="1",
            inspection=inspection.pk,
            start_date_0="4",
            start_date_1="12",
            start_date_2="2018",
            end_date_0="4",
            end_date_1="12",
            end_date_2="2018",
            letter_date_0="4",
            letter_date_1="12",
            letter_date_2="2018",
        ),
    )
    assert response.status_code == 302
    notice = MonitoringVisit.objects.get()
    assert str(notice) == "DfE improvement notice 1 (December 2018)"
    assert notice.inspection == inspection


# Inspections -------------------------------------------------------------------


def test_a_sif_inspection_before_2018_is_recorded_with_its_grades(
    client_as_manager,
):
    """Buckinghamshire: the Ofsted re-inspection of November 2017 under SIF,
    reported in January 2018, graded on the same four-point scale."""
    data = inspection_data(
        rows=[
            {
                "area": "Children who need help and protection",
                "grade": Grade.INADEQUATE,
            },
            {
                "area": "Leadership, management and governance",
                "grade": Grade.REQUIRES_IMPROVEMENT,
            },
            {"area": "Adoption performance", "grade": Grade.GOOD},
        ],
        title="Ofsted re-inspection 2017",
        framework=Inspection.Framework.SIF,
        start_date_0="6",
        start_date_1="11",
        start_date_2="2017",
        end_date_0="16",
        end_date_1="11",
        end_date_2="2017",
        published_date_0="8",
        published_date_1="1",
        published_date_2="2018",
        overall_judgement=Grade.INADEQUATE,
    )

    response = client_as_manager.post(CREATE_URL, data)

    assert response.status_code == 302, response.context["form"].errors
    inspection = Inspection.objects.get()
    assert inspection.framework == Inspection.Framework.SIF
    assert inspection.start_date == datetime.date(2017, 11, 6)
    assert inspection.published_date == datetime.date(2018, 1, 8)
    assert sorted(inspection.judgements.values_list("grade", flat=True)) == sorted(
        [Grade.INADEQUATE, Grade.REQUIRES_IMPROVEMENT, Grade.GOOD]
    )
    page = client_as_manager.get(inspection.get_absolute_url()).content.decode()
    assert "Single inspection framework (SIF), before 2018" in page
    assert "6 November 2017" in page
    assert "Requires improvement to be good" in page


def test_ungraded_frameworks_are_recorded_as_visits_not_inspections(
    client_as_manager,
):
    offered = _radio_labels(client_as_manager.get(CREATE_URL), "framework")
    assert Inspection.Framework.SIF in offered
    assert Inspection.Framework.JTAI not in offered
    assert Inspection.Framework.FOCUSED_VISIT not in offered
    page = client_as_manager.get(CREATE_URL).content.decode()
    assert "record them as a visit or review" in page

    refused = client_as_manager.post(
        CREATE_URL, inspection_data(framework=Inspection.Framework.JTAI)
    )
    assert refused.status_code == 200
    assert not Inspection.objects.exists()


def test_an_inspection_recorded_under_an_ungraded_framework_keeps_it(
    client_as_manager,
):
    inspection = InspectionFactory(framework=Inspection.Framework.FOCUSED_VISIT)
    url = reverse("visits:inspection_edit", args=[inspection.pk])
    offered = _radio_labels(client_as_manager.get(url), "framework")
    assert Inspection.Framework.FOCUSED_VISIT in offered
    assert Inspection.Framework.JTAI not in offered

    response = client_as_manager.post(
        url, inspection_data(inspection, title="Focused visit 2024")
    )
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.framework == Inspection.Framework.FOCUSED_VISIT


def test_reference_prefixes_name_the_source():
    assert MonitoringVisitFactory(sequence=2).reference_prefix == "MV2"
    audit = MonitoringVisitFactory(
        kind=MonitoringVisit.Kind.AUDIT, sequence=1, inspection=None
    )
    assert audit.reference_prefix == "AUD1"
    assert InspectionFactory().reference_prefix == "ILACS"
    sif = InspectionFactory(framework=Inspection.Framework.SIF)
    assert sif.reference_prefix == "SIF"
    for kind in MonitoringVisit.Kind.values:
        assert kind in MonitoringVisit.REFERENCE_CODES
    for framework in Inspection.Framework.values:
        assert framework in Inspection.REFERENCE_CODES
