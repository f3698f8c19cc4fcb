"""What changed since: a plan's changes between two dates, in sections.

Read-only: every signed-in role with the view permission may open it. The
dates and plan come from the query string, so the page can be bookmarked and
shared ("what changed since the last Improvement Board?").
"""

import datetime

from django import forms
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe

from improvement.board.forms import (
    date_field,
    default_plan,
    filled_in,
    required_plan_field,
)
from improvement.board.page_cache import cached_fragment
from improvement.board.periods import DEFAULT_PERIOD_DAYS, day_window
from improvement.board.what_changed import changes_between
from improvement.kernel.forms import GovukMessagesMixin
from improvement.kernel.permissions import can_view_actions, require
from improvement.plan.models import Plan


class ChangesSinceForm(GovukMessagesMixin, forms.Form):
    """The plan and the two dates of "What changed". Dates are whole days."""

    plan = required_plan_field()
    since = date_field("From", "The start date")
    until = date_field("To", "The end date", "Up to and including this day.")

    def __init__(self, data, *, plans, default, today):
        self.today = today
        until = self.base_fields["until"].peek(data, "until") or today
        data = filled_in(
            data,
            {
                "plan": default.pk,
                "since": until - datetime.timedelta(days=DEFAULT_PERIOD_DAYS),
                "until": today,
            },
        )
        super().__init__(data)
        self.fields["plan"].plans = plans

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error(
                "until", "The end date must be the same as or after the start date"
            )
        return cleaned


@require_safe
@require(can_view_actions)
def changes_since(request):
    """Board members and managers see what changed in a plan between two dates.

    Actions added, delivered and withdrawn; status, RAG and impact changes;
    due-date moves with their reason and how far they moved; findings added;
    links added and removed; progress updates; each with who and when.
    """
    plans = list(Plan.objects.visible_to(request.user))
    today = timezone.localdate()
    form = None
    context = {"page_title": "What changed"}
    default = default_plan(plans)  # None when the person may see no plan
    if default is not None:
        form = ChangesSinceForm(request.GET, plans=plans, default=default, today=today)
    if form is not None and form.is_valid():
        plan, since, until = (form.cleaned_data[k] for k in ("plan", "since", "until"))
        start, end = day_window(since, until)
        context |= {
            "plan": plan,
            "body": cached_fragment(
                request,
                "changes_since",
                plan,
                lambda: render_to_string(
                    "improvement/includes/changes_since_body.html",
                    {"report": changes_between(plan, start, end)},
                ),
                since=since,
                until=until,
            ),
        }
    return render(request, "improvement/changes_since.html", {"form": form, **context})
