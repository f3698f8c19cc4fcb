"""The board's screens: the dashboard, the register as it stood, and the trend.

Every role may open them (the view permission on actions); nothing on them
changes data. Each takes ``?plan=<pk>`` (default: the newest active plan) and
the dashboard and "as at" register take a date, read as the end of that day
in Europe/London: typed in the GOV.UK date input (``as_at_0``, ``as_at_1``,
``as_at_2``) or, in the links the pages build, ``?as_at=YYYY-MM-DD``. A date
that is not real, is in the future or is before the plan started gets a
message beside the field, never an error page.

The states come from ``improvement.board.states``, the figures from
``improvement.board.figures`` and the chart geometry from
``improvement.board.charts``; the views only choose the plan and date.
"""

import datetime
from dataclasses import dataclass, field

from django import forms
from django.db.models import CharField, DateField, IntegerField, Value
from django.db.models.functions import Cast, TruncMonth
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from findings.known import judgements_known
from findings.models import Finding
from improvement.audits import grade_mix
from improvement.audits.known import audits_known
from improvement.board import charts, periods, plan_history
from improvement.board.figures import board_figures, more_urls, summarise
from improvement.board.figures import trend as monthly_trend
from improvement.board.forms import default_plan
from improvement.board.page_cache import cached_fragment
from improvement.board.states import findings_to_answer, states_as_at
from improvement.imports.as_stated import as_stated
from improvement.imports.known import imported_after
from improvement.kernel.date_fields import QueryDateField
from improvement.kernel.dates import end_of_day, govuk_date, hint
from improvement.kernel.forms import GovukMessagesMixin
from improvement.kernel.links import record_url
from improvement.kernel.permissions import can_view_actions, require
from improvement.measures.known import measures_known
from improvement.plan.models import Plan, ProgressUpdate
from visits.models import MonitoringVisit

#: The page each finding in the register as at a date links to.
FINDING_PAGE = "findings:finding_detail"

#: How many month ends the quick picks offer, newest first.
MONTH_PICKS = 24


class BoardForm(GovukMessagesMixin, forms.Form):
    """Which plan, and which date, the board's screens show. A GET form."""

    plan = forms.TypedChoiceField(
        label="Improvement plan",
        coerce=int,
        required=False,
        error_messages={
            "invalid_choice": "Select an improvement plan from the list",
        },
    )
    as_at = QueryDateField(label="Date", error_name="The date")

    def __init__(self, data=None, *, plans, date_label=None, date_help=None, **kw):
        super().__init__(data, **kw)
        self.fields["plan"].choices = [(plan.pk, plan.name) for plan in plans]
        if date_label:
            self.fields["as_at"].label = date_label
        self.fields["as_at"].help_text = hint(date_help or "")


@dataclass
class Pick:
    """A quick link to a date that matters: a visit, or the end of a month."""

    day: datetime.date
    label: str
    current: bool = False


@dataclass
class Choice:
    """The plan and date a board screen shows, and the form that chose them."""

    form: BoardForm
    plans: list
    plan: Plan | None
    as_at: datetime.date | None
    today: datetime.date
    event_picks: list = field(default_factory=list)
    month_picks: list = field(default_factory=list)
    #: ``plan_history.plan_actions`` of the plan, read once for the month picks
    #: and the dashboard's latest updates.
    actions: plan_history.PlanActions | None = None

    @property
    def several_plans(self):
        return len(self.plans) > 1


def _choose(request, *, with_date=True, date_label=None, date_help=None):
    """Read ``?plan=`` and ``?as_at=`` into a plan and a date, with messages.

    A plan that is not on the list falls back to the default plan; a date
    that is not real, is in the future or is before the plan started is
    reported beside the field and ignored.
    """
    today = timezone.localdate()
    plans = list(
        Plan.objects.visible_to(request.user)
        .with_has_sources()
        .order_by("-start_date", "-pk")
    )
    keys = (
        ("plan", "as_at", "as_at_0", "as_at_1", "as_at_2") if with_date else ("plan",)
    )
    data = request.GET if any(key in request.GET for key in keys) else None
    form = BoardForm(data, plans=plans, date_label=date_label, date_help=date_help)
    if not with_date:
        del form.fields["as_at"]

    plan, as_at = default_plan(plans), None
    if form.is_bound:
        form.is_valid()
        chosen = form.cleaned_data.get("plan")
        if chosen:
            plan = next(p for p in plans if p.pk == chosen)
        as_at = form.cleaned_data.get("as_at") if with_date else None
    if as_at is not None and plan is not None:
        if as_at > today:
            form.add_error("as_at", "Enter today’s date or a date in the past")
            as_at = None
        elif as_at < plan.start_date:
            form.add_error(
                "as_at",
                f"Enter a date on or after {govuk_date(plan.start_date)}, "
                "when the plan started",
            )
            as_at = None
    if plan is not None:
        form.initial["plan"] = plan.pk

    return Choice(form=form, plans=plans, plan=plan, as_at=as_at, today=today)


def _add_picks(choice):
    """Read the plan's actions once, and the quick picks of dates from them."""
    plan, today, as_at = choice.plan, choice.today, choice.as_at
    choice.actions = plan_history.plan_actions(plan)
    choice.event_picks, choice.month_picks = _picks(plan, today, as_at, choice.actions)


def _picks(plan, today, as_at, actions):
    """The quick picks of dates, ``(events, month ends)``: one query.

    Events are the inspections, visits and reviews the plan answers, between
    the plan's start and today, each picked at its first day and named by its
    title (an inspection) or its kind and number (a visit or review). Month
    ends are those of the latest ``MONTH_PICKS`` months in which progress was
    recorded on the plan, before today: an update counts in the plan its
    action was in when it was recorded; ``actions`` are the plan's actions
    (``plan_history.plan_actions``).
    """
    text, number = CharField(), IntegerField()
    window = {"start_date__gte": plan.start_date, "start_date__lte": today}
    visits = plan.visits.filter(**window).values_list(
        "start_date", "kind", "sequence", Value("", text), Value(0, number)
    )
    inspections = plan.inspections.filter(**window).values_list(
        "start_date", Value("", text), Value(0, number), "title", Value(0, number)
    )
    updates = plan_history.updates_in_plan(
        ProgressUpdate.objects.all(), plan, actions=actions
    )
    months = (
        updates.annotate(month=Cast(TruncMonth("update_date"), DateField()))
        .values_list(
            "month",
            Value("", text),
            Value(0, number),
            Value("", text),
            Value(1, number),
        )
        .distinct()
    )
    rows = visits.order_by().union(inspections.order_by(), months.order_by(), all=True)
    events = [row[:4] for row in rows if not row[4]]
    month_firsts = sorted((row[0] for row in rows if row[4]), reverse=True)
    return _event_picks(events, as_at), _month_picks(month_firsts, plan, today, as_at)


def _event_picks(rows, as_at):
    """Picks of ``(first day, kind, number, title)`` rows, newest first."""
    kinds = dict(MonitoringVisit.Kind.choices)
    rows = sorted(
        rows,
        # Newest first; on one day, visits before inspections, as listed.
        key=lambda row: (row[0], not row[3], -row[2], row[3]),
        reverse=True,
    )
    return [
        Pick(
            day=day,
            label=title or f"{kinds.get(kind, kind)} {sequence}",
            current=day == as_at,
        )
        for day, kind, sequence, title in rows
    ]


def _month_picks(month_firsts, plan, today, as_at):
    """Picks of the ends of the months ``month_firsts`` (newest first) within
    the plan, before today: ``MONTH_PICKS`` at most."""
    picks = []
    for first in month_firsts:
        day = periods.month_end(first)
        if plan.start_date <= day < today:
            picks.append(
                Pick(day=day, label=f"End of {first:%B %Y}", current=day == as_at)
            )
        if len(picks) == MONTH_PICKS:
            break
    return picks


def _context(choice, **extra):
    return {
        "choice": choice,
        "form": choice.form,
        "plan": choice.plan,
        "as_at": choice.as_at,
        "today": choice.today,
        **extra,
    }


def _page(request, page, choice, build, **extra):
    """Render ``page`` with its body, built by ``build(choice)`` (a dict for
    ``includes/<page>_body.html``) once and kept until something it shows
    changes (``page_cache``)."""
    context = _context(choice, **extra)

    def body():
        if choice.form.fields.get("as_at"):
            _add_picks(choice)
        return render_to_string(
            f"improvement/includes/{page}_body.html",
            {**context, "action_url": request.path, **build(choice)},
            request,
        )

    if choice.plan is not None:
        context["body"] = cached_fragment(
            request, page, choice.plan, body, as_at=choice.as_at
        )
    return render(request, f"improvement/{page}.html", context)


def _imported(choice):
    """The plan's first import after the date shown, and what it stated for
    the date: both None today, or when the plan was not imported after it."""
    if choice.plan is None or choice.as_at is None:
        return {"imported": None, "stated": None}
    imported = imported_after(choice.plan, end_of_day(choice.as_at))
    return {
        "imported": imported,
        "stated": as_stated(imported, choice.as_at) if imported else None,
    }


@require_safe
@require(can_view_actions)
def dashboard(request):
    """The plan at a glance: headline figures, charts and what needs attention."""
    choice = _choose(
        request,
        date_label="Show the dashboard as it stood on",
        date_help="Leave blank for today.",
    )
    return _page(request, "dashboard", choice, _dashboard, **_imported(choice))


def _dashboard(choice):
    plan, as_at = choice.plan, choice.as_at
    figures = board_figures(plan, as_at, actions=choice.actions)
    when = None if as_at is None else end_of_day(as_at)
    audit_mix, audit_months = grade_mix.for_board(audits_known(plan, when))
    pdf_query = {"plan": plan.pk} | ({"as_at": as_at.isoformat()} if as_at else {})
    return {
        "figures": figures,
        "summary": figures.summary,
        "status_chart": charts.status_by_priority_chart(figures.priorities),
        "rag_chart": charts.rag_by_priority_chart(figures.priorities),
        "more_urls": more_urls(plan, as_at),
        "measures": measures_known(plan, when),
        "measures_url": f"{reverse('measures:measure_list')}?plan={plan.pk}",
        "audits": audit_mix,
        "audit_months": audit_months,
        "audits_url": f"{reverse('audits:audit_list')}?plan={plan.pk}",
        "judgements": judgements_known(plan, when),
        "thread_url": f"{reverse('improvement:golden_thread')}?plan={plan.pk}",
        "pdf_query": "?" + urlencode(pdf_query),
    }


@require_safe
@require(can_view_actions)
def as_at(request):
    """The actions register as it stood at the end of a chosen day."""
    choice = _choose(
        request,
        date_label="Show the actions as they stood on",
    )
    return _page(request, "as_at", choice, _as_at, **_imported(choice))


def _as_at(choice):
    if choice.as_at is None:
        return {}
    when = end_of_day(choice.as_at)
    states = states_as_at(choice.plan, when, actions=choice.actions)
    summary = summarise(
        states,
        choice.as_at,
        findings=findings_to_answer(choice.plan, when),
    )
    return {"states": states, "rows": _register_rows(states), "summary": summary}


def _register_rows(states):
    """Each state with the references and page addresses of the findings it
    answered, in reference order as the database sorts them; removed
    findings last."""
    linked = set().union(*(s.finding_ids for s in states)) if states else set()
    references = {
        pk: (position, reference)
        for position, (pk, reference) in enumerate(
            Finding.objects.filter(pk__in=linked)
            .in_reference_order()
            .values_list("pk", "reference")
        )
    }
    missing = (len(references), "(removed finding)")
    return [
        {
            "state": state,
            "findings": [
                (references.get(pk, missing)[1], record_url(FINDING_PAGE, pk))
                for pk in sorted(
                    state.finding_ids,
                    key=lambda pk: (references.get(pk, missing)[0], pk),
                )
            ],
        }
        for state in states
    ]


@require_safe
@require(can_view_actions)
def trend(request):
    """How statuses and RAG have moved, month by month, since the plan started."""
    choice = _choose(request, with_date=False)
    return _page(request, "trend", choice, _trend)


def _trend(choice):
    points = monthly_trend(choice.plan, choice.today)
    return {
        "points": points,
        "status_chart": charts.status_trend_chart(points),
        "rag_chart": charts.rag_trend_chart(points),
    }
