"""The share of audits graded Good or better, a measure worked out from the
audits: its values follow every audit recorded, moderated, moved or deleted,
with history, and nobody types them in."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from improvement.audits import measure_values
from improvement.measures.known import measure_known
from improvement.measures.models import Measure, MeasureValue
from tests.factories import AuditFactory, MeasureFactory, PlanFactory
from tests.helpers import at
from visits.models import Grade

pytestmark = pytest.mark.django_db

OCTOBER, NOVEMBER = datetime.date(2025, 10, 1), datetime.date(2025, 11, 1)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(at(2026, 1, 15)):
        yield


@pytest.fixture
def plan():
    return PlanFactory(name="Children's services plan")


def _measure(plan, worked_out=Measure.WorkedOut.AUDITS_AFTER, **fields):
    fields.setdefault("name", "Audits graded Good or better")
    return MeasureFactory(
        plan=plan, unit=Measure.Unit.PERCENTAGE, worked_out_from=worked_out, **fields
    )


def _values(measure):
    return [
        (value.period, int(value.value), value.note)
        for value in MeasureValue.objects.filter(measure=measure).order_by("period")
    ]


def test_defining_the_measure_works_out_each_month_from_the_audits(plan):
    AuditFactory(plan=plan, audit_date=datetime.date(2025, 10, 3), grade=Grade.GOOD)
    AuditFactory(
        plan=plan,
        audit_date=datetime.date(2025, 10, 20),
        grade=Grade.GOOD,
        moderated_grade=Grade.REQUIRES_IMPROVEMENT,
    )
    AuditFactory(
        plan=plan, audit_date=datetime.date(2025, 11, 5), grade=Grade.OUTSTANDING
    )
    AuditFactory(audit_date=datetime.date(2025, 10, 5), grade=Grade.INADEQUATE)
    after = _measure(plan)
    before = _measure(
        plan, Measure.WorkedOut.AUDITS_BEFORE, name="Good or better at first grade"
    )
    assert _values(after) == [
        (OCTOBER, 50, "1 of 2 audits"),
        (NOVEMBER, 100, "1 of 1 audit"),
    ]
    assert _values(before) == [
        (OCTOBER, 100, "2 of 2 audits"),
        (NOVEMBER, 100, "1 of 1 audit"),
    ]


def test_a_quarterly_measure_counts_the_quarter(plan):
    AuditFactory(plan=plan, audit_date=datetime.date(2025, 10, 3), grade=Grade.GOOD)
    AuditFactory(
        plan=plan, audit_date=datetime.date(2025, 12, 3), grade=Grade.INADEQUATE
    )
    measure = _measure(plan, frequency=Measure.Frequency.QUARTERLY)
    assert _values(measure) == [(OCTOBER, 50, "1 of 2 audits")]


def test_moderating_moving_and_deleting_audits_keep_the_values_true(plan):
    measure = _measure(plan)
    assert _values(measure) == []
    audit = AuditFactory(
        plan=plan, audit_date=datetime.date(2025, 10, 3), grade=Grade.GOOD
    )
    AuditFactory(plan=plan, audit_date=datetime.date(2025, 10, 9), grade=Grade.GOOD)
    assert _values(measure) == [(OCTOBER, 100, "2 of 2 audits")]

    audit.moderated_grade = Grade.INADEQUATE
    audit.save()
    assert _values(measure) == [(OCTOBER, 50, "1 of 2 audits")]

    audit.audit_date = datetime.date(2025, 11, 2)
    audit.save()
    assert _values(measure) == [
        (OCTOBER, 100, "1 of 1 audit"),
        (NOVEMBER, 0, "0 of 1 audit"),
    ]

    audit.delete()
    assert _values(measure) == [(OCTOBER, 100, "1 of 1 audit")]
    reasons = set(
        MeasureValue.history.filter(measure_id=measure.pk).values_list(
            "history_change_reason", flat=True
        )
    )
    assert reasons == {measure_values.REASON}


def test_an_audit_recorded_in_the_browser_updates_the_measure_as_its_recorder(
    client_as_officer, officer, plan
):
    measure = _measure(plan)
    response = client_as_officer.post(
        f"{reverse('audits:audit_create')}?plan={plan.pk}",
        {
            "audit_date_0": "12",
            "audit_date_1": "1",
            "audit_date_2": "2026",
            "team": "Assessment team 2",
            "case_reference": "CF-104233",
            "auditor": officer.owner.pk,
            "grade": Grade.GOOD,
            "moderated_grade": "",
        },
    )
    assert response.status_code == 302
    value = MeasureValue.objects.get(measure=measure)
    assert (value.period, int(value.value)) == (datetime.date(2026, 1, 1), 100)
    assert value.history.get().history_user == officer


def test_what_was_known_on_a_date_leaves_out_audits_recorded_later(plan):
    with time_machine.travel(at(2025, 10, 31)):
        measure = _measure(plan)
        AuditFactory(plan=plan, audit_date=datetime.date(2025, 10, 3), grade=Grade.GOOD)
    with time_machine.travel(at(2025, 12, 10)):
        AuditFactory(
            plan=plan, audit_date=datetime.date(2025, 10, 28), grade=Grade.INADEQUATE
        )
    _then, in_november = measure_known(measure, at(2025, 11, 30))
    assert [(v.period, int(v.value)) for v in in_november] == [(OCTOBER, 100)]
    _now, values = measure_known(measure, at(2026, 1, 15))
    assert [(v.period, int(v.value)) for v in values] == [(OCTOBER, 50)]


def test_nobody_records_or_corrects_its_values_by_hand(client_as_manager, plan):
    measure = _measure(plan)
    AuditFactory(plan=plan, audit_date=datetime.date(2025, 10, 3))
    value = MeasureValue.objects.get(measure=measure)
    page = client_as_manager.get(measure.get_absolute_url()).content.decode()
    assert "Worked out from the audits" in page
    assert reverse("measures:measure_record", args=[measure.pk]) not in page
    record = client_as_manager.get(
        reverse("measures:measure_record", args=[measure.pk])
    )
    assert record.status_code == 403
    correct = reverse("measures:measurevalue_correct", args=[value.pk])
    assert client_as_manager.post(correct, {"value": "99"}).status_code == 403
    assert MeasureValue.objects.get(pk=value.pk).value == value.value


def test_a_measure_worked_out_from_audits_must_be_a_percentage(
    client_as_manager, officer, plan
):
    response = client_as_manager.post(
        f"{reverse('measures:measure_create')}?plan={plan.pk}",
        {
            "name": "Audits graded Good or better",
            "definition": "Share of audited cases graded Good or better.",
            "unit": Measure.Unit.NUMBER,
            "direction": Measure.Direction.HIGHER,
            "frequency": Measure.Frequency.MONTHLY,
            "worked_out_from": Measure.WorkedOut.AUDITS_AFTER,
            "target": "60",
            "amber_tolerance": "5",
            "red_tolerance": "10",
            "owner": officer.owner.pk,
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "A measure worked out from the audits is a percentage" in errors["unit"][0]
    assert not Measure.objects.exists()
