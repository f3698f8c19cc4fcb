"""Audits and practice weeks: lists with their grade mix, pages, and forms.

Everyone with a role reads them; officers and managers record and moderate
audits; managers set up practice weeks. A plan's pages take ``?plan=``.
"""

from functools import partial

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from improvement.audits import charts, grade_mix
from improvement.audits.downloads import AUDITS_DOWNLOAD, audits_for
from improvement.audits.forms import AuditForm, PracticeWeekForm
from improvement.audits.models import Audit, PracticeWeek
from improvement.kernel import downloads
from improvement.kernel.editing import add_page, edit_page
from improvement.kernel.permissions import (
    can_add_practice_week,
    can_edit_audit,
    can_edit_practice_week,
    can_record_audits,
    can_view_audits,
    refuse_unless,
    require,
)
from improvement.kernel.query import positive_int
from improvement.kernel.timeline import HistorySource, Timeline, latest_changes
from improvement.kernel.views import history_page
from improvement.plan.views.access import plan_from_query

#: Audits listed a page at a time.
PAGE_SIZE = 50


def _for_plan(url_name, plan):
    url = reverse(url_name)
    return f"{url}?plan={plan.pk}" if plan else url


def _audits_url(plan):
    return _for_plan("audits:audit_list", plan)


def _weeks_url(plan):
    return _for_plan("audits:practiceweek_list", plan)


def _audit_rows(audits):
    """What an audit table shows: its plan, auditor and practice week."""
    return audits.select_related("plan", "auditor", "practice_week")


def _plan_audits(request):
    """The plan named by ``?plan=`` (or None) and the audits the reader may
    see: of that plan, or of every plan."""
    plan = plan_from_query(request)
    return plan, audits_for(request.user, plan)


@require_safe
@require(can_view_audits)
def audit_list(request):
    """Audits with their grade mix by month (a chart and a table) and by
    team, before and after moderation, and each audit, newest first, a page
    at a time."""
    plan, audits = _plan_audits(request)
    page = Paginator(_audit_rows(audits), PAGE_SIZE).get_page(request.GET.get("page"))
    by_month = grade_mix.by_month(audits)
    return render(
        request,
        "audits/audit_list.html",
        {
            "plan": plan,
            "overall": grade_mix.overall(audits),
            "by_month": by_month,
            "month_chart": charts.grades_by_month_chart(by_month),
            "by_team": grade_mix.by_team(audits),
            "page_obj": page,
            "weeks_url": _weeks_url(plan),
            "can_add": can_record_audits(request.user),
        },
    )


def _audits_download(request, extension):
    plan, audits = _plan_audits(request)
    return downloads.download(
        request,
        AUDITS_DOWNLOAD,
        extension,
        plan=plan,
        rows=audits.count(),
        name=f"audits-{timezone.localdate():%Y-%m-%d}",
        title="Case-file audits",
        back=reverse("audits:audit_list"),
    )


@require_safe
@require(can_view_audits)
def audit_export_csv(request):
    """Anyone who may see audits: every audit as CSV (one plan, or all)."""
    return _audits_download(request, "csv")


@require_safe
@require(can_view_audits)
def audit_export_xlsx(request):
    """Anyone who may see audits: every audit as Excel (one plan, or all)."""
    return _audits_download(request, "xlsx")


def _get(request, model, pk, related=()):
    """The record ``pk`` if the user may see audits (else 403), or 404."""
    refuse_unless(can_view_audits, request.user)
    queryset = model.objects.select_related("plan", *related)
    return get_object_or_404(queryset.visible_to(request.user), pk=pk)


def _own_timeline(model, pk, subject):
    return Timeline(HistorySource(model, {"id": pk}, subject=subject))


def _audit_timeline(audit):
    return _own_timeline(Audit, audit.pk, lambda r: (str(r), ""))


@require_safe
def audit_detail(request, pk):
    """One audit: the case, its grades, strengths, learning and actions."""
    audit = _get(request, Audit, pk, related=("auditor", "practice_week"))
    history = latest_changes(
        _audit_timeline(audit), reverse("audits:audit_history", args=[audit.pk])
    )
    return render(
        request,
        "audits/audit_detail.html",
        {
            "audit": audit,
            "actions": audit.actions.select_related("priority").in_reference_order(),
            "audits_url": _audits_url(audit.plan),
            "timeline": history.entries,
            "history": history,
            "can_edit": can_edit_audit(request.user),
        },
    )


@require_safe
def audit_history(request, pk):
    """Every change to an audit, a page at a time."""
    audit = _get(request, Audit, pk)
    return history_page(
        request,
        audit,
        _audit_timeline(audit),
        breadcrumbs=[
            (audit.plan.name, audit.plan.get_absolute_url()),
            ("Audits", _audits_url(audit.plan)),
        ],
    )


def _audit_name(audit):
    return f"Audit of {audit.case_reference}"


@require(can_record_audits)
def audit_create(request):
    """Officers and managers record an audit, from a plan's audits or a
    practice week's page."""
    plan = plan_from_query(request)
    week = None
    week_id = positive_int(request.GET.get("practice_week"))
    if plan is not None and week_id is not None:
        week = plan.practice_weeks.filter(pk=week_id).first()
    cancel = week.get_absolute_url() if week else _audits_url(plan)
    return add_page(
        request,
        partial(AuditForm, plan=plan, practice_week=week),
        "audits/audit_form.html",
        name=_audit_name,
        context={
            "page_title": "Record a case-file audit",
            "caption": plan.name if plan else "",
            "cancel_url": cancel,
        },
    )


@require(can_edit_audit)
def audit_edit(request, pk):
    """Officers and managers correct an audit or record its moderation."""
    audits = Audit.objects.visible_to(request.user).select_related("plan")
    return edit_page(
        request,
        lambda: get_object_or_404(audits, pk=pk),
        AuditForm,
        "audits/audit_form.html",
        name=_audit_name,
        context=lambda audit: {
            "audit": audit,
            "page_title": "Edit or moderate the audit",
            "caption": _audit_name(audit),
            "cancel_url": audit.get_absolute_url(),
        },
    )


# Practice weeks ---------------------------------------------------------------


@require_safe
@require(can_view_audits)
def practiceweek_list(request):
    """Practice weeks, newest first, each with its dip sample's grade mix."""
    plan = plan_from_query(request)
    weeks = PracticeWeek.objects.visible_to(request.user).select_related("plan")
    if plan is not None:
        weeks = weeks.filter(plan=plan)
    weeks = list(weeks)
    mixes = grade_mix.by_practice_week(
        Audit.objects.filter(practice_week__in=[week.pk for week in weeks])
    )
    return render(
        request,
        "audits/practiceweek_list.html",
        {
            "plan": plan,
            "rows": [(week, mixes.get(week.pk)) for week in weeks],
            "audits_url": _audits_url(plan),
            "can_add": can_add_practice_week(request.user),
        },
    )


def _week_timeline(week):
    return _own_timeline(PracticeWeek, week.pk, lambda r: (r.practice_issue, ""))


@require_safe
def practiceweek_detail(request, pk):
    """A practice week: its issue, principles, leads, guidance and outcome,
    and the audits of its dip sample with their grade mix (a chart of the
    grades first given and after moderation)."""
    week = _get(request, PracticeWeek, pk)
    audits = week.audits.all()
    mix = grade_mix.overall(audits, label="Dip sample")
    history = latest_changes(
        _week_timeline(week), reverse("audits:practiceweek_history", args=[week.pk])
    )
    return render(
        request,
        "audits/practiceweek_detail.html",
        {
            "week": week,
            "mix": mix,
            "mix_chart": charts.moderation_chart(mix),
            "audits": _audit_rows(audits),
            "weeks_url": _weeks_url(week.plan),
            "timeline": history.entries,
            "history": history,
            "can_edit": can_edit_practice_week(request.user),
            "can_add_audit": can_record_audits(request.user),
        },
    )


@require_safe
def practiceweek_history(request, pk):
    """Every change to a practice week, a page at a time."""
    week = _get(request, PracticeWeek, pk)
    return history_page(
        request,
        week,
        _week_timeline(week),
        breadcrumbs=[
            (week.plan.name, week.plan.get_absolute_url()),
            ("Practice weeks", _weeks_url(week.plan)),
        ],
    )


def _week_name(week):
    return f"Practice week “{week.practice_issue}”"


@require(can_add_practice_week)
def practiceweek_create(request):
    """Improvement managers set up a practice week, usually for a plan."""
    plan = plan_from_query(request)
    return add_page(
        request,
        partial(PracticeWeekForm, plan=plan),
        "audits/practiceweek_form.html",
        name=_week_name,
        context={
            "page_title": "Set up a practice week",
            "caption": plan.name if plan else "",
            "cancel_url": _weeks_url(plan),
        },
    )


@require(can_edit_practice_week)
def practiceweek_edit(request, pk):
    """Improvement managers edit a practice week and record its outcome."""
    weeks = PracticeWeek.objects.visible_to(request.user).select_related("plan")
    return edit_page(
        request,
        lambda: get_object_or_404(weeks, pk=pk),
        PracticeWeekForm,
        "audits/practiceweek_form.html",
        name=_week_name,
        context=lambda week: {
            "week": week,
            "page_title": "Edit practice week",
            "caption": week.plan.name,
            "cancel_url": week.get_absolute_url(),
        },
    )
