"""Checking a tracker against a plan, before anything is saved.

``check`` reads an uploaded file's chosen sheet with its column mapping and
says, row by row, what importing it would do: create an action, change some
of its fields (each named, old and new), add progress updates, create
priorities and (when asked) owners, or nothing; and every problem, by row and
column, in plain words. It writes nothing, and issues the same few queries
however many rows the file has. ``save`` (in ``saving``) writes what it
found.

Here are ``check`` itself and the ``RowChecker`` that carries a check from
row to row; each field of a row is checked in ``fields``, and what a row
would change is worked out in ``changes``.

Rows are matched to the plan's actions by reference, so a newer copy of the
same tracker (or an edited download of the actions register) changes only
what differs. A blank cell changes nothing: it never clears a stored value.
"""

import datetime

from django.utils import timezone

from findings.models import Finding
from improvement.imports import changes, fields, reading
from improvement.imports.cells import section_priority
from improvement.imports.fields import LENGTHS
from improvement.imports.results import SECTION, Checked, NewPriority, Row
from improvement.imports.sheets import headings_of, sheet_of
from improvement.kernel.checked import name_key
from improvement.plan.models import Action, Owner, Priority, ProgressUpdate

#: The columns every tracker needs, and what they hold.
_NEEDED = {"reference": "the action's reference", "title": "the action's title"}


def check(import_file, *, lock=False, today=None):
    """Check ``import_file``'s chosen sheet with its mapping: a ``Checked``.

    Writes nothing. With ``lock`` the plan's actions are locked for the rest
    of the transaction, so a save sees no change between check and write.
    """
    today = today or timezone.localdate()
    plan = import_file.plan
    checked = Checked(plan=plan, name=import_file.name)
    try:
        sheet, _ = sheet_of(import_file)
    except reading.ImportRefused as refused:
        checked.problems.append(str(refused))
        return checked
    header, headings = headings_of(sheet)
    checked.headings = headings
    columns = _columns(import_file.mapping, headings)
    for name, words in _NEEDED.items():
        if name not in columns:
            checked.problems.append(f"Choose the column that holds {words}")
    if checked.problems:
        return checked
    checker = RowChecker(
        checked, _Plan(plan, lock), headings, columns, today, import_file
    )
    for number, cells in sheet.rows[header + 1 :]:
        row = checker.read(number, cells)
        if row is not None:
            checked.rows.append(row)
    _check_duplicates(checked.action_rows)
    if not checked.action_rows and not checked.problems:
        checked.problems.append("The sheet has headings but no actions under them")
    return checked


def _columns(mapping, headings):
    """``{field: [column index, ...]}`` from the mapping of the headings."""
    columns = {}
    for index, choice in enumerate(list(mapping)[: len(headings)]):
        if choice:
            columns.setdefault(choice, []).append(index)
    return columns


def _check_duplicates(rows):
    """Each action row's reference must be its own."""
    seen = {}
    for row in rows:
        if row.elsewhere:
            continue
        key = name_key(row.reference)
        if key and key in seen:
            row.problem(
                "Reference",
                f"{row.reference} is also the reference of row {seen[key]}; give "
                "each action its own reference",
            )
        elif key:
            seen[key] = row.number


class _Plan:
    """What the plan holds now, loaded once: a fixed number of queries."""

    def __init__(self, plan, lock):
        actions = Action.objects.filter(plan=plan)
        if lock:
            actions = actions.select_for_update(of=("self",))
        self.actions = {
            name_key(a.reference): a
            for a in actions.select_related("priority", "lead_owner")
        }
        ids = [a.pk for a in self.actions.values()]
        self.supporting = _links(Action.supporting_owners.through, ids, "owner")
        self.findings_of, self.finding_references = {}, {}
        links = Action.findings.through.objects.filter(action_id__in=ids)
        for action_id, finding_id, reference in (
            links.values_list("action_id", "finding_id", "finding__reference")
            if ids
            else ()
        ):
            self.findings_of.setdefault(action_id, set()).add(finding_id)
            self.finding_references[finding_id] = reference
        self.priorities = list(Priority.objects.filter(plan=plan).order_by("number"))
        # Owners of the same name in different organisations: a name names
        # every owner that has it.
        self.owners, self.owners_by_pk = {}, {}
        for owner in Owner.objects.all():
            self.owners.setdefault(name_key(owner.name), []).append(owner)
            self.owners_by_pk[owner.pk] = owner
        # An inspection and a later visit may each have an R1: a reference
        # names every finding of the plan that has it.
        self.findings = {}
        for finding in Finding.objects.for_plan(plan):
            self.findings.setdefault(name_key(finding.reference), []).append(finding)
        self.recorded = set(
            ProgressUpdate.objects.filter(action__plan=plan).values_list(
                "action_id", "update_date", "narrative"
            )
        )
        self.recorded = {(a, d, name_key(n)) for a, d, n in self.recorded}


def _links(through, ids, other):
    """``{action id: {linked id, ...}}`` for the actions ``ids``."""
    links = {}
    rows = through.objects.filter(action_id__in=ids).values_list(
        "action_id", f"{other}_id"
    )
    for action_id, other_id in rows if ids else ():
        links.setdefault(action_id, set()).add(other_id)
    return links


class RowChecker:
    """The state a check carries from row to row: the current section's
    priority, and the priorities and owners it would create."""

    def __init__(self, checked, state, headings, columns, today, import_file):
        self.checked = checked
        self.plan = checked.plan
        self.state = state
        self.headings = headings
        self.columns = columns
        self.today = today
        self.create_owners = import_file.create_owners
        self.section = None
        self.new_priorities = checked.new_priorities
        self.new_owners = checked.new_owners

    # Cells ---------------------------------------------------------------

    def cell(self, cells, name):
        indexes = self.columns.get(name)
        if not indexes or indexes[0] >= len(cells):
            return reading.Cell()
        return cells[indexes[0]]

    def text(self, cells, name):
        value = self.cell(cells, name).value
        if isinstance(value, datetime.date):
            return f"{value:%d/%m/%Y}"
        return (value or "").strip() if isinstance(value, str) else ""

    def heading(self, name):
        return self.headings[self.columns[name][0]]

    # Priorities ----------------------------------------------------------

    def priority(self, text):
        """The priority a cell or section row names, existing or new."""
        number, title = section_priority(text)
        for priority in [*self.state.priorities, *self.new_priorities]:
            if number is not None and priority.number == number:
                return priority
            if number is None and name_key(priority.title) == name_key(title):
                return priority
        if number is None:
            taken = [p.number for p in self.state.priorities] + [
                p.number for p in self.new_priorities
            ]
            number = max(taken, default=0) + 1
        new = NewPriority(number=number, title=title[: LENGTHS["priority"]])
        self.new_priorities.append(new)
        return new

    # Owners --------------------------------------------------------------

    def owner(self, row, name, column, linked=()):
        """The owner a cell names: stored, the key of one to create, or None
        (a problem). A name several owners share (in different organisations)
        names the one of them ``linked`` holds: the ids of the owners the
        action already has in that role."""
        key = name_key(name)
        named = self.state.owners.get(key, [])
        if len(named) > 1:
            named = [owner for owner in named if owner.pk in linked] or named
        if len(named) > 1:
            row.problem(
                column,
                f"“{name}” is the name of more than one owner; choose the owner "
                "on the action's page",
            )
            return None
        if named:
            return named[0]
        if len(name) > LENGTHS["owner"]:
            row.problem(
                column,
                f"an owner's name must be {LENGTHS['owner']} characters or fewer",
            )
            return None
        if self.create_owners:
            self.new_owners.setdefault(key, name)
            if name not in row.new_owners:
                row.new_owners.append(name)
            return key
        row.problem(column, f"“{name}” is not yet an owner")
        row.unknown_owners.append(name)
        return None

    # Rows ----------------------------------------------------------------

    def read(self, number, cells):
        """The row checked, or None for a row with nothing mapped in it."""
        reference = self.text(cells, "reference")
        title = self.text(cells, "title")
        filled = [c for c in cells if c.text != ""]
        if not filled:
            return None
        lone = filled[0].value if len(filled) == 1 else None
        if not title and isinstance(lone, str) and any(c.isalpha() for c in lone):
            # A row holding only words, such as “Priority 2: Practice”, names
            # the priority of the actions below it.
            priority = self.priority(lone)
            self.section = priority
            return Row(
                number=number,
                outcome=SECTION,
                priority=priority,
                priority_label=str(priority),
                title=lone,
            )
        if not reference and not title:
            if not any(
                self.text(cells, name) for name in self.columns if name != "note"
            ):
                return None
        row = Row(number=number, reference=reference, title=title)
        self.check_row(row, cells)
        return row

    def check_row(self, row, cells):
        """Check each field of an action row; then, when it has no problems,
        what importing it would do."""
        fields.check_plan(self, row, cells)
        if row.elsewhere:
            return
        action = fields.check_reference(self, row)
        fields.check_priority(self, row, cells, action)
        fields.check_texts(self, row, cells, action)
        fields.check_owners(self, row, cells, action)
        fields.check_dates(self, row, cells, action)
        fields.check_choices(self, row, cells)
        fields.check_findings(self, row, cells)
        fields.check_updates(self, row, cells, action)
        fields.check_reasons(row, action)
        if not row.problems:
            changes.outcome(self, row, action)
