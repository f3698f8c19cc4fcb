"""Drift and delay: how often each action's due date moved, how far, and why.

Read-only: every signed-in role with the view permission may open it.
"""

import datetime

from django import forms
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe

from improvement.board.drift import drift
from improvement.board.forms import (
    date_field,
    default_plan,
    filled_in,
    required_plan_field,
)
from improvement.board.page_cache import cached_fragment
from improvement.board.periods import DEFAULT_PERIOD_DAYS, start_of_day
from improvement.kernel.forms import GovukMessagesMixin
from improvement.kernel.permissions import can_view_actions, require
from improvement.plan.models import Plan


class DriftForm(GovukMessagesMixin, forms.Form):
    """The plan, and the date from which to list actions that slipped."""

    plan = required_plan_field()
    since = date_field(
        "Slipped since",
        "The date",
        "Actions whose due date moved later on or after this day.",
    )

    def __init__(self, data, *, plans, today):
        data = filled_in(
            data,
            {
                "plan": getattr(default_plan(plans), "pk", None),
                "since": today - datetime.timedelta(days=DEFAULT_PERIOD_DAYS),
            },
        )
        super().__init__(data)
        self.fields["plan"].plans = plans


@require_safe
@require(can_view_actions)
def drift_view(request):
    """Which actions keep slipping: moves, days slipped and the reasons given.

    With the plan's slip figures by priority and by lead officer, and the
    actions whose due date moved later since the chosen date.
    """
    plans = list(Plan.objects.visible_to(request.user))
    form = None
    context = {"page_title": "Drift and delay"}
    if plans:
        form = DriftForm(request.GET, plans=plans, today=timezone.localdate())
    if form is not None and form.is_valid():
        plan, since = form.cleaned_data["plan"], form.cleaned_data["since"]
        context |= {
            "plan": plan,
            "body": cached_fragment(
                request,
                "drift",
                plan,
                lambda: render_to_string(
                    "improvement/includes/drift_body.html",
                    {"report": drift(plan, since=start_of_day(since))},
                ),
                since=since,
            ),
        }
    return render(request, "improvement/drift.html", {"form": form, **context})
