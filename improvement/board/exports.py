"""Spreadsheet downloads: the registers and the changes list as CSV and XLSX.

The row builders here turn loaded records into the plain values of a
``Table``; the writers (``improvement.kernel.spreadsheets``) turn a table
into a CSV or XLSX response, keeping text a spreadsheet would run as a
formula (“=…”) as text.
"""

import datetime
from collections import defaultdict

from django.utils import timezone

from findings.models import Finding
from improvement.kernel.spreadsheets import Column, Table, joined, local_time
from improvement.plan.models import Action, Priority
from visits.models import Inspection, MonitoringVisit

# ---------------------------------------------------------------------------
# The actions register
# ---------------------------------------------------------------------------

ACTION_COLUMNS = (
    Column("Plan", 30),
    Column("Priority", 30),
    Column("Reference", 11),
    Column("Title", 45),
    Column("Lead officer", 28),
    Column("Supporting owners", 34),
    Column("Start date", 16),
    Column("Original due date", 16),
    Column("Current due date", 16),
    Column("Days slipped", 9),
    Column("Overdue", 9),
    Column("Delivery status", 14),
    Column("RAG", 8),
    Column("Impact", 16),
    Column("Findings answered", 22),
    Column("Last progress update", 16),
    Column("What good looks like", 60),
)


def _grouped(pairs):
    """``{key: [values]}`` from ``(key, value)`` pairs, in the pairs' order."""
    groups = defaultdict(list)
    for key, value in pairs:
        groups[key].append(value)
    return groups


STATUS_LABELS = dict(Action.Status.choices)
IMPACT_LABELS = dict(Action.Impact.choices)

_ACTION_VALUES = (
    "pk",
    "plan__name",
    "priority_id",
    "reference",
    "title",
    "lead_owner__name",
    "start_date",
    "original_due_date",
    "due_date",
    "status",
    "rag",
    "impact",
    "last_update_date",
    "success_measure",
)


def _rag_text(status, rag):
    """The RAG as shown (``Action.shown_rag``); blank for a withdrawn action."""
    value, label = Action.rag_tag(status, rag)
    return label if value else ""


def action_rows(actions, today):
    """Rows of the actions register for ``actions``, in its order.

    ``actions`` is the register's filtered queryset, annotated with
    ``last_update_date``. Four queries for any number of rows: the actions
    (as values, not model instances, so that a download of every plan stays
    quick), their priorities, their supporting owners and their findings.
    """
    records = list(actions.values(*_ACTION_VALUES))
    ids = [record["pk"] for record in records]
    priorities = Priority.objects.in_bulk({r["priority_id"] for r in records})
    supporting = _grouped(
        Action.supporting_owners.through.objects.filter(action_id__in=ids)
        .order_by("owner__name")
        .values_list("action_id", "owner__name")
    )
    answered = _grouped(
        Action.findings.through.objects.filter(action_id__in=ids)
        .order_by("finding__sort_key", "finding_id")
        .values_list("action_id", "finding__reference")
    )
    for record in records:
        status = record["status"]
        due, original = record["due_date"], record["original_due_date"]
        yield [
            record["plan__name"],
            str(priorities[record["priority_id"]]),
            record["reference"],
            record["title"],
            record["lead_owner__name"],
            joined(supporting.get(record["pk"], ())),
            record["start_date"],
            original,
            due,
            max((due - original).days, 0),
            status not in Action.CLOSED_STATUSES and due < today,
            STATUS_LABELS.get(status, status),
            _rag_text(status, record["rag"]),
            IMPACT_LABELS.get(record["impact"], record["impact"]),
            joined(answered.get(record["pk"], ())),
            record["last_update_date"],
            record["success_measure"],
        ]


def actions_table(actions, today=None):
    """The actions register as a table, one row per action in ``actions``."""
    today = today or timezone.localdate()
    return Table(
        title="Actions", columns=ACTION_COLUMNS, rows=action_rows(actions, today)
    )


# ---------------------------------------------------------------------------
# The findings register
# ---------------------------------------------------------------------------

FINDING_COLUMNS = (
    Column("Source", 36),
    Column("Reference", 11),
    Column("Kind", 22),
    Column("Priority", 10),
    Column("Themes", 30),
    Column("Title", 50),
    Column("Answered", 10),
    Column("Actions answering", 22),
    Column("Action statuses", 40),
)

KIND_LABELS = dict(Finding.Kind.choices)
PRIORITY_LABELS = dict(Finding.Priority.choices)

_FINDING_VALUES = (
    "pk",
    "inspection_id",
    "monitoring_visit_id",
    "reference",
    "kind",
    "priority",
    "title",
    "is_answered",
)


def finding_rows(findings, actions):
    """Rows of the findings register for ``findings``, in its order.

    ``findings`` is the register's filtered queryset, annotated with
    ``is_answered``; ``actions`` are the actions the user may see. Answering
    actions are listed by plan, then by reference (1.2 before 1.10). Five
    queries for any number of rows: the findings (as values), the inspections
    and the visits that raised them, their themes and the actions answering
    them.
    """
    records = list(findings.values(*_FINDING_VALUES))
    ids = [record["pk"] for record in records]
    inspections = Inspection.objects.in_bulk(
        {r["inspection_id"] for r in records} - {None}
    )
    visits = MonitoringVisit.objects.in_bulk(
        {r["monitoring_visit_id"] for r in records} - {None}
    )
    themes = _grouped(
        Finding.themes.through.objects.filter(finding_id__in=ids)
        .order_by("theme__name")
        .values_list("finding_id", "theme__name")
    )
    links = Action.findings.through.objects.filter(finding_id__in=ids)
    if actions.query.is_empty():
        links = links.none()
    elif actions.query.has_filters():
        # Only when visibility narrows the actions: the subquery otherwise
        # costs SQLite a probe of every action for every finding.
        links = links.filter(action__in=actions.values("pk"))
    links = links.order_by("action__plan_id", "action__sort_key", "action_id")
    answering = _grouped(
        (finding_id, (reference, status))
        for finding_id, reference, status in links.values_list(
            "finding_id", "action__reference", "action__status"
        )
    )
    for record in records:
        source = inspections.get(record["inspection_id"]) or visits.get(
            record["monitoring_visit_id"]
        )
        linked = answering.get(record["pk"], ())
        yield [
            str(source or ""),
            record["reference"],
            KIND_LABELS.get(record["kind"], record["kind"]),
            PRIORITY_LABELS.get(record["priority"], record["priority"]),
            joined(themes.get(record["pk"], ())),
            record["title"],
            record["is_answered"],
            joined(reference for reference, _ in linked),
            joined(
                f"{reference}: {STATUS_LABELS.get(status, status)}"
                for reference, status in linked
            ),
        ]


def findings_table(findings, actions):
    """The findings register as a table, one row per finding."""
    return Table(
        title="Findings",
        columns=FINDING_COLUMNS,
        rows=finding_rows(findings, actions),
    )


# ---------------------------------------------------------------------------
# The changes list
# ---------------------------------------------------------------------------

#: The keys of a flat change row, in column order, with their headings.
CHANGE_FIELDS = (
    ("when", Column("When", 20)),
    ("who", Column("Who", 24)),
    ("kind", Column("Kind of change", 18)),
    ("reference", Column("Reference", 11)),
    ("title", Column("Title", 40)),
    ("what", Column("What changed", 34)),
    ("old", Column("From", 30)),
    ("new", Column("To", 40)),
    ("reason", Column("Reason", 40)),
)
CHANGE_COLUMNS = tuple(column for _, column in CHANGE_FIELDS)


def _change_value(row, key, position):
    """Read one value from a flat change row: a mapping, an object or a tuple."""
    if isinstance(row, dict):
        return row.get(key)
    if hasattr(row, key):
        return getattr(row, key)
    if isinstance(row, list | tuple):
        return row[position] if position < len(row) else None
    return None


def _change_cell(value):
    if value is None or isinstance(
        value, str | int | float | bool | datetime.date | datetime.datetime
    ):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return joined(value)
    return str(value)


def changes_table(rows):
    """Flat change rows (when, who, kind, reference, title, what, old, new,
    reason) as a table."""
    return Table(
        title="Changes",
        columns=CHANGE_COLUMNS,
        rows=(
            [
                _change_cell(_change_value(row, key, position))
                for position, (key, _) in enumerate(CHANGE_FIELDS)
            ]
            for row in rows
        ),
    )


# ---------------------------------------------------------------------------
# Recent changes (history entries, as the recent changes page lists them)
# ---------------------------------------------------------------------------

ENTRY_COLUMNS = (
    Column("When", 20),
    Column("Who", 24),
    Column("What", 40),
    Column("Change", 12),
    Column("Field", 28),
    Column("From", 30),
    Column("To", 40),
    Column("Reason", 40),
)


def _entry_rows(entries):
    for entry in entries:
        common = [local_time(entry.when), entry.user_name, entry.subject, entry.kind]
        if not entry.changes:
            yield [*common, "", "", "", entry.reason]
        for change in entry.changes:
            if change.is_links:
                old = joined(f"removed {name}" for name in change.removed)
                new = joined(f"added {name}" for name in change.added)
            else:
                old, new = change.old, change.new
            yield [*common, change.label, old, new, entry.reason]


def entries_table(entries):
    """History entries (``kernel.history.Entry``), one row per field changed."""
    return Table(
        title="Recent changes", columns=ENTRY_COLUMNS, rows=_entry_rows(entries)
    )
