"""What was done to a plan's actions between two dates, from their history.

``ActionChanges`` reads the history of the plan's actions in the window into
a ``ChangeReport``: actions added, delivered, withdrawn and moved between
plans; status, RAG and impact changes; due-date moves (with their reason
and how far they moved); and links between actions and findings added and
removed. Each change is read in the plan the action was in when it was
made, and names the action as it was named then.
"""

from django.db.models import Case, OuterRef, Q, Subquery, Value, When

from findings.models import Finding
from improvement.board.change_items import (
    DELIVERED,
    LINK_ADDED,
    LINK_REMOVED,
    MOVED_IN,
    MOVED_OUT,
    RAG,
    STATUS,
    WITHDRAWN,
    ActionAdded,
    ActionMoved,
    DueDateMoved,
    FieldChanged,
    FindingLinked,
    ImpactChanged,
)
from improvement.board.history_rows import choice_label
from improvement.board.plan_history import historical_through
from improvement.kernel.dates import govuk_date
from improvement.kernel.history import user_display_name
from improvement.kernel.links import record_url
from improvement.kernel.timeline import previous_record
from improvement.plan.models import Action, Owner, Plan


def _plan_name(plan_id):
    """The name of the plan a history record puts its action in, when that is
    not the plan ``plan_id`` (whose name the report has); else None."""
    name = Plan.objects.filter(pk=OuterRef("plan_id")).values("name")[:1]
    return Case(When(~Q(plan_id=plan_id), then=Subquery(name)), default=None)


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


class ActionChanges:
    """Reads the plan's action history in the window into the report."""

    FIELDS = ("status", "rag", "impact")

    #: Long text the report never shows: left unread.
    UNREAD = ("description", "success_measure")

    def __init__(self, report, actions):
        self.report = report
        self.actions = actions
        self.through = historical_through(Action, "findings")
        self.linked = {}
        self.link_ids = set()
        self.pending_links = []

    def records(self):
        """The window's records (with ``previous_id``) and the ones before them.

        The records are those in the plan, and every record of the actions
        that have been in another plan too (``read`` keeps those that took an
        action out of the plan). Records that add an action carry the name of
        its lead officer (``lead_owner_name``); records in another plan carry
        that plan's name (``plan_name``). Three queries: the records, the
        records just before the window, and the findings both linked
        (``linked_finding_ids``).
        """
        report = self.report
        plan_id = report.plan.pk
        in_plan = Q(plan_id=plan_id)
        if self.actions.moved:
            in_plan |= Q(id__in=self.actions.moved)
        lead_owner = Owner.objects.filter(pk=OuterRef("lead_owner_id"))
        in_window = list(
            report.in_window(Action)
            .filter(in_plan)
            .annotate(
                previous_id=previous_record(Action),
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
            .defer(*self.UNREAD)
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
            .defer(*self.UNREAD)
        )
        known.update({record.history_id: record for record in before})
        for history_id, finding_id in self.through._default_manager.filter(
            history_id__in=known
        ).values_list("history_id", "finding_id"):
            self.linked.setdefault(history_id, set()).add(finding_id)
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
            "url": record_url("improvement:action_detail", record.id),
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
                self.links(record, self.linked_finding_ids(previous))
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
                    old=govuk_date(previous.due_date),
                    new=govuk_date(record.due_date),
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
            "old": choice_label(model_field, old),
            "new": choice_label(model_field, new),
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

    def linked_finding_ids(self, record):
        """The findings ``record`` linked (read by ``records``)."""
        return self.linked.get(record.history_id, set())

    def links(self, record, before_ids):
        now = self.linked_finding_ids(record)
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
