"""The report of what changed in a plan between two dates, in words.

``ChangeReport`` holds the changes in the sections a board asks about, each
a ``ChangeItem`` naming what changed, who changed it, when and why.
``change_rows(report)`` flattens it for a spreadsheet. ``what_changed``
fills it from the plan's history.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from improvement.board.periods import days_text

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
        return "" if self.days is None else days_text(self.days)

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
