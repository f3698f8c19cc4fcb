"""Each kind of change in "What changed", as its own small type.

``ChangeItem`` is the base: what changed, to which action or finding, who
changed it and when, and the flat row a spreadsheet shows of it. Each kind
of change has its own type holding only what that kind has: ``FindingAdded``,
``ActionAdded``, ``ActionMoved``, ``FieldChanged`` (with ``ImpactChanged``
and ``DueDateMoved``), ``FindingLinked``, ``ProgressRecorded``,
``MeasureValueChanged`` (recorded or corrected), ``FindingJudged`` and
``AuditChanged`` (recorded or moderated). The kinds of change
(``ChangeItem.kind``) and their names in words (``KIND_LABELS``) are here
too. ``change_report`` gathers the items into the report's sections.
"""

import datetime
from dataclasses import dataclass, field
from typing import ClassVar

from improvement.board.periods import days_text
from improvement.kernel.dates import govuk_date

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
MEASURE_VALUE = "measure_value"
MEASURE_CORRECTED = "measure_corrected"
JUDGED = "judged"
AUDIT_RECORDED = "audit_recorded"
AUDIT_MODERATED = "audit_moderated"

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
    MEASURE_VALUE: "Measure value recorded",
    MEASURE_CORRECTED: "Measure value corrected",
    JUDGED: "Finding judged again",
    AUDIT_RECORDED: "Audit recorded",
    AUDIT_MODERATED: "Audit moderated",
}


@dataclass(frozen=True, kw_only=True)
class ChangeItem:
    """One change, in words: what, to which action or finding, who, when.

    The base of every kind of change. ``kind`` is one of the kinds above;
    ``reference``, ``title`` and ``url`` name the action changed (or, for a
    finding added, the finding), as it was named when the change was made.

    Each kind has its own type carrying only what that kind has. Every type
    gives, for a spreadsheet row, ``what`` (the change in a few words) and
    ``old``, ``new`` and ``reason`` (blank where the kind has none).
    """

    kind: str
    when: datetime.datetime
    who: str
    user_id: int | None
    reference: str
    title: str
    url: str
    history_id: int

    @property
    def kind_label(self):
        return KIND_LABELS[self.kind]

    @property
    def what(self):
        """The change in a few words, for a spreadsheet's "What" column."""
        raise NotImplementedError

    def row(self):
        """This change as a flat row: the keys of
        ``change_report.CHANGE_ROW_FIELDS``."""
        return {
            "when": self.when,
            "who": self.who,
            "kind": self.kind_label,
            "reference": self.reference,
            "title": self.title,
            "what": self.what,
            "old": self.old,
            "new": self.new,
            "reason": self.reason,
        }


@dataclass(frozen=True, kw_only=True)
class FindingAdded(ChangeItem):
    """A finding of the plan recorded. ``detail`` names the inspection or
    visit that raised it; ``tags`` holds its kind as ``(value, label)``."""

    kind: str = field(default=FINDING_ADDED, init=False)
    detail: str
    tags: list
    finding_id: int

    old: ClassVar[str] = ""
    new: ClassVar[str] = ""
    reason: ClassVar[str] = ""

    @property
    def what(self):
        kinds = ", ".join(label for _, label in self.tags)
        raised_by = f", {self.detail}" if self.detail else ""
        return f"Finding added ({kinds}{raised_by})"


@dataclass(frozen=True, kw_only=True)
class ActionChange(ChangeItem):
    """A change to one action; ``action_id`` is the action's id."""

    action_id: int


@dataclass(frozen=True, kw_only=True)
class ActionAdded(ActionChange):
    """An action added to the plan, due ``due_date``, led by ``lead_officer``
    (blank when it has no lead)."""

    kind: str = field(default=ACTION_ADDED, init=False)
    due_date: datetime.date
    lead_officer: str

    old: ClassVar[str] = ""
    reason: ClassVar[str] = ""
    what: ClassVar[str] = "Action added"

    @property
    def new(self):
        return f"Due {govuk_date(self.due_date)}"

    @property
    def detail(self):
        return f"Lead officer: {self.lead_officer}" if self.lead_officer else ""


@dataclass(frozen=True, kw_only=True)
class ActionMoved(ActionChange):
    """An action moved into the plan (``MOVED_IN``) or out of it to another
    (``MOVED_OUT``). ``label`` says so in words ("Moved to SEND plan as
    4.2"); ``old`` and ``new`` name the plans it left and joined."""

    label: str
    old: str
    new: str
    reason: str

    @property
    def what(self):
        return self.label


@dataclass(frozen=True, kw_only=True)
class FieldChanged(ActionChange):
    """A field of an action changed: its status (``STATUS``, ``DELIVERED``,
    ``WITHDRAWN``), RAG or impact, or its due date.

    ``label``, ``old`` and ``new`` are the field and its values in words
    ("Delivery status", "In progress", "Delivered"); ``old_value`` and
    ``new_value`` are the stored values ("in_progress", a date).
    """

    label: str
    old: str
    new: str
    old_value: object
    new_value: object
    reason: str

    @property
    def what(self):
        return self.label


@dataclass(frozen=True, kw_only=True)
class ImpactChanged(FieldChanged):
    """An action's impact changed; ``detail`` is the evidence given, when the
    new impact needs it."""

    kind: str = field(default=IMPACT, init=False)
    detail: str


@dataclass(frozen=True, kw_only=True)
class DueDateMoved(FieldChanged):
    """An action's due date moved ``days`` days (positive: later)."""

    kind: str = field(default=DUE_DATE, init=False)
    days: int

    @property
    def days_text(self):
        """ "+92 days" or "−14 days"."""
        return days_text(self.days)

    @property
    def moved_later(self):
        return self.days > 0

    @property
    def what(self):
        count = abs(self.days)
        days = f"{count} day{'' if count == 1 else 's'}"
        if self.days > 0:
            return f"Due date moved {days} later ({self.days_text})"
        return f"Due date brought forward {days} ({self.days_text})"


@dataclass(frozen=True, kw_only=True)
class FindingLinked(ActionChange):
    """An action linked to a finding (``LINK_ADDED``) or unlinked from one
    (``LINK_REMOVED``). ``finding`` names it ("R9: Supervision"),
    ``finding_url`` leads to it (blank when it has since been removed)."""

    finding: str
    finding_url: str
    finding_id: int
    reason: str

    @property
    def old(self):
        return self.finding if self.kind == LINK_REMOVED else ""

    @property
    def new(self):
        return self.finding if self.kind == LINK_ADDED else ""

    @property
    def what(self):
        if self.kind == LINK_ADDED:
            return "Now answers finding"
        return "No longer answers finding"


@dataclass(frozen=True, kw_only=True)
class ProgressRecorded(ActionChange):
    """A progress update recorded on an action. ``detail`` is its narrative,
    ``tags`` the status and RAG it reported as ``(value, label)`` pairs, and
    ``evidence_url`` its link to evidence, if any."""

    kind: str = field(default=PROGRESS, init=False)
    detail: str
    tags: list
    evidence_url: str

    old: ClassVar[str] = ""
    reason: ClassVar[str] = ""

    @property
    def new(self):
        return self.detail

    @property
    def what(self):
        reported = ", ".join(label for _, label in self.tags)
        return f"Progress update ({reported})"


@dataclass(frozen=True, kw_only=True)
class MeasureValueChanged(ChangeItem):
    """A measure's value for a period recorded (``MEASURE_VALUE``) or
    corrected (``MEASURE_CORRECTED``). ``title`` and ``url`` name the
    measure (``reference`` is blank); ``period`` names the period (“October
    2025”); ``old`` is the value before a correction, ``new`` the value, as
    read (“45%”), and ``reason`` why it was corrected."""

    period: str
    old: str = ""
    new: str
    reason: str = ""

    @property
    def what(self):
        done = "corrected" if self.kind == MEASURE_CORRECTED else "recorded"
        return f"Value for {self.period} {done}"


@dataclass(frozen=True, kw_only=True)
class FindingJudged(ChangeItem):
    """A finding judged again at a later visit. ``visit`` names the visit,
    ``tags`` holds the progress judged as ``(value, label)`` and ``detail``
    the visit's words."""

    kind: str = field(default=JUDGED, init=False)
    visit: str
    tags: list
    detail: str

    old: ClassVar[str] = ""
    reason: ClassVar[str] = ""

    @property
    def new(self):
        return ", ".join(label for _, label in self.tags)

    @property
    def what(self):
        return f"Judged at {self.visit}: {self.new}"


@dataclass(frozen=True, kw_only=True)
class AuditChanged(ChangeItem):
    """A case-file audit recorded (``AUDIT_RECORDED``) or its grade moderated
    (``AUDIT_MODERATED``). ``title`` and ``url`` name the audit (its case
    reference and date; ``reference`` is blank); ``team`` is the team
    audited; ``old`` is the grade before moderation (blank when recorded),
    ``new`` the grade that now counts, and ``tags`` that grade as
    ``(value, label)``."""

    team: str
    old: str = ""
    new: str
    tags: list

    reason: ClassVar[str] = ""

    @property
    def what(self):
        if self.kind == AUDIT_MODERATED:
            return f"Moderated from {self.old} to {self.new}"
        return f"Recorded as {self.new} ({self.team})"
