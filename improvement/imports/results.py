"""What checking a tracker found: its rows, and what saving them would do.

* ``Checked``: a whole tracker checked against a plan, with the priorities
  and owners saving would create;
* ``Row``: one row as checked, with its ``outcome`` (``CREATE``, ``CHANGE``,
  ``UNCHANGED``, or ``SECTION`` for a row naming a priority), its problems
  and what saving sets;
* ``Change``: one field an import changes, old and new;
* ``NewPriority``: a priority the import would create;
* the labels the check page shows for an action's choices and dates.

The row and file shape every checked upload shares comes from
``improvement.kernel.checked``.
"""

from dataclasses import dataclass, field

from improvement.kernel.checked import CheckedFile, CheckedRow
from improvement.kernel.dates import govuk_date
from improvement.plan.models import Action, Priority

CREATE, CHANGE, UNCHANGED, SECTION = "create", "change", "unchanged", "section"

STATUS_LABELS = dict(Action.Status.choices)
RAG_LABELS = {**dict(Action.Rag.choices), "blue": "Blue"}
IMPACT_LABELS = dict(Action.Impact.choices)


def date_label(day):
    """A date as the check page writes it (“31 March 2022”), or “none”."""
    return govuk_date(day) if day else "none"


@dataclass
class Change:
    """One field an import changes: its label, and the old and new values."""

    label: str
    old: str
    new: str


@dataclass
class Row(CheckedRow):
    """One row of the tracker, as checked."""

    number: int
    reference: str = ""
    title: str = ""
    outcome: str = ""
    action: Action | None = None
    priority_label: str = ""
    changes: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    new_owners: list = field(default_factory=list)
    unknown_owners: list = field(default_factory=list)
    updates: list = field(default_factory=list)
    # What saving sets: field name → value; links as sets of records.
    values: dict = field(default_factory=dict)
    links: dict = field(default_factory=dict)
    priority: object = None
    #: Fields whose cells could not be read (already a problem).
    unread: set = field(default_factory=set)
    #: The row is an action of another plan (already a problem).
    elsewhere: bool = False


@dataclass
class NewPriority:
    number: int
    title: str
    record: Priority | None = None

    def __str__(self):
        return f"Priority {self.number}: {self.title}"


class CheckedImport(CheckedFile):
    """A checked file whose rows create, change or leave records unchanged:
    how many rows do each (a tracker's actions, a list's findings)."""

    @property
    def create_count(self):
        return self.count(CREATE)

    @property
    def change_count(self):
        return self.count(CHANGE)

    @property
    def unchanged_count(self):
        return self.count(UNCHANGED)


@dataclass
class Checked(CheckedImport):
    """A tracker checked against a plan: its rows and what saving would do."""

    plan: object
    name: str
    headings: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    new_priorities: list = field(default_factory=list)
    new_owners: dict = field(default_factory=dict)

    @property
    def unknown_owners(self):
        """Names of owners the file names that are not yet owners."""
        return sorted({name for row in self.rows for name in row.unknown_owners})

    @property
    def update_count(self):
        return sum(len(row.updates) for row in self.rows)

    @property
    def action_rows(self):
        return [row for row in self.rows if row.outcome != SECTION]

    @property
    def can_save(self):
        return not self.problem_count and bool(
            self.create_count
            or self.change_count
            or self.update_count
            or self.new_priorities
        )

    def fingerprint(self):
        """What saving would do, to compare on confirmation: a change to the
        plan's actions since the check changes it."""
        return [
            [
                row.number,
                row.outcome,
                row.action.pk if row.action else None,
                row.action.version if row.action else None,
                [[c.label, c.new] for c in row.changes],
                len(row.updates),
            ]
            for row in self.rows
        ]
