"""Deleting a value or a target step recorded by mistake: a value by its
measure's owner or a manager, a target step by a manager, with a reason kept
in the history; refused over a newer change, for a value worked out from the
audits, and for anyone else."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from improvement.measures.models import Measure, MeasureTarget, MeasureValue
from tests.factories import MeasureFactory, MeasureTargetFactory, MeasureValueFactory
from tests.helpers import sign_in_as

pytestmark = pytest.mark.django_db


def _url(value):
    return reverse("measures:measurevalue_delete", args=[value.pk])


def test_the_owner_deletes_a_value_saying_why(client_as_officer, officer):
    value = MeasureValueFactory(
        measure=MeasureFactory(owner=officer.owner), value=Decimal("21")
    )
    measure_page = client_as_officer.get(value.measure.get_absolute_url()).text
    assert _url(value) in measure_page
    page = client_as_officer.get(_url(value))
    assert page.status_code == 200
    assert "Delete the value for" in page.text

    refused = client_as_officer.post(_url(value), {"version": value.version})
    assert refused.status_code == 200
    assert "Say why it is being deleted" in refused.text
    assert MeasureValue.objects.filter(pk=value.pk).exists()

    done = client_as_officer.post(
        _url(value),
        {"version": value.version, "reason": "Recorded against the wrong month"},
    )
    assert done.status_code == 302
    assert not MeasureValue.objects.filter(pk=value.pk).exists()
    gone = MeasureValue.history.filter(id=value.pk).latest("history_id")
    assert gone.history_type == "-"
    assert gone.history_user == officer
    assert gone.history_change_reason == "Recorded against the wrong month"
    assert gone.value == Decimal("21")


def test_a_delete_over_a_newer_correction_is_refused_then_confirmed(
    client_as_manager, manager
):
    value = MeasureValueFactory(value=Decimal("21"))
    opened = {"version": value.version, "reason": "Wrong period"}
    fresh = MeasureValue.objects.get(pk=value.pk)
    fresh.value = Decimal("25")
    fresh._change_reason = "Late returns"
    fresh.save()
    refused = client_as_manager.post(_url(value), opened)
    assert refused.status_code == 409
    assert "after you opened this page" in refused.text
    assert MeasureValue.objects.filter(pk=value.pk).exists()
    # Submitted again from the refusal, having seen the newer value.
    again = client_as_manager.post(
        _url(value), {"version": fresh.version, "reason": "Wrong period"}
    )
    assert again.status_code == 302
    assert not MeasureValue.objects.filter(pk=value.pk).exists()


def test_others_may_not_delete_a_value(client_as_officer, client_as_board):
    value = MeasureValueFactory()
    data = {"version": value.version, "reason": "x"}
    assert client_as_officer.post(_url(value), data).status_code == 403
    assert client_as_board.post(_url(value), data).status_code == 403
    assert MeasureValue.objects.filter(pk=value.pk).exists()


def test_a_worked_out_value_cannot_be_deleted(client_as_manager):
    measure = MeasureFactory(
        unit=Measure.Unit.PERCENTAGE, worked_out_from=Measure.WorkedOut.AUDITS_AFTER
    )
    value = MeasureValue.objects.create(
        measure=measure, period=measure.plan.start_date.replace(day=1), value=50
    )
    data = {"version": value.version, "reason": "x"}
    assert client_as_manager.post(_url(value), data).status_code == 403


def test_a_manager_deletes_a_target_step_saying_why(
    client_as_manager, manager, officer
):
    client_as_officer = sign_in_as(Client(), officer)
    step = MeasureTargetFactory(measure=MeasureFactory(owner=officer.owner))
    url = reverse("measures:measuretarget_delete", args=[step.pk])
    target_page = client_as_manager.get(
        reverse("measures:measure_target", args=[step.measure_id])
    ).text
    assert url in target_page
    data = {"version": step.version, "reason": "Set from the wrong quarter"}
    assert client_as_officer.post(url, data).status_code == 403
    done = client_as_manager.post(url, data)
    assert done.status_code == 302
    assert not MeasureTarget.objects.filter(pk=step.pk).exists()
    gone = MeasureTarget.history.filter(id=step.pk).latest("history_id")
    assert (gone.history_type, gone.history_user) == ("-", manager)
    assert gone.history_change_reason == "Set from the wrong quarter"
