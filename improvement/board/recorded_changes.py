"""What was recorded against a plan between two dates, from its history.

Each ``read_…`` function adds one section of a ``ChangeReport``, in one
query: findings of the plan added (``read_findings_added``), progress
updates recorded on its actions (``read_progress_updates``), values of its
measures recorded and corrected (``read_measure_values``), its findings
judged again at later visits (``read_findings_judged``), and its case-file
audits recorded and moderated (``read_audits``).
"""

from findings.models import Finding, FindingJudgement
from improvement.audits.models import Audit
from improvement.board.change_items import (
    AUDIT_MODERATED,
    AUDIT_RECORDED,
    MEASURE_CORRECTED,
    MEASURE_VALUE,
    AuditChanged,
    FindingAdded,
    FindingJudged,
    MeasureValueChanged,
    ProgressRecorded,
)
from improvement.board.history_rows import choice_label
from improvement.board.plan_history import action_then, updates_in_plan
from improvement.kernel.dates import govuk_date
from improvement.kernel.history import user_display_name
from improvement.kernel.links import record_url
from improvement.kernel.timeline import previous_record
from improvement.measures.models import MeasureValue, period_label
from improvement.plan.models import Action, ProgressUpdate
from visits.models import Grade


def read_findings_added(report):
    """Findings of the plan recorded in the window (one query)."""
    records = (
        report.in_window(Finding, "+")
        .filter(id__in=Finding.objects.for_plan(report.plan).values("pk"))
        .select_related("history_user", "inspection", "monitoring_visit")
        .order_by("history_date", "history_id")
    )
    kind_field = Finding._meta.get_field("kind")
    for record in records:
        source = record.inspection or record.monitoring_visit
        kind = choice_label(kind_field, record.kind)
        report.findings_added.append(
            FindingAdded(
                when=record.history_date,
                who=user_display_name(record.history_user),
                user_id=record.history_user_id,
                reference=record.reference,
                title=record.title,
                url=record_url("findings:finding_detail", record.id),
                history_id=record.history_id,
                detail=str(source) if source else "",
                tags=[(record.kind, kind)],
                finding_id=record.id,
            )
        )


def read_progress_updates(report, actions):
    """Progress updates recorded on the plan's actions in the window (one query).

    Each counts in the plan its action was in when it was recorded, and names
    the action by the reference and title it had then. ``actions`` are the
    plan's actions (``plan_actions``).
    """
    recorded = report.in_window(ProgressUpdate, "+")
    records = (
        updates_in_plan(recorded, report.plan, when="history_date", actions=actions)
        .annotate(
            action_reference=action_then("reference", when="history_date"),
            action_title=action_then("title", when="history_date"),
        )
        .select_related("history_user", "author")
        .order_by("history_date", "history_id")
    )
    status_field = ProgressUpdate._meta.get_field("status")
    for record in records:
        user = record.history_user or record.author
        status = choice_label(status_field, record.status)
        rag_value, rag = Action.rag_tag(record.status, record.rag)
        report.progress_updates.append(
            ProgressRecorded(
                when=record.history_date,
                who=user_display_name(user),
                user_id=user.pk if user else None,
                reference=record.action_reference,
                title=record.action_title,
                url=record_url("improvement:action_detail", record.action_id),
                history_id=record.history_id,
                action_id=record.action_id,
                detail=record.narrative,
                tags=[(record.status, status)]
                + ([(rag_value, rag)] if rag_value else []),
                evidence_url=record.evidence_url,
            )
        )


def read_measure_values(report):
    """Values of the plan's measures recorded, or corrected, in the window.

    One query: a correction is a change of the value itself (not of its
    note), compared with the value's history row just before it.
    """
    records = (
        report.in_window(MeasureValue, "+", "~")
        .filter(measure__plan=report.plan)
        .annotate(previous_value=previous_record(MeasureValue, "value"))
        .select_related("history_user", "measure")
        .order_by("history_date", "history_id")
    )
    for record in records:
        measure = record.measure
        corrected = record.history_type == "~"
        if corrected and record.previous_value == record.value:
            continue
        report.measure_values.append(
            MeasureValueChanged(
                kind=MEASURE_CORRECTED if corrected else MEASURE_VALUE,
                when=record.history_date,
                who=user_display_name(record.history_user),
                user_id=record.history_user_id,
                reference="",
                title=measure.name,
                url=measure.get_absolute_url(),
                history_id=record.history_id,
                period=period_label(record.period, measure.frequency),
                old=measure.format_value(record.previous_value) if corrected else "",
                new=measure.format_value(record.value),
                reason=(record.history_change_reason or "") if corrected else "",
            )
        )


def read_findings_judged(report):
    """Judgements of the plan's findings recorded in the window (one query)."""
    records = (
        report.in_window(FindingJudgement, "+")
        .filter(finding_id__in=Finding.objects.for_plan(report.plan).values("pk"))
        .select_related("history_user", "finding", "monitoring_visit")
        .order_by("history_date", "history_id")
    )
    for record in records:
        finding = record.finding
        report.findings_judged.append(
            FindingJudged(
                when=record.history_date,
                who=user_display_name(record.history_user),
                user_id=record.history_user_id,
                reference=finding.reference,
                title=finding.title,
                url=finding.get_absolute_url(),
                history_id=record.history_id,
                visit=str(record.monitoring_visit),
                tags=[(record.progress, record.get_progress_display())],
                detail=record.words,
            )
        )


def read_audits(report):
    """The plan's audits recorded, or moderated, in the window (one query).

    A moderation is a change of the grade after moderation, compared with
    the audit's history row just before it; other corrections are left to
    the audit's own history."""
    records = (
        report.in_window(Audit, "+", "~")
        .filter(plan_id=report.plan.pk)
        .annotate(previous_moderated=previous_record(Audit, "moderated_grade"))
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    grades = dict(Grade.choices)
    for record in records:
        moderated = record.history_type == "~"
        if moderated and record.previous_moderated == record.moderated_grade:
            continue
        final = record.moderated_grade or record.grade
        before = record.previous_moderated or record.grade
        report.audits.append(
            AuditChanged(
                kind=AUDIT_MODERATED if moderated else AUDIT_RECORDED,
                when=record.history_date,
                who=user_display_name(record.history_user),
                user_id=record.history_user_id,
                reference="",
                title=f"{record.case_reference}, {govuk_date(record.audit_date)}",
                url=record_url("audits:audit_detail", record.id),
                history_id=record.history_id,
                team=record.team,
                old=grades.get(before, before) if moderated else "",
                new=grades.get(final, final),
                tags=[(final, grades.get(final, final))],
            )
        )
