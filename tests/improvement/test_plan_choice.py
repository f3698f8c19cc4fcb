"""The board's choice of plan asks the database nothing: it chooses from the
plans the view read, and is marked up as Django would mark up a choice of
model objects."""

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from improvement.board.forms import PlanChoiceField, required_plan_field
from improvement.plan.models import Plan
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db


class _Choice(forms.Form):
    plan = required_plan_field()


class _AnyPlan(forms.Form):
    plan = PlanChoiceField(required=False, empty_label="All plans")


class _Djangos(forms.Form):
    """The same choices as Django's own field for model objects."""

    plan = forms.ModelChoiceField(queryset=Plan.objects.order_by("name"))


def _plans():
    PlanFactory(name="Children's services improvement plan")
    PlanFactory(name="SEND written statement of action")
    return list(Plan.objects.order_by("name"))


def _queries(work):
    with CaptureQueriesContext(connection) as queries:
        result = work()
    return result, len(queries)


def _form(form_class, data, plans):
    form = form_class(data)
    form.fields["plan"].plans = plans
    return form


def test_the_drop_down_is_djangos_markup_and_asks_nothing():
    plans = _plans()
    ours = _form(_Choice, {"plan": ""}, plans)
    django = _Djangos({"plan": ""})
    django.fields["plan"].empty_label = None
    django.fields["plan"].widget = forms.Select(choices=django.fields["plan"].choices)

    html, queries = _queries(lambda: str(ours["plan"]))

    assert html == str(django["plan"])
    assert "required" not in html
    assert "SEND written statement of action" in html
    assert queries == 0


def test_a_chosen_plan_is_cleaned_to_the_plan_itself_without_a_query():
    plans = _plans()
    form = _form(_Choice, {"plan": str(plans[1].pk)}, plans)
    valid, queries = _queries(form.is_valid)
    assert valid and queries == 0
    assert form.cleaned_data["plan"] is plans[1]


@pytest.mark.parametrize("value", ["", "abc", "0", "99999", "1.0", "\x00"])
def test_a_plan_not_on_offer_gets_a_message_beside_the_field(value):
    plans = _plans()
    form = _form(_Choice, {"plan": value}, plans[:1])
    assert not form.is_valid()
    expected = "Select a plan" if value == "" else "Select a plan from the list"
    assert form.errors["plan"] == [expected]


def test_a_plan_the_person_may_not_see_is_refused():
    plans = _plans()
    form = _form(_Choice, {"plan": str(plans[1].pk)}, plans[:1])
    assert not form.is_valid()
    assert form.errors["plan"] == ["Select a plan from the list"]


def test_with_an_empty_label_no_plan_means_every_plan():
    plans = _plans()
    form = _form(_AnyPlan, {"plan": ""}, plans)
    assert form.is_valid()
    assert form.cleaned_data["plan"] is None
    html = str(form["plan"])
    assert html.index("All plans") < html.index("Children")
    assert '<option value="" selected>All plans</option>' in html
