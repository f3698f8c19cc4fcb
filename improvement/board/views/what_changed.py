"""What changed since: a plan's changes between two dates, in sections.

Read-only: every signed-in role with the view permission may open it. The
dates and plan come from the query string, so the page can be bookmarked and
shared ("what changed since the last Improvement Board?").
"""

import datetime

from django import forms
from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from improvement.board.forms import default_plan
from improvement.board.periods import DEFAULT_PERIOD_DAYS, day_window
from improvement.board.what_changed import changes_between
from improvement.kernel.dates import hint
from improvement.kernel.forms import GovukMessagesMixin, QueryDateField
from improvement.plan.models import Plan


def date_field(label, name_in_errors, help_text=""):
    """An optional GOV.UK date input, with the date hint and GOV.UK messages.

    ``help_text`` follows the hint (“Usually the date of the last board.”).
    """
    return QueryDateField(
        label=label, error_name=name_in_errors, help_text=hint(help_text)
    )


def plan_field(**kwargs):
    """A choice of plan; the view sets the plans the user may see."""
    kwargs.setdefault(
        "error_messages", {"invalid_choice": "Select a plan from the list"}
    )
    return forms.ModelChoiceField(label="Plan", queryset=Plan.objects.none(), **kwargs)


def filled_in(data, defaults):
    """A copy of the query string with ``defaults`` for values not given.

    A date is given when any of its day, month and year boxes
    (``<name>_0/_1/_2``) or the date in one piece (``<name>``) is filled in;
    a date default is given in one piece, ``2026-03-31``.
    """
    data = data.copy()
    for name, value in defaults.items():
        keys = (name, f"{name}_0", f"{name}_1", f"{name}_2")
        if value is None or any(str(data.get(k, "")).strip() for k in keys):
            continue
        for key in keys:
            data.pop(key, None)
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


class ChangesSinceForm(GovukMessagesMixin, forms.Form):
    """The plan and the two dates of "What changed". Dates are whole days."""

    plan = plan_field(
        required=True,
        empty_label=None,
        error_messages={
            "required": "Select a plan",
            "invalid_choice": "Select a plan from the list",
        },
    )
    since = date_field("From", "The start date")
    until = date_field("To", "The end date", "Up to and including this day.")

    def __init__(self, data, *, plans, today):
        self.today = today
        until = self.base_fields["until"].peek(data, "until") or today
        data = filled_in(
            data,
            {
                "plan": getattr(default_plan(plans), "pk", None),
                "since": until - datetime.timedelta(days=DEFAULT_PERIOD_DAYS),
                "until": today,
            },
        )
        super().__init__(data)
        self.fields["plan"].queryset = plans

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error(
                "until", "The end date must be the same as or after the start date"
            )
        return cleaned


@require_safe
@permission_required("improvement.view_action", raise_exception=True)
def changes_since(request):
    """Board members and managers see what changed in a plan between two dates.

    Actions added, delivered and withdrawn; status, RAG and impact changes;
    due-date moves with their reason and how far they moved; findings added;
    links added and removed; progress updates; each with who and when.
    """
    plans = Plan.objects.visible_to(request.user)
    today = timezone.localdate()
    form, report = None, None
    if plans.exists():
        form = ChangesSinceForm(request.GET, plans=plans, today=today)
    if form is not None and form.is_valid():
        data = form.cleaned_data
        start, end = day_window(data["since"], data["until"])
        report = changes_between(data["plan"], start, end)
    return render(
        request,
        "improvement/changes_since.html",
        {
            "form": form,
            "report": report,
            "page_title": "What changed",
        },
    )
