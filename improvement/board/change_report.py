"""The report of what changed in a plan between two dates, in words.

``ChangeReport`` holds the changes in the sections a board asks about
(``SECTIONS``, each read as a ``Section``), each change a ``ChangeItem``
(``change_items``) naming what changed, who changed it, when and why.
``change_rows(report)`` flattens it for a spreadsheet, in the columns of
``CHANGE_ROW_FIELDS``. ``what_changed.changes_between`` fills it from the
plan's history.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone


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
    (
        "measure_values",
        "Measure values recorded and corrected",
        "No measure values were recorded or corrected.",
        "Measure",
        True,
    ),
    (
        "findings_judged",
        "Findings judged again",
        "No finding was judged again at a visit.",
        "Finding",
        False,
    ),
    (
        "audits",
        "Case-file audits recorded and moderated",
        "No case-file audit was recorded or moderated.",
        "Audit",
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
    measure_values: list = field(default_factory=list)
    findings_judged: list = field(default_factory=list)
    audits: list = field(default_factory=list)

    def in_window(self, model, *types):
        """``model``'s history rows in the report's window, of ``types``
        ("+" added, "~" changed, "-" deleted; all without)."""
        rows = model.history.filter(
            history_date__gte=self.start, history_date__lt=self.end
        )
        return rows.filter(history_type__in=types) if types else rows

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
    return [item.row() for item in report.items]
