"""Downloads: the actions and findings registers and the changes list.

Every role that may view the plan may download it (board members, officers
and improvement managers). The registers' downloads take the same query
string as the page, so “download” gives exactly the rows on screen, across
all pages. Each download runs a fixed number of queries, however many rows
it holds.
"""

import datetime

from django import forms
from django.contrib.auth.decorators import permission_required
from django.utils import timezone
from django.views.decorators.http import require_safe

from findings.filters import FindingFilter
from findings.models import Finding
from improvement import exports
from improvement.filters import ActionFilter
from improvement.models import Action, Plan

#: How far back the changes download reaches when no start date is given.
DEFAULT_CHANGE_DAYS = 30


def _today():
    return timezone.localdate()


# ---------------------------------------------------------------------------
# The actions register
# ---------------------------------------------------------------------------


def export_actions(request):
    """The actions the register shows for this query string, in its order.

    The register's own queryset and filters; the rows are read (as values)
    by ``exports.action_rows`` in a fixed number of queries.
    """
    actions = Action.objects.visible_to(request.user).for_list()
    return ActionFilter(request.GET or None, queryset=actions).qs


def _actions_download(request, extension):
    today = _today()
    table = exports.actions_table(export_actions(request), today=today)
    return exports.download(table, f"actions-{today:%Y-%m-%d}", extension)


@require_safe
@permission_required("improvement.view_action", raise_exception=True)
def action_export_csv(request):
    """Anyone who may view the plan: the filtered actions register as CSV."""
    return _actions_download(request, "csv")


@require_safe
@permission_required("improvement.view_action", raise_exception=True)
def action_export_xlsx(request):
    """Anyone who may view the plan: the filtered actions register as XLSX."""
    return _actions_download(request, "xlsx")


# ---------------------------------------------------------------------------
# The findings register
# ---------------------------------------------------------------------------


def export_findings(request):
    """The findings the register shows for this query string, in its order."""
    findings = Finding.objects.visible_to(request.user).with_is_answered()
    return FindingFilter(request.GET or None, queryset=findings).qs


def _findings_download(request, extension):
    actions = Action.objects.visible_to(request.user)
    table = exports.findings_table(export_findings(request), actions)
    return exports.download(table, f"findings-{_today():%Y-%m-%d}", extension)


@require_safe
@permission_required("findings.view_finding", raise_exception=True)
def finding_export_csv(request):
    """Anyone who may view findings: the filtered findings register as CSV."""
    return _findings_download(request, "csv")


@require_safe
@permission_required("findings.view_finding", raise_exception=True)
def finding_export_xlsx(request):
    """Anyone who may view findings: the filtered findings register as XLSX."""
    return _findings_download(request, "xlsx")


# ---------------------------------------------------------------------------
# The changes list
# ---------------------------------------------------------------------------


class ChangeExportForm(forms.Form):
    """The period and plan of a changes download. Bad values fall back to defaults."""

    plan = forms.ModelChoiceField(queryset=Plan.objects.none(), required=False)
    since = forms.DateField(required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    until = forms.DateField(required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"])

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans

    def valid(self, name):
        """The cleaned value of ``name``, or None when it is missing or invalid."""
        self.is_valid()
        if name in self.errors:
            return None
        return self.cleaned_data.get(name)


def default_plan(plans):
    """The newest active plan, or else the newest plan of any status."""
    newest = plans.order_by("-start_date", "-pk")
    return newest.filter(status=Plan.Status.ACTIVE).first() or newest.first()


def change_period(request):
    """``(plan, since, until)`` from the query string, with the defaults filled in.

    The plan defaults to the newest active plan; the period to the last
    thirty days up to today. Dates given the wrong way round are swapped.
    """
    plans = Plan.objects.visible_to(request.user)
    form = ChangeExportForm(request.GET, plans=plans)
    plan = form.valid("plan") or default_plan(plans)
    until = form.valid("until") or _today()
    since = form.valid("since") or until - datetime.timedelta(DEFAULT_CHANGE_DAYS)
    if since > until:
        since, until = until, since
    return plan, since, until


def _changes_download(request, extension):
    from improvement.changes import change_rows, changes_between, day_window

    plan, since, until = change_period(request)
    rows = []
    if plan is not None:
        rows = change_rows(changes_between(plan, *day_window(since, until)))
    table = exports.changes_table(rows)
    name = f"changes-{since:%Y-%m-%d}-to-{until:%Y-%m-%d}"
    return exports.download(table, name, extension)


@require_safe
@permission_required("improvement.view_action", raise_exception=True)
def change_export_csv(request):
    """Anyone who may view the plan: what changed in a period, as CSV."""
    return _changes_download(request, "csv")


@require_safe
@permission_required("improvement.view_action", raise_exception=True)
def change_export_xlsx(request):
    """Anyone who may view the plan: what changed in a period, as XLSX."""
    return _changes_download(request, "xlsx")
