"""Downloads: the actions and findings registers and the changes list.

Every role that may view the plan may download it (board members, officers
and improvement managers). The registers' downloads take the same query
string as the page, so “download” gives exactly the rows on screen, across
all pages. Each download runs a fixed number of queries, however many rows
it holds.

A download that would hold more than ``ROWS_IN_REQUEST`` rows (every action
of every plan as XLSX, or two years of changes) takes more than about a
second to write, so it is prepared by a background job instead: the person
sees a page saying so, then downloads the kept file. Smaller downloads, the
usual case, are written at once.
"""

import datetime
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from findings.filters import FindingFilter
from findings.models import Finding
from improvement.board import exports
from improvement.board.documents.models import Document
from improvement.board.documents.service import prepare_download
from improvement.board.forms import date_field, default_plan
from improvement.board.page_cache import change_stamp, page_key
from improvement.board.periods import DEFAULT_PERIOD_DAYS
from improvement.kernel import spreadsheets
from improvement.kernel.dates import govuk_date
from improvement.kernel.downloads import ROWS_IN_REQUEST
from improvement.kernel.forms import GovukMessagesMixin
from improvement.kernel.kept import count, kept
from improvement.kernel.permissions import can_view_actions, can_view_findings, require
from improvement.plan.filters import ActionFilter
from improvement.plan.models import Action, Plan, ProgressUpdate


def _today():
    return timezone.localdate()


def canonical_query(query):
    """The query string with its parameters in a fixed order (for the key)."""
    return urlencode(sorted((k, v) for k, values in query.lists() for v in values))


def _prepared(request, kind, extension, *, plan=None, parameters, title, name, back):
    """The download through a background job: the kept file, or its progress."""
    return prepare_download(
        request,
        kind=kind,
        extension=extension,
        plan=plan,
        name=name,
        title=title,
        back=back,
        parameters=parameters,
    )


# ---------------------------------------------------------------------------
# The actions register
# ---------------------------------------------------------------------------


def actions_for(query, user):
    """The actions the register shows for this query string, in its order.

    The register's own queryset and filters; the rows are read (as values)
    by ``exports.action_rows`` in a fixed number of queries.
    """
    actions = Action.objects.visible_to(user).for_list()
    return ActionFilter(query or None, queryset=actions, user=user).qs


def _actions_download(request, extension):
    today = _today()
    actions = actions_for(request.GET, request.user)
    name = f"actions-{today:%Y-%m-%d}"
    if actions.count() > ROWS_IN_REQUEST:
        return _prepared(
            request,
            Document.Kind.ACTIONS,
            extension,
            parameters={"query": canonical_query(request.GET), "today": str(today)},
            title="Actions register",
            name=name,
            back=reverse("improvement:action_list"),
        )
    table = exports.actions_table(actions, today=today)
    return spreadsheets.download(table, name, extension)


@require_safe
@require(can_view_actions)
def action_export_csv(request):
    """Anyone who may view the plan: the filtered actions register as CSV."""
    return _actions_download(request, "csv")


@require_safe
@require(can_view_actions)
def action_export_xlsx(request):
    """Anyone who may view the plan: the filtered actions register as XLSX."""
    return _actions_download(request, "xlsx")


# ---------------------------------------------------------------------------
# The findings register
# ---------------------------------------------------------------------------


def findings_for(query, user):
    """The findings the register shows for this query string, in its order."""
    findings = Finding.objects.visible_to(user).with_is_answered()
    return FindingFilter(query or None, queryset=findings, user=user).qs


def findings_table_for(query, user):
    actions = Action.objects.visible_to(user)
    return exports.findings_table(findings_for(query, user), actions)


def _findings_download(request, extension):
    name = f"findings-{_today():%Y-%m-%d}"
    if findings_for(request.GET, request.user).count() > ROWS_IN_REQUEST:
        return _prepared(
            request,
            Document.Kind.FINDINGS,
            extension,
            parameters={"query": canonical_query(request.GET)},
            title="Findings register",
            name=name,
            back=reverse("findings:finding_list"),
        )
    table = findings_table_for(request.GET, request.user)
    return spreadsheets.download(table, name, extension)


@require_safe
@require(can_view_findings)
def finding_export_csv(request):
    """Anyone who may view findings: the filtered findings register as CSV."""
    return _findings_download(request, "csv")


@require_safe
@require(can_view_findings)
def finding_export_xlsx(request):
    """Anyone who may view findings: the filtered findings register as XLSX."""
    return _findings_download(request, "xlsx")


# ---------------------------------------------------------------------------
# The changes list
# ---------------------------------------------------------------------------


class ChangeExportForm(GovukMessagesMixin, forms.Form):
    """The period and plan of a changes download. Bad values fall back to defaults."""

    plan = forms.ModelChoiceField(queryset=Plan.objects.none(), required=False)
    # As "What changed" sends them: three boxes, or one ISO date from a link.
    since = date_field("From", "The start date")
    until = date_field("To", "The end date")

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans

    def valid(self, name):
        """The cleaned value of ``name``, or None when it is missing or invalid."""
        self.is_valid()
        if name in self.errors:
            return None
        return self.cleaned_data.get(name)


def change_period(request):
    """``(plan, since, until)`` from the query string, with the defaults filled in.

    The plan defaults to the newest active plan; the period to the last
    thirty days up to today. Dates given the wrong way round are swapped.
    """
    plans = Plan.objects.visible_to(request.user)
    form = ChangeExportForm(request.GET, plans=plans)
    plan = form.valid("plan") or default_plan(plans)
    until = form.valid("until") or _today()
    since = form.valid("since") or until - datetime.timedelta(DEFAULT_PERIOD_DAYS)
    if since > until:
        since, until = until, since
    return plan, since, until


def change_rows_for(plan, since, until):
    from improvement.board.change_report import change_rows
    from improvement.board.periods import day_window
    from improvement.board.what_changed import changes_between

    if plan is None:
        return []
    return change_rows(changes_between(plan, *day_window(since, until)))


def changes_table_for(plan, since, until):
    return exports.changes_table(change_rows_for(plan, since, until))


def history_row_counts(plan, since, until):
    """How many history rows the plan's changes list is made from (an estimate
    of its length: each row gives one or a few changes), as two parts of
    ``kernel.kept.newest_rows`` to add up."""
    from improvement.board.periods import day_window

    start, end = day_window(since, until)
    window = {"history_date__gte": start, "history_date__lt": end}
    ever_in_plan = Action.history.filter(plan_id=plan.pk).values("id")
    return [
        count(Action.history.filter(plan_id=plan.pk, **window)),
        count(ProgressUpdate.history.filter(action_id__in=ever_in_plan, **window)),
    ]


def _changes_download(request, extension):
    plan, since, until = change_period(request)
    name = f"changes-{since:%Y-%m-%d}-to-{until:%Y-%m-%d}"
    if plan is None:
        return spreadsheets.download(exports.changes_table([]), name, extension)
    # The length of the download is estimated in the query that reads the
    # plan's change stamp: a long one is prepared by the background worker.
    counts = history_row_counts(plan, since, until)
    stamp = change_stamp(plan, also=counts)
    if sum(stamp[-len(counts) :]) > ROWS_IN_REQUEST:
        return _prepared(
            request,
            Document.Kind.CHANGES,
            extension,
            plan=plan,
            parameters={"since": str(since), "until": str(until)},
            title=(
                f"What changed in {plan.name}, "
                f"{govuk_date(since)} to {govuk_date(until)}"
            ),
            name=name,
            back=reverse("improvement:changes_since"),
        )
    # The same period's changes, asked for again (as CSV, then as Excel, by
    # each member of a board) are read once until something changes.
    rows = kept(
        page_key(
            request, "changes_download", plan, stamp=stamp, since=since, until=until
        ),
        lambda: change_rows_for(plan, since, until),
        settings.BOARD_PAGE_SECONDS,
    )
    return spreadsheets.download(exports.changes_table(rows), name, extension)


@require_safe
@require(can_view_actions)
def change_export_csv(request):
    """Anyone who may view the plan: what changed in a period, as CSV."""
    return _changes_download(request, "csv")


@require_safe
@require(can_view_actions)
def change_export_xlsx(request):
    """Anyone who may view the plan: what changed in a period, as XLSX."""
    return _changes_download(request, "xlsx")
