"""What changed in a plan between two dates, and how far its due dates drifted.

Two computations that the pages, the board pack and the CSV/XLSX exports share.

``changes_between(plan, start, end)`` reads the history of the plan between
two moments and sorts what happened into the sections a board asks about:
actions added, delivered, withdrawn and moved between plans; status, RAG and
impact changes; due-date moves (with their reason and how far they moved);
findings added; links between actions and findings added and removed; and
progress updates recorded. Everything is read in the plan the action was in
at the moment it happened, and named as the action was named then, so a
later move to another plan rewrites nothing. ``change_rows(report)``
flattens it for a spreadsheet.

``drift(plan, since=None)`` counts, for every action, how often its due date
moved, how far it has slipped from the original, and why; with the plan's
figures by priority and by lead officer.

Neither loads a whole history table. Each issues a fixed number of queries
however many actions, findings and history rows the plan has.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When, Window
from django.db.models.functions import Lag
from django.urls import reverse
from django.utils import dateformat, timezone

from findings.models import Finding
from improvement.board.reporting import action_then, plan_actions, updates_in_plan
from improvement.kernel.history import m2m_accessor, user_display_name
from improvement.plan.models import Action, Owner, Plan, ProgressUpdate

#: How far back "what changed" and "drift" look when no date is given.
DEFAULT_PERIOD_DAYS = 30


def default_plan(plans=None):
    """The plan pages open on: the newest active plan, else the newest plan.

    ``plans`` is a queryset of plans the user may see (every plan if None).
    Returns None when there are none.
    """
    plans = Plan.objects.all() if plans is None else plans
    newest = plans.order_by("-start_date", "-pk")
    return newest.filter(status=Plan.Status.ACTIVE).first() or newest.first()


def start_of_day(day):
    """The first moment of ``day`` in the site's time zone (Europe/London)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def day_window(since, until):
    """``(start, end)`` covering the whole days ``since`` to ``until``.

    ``end`` is the first moment of the day after ``until``, so the window is
    ``start <= history_date < end`` as ``changes_between`` reads it.
    """
    return start_of_day(since), start_of_day(until + datetime.timedelta(days=1))


def _date_text(value):
    return dateformat.format(value, "j F Y") if value else ""


def _days_text(days):
    """ "+92 days", "−14 days" (a true minus sign), "+1 day"."""
    sign = "+" if days >= 0 else "\u2212"
    count = abs(days)
    return f"{sign}{count} day{'' if count == 1 else 's'}"


# ---------------------------------------------------------------------------
# What changed between two dates
# ---------------------------------------------------------------------------

# Kinds of change, as ``ChangeItem.kind`` holds them.
ACTION_ADDED = "action_added"
DELIVERED = "delivered"
WITHDRAWN = "withdrawn"
MOVED_IN = "moved_in"
MOVED_OUT = "moved_out"
STATUS = "status"
RAG = "rag"
IMPACT = "impact"
DUE_DATE = "due_date"
FINDING_ADDED = "finding_added"
LINK_ADDED = "link_added"
LINK_REMOVED = "link_removed"
PROGRESS = "progress"

#: What each kind is called in words (the "kind" column of an export).
KIND_LABELS = {
    ACTION_ADDED: "Action added",
    DELIVERED: "Action delivered",
    WITHDRAWN: "Action withdrawn",
    MOVED_IN: "Action moved in",
    MOVED_OUT: "Action moved out",
    STATUS: "Status changed",
    RAG: "RAG changed",
    IMPACT: "Impact changed",
    DUE_DATE: "Due date moved",
    FINDING_ADDED: "Finding added",
    LINK_ADDED: "Finding linked",
    LINK_REMOVED: "Finding unlinked",
    PROGRESS: "Progress update",
}


@dataclass
class ChangeItem:
    """One change, in words: what, to which action or finding, who, when, why.

    ``reference``, ``title`` and ``url`` name the action changed (or, for a
    finding added, the finding). ``label``, ``old`` and ``new`` are the field
    and its values in words ("Delivery status", "In progress", "Delivered");
    ``old_value`` and ``new_value`` are the stored values ("in_progress",
    a date). ``days`` is how far a due date moved (positive: later).
    ``finding`` names the finding of a link ("R9: Supervision"), ``detail``
    holds the narrative of a progress update, the evidence of an impact
    change, or the inspection or visit that raised a finding added. ``tags`` are
    ``(value, label)`` pairs to show as tags: the status and RAG a progress
    update reported, the kind of a finding added.
    """

    kind: str
    when: datetime.datetime
    who: str
    user_id: int | None
    reference: str
    title: str
    url: str
    history_id: int
    label: str = ""
    old: str = ""
    new: str = ""
    old_value: object = None
    new_value: object = None
    reason: str = ""
    days: int | None = None
    finding: str = ""
    finding_url: str = ""
    detail: str = ""
    evidence_url: str = ""
    tags: list = field(default_factory=list)
    action_id: int | None = None
    finding_id: int | None = None

    @property
    def kind_label(self):
        return KIND_LABELS[self.kind]

    @property
    def days_text(self):
        """ "+92 days" or "−14 days" for a due-date move, else ""."""
        return "" if self.days is None else _days_text(self.days)

    @property
    def moved_later(self):
        return self.days is not None and self.days > 0

    @property
    def what(self):
        """The change in a few words, for a spreadsheet's "What" column."""
        if self.kind == ACTION_ADDED:
            return "Action added"
        if self.kind == DUE_DATE:
            count = abs(self.days)
            days = f"{count} day{'' if count == 1 else 's'}"
            if self.days > 0:
                return f"Due date moved {days} later ({self.days_text})"
            return f"Due date brought forward {days} ({self.days_text})"
        if self.kind == FINDING_ADDED:
            raised_by = f", {self.detail}" if self.detail else ""
            return f"Finding added ({self.label}{raised_by})"
        if self.kind == LINK_ADDED:
            return "Now answers finding"
        if self.kind == LINK_REMOVED:
            return "No longer answers finding"
        if self.kind == PROGRESS:
            return f"Progress update ({self.label})"
        return self.label


@dataclass
class Section:
    """A heading of the report and its changes, oldest first."""

    key: str
    title: str
    items: list
    empty_text: str
    subject: str  # what the first column names: "Action" or "Finding"
    show_reason: bool


#: The report's sections in the order they are read:
#: (attribute, heading, what to say when empty, subject, has reasons).
SECTIONS = (
    ("actions_added", "Actions added", "No actions were added.", "Action", False),
    (
        "actions_delivered",
        "Actions delivered",
        "No actions were delivered.",
        "Action",
        True,
    ),
    (
        "actions_withdrawn",
        "Actions withdrawn",
        "No actions were withdrawn.",
        "Action",
        True,
    ),
    (
        "actions_moved",
        "Actions moved between plans",
        "No actions moved into or out of this plan.",
        "Action",
        True,
    ),
    (
        "status_changes",
        "Status, RAG and impact changes",
        "No status, RAG or impact changed.",
        "Action",
        True,
    ),
    ("due_date_moves", "Due dates moved", "No due dates moved.", "Action", True),
    ("findings_added", "Findings added", "No findings were added.", "Finding", False),
    (
        "links_added",
        "Findings linked to actions",
        "No actions were linked to findings.",
        "Action",
        True,
    ),
    (
        "links_removed",
        "Findings unlinked from actions",
        "No actions were unlinked from findings.",
        "Action",
        True,
    ),
    (
        "progress_updates",
        "Progress updates recorded",
        "No progress updates were recorded.",
        "Action",
        False,
    ),
)


@dataclass
class ChangeReport:
    """Everything that changed in ``plan`` from ``start`` up to (not including)
    ``end``. Each list holds ``ChangeItem`` objects, oldest first.

    ``status_changes`` holds status changes other than to delivered or
    withdrawn (those have their own lists), and every RAG and impact change.
    ``actions_moved`` holds actions moved into the plan from another plan
    (named as they arrived) and out of it to another (named as they left);
    what an action did while in another plan belongs to that plan.
    """

    plan: object
    start: datetime.datetime
    end: datetime.datetime
    actions_added: list = field(default_factory=list)
    actions_delivered: list = field(default_factory=list)
    actions_withdrawn: list = field(default_factory=list)
    actions_moved: list = field(default_factory=list)
    status_changes: list = field(default_factory=list)
    due_date_moves: list = field(default_factory=list)
    findings_added: list = field(default_factory=list)
    links_added: list = field(default_factory=list)
    links_removed: list = field(default_factory=list)
    progress_updates: list = field(default_factory=list)

    @property
    def sections(self):
        """Every ``Section``, in reading order, empty ones included."""
        return [
            Section(key, title, getattr(self, key), empty, subject, reasons)
            for key, title, empty, subject, reasons in SECTIONS
        ]

    @property
    def items(self):
        """Every change in one list, oldest first."""
        merged = [item for section in self.sections for item in section.items]
        merged.sort(key=lambda i: (i.when, i.history_id))
        return merged

    @property
    def total(self):
        return sum(len(getattr(self, key)) for key, *_ in SECTIONS)

    @property
    def is_empty(self):
        return self.total == 0

    @property
    def last_day(self):
        """The last whole day the window covers (the day before ``end``)."""
        return (timezone.localtime(self.end) - datetime.timedelta(days=1)).date()

    def sort(self):
        for key, *_ in SECTIONS:
            getattr(self, key).sort(key=lambda i: (i.when, i.history_id))


def _previous_record_id():
    """Subquery: the history id of the same action's record just before this one."""
    history = Action.history.model
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
        .values("history_id")[:1]
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
                previous_id=_previous_record_id(),
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

    def item(self, kind, record, **values):
        return ChangeItem(
            kind=kind,
            when=record.history_date,
            who=user_display_name(record.history_user),
            user_id=record.history_user_id,
            reference=record.reference,
            title=record.title,
            url=reverse("improvement:action_detail", args=[record.id]),
            history_id=record.history_id,
            action_id=record.id,
            **values,
        )

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
                lead = record.lead_owner_name
                self.report.actions_added.append(
                    self.item(
                        ACTION_ADDED,
                        record,
                        new=f"Due {_date_text(record.due_date)}",
                        new_value=record.due_date,
                        detail=f"Lead officer: {lead}" if lead else "",
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
                MOVED_IN,
                record,
                label=f"Moved in from {previous.plan_name or '(removed plan)'}{was}",
                old=previous.plan_name or "",
                new=self.report.plan.name,
                old_value=previous.plan_id,
                new_value=record.plan_id,
                reason=(record.history_change_reason or "").strip(),
            )
        )

    def moved_out(self, record, previous):
        """The action left for another plan: named as it was in this plan."""
        moved_as = (
            f" as {record.reference}" if record.reference != previous.reference else ""
        )
        item = self.item(
            MOVED_OUT,
            record,
            label=f"Moved to {record.plan_name or '(removed plan)'}{moved_as}",
            old=self.report.plan.name,
            new=record.plan_name or "",
            old_value=previous.plan_id,
            new_value=record.plan_id,
            reason=(record.history_change_reason or "").strip(),
        )
        item.reference, item.title = previous.reference, previous.title
        self.report.actions_moved.append(item)

    def fields(self, record, previous):
        report = self.report
        due_reason, status_reason, other_reason = _reasons(record, previous)
        for name in self.FIELDS:
            old, new = getattr(previous, name), getattr(record, name)
            if old == new:
                continue
            model_field = Action._meta.get_field(name)
            values = {
                "label": str(model_field.verbose_name).capitalize()
                if name != "rag"
                else "RAG",
                "old": _choice_label(model_field, old),
                "new": _choice_label(model_field, new),
                "old_value": old,
                "new_value": new,
                "reason": other_reason,
            }
            if name == "rag":
                # Blank is "Not assessed": a grey tag, not "(none)".
                values["old_value"] = old or Action.ShownRag.NOT_ASSESSED
                values["new_value"] = new or Action.ShownRag.NOT_ASSESSED
            if name == "status" and new in Action.STATUSES_NEEDING_REASON:
                values["reason"] = status_reason
            if name == "impact" and new in Action.IMPACTS_NEEDING_EVIDENCE:
                values["detail"] = record.impact_evidence
            if name == "status" and new == Action.Status.DELIVERED:
                report.actions_delivered.append(self.item(DELIVERED, record, **values))
            elif name == "status" and new == Action.Status.WITHDRAWN:
                report.actions_withdrawn.append(self.item(WITHDRAWN, record, **values))
            else:
                kind = {"status": STATUS, "rag": RAG, "impact": IMPACT}[name]
                report.status_changes.append(self.item(kind, record, **values))
        if record.due_date != previous.due_date:
            report.due_date_moves.append(
                self.item(
                    DUE_DATE,
                    record,
                    label="Due date",
                    old=_date_text(previous.due_date),
                    new=_date_text(record.due_date),
                    old_value=previous.due_date,
                    new_value=record.due_date,
                    reason=due_reason,
                    days=(record.due_date - previous.due_date).days,
                )
            )

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
                kind,
                record,
                label="Findings answered",
                old=name if kind == LINK_REMOVED else "",
                new=name if kind == LINK_ADDED else "",
                reason=reason,
                finding=name,
                finding_url=url,
                finding_id=finding_id,
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
            ChangeItem(
                kind=FINDING_ADDED,
                when=record.history_date,
                who=user_display_name(record.history_user),
                user_id=record.history_user_id,
                reference=record.reference,
                title=record.title,
                url=reverse("findings:finding_detail", args=[record.id]),
                history_id=record.history_id,
                label=kind,
                new_value=record.kind,
                detail=str(source) if source else "",
                tags=[(record.kind, kind)],
                finding=f"{record.reference}: {record.title}",
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
            ChangeItem(
                kind=PROGRESS,
                when=record.history_date,
                who=user_display_name(user),
                user_id=user.pk if user else None,
                reference=record.action_reference,
                title=record.action_title,
                url=reverse("improvement:action_detail", args=[record.action_id]),
                history_id=record.history_id,
                label=f"{status}, {rag}" if rag_value else status,
                new=record.narrative,
                new_value=record.update_date,
                detail=record.narrative,
                tags=[(record.status, status)]
                + ([(rag_value, rag)] if rag_value else []),
                evidence_url=record.evidence_url,
                action_id=record.action_id,
            )
        )


def changes_between(plan, start, end):
    """What changed in ``plan`` from ``start`` up to (not including) ``end``.

    ``start`` and ``end`` are aware datetimes (``day_window`` makes them from
    dates). Returns a ``ChangeReport`` whose lists hold ``ChangeItem``
    objects, oldest first, each naming who made the change and when.

    Only history rows in the window are read, with, for each action changed,
    the one row just before the window to compare against, and the ids of
    the actions ever in the plan (``plan_actions``). Eight queries at most,
    however large the plan and its history.
    """
    report = ChangeReport(plan=plan, start=start, end=end)
    actions = plan_actions(plan)
    _ActionChanges(report, actions).read()
    _findings_added(report)
    _progress_updates(report, actions)
    report.sort()
    return report


#: The columns of ``change_rows``, in order, with their headings.
CHANGE_ROW_FIELDS = (
    ("when", "When"),
    ("who", "Who"),
    ("kind", "Kind of change"),
    ("reference", "Reference"),
    ("title", "Title"),
    ("what", "What changed"),
    ("old", "From"),
    ("new", "To"),
    ("reason", "Reason"),
)


def change_rows(report):
    """The report as flat rows for a CSV or XLSX export, oldest first.

    Each row is a dict with the keys of ``CHANGE_ROW_FIELDS``: ``when`` (an
    aware datetime), ``who``, ``kind`` (for example "Due date moved"),
    ``reference`` and ``title`` (of the action, or of the finding added),
    ``what`` (for example "Due date moved 92 days later (+92 days)"),
    ``old``, ``new`` and ``reason``, all text. For a link, ``new`` (added)
    or ``old`` (removed) names the finding; for a progress update ``new`` is
    its narrative.
    """
    return [
        {
            "when": item.when,
            "who": item.who,
            "kind": item.kind_label,
            "reference": item.reference,
            "title": item.title,
            "what": item.what,
            "old": item.old,
            "new": item.new,
            "reason": item.reason,
        }
        for item in report.items
    ]


# ---------------------------------------------------------------------------
# Drift and delay
# ---------------------------------------------------------------------------


@dataclass
class DueDateMove:
    """One move of an action's due date: when, who, from, to, how far, why."""

    action_id: int
    history_id: int
    when: datetime.datetime
    who: str
    user_id: int | None
    old_date: datetime.date
    new_date: datetime.date
    reason: str

    @property
    def days(self):
        """How far it moved: positive is later, negative brought forward."""
        return (self.new_date - self.old_date).days

    @property
    def days_text(self):
        return _days_text(self.days)


@dataclass
class ActionDrift:
    """An action with every move of its due date, oldest first."""

    action: Action
    moves: list = field(default_factory=list)

    @property
    def move_count(self):
        return len(self.moves)

    @property
    def days_slipped(self):
        """Current due date less the original, in days (negative if earlier)."""
        return (self.action.due_date - self.action.original_due_date).days

    @property
    def days_slipped_text(self):
        return _days_text(self.days_slipped)

    @property
    def has_slipped(self):
        return self.days_slipped > 0

    @property
    def has_moved(self):
        return bool(self.moves) or self.days_slipped != 0

    @property
    def reasons(self):
        return [move.reason for move in self.moves if move.reason]


@dataclass
class SlipFigures:
    """Slip figures for a group of actions: a priority, a lead officer, the plan.

    ``slipped`` counts actions whose current due date is later than the
    original; ``days`` adds up how many days they have slipped; ``moves``
    counts every move of every action in the group.
    """

    label: str
    url: str = ""
    actions: int = 0
    slipped: int = 0
    moves: int = 0
    days: int = 0
    sort_key: object = None

    @property
    def average_days(self):
        """Average days slipped per slipped action, in whole days (half up)."""
        if not self.slipped:
            return None
        return (2 * self.days + self.slipped) // (2 * self.slipped)

    def add(self, drift_item):
        self.actions += 1
        self.moves += drift_item.move_count
        if drift_item.has_slipped:
            self.slipped += 1
            self.days += drift_item.days_slipped


@dataclass
class RecentSlip:
    """An action whose due date moved later after the chosen date."""

    drift: ActionDrift
    moves: list

    @property
    def action(self):
        return self.drift.action

    @property
    def days(self):
        return sum(move.days for move in self.moves)

    @property
    def days_text(self):
        return _days_text(self.days)


@dataclass
class DriftReport:
    """How far the plan's due dates have drifted, and since when.

    ``actions`` holds an ``ActionDrift`` for every action of the plan, most
    days slipped first (then most moves). ``slipped_since`` holds a
    ``RecentSlip`` for each action whose due date moved later on or after
    ``since``, most days first.
    """

    plan: object
    since: datetime.datetime | None
    actions: list
    by_priority: list
    by_owner: list
    totals: SlipFigures
    slipped_since: list

    @property
    def moved(self):
        """Actions whose due date has moved at least once, or differs from the
        original."""
        return [item for item in self.actions if item.has_moved]

    @property
    def never_moved_count(self):
        return len(self.actions) - len(self.moved)


def due_date_moves(plan):
    """Every due-date move of the plan's actions, oldest first: ``DueDateMove``.

    The database compares each history row with the one before it for the
    same action (the window function LAG, on SQLite 3.25+ and PostgreSQL),
    and returns only the rows where the due date changed. Two queries: the
    moves and the names of the people who made them.
    """
    history = Action.history.model
    rows = list(
        history.objects.filter(
            id__in=Action.objects.filter(plan=plan).values("pk"),
        )
        .annotate(
            previous_due=Window(
                Lag("due_date"),
                partition_by=[F("id")],
                order_by=[F("history_date").asc(), F("history_id").asc()],
            )
        )
        .filter(previous_due__isnull=False)
        .filter(~Q(due_date=F("previous_due")))
        .order_by("history_date", "history_id")
        .values(
            "id",
            "history_id",
            "history_date",
            "due_date",
            "previous_due",
            "history_change_reason",
            "history_user_id",
        )
    )
    user_ids = {row["history_user_id"] for row in rows} - {None}
    users = get_user_model().objects.in_bulk(user_ids)
    moves = []
    for row in rows:
        user = users.get(row["history_user_id"])
        moves.append(
            DueDateMove(
                action_id=row["id"],
                history_id=row["history_id"],
                when=row["history_date"],
                who=user_display_name(user),
                user_id=row["history_user_id"],
                old_date=row["previous_due"],
                new_date=row["due_date"],
                reason=(row["history_change_reason"] or "").strip(),
            )
        )
    return moves


def _figures(groups, key, label, url, sort_key, item):
    figures = groups.get(key)
    if figures is None:
        figures = groups[key] = SlipFigures(label=label, url=url, sort_key=sort_key)
    figures.add(item)


def drift(plan, since=None):
    """How far ``plan``'s due dates have drifted, and what slipped since ``since``.

    ``since`` is an aware datetime, or None for no "slipped since" list.
    Returns a ``DriftReport``. Three queries: the plan's actions (with their
    priorities and lead officers), the due-date moves, and the people who
    made them.
    """
    actions = list(
        Action.objects.filter(plan=plan).select_related("priority", "lead_owner")
    )
    moves_by_action = {}
    for move in due_date_moves(plan):
        moves_by_action.setdefault(move.action_id, []).append(move)
    items = [
        ActionDrift(action, moves_by_action.get(action.pk, [])) for action in actions
    ]
    items.sort(
        key=lambda d: (
            -d.days_slipped,
            -d.move_count,
            d.action.priority.number,
            d.action.sort_key,
        )
    )

    totals = SlipFigures(label="Whole plan")
    by_priority, by_owner = {}, {}
    for item in items:
        action = item.action
        totals.add(item)
        _figures(
            by_priority,
            action.priority_id,
            str(action.priority),
            action.priority.get_absolute_url(),
            action.priority.number,
            item,
        )
        _figures(
            by_owner,
            action.lead_owner_id,
            action.lead_owner.name,
            action.lead_owner.get_absolute_url(),
            action.lead_owner.name.lower(),
            item,
        )

    slipped_since = []
    if since is not None:
        for item in items:
            recent = [m for m in item.moves if m.when >= since and m.days > 0]
            if recent:
                slipped_since.append(RecentSlip(item, recent))
        slipped_since.sort(key=lambda r: (-r.days, -len(r.moves), r.action.sort_key))

    return DriftReport(
        plan=plan,
        since=since,
        actions=items,
        by_priority=sorted(by_priority.values(), key=lambda f: f.sort_key),
        by_owner=sorted(
            by_owner.values(), key=lambda f: (-f.days, -f.moves, f.sort_key)
        ),
        totals=totals,
        slipped_since=slipped_since,
    )
