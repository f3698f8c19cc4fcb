"""What changed in a plan between two dates.

``changes_between(plan, start, end)`` reads the history of the plan between
two moments and sorts what happened into the sections a board asks about
(``change_report.ChangeReport``): actions added, delivered, withdrawn and
moved between plans; status, RAG and impact changes; due-date moves (with
their reason and how far they moved); findings added; links between actions
and findings added and removed; progress updates recorded; measure values
recorded and corrected; findings judged again at later visits; and case-file
audits recorded and moderated. Everything is
read in the plan the action was in at the moment it happened, and named as
the action was named then, so a later move to another plan rewrites nothing.

No history table is read whole: a fixed number of queries however many
actions, findings and history rows the plan has.
"""

from django.db.models import Case, OuterRef, Q, Subquery, Value, When
from django.urls import reverse

from findings.models import Finding, FindingJudgement
from improvement.audits.models import Audit
from improvement.board.change_report import (
    AUDIT_MODERATED,
    AUDIT_RECORDED,
    DELIVERED,
    LINK_ADDED,
    LINK_REMOVED,
    MEASURE_CORRECTED,
    MEASURE_VALUE,
    MOVED_IN,
    MOVED_OUT,
    RAG,
    STATUS,
    WITHDRAWN,
    ActionAdded,
    ActionMoved,
    AuditChanged,
    ChangeReport,
    DueDateMoved,
    FieldChanged,
    FindingAdded,
    FindingJudged,
    FindingLinked,
    ImpactChanged,
    MeasureValueChanged,
    ProgressRecorded,
)
from improvement.board.periods import date_text
from improvement.board.plan_history import action_then, plan_actions, updates_in_plan
from improvement.kernel.dates import govuk_date
from improvement.kernel.history import m2m_accessor, user_display_name
from improvement.measures.models import MeasureValue, period_label
from improvement.plan.models import Action, Owner, Plan, ProgressUpdate
from visits.models import Grade


def _previous_record(model=Action, field="history_id"):
    """Subquery: ``field`` of the same object's history row just before this
    one (by default, an action's history id)."""
    history = model.history.model
    return Subquery(
        history.objects.filter(id=OuterRef("id"))
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(
                history_date=OuterRef("history_date"),
                history_id__lt=OuterRef("history_id"),
            )
        )
        .order_by("-history_date", "-history_id")
        .values(field)[:1]
    )


def _plan_name(plan_id):
    """The name of the plan a history record puts its action in, when that is
    not the plan ``plan_id`` (whose name the report has); else None."""
    name = Plan.objects.filter(pk=OuterRef("plan_id")).values("name")[:1]
    return Case(When(~Q(plan_id=plan_id), then=Subquery(name)), default=None)


def _linked_finding_ids(record, accessor):
    return {row.finding_id for row in getattr(record, accessor).all()}


def _choice_label(model_field, value):
    return str(dict(model_field.flatchoices).get(value, value or ""))


def _reasons(record, previous):
    """The reasons a record gives: for a due-date move, for pausing or
    withdrawing, and for anything else changed.

    One save can move the due date and withdraw the action; its change reason
    is then "<due-date reason>; <withdrawal reason>", and each is given back
    to the change it belongs to.
    """
    given = (record.history_change_reason or "").strip()
    status_reason = ""
    if (
        record.status != previous.status
        and record.status in Action.STATUSES_NEEDING_REASON
    ):
        status_reason = (record.status_reason or "").strip() or given
    if record.due_date != previous.due_date:
        due_reason = given
        suffix = f"; {status_reason}"
        if status_reason and due_reason.endswith(suffix):
            due_reason = due_reason[: -len(suffix)]
        return due_reason, status_reason, ""
    return "", status_reason, given


class _ActionChanges:
    """Reads the plan's action history in the window into the report."""

    FIELDS = ("status", "rag", "impact")

    def __init__(self, report, actions):
        self.report = report
        self.actions = actions
        self.history = Action.history.model
        self.accessor = m2m_accessor(self.history, Action._meta.get_field("findings"))
        self.link_ids = set()
        self.pending_links = []

    def records(self):
        """The window's records (with ``previous_id``) and the ones before them.

        The records are those in the plan, and every record of the actions
        that have been in another plan too (``read`` keeps those that took an
        action out of the plan). Records that add an action carry the name of
        its lead officer (``lead_owner_name``); records in another plan carry
        that plan's name (``plan_name``). Four queries: the records, their
        link rows, the records just before the window, and their link rows.
        """
        report = self.report
        plan_id = report.plan.pk
        in_plan = Q(plan_id=plan_id)
        if self.actions.moved:
            in_plan |= Q(id__in=self.actions.moved)
        lead_owner = Owner.objects.filter(pk=OuterRef("lead_owner_id"))
        in_window = list(
            Action.history.filter(
                history_date__gte=report.start,
                history_date__lt=report.end,
            )
            .filter(in_plan)
            .annotate(
                previous_id=_previous_record(),
                plan_name=_plan_name(plan_id),
                lead_owner_name=Case(
                    When(
                        history_type="+",
                        then=Subquery(lead_owner.values("name")[:1]),
                    ),
                    default=Value(""),
                ),
            )
            .select_related("history_user")
            .prefetch_related(self.accessor)
            .order_by("history_date", "history_id")
        )
        known = {record.history_id: record for record in in_window}
        wanted = {
            r.previous_id
            for r in in_window
            if r.previous_id is not None and r.previous_id not in known
        }
        before = (
            Action.history.filter(history_id__in=wanted)
            .annotate(plan_name=_plan_name(plan_id))
            .prefetch_related(self.accessor)
        )
        known.update({record.history_id: record for record in before})
        return [(record, known.get(record.previous_id)) for record in in_window]

    def item(self, change_type, record, **values):
        """A ``change_type`` made by ``record``, naming the action as the
        record does unless ``values`` name it otherwise."""
        common = {
            "when": record.history_date,
            "who": user_display_name(record.history_user),
            "user_id": record.history_user_id,
            "reference": record.reference,
            "title": record.title,
            "url": reverse("improvement:action_detail", args=[record.id]),
            "history_id": record.history_id,
            "action_id": record.id,
        }
        return change_type(**(common | values))

    def read(self):
        plan_id = self.report.plan.pk
        for record, previous in self.records():
            if record.plan_id != plan_id:
                # Another plan's record: only leaving this plan concerns it.
                if (
                    record.history_type == "~"
                    and previous is not None
                    and previous.plan_id == plan_id
                ):
                    self.moved_out(record, previous)
            elif record.history_type == "+":
                self.report.actions_added.append(
                    self.item(
                        ActionAdded,
                        record,
                        due_date=record.due_date,
                        lead_officer=record.lead_owner_name or "",
                    )
                )
                self.links(record, set())
            elif record.history_type == "~" and previous is not None:
                if previous.plan_id != plan_id:
                    self.moved_in(record, previous)
                self.fields(record, previous)
                self.links(record, _linked_finding_ids(previous, self.accessor))
        self.name_links()

    def moved_in(self, record, previous):
        """The action arrived from another plan: named as it arrived."""
        was = (
            f" (was {previous.reference})"
            if previous.reference != record.reference
            else ""
        )
        self.report.actions_moved.append(
            self.item(
                ActionMoved,
                record,
                kind=MOVED_IN,
                label=f"Moved in from {previous.plan_name or '(removed plan)'}{was}",
                old=previous.plan_name or "",
                new=self.report.plan.name,
                reason=(record.history_change_reason or "").strip(),
            )
        )

    def moved_out(self, record, previous):
        """The action left for another plan: named as it was in this plan."""
        moved_as = (
            f" as {record.reference}" if record.reference != previous.reference else ""
        )
        self.report.actions_moved.append(
            self.item(
                ActionMoved,
                record,
                kind=MOVED_OUT,
                reference=previous.reference,
                title=previous.title,
                label=f"Moved to {record.plan_name or '(removed plan)'}{moved_as}",
                old=self.report.plan.name,
                new=record.plan_name or "",
                reason=(record.history_change_reason or "").strip(),
            )
        )

    def fields(self, record, previous):
        """The status, RAG, impact and due-date changes ``record`` made."""
        due_reason, status_reason, other_reason = _reasons(record, previous)
        for name in self.FIELDS:
            new = getattr(record, name)
            if getattr(previous, name) == new:
                continue
            needs_reason = name == "status" and new in Action.STATUSES_NEEDING_REASON
            reason = status_reason if needs_reason else other_reason
            self.field_changed(name, record, previous, reason)
        if record.due_date != previous.due_date:
            self.report.due_date_moves.append(
                self.item(
                    DueDateMoved,
                    record,
                    label="Due date",
                    old=date_text(previous.due_date),
                    new=date_text(record.due_date),
                    old_value=previous.due_date,
                    new_value=record.due_date,
                    reason=due_reason,
                    days=(record.due_date - previous.due_date).days,
                )
            )

    def field_changed(self, name, record, previous, reason):
        """Add the change of field ``name`` (status, RAG or impact) to the
        section it belongs to: delivered, withdrawn, or status changes."""
        report = self.report
        old, new = getattr(previous, name), getattr(record, name)
        model_field = Action._meta.get_field(name)
        label = str(model_field.verbose_name).capitalize()
        values = {
            "label": "RAG" if name == "rag" else label,
            "old": _choice_label(model_field, old),
            "new": _choice_label(model_field, new),
            "old_value": old,
            "new_value": new,
            "reason": reason,
        }
        if name == "rag":
            # Blank is "Not assessed": a grey tag, not "(none)".
            values["old_value"] = old or Action.ShownRag.NOT_ASSESSED
            values["new_value"] = new or Action.ShownRag.NOT_ASSESSED
            report.status_changes.append(
                self.item(FieldChanged, record, kind=RAG, **values)
            )
        elif name == "impact":
            evidence = new in Action.IMPACTS_NEEDING_EVIDENCE
            detail = record.impact_evidence if evidence else ""
            report.status_changes.append(
                self.item(ImpactChanged, record, detail=detail, **values)
            )
        else:
            kind, section = {
                Action.Status.DELIVERED: (DELIVERED, report.actions_delivered),
                Action.Status.WITHDRAWN: (WITHDRAWN, report.actions_withdrawn),
            }.get(new, (STATUS, report.status_changes))
            section.append(self.item(FieldChanged, record, kind=kind, **values))

    def links(self, record, before_ids):
        now = _linked_finding_ids(record, self.accessor)
        if now == before_ids:
            return
        reason = (record.history_change_reason or "").strip()
        for finding_id in sorted(now - before_ids):
            self.pending_links.append((LINK_ADDED, record, finding_id, reason))
        for finding_id in sorted(before_ids - now):
            self.pending_links.append((LINK_REMOVED, record, finding_id, reason))
        self.link_ids |= now ^ before_ids

    def name_links(self):
        """Name the findings linked and unlinked (one query).

        Several findings linked in one change are listed in reference order.
        """
        findings = Finding.objects.in_bulk(self.link_ids)
        self.pending_links.sort(
            key=lambda link: getattr(findings.get(link[2]), "sort_key", "")
        )
        for kind, record, finding_id, reason in self.pending_links:
            finding = findings.get(finding_id)
            name = str(finding) if finding else "(removed finding)"
            url = finding.get_absolute_url() if finding else ""
            item = self.item(
                FindingLinked,
                record,
                kind=kind,
                finding=name,
                finding_url=url,
                finding_id=finding_id,
                reason=reason,
            )
            target = (
                self.report.links_added
                if kind == LINK_ADDED
                else self.report.links_removed
            )
            target.append(item)


def _findings_added(report):
    """Findings of the plan recorded in the window (one query)."""
    records = (
        Finding.history.filter(
            history_type="+",
            history_date__gte=report.start,
            history_date__lt=report.end,
            id__in=Finding.objects.for_plan(report.plan).values("pk"),
        )
        .select_related("history_user", "inspection", "monitoring_visit")
        .order_by("history_date", "history_id")
    )
    kind_field = Finding._meta.get_field("kind")
    for record in records:
        source = record.inspection or record.monitoring_visit
        kind = _choice_label(kind_field, record.kind)
        report.findings_added.append(
            FindingAdded(
                when=record.history_date,
                who=user_display_name(record.history_user),
                user_id=record.history_user_id,
                reference=record.reference,
                title=record.title,
                url=reverse("findings:finding_detail", args=[record.id]),
                history_id=record.history_id,
                detail=str(source) if source else "",
                tags=[(record.kind, kind)],
                finding_id=record.id,
            )
        )


def _progress_updates(report, actions):
    """Progress updates recorded on the plan's actions in the window (one query).

    Each counts in the plan its action was in when it was recorded, and names
    the action by the reference and title it had then. ``actions`` are the
    plan's actions (``plan_actions``).
    """
    recorded = ProgressUpdate.history.filter(
        history_type="+",
        history_date__gte=report.start,
        history_date__lt=report.end,
    )
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
        status = _choice_label(status_field, record.status)
        rag_value, rag = Action.rag_tag(record.status, record.rag)
        report.progress_updates.append(
            ProgressRecorded(
                when=record.history_date,
                who=user_display_name(user),
                user_id=user.pk if user else None,
                reference=record.action_reference,
                title=record.action_title,
                url=reverse("improvement:action_detail", args=[record.action_id]),
                history_id=record.history_id,
                action_id=record.action_id,
                detail=record.narrative,
                tags=[(record.status, status)]
                + ([(rag_value, rag)] if rag_value else []),
                evidence_url=record.evidence_url,
            )
        )


def _measure_values(report):
    """Values of the plan's measures recorded, or corrected, in the window.

    One query: a correction is a change of the value itself (not of its
    note), compared with the value's history row just before it.
    """
    records = (
        MeasureValue.history.filter(
            history_date__gte=report.start,
            history_date__lt=report.end,
            history_type__in=["+", "~"],
            measure__plan=report.plan,
        )
        .annotate(previous_value=_previous_record(MeasureValue, "value"))
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


def _findings_judged(report):
    """Judgements of the plan's findings recorded in the window (one query)."""
    records = (
        FindingJudgement.history.filter(
            history_type="+",
            history_date__gte=report.start,
            history_date__lt=report.end,
            finding_id__in=Finding.objects.for_plan(report.plan).values("pk"),
        )
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


def _audits(report):
    """The plan's audits recorded, or moderated, in the window (one query).

    A moderation is a change of the grade after moderation, compared with
    the audit's history row just before it; other corrections are left to
    the audit's own history."""
    records = (
        Audit.history.filter(
            history_date__gte=report.start,
            history_date__lt=report.end,
            history_type__in=["+", "~"],
            plan_id=report.plan.pk,
        )
        .annotate(previous_moderated=_previous_record(Audit, "moderated_grade"))
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
                url=reverse("audits:audit_detail", args=[record.id]),
                history_id=record.history_id,
                team=record.team,
                old=grades.get(before, before) if moderated else "",
                new=grades.get(final, final),
                tags=[(final, grades.get(final, final))],
            )
        )


def changes_between(plan, start, end):
    """What changed in ``plan`` from ``start`` up to (not including) ``end``.

    ``start`` and ``end`` are aware datetimes (``day_window`` makes them from
    dates). Returns a ``ChangeReport`` whose lists hold ``ChangeItem``
    objects (a type for each kind of change), oldest first, each naming who
    made the change and when.

    Only history rows in the window are read, with, for each action changed,
    the one row just before the window to compare against, and the ids of
    the actions ever in the plan (``plan_actions``). Eleven queries at most,
    however large the plan and its history.
    """
    report = ChangeReport(plan=plan, start=start, end=end)
    actions = plan_actions(plan)
    _ActionChanges(report, actions).read()
    _findings_added(report)
    _progress_updates(report, actions)
    _measure_values(report)
    _findings_judged(report)
    _audits(report)
    report.sort()
    return report
