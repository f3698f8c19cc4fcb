"""The board's choice of plan reads the plans once, and is marked up as
Django would mark it up."""

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from improvement.board.forms import required_plan_field
from improvement.plan.models import Plan
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db


class _Choice(forms.Form):
    plan = required_plan_field()


def _rendered(form):
    with CaptureQueriesContext(connection) as queries:
        html = str(form["plan"])
    return html, len(queries)


def test_the_plans_are_read_once_and_the_markup_is_djangos():
    PlanFactory(name="Children's services improvement plan")
    PlanFactory(name="SEND written statement of action")
    ours = _Choice({"plan": ""})
    ours.fields["plan"].queryset = Plan.objects.order_by("name")
    django = _Choice({"plan": ""})
    django.fields["plan"].queryset = Plan.objects.order_by("name")
    django.fields["plan"].widget = forms.Select(choices=django.fields["plan"].choices)

    html, queries = _rendered(ours)
    django_html, django_queries = _rendered(django)

    assert html == django_html
    assert "required" not in html
    assert "SEND written statement of action" in html
    assert (queries, django_queries) == (1, 2)
