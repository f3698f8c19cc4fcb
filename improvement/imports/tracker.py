"""A tracker checked against a plan, and saved once the manager confirms.

``check`` reads an uploaded file's chosen sheet with its column mapping and
says, row by row, what importing it would do: create an action, change some
of its fields (each named, old and new), add progress updates, create
priorities and (when asked) owners, or nothing; and every problem, by row and
column, in plain words. It writes nothing, and issues the same few queries
however many rows the file has.

``save`` writes a checked tracker, inside the caller's transaction, as the
manager (``acting_as``) with the reason “Imported from <file name>”.

Rows are matched to the plan's actions by reference, so a newer copy of the
same tracker (or an edited download of the actions register) changes only
what differs. A blank cell changes nothing: it never clears a stored value.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from findings.models import Finding
from improvement.imports import reading
from improvement.imports.models import ColumnMapping, PlanImport
from improvement.kernel.history import acting_as
from improvement.plan.models import Action, Owner, Priority, ProgressUpdate

CREATE, CHANGE, UNCHANGED, SECTION = "create", "change", "unchanged", "section"

STATUS_LABELS = dict(Action.Status.choices)
RAG_LABELS = {**dict(Action.Rag.choices), "blue": "Blue"}
IMPACT_LABELS = dict(Action.Impact.choices)

#: The longest text each field holds.
LENGTHS = {"reference": 20, "title": 250, "owner": 150, "priority": 250}


def _key(text):
    return " ".join(str(text).split()).casefold()


def _date_label(day):
    return f"{day:%-d %B %Y}" if day else "none"


@dataclass
class Change:
    """One field an import changes: its label, and the old and new values."""

    label: str
    old: str
    new: str


@dataclass
class Row:
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

    @property
    def anchor(self):
        return f"row-{self.number}"

    def problem(self, column, text):
        self.problems.append((column, text))


@dataclass
class NewPriority:
    number: int
    title: str
    record: Priority | None = None

    def __str__(self):
        return f"Priority {self.number}: {self.title}"


@dataclass
class Checked:
    """A tracker checked against a plan: its rows and what saving would do."""

    plan: object
    name: str
    headings: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    new_priorities: list = field(default_factory=list)
    new_owners: dict = field(default_factory=dict)

    @property
    def row_problems(self):
        """Every problem of every row: ``(anchor, text)``, in row order."""
        return [
            (row.anchor, f"Row {row.number}, {column}: {text}")
            for row in self.rows
            for column, text in row.problems
        ]

    @property
    def problem_count(self):
        return len(self.problems) + sum(len(row.problems) for row in self.rows)

    @property
    def unknown_owners(self):
        """Names of owners the file names that are not yet owners."""
        return sorted({name for row in self.rows for name in row.unknown_owners})

    def count(self, outcome):
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def create_count(self):
        return self.count(CREATE)

    @property
    def change_count(self):
        return self.count(CHANGE)

    @property
    def unchanged_count(self):
        return self.count(UNCHANGED)

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


# ---------------------------------------------------------------------------
# Reading the sheet
# ---------------------------------------------------------------------------


def sheet_of(import_file):
    """The chosen sheet of an uploaded file (the first when none is chosen),
    and all the file's sheets. ``reading.ImportRefused`` for a bad file."""
    sheets = reading.read_file(import_file.name, bytes(import_file.data))
    chosen = next((s for s in sheets if s.name == import_file.sheet), None)
    return chosen or sheets[0], sheets


def headings_of(sheet):
    """The position of the heading row and its headings (“Column C” for an
    empty heading)."""
    header = reading.find_header(sheet)
    cells = sheet.rows[header][1] if sheet.rows else []
    width = sheet.width
    headings = []
    for index in range(width):
        text = cells[index].text if index < len(cells) else ""
        headings.append(str(text).strip() or f"Column {_letter(index)}")
    return header, headings


def _letter(index):
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def remember(plan, headings, mapping):
    """Keep the plan's column mapping for its next upload; history says who."""
    record, _ = ColumnMapping.objects.get_or_create(plan=plan)
    remembered = dict(record.headings)
    for heading, choice in zip(headings, mapping, strict=False):
        remembered[reading.heading_key(heading)] = choice
    if remembered != record.headings:
        record.headings = remembered
        record.save()


def remembered_mapping(plan):
    record = ColumnMapping.objects.filter(plan=plan).first()
    return record.headings if record else {}


# ---------------------------------------------------------------------------
# Checking
# ---------------------------------------------------------------------------


class _Plan:
    """What the plan holds now, loaded once: a fixed number of queries."""

    def __init__(self, plan, lock):
        actions = Action.objects.filter(plan=plan)
        if lock:
            actions = actions.select_for_update(of=("self",))
        self.actions = {
            _key(a.reference): a
            for a in actions.select_related("priority", "lead_owner")
        }
        ids = [a.pk for a in self.actions.values()]
        self.supporting = _links(Action.supporting_owners.through, ids, "owner")
        self.findings_of = _links(Action.findings.through, ids, "finding")
        self.priorities = list(Priority.objects.filter(plan=plan).order_by("number"))
        self.owners = {_key(o.name): o for o in Owner.objects.all()}
        self.owners_by_pk = {o.pk: o for o in self.owners.values()}
        self.findings = {_key(f.reference): f for f in Finding.objects.for_plan(plan)}
        self.findings_by_pk = {f.pk: f for f in self.findings.values()}
        self.recorded = set(
            ProgressUpdate.objects.filter(action__plan=plan).values_list(
                "action_id", "update_date", "narrative"
            )
        )
        self.recorded = {(a, d, _key(n)) for a, d, n in self.recorded}


def _links(through, ids, other):
    links = {}
    rows = through.objects.filter(action_id__in=ids).values_list(
        "action_id", f"{other}_id"
    )
    for action_id, other_id in rows if ids else ():
        links.setdefault(action_id, set()).add(other_id)
    return links


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
    mapping = list(import_file.mapping)[: len(headings)]
    columns = {}
    for index, choice in enumerate(mapping):
        if choice:
            columns.setdefault(choice, []).append(index)
    needed = {"reference": "the action's reference", "title": "the action's title"}
    for name, words in needed.items():
        if name not in columns:
            checked.problems.append(f"Choose the column that holds {words}")
    if checked.problems:
        return checked
    state = _Plan(plan, lock)
    context = _Context(checked, state, headings, columns, today, import_file)
    seen = {}
    for number, cells in sheet.rows[header + 1 :]:
        row = context.read(number, cells)
        if row is None:
            continue
        checked.rows.append(row)
        if row.outcome == SECTION:
            continue
        key = _key(row.reference)
        if key and key in seen:
            row.problem(
                "Reference",
                f"{row.reference} is also the reference of row {seen[key]}; give "
                "each action its own reference",
            )
        elif key:
            seen[key] = row.number
    if not checked.action_rows and not checked.problems:
        checked.problems.append("The sheet has headings but no actions under them")
    return checked


class _Context:
    """The state a check carries from row to row: the current section's
    priority, and the priorities and owners it would create."""

    def __init__(self, checked, state, headings, columns, today, import_file):
        self.checked = checked
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
        number, title = reading.section_priority(text)
        for priority in self.state.priorities:
            if number is not None and priority.number == number:
                return priority
            if number is None and _key(priority.title) == _key(title):
                return priority
        for new in self.new_priorities:
            if number is not None and new.number == number:
                return new
            if number is None and _key(new.title) == _key(title):
                return new
        if number is None:
            taken = [p.number for p in self.state.priorities] + [
                p.number for p in self.new_priorities
            ]
            number = max(taken, default=0) + 1
        new = NewPriority(number=number, title=title[: LENGTHS["priority"]])
        self.new_priorities.append(new)
        return new

    # Owners --------------------------------------------------------------

    def owner(self, row, name, column):
        key = _key(name)
        if key in self.state.owners:
            return self.state.owners[key]
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
        self._check(row, cells)
        return row

    def _check(self, row, cells):
        if not row.reference:
            row.problem(self.heading("reference"), "enter the action's reference")
        elif len(row.reference) > LENGTHS["reference"]:
            row.problem(
                self.heading("reference"),
                f"a reference must be {LENGTHS['reference']} characters or fewer",
            )
        action = self.state.actions.get(_key(row.reference)) if row.reference else None
        row.action = action
        new = action is None
        values, links = row.values, row.links

        # Priority: its own column, else the section row above.
        priority = None
        if "priority" in self.columns and self.text(cells, "priority"):
            priority = self.priority(self.text(cells, "priority"))
        elif self.section is not None:
            priority = self.section
        if priority is None and new:
            row.problem(
                "Priority",
                "no priority: add a priority column, or a row naming the priority "
                "above the action",
            )
        if priority is not None and (
            new or getattr(priority, "pk", None) != action.priority_id
        ):
            row.priority = priority
        row.priority_label = str(priority or (action.priority if action else ""))

        if row.title:
            if len(row.title) > LENGTHS["title"]:
                row.problem(
                    self.heading("title"),
                    f"the title must be {LENGTHS['title']} characters or fewer",
                )
            values["title"] = row.title
        elif new:
            row.problem(self.heading("title"), "enter the action's title")
        for name in ("description", "success_measure"):
            if name in self.columns and self.text(cells, name):
                values[name] = self.text(cells, name)
        notes = [
            f"{self.headings[i]}: {cells[i].text}"
            for i in self.columns.get("note", ())
            if i < len(cells) and cells[i].text != ""
        ]
        if notes:
            # Columns mapped to a note join the description, headed by name.
            description = values.get("description", "")
            values["description"] = "\n\n".join(
                [description, *notes] if description else notes
            )

        # Owners.
        lead_text = self.text(cells, "lead")
        if lead_text:
            values["lead_owner"] = self.owner(row, lead_text, self.heading("lead"))
        elif new:
            row.problem(
                self.heading("lead") if "lead" in self.columns else "Lead officer",
                "enter the lead officer",
            )
        supporting_text = self.text(cells, "supporting")
        if supporting_text:
            links["supporting_owners"] = {
                self.owner(row, name, self.heading("supporting"))
                for name in reading.split_list(supporting_text)
            }

        # Dates.
        for name in ("start_date", "due_date", "original_due_date"):
            if name in self.columns:
                day, problem = reading.parse_date(self.cell(cells, name).value)
                if problem:
                    row.problem(self.heading(name), problem)
                    row.unread.add(name)
                elif day:
                    values[name] = day
        self._check_dates(row, action)

        # Status, RAG and impact.
        if "status" in self.columns:
            status, problem = reading.parse_status(self.text(cells, "status"))
            if problem:
                row.problem(self.heading("status"), problem)
            elif status:
                values["status"] = status
        if "rag" in self.columns:
            rag, problem = reading.parse_rag(self.cell(cells, "rag"))
            if problem:
                row.problem(self.heading("rag"), problem)
            elif rag == "blue":
                # Blue is delivered: the RAG before delivery is kept.
                if values.get("status", Action.Status.DELIVERED) != "delivered":
                    row.problem(
                        self.heading("rag"),
                        "Blue means delivered, but the status says "
                        f"{STATUS_LABELS[values['status']].lower()}",
                    )
                values["status"] = Action.Status.DELIVERED
            elif rag or self.cell(cells, "rag").text:
                values["rag"] = rag
        if "impact" in self.columns:
            impact, problem = reading.parse_impact(self.text(cells, "impact"))
            if problem:
                row.problem(self.heading("impact"), problem)
            elif impact:
                values["impact"] = impact

        # Findings answered.
        findings_text = self.text(cells, "findings")
        if findings_text:
            found = set()
            for reference in reading.split_list(findings_text, commas=True):
                finding = self.state.findings.get(_key(reference))
                if finding is None:
                    row.problem(
                        self.heading("findings"),
                        f"there is no finding {reference} among the findings this "
                        "plan answers",
                    )
                else:
                    found.add(finding)
            links["findings"] = found

        self._check_updates(row, cells, action)
        self._check_reasons(row, action)
        if not row.problems:
            self._outcome(row, action)

    def _check_dates(self, row, action):
        values = row.values
        start = values.get("start_date", action.start_date if action else None)
        if action is not None:
            original = action.original_due_date
            given = values.pop("original_due_date", None)
            if given and given != original:
                row.problem(
                    "Original due date",
                    "the original due date never changes; it is "
                    f"{_date_label(original)}",
                )
            due = values.get("due_date", action.due_date)
        else:
            due = values.get("due_date") or values.get("original_due_date")
            original = values.get("original_due_date") or due
            if due is None and not row.unread & {"due_date", "original_due_date"}:
                row.problem("Due date", "enter the action's due date")
            values["original_due_date"] = original
            values["due_date"] = due
        if start and due and due < start:
            row.problem("Due date", "the due date must be on or after the start date")
        if start and original and original < start:
            row.problem(
                "Original due date",
                "the original due date must be on or after the start date",
            )

    def _check_updates(self, row, cells, action):
        date_column = self.columns.get("progress_date")
        given_date = None
        if date_column:
            given_date, problem = reading.parse_date(
                self.cell(cells, "progress_date").value
            )
            if problem:
                row.problem(self.heading("progress_date"), problem)
                return
        for index in self.columns.get("progress", ()):
            if index >= len(cells) or not cells[index].text:
                continue
            narrative = str(cells[index].text).strip()
            heading = self.headings[index]
            day = reading.heading_date(heading) or given_date or self.today
            if day > self.today:
                row.problem(
                    heading,
                    f"the update is dated {_date_label(day)}, which has not come yet",
                )
                continue
            if (
                action is not None
                and (action.pk, day, _key(narrative)) in self.state.recorded
            ):
                continue
            row.updates.append((day, narrative))
        row.updates.sort(key=lambda update: update[0])

    def _check_reasons(self, row, action):
        """Pausing or withdrawing needs a reason, and evidenced or embedded
        impact needs evidence: the latest progress update in the row gives
        them; without one the row cannot be imported."""
        values = row.values
        latest = row.updates[-1][1] if row.updates else ""
        status = values.get("status")
        if status in Action.STATUSES_NEEDING_REASON and (
            action is None or action.status != status
        ):
            if latest:
                values["status_reason"] = latest
            else:
                row.problem(
                    "Delivery status",
                    f"a {STATUS_LABELS[status].lower()} action needs a reason: give "
                    "it in the progress update",
                )
        impact = values.get("impact")
        if impact in Action.IMPACTS_NEEDING_EVIDENCE and not (
            action and action.impact_evidence
        ):
            if latest:
                values["impact_evidence"] = latest
            else:
                row.problem(
                    "Impact",
                    f"{IMPACT_LABELS[impact].lower()} impact needs evidence: give it "
                    "in the progress update",
                )

    def _outcome(self, row, action):
        if action is None:
            row.outcome = CREATE
            return
        values = row.values
        changes = row.changes
        labels = {
            "title": "Title",
            "description": "Description",
            "success_measure": "What good looks like",
            "start_date": "Start date",
            "due_date": "Current due date",
        }
        for name, label in labels.items():
            if name in values and values[name] != getattr(action, name):
                old, new = getattr(action, name), values[name]
                if isinstance(new, datetime.date) or isinstance(old, datetime.date):
                    old, new = _date_label(old), _date_label(new)
                changes.append(Change(label, old or "none", new))
            else:
                values.pop(name, None)
        if row.priority is not None:
            changes.append(Change("Priority", str(action.priority), str(row.priority)))
        lead = values.get("lead_owner")
        if lead is not None and lead != action.lead_owner:
            changes.append(
                Change("Lead officer", action.lead_owner.name, self._owner_name(lead))
            )
        else:
            values.pop("lead_owner", None)
        for name, labels_of in (
            ("status", STATUS_LABELS),
            ("rag", RAG_LABELS),
            ("impact", IMPACT_LABELS),
        ):
            if name in values and values[name] != getattr(action, name):
                label = {"status": "Delivery status", "rag": "RAG", "impact": "Impact"}
                changes.append(
                    Change(
                        label[name],
                        labels_of[getattr(action, name)],
                        labels_of[values[name]],
                    )
                )
            else:
                values.pop(name, None)
        for name in ("status_reason", "impact_evidence"):
            if name in values and values[name] == getattr(action, name):
                values.pop(name)
        self._link_change(
            row,
            "supporting_owners",
            "Supporting leads",
            self.state.supporting.get(action.pk, set()),
            self.state.owners_by_pk,
        )
        self._link_change(
            row,
            "findings",
            "Findings answered",
            self.state.findings_of.get(action.pk, set()),
            self.state.findings_by_pk,
        )
        row.outcome = CHANGE if changes or row.updates else UNCHANGED

    def _owner_name(self, owner):
        return owner.name if isinstance(owner, Owner) else self.new_owners[owner]

    def _link_change(self, row, name, label, stored_ids, by_pk):
        if name not in row.links:
            return
        wanted = row.links[name]
        wanted_ids = {getattr(item, "pk", item) for item in wanted}
        if wanted_ids == stored_ids:
            del row.links[name]
            return

        def words(items):
            names = sorted(
                self._owner_name(i) if name == "supporting_owners" else i.reference
                for i in items
            )
            return "; ".join(names) or "none"

        row.changes.append(
            Change(label, words(by_pk[pk] for pk in stored_ids), words(wanted))
        )


# ---------------------------------------------------------------------------
# Saving
# ---------------------------------------------------------------------------


def save(checked, *, user):
    """Write a checked tracker as ``user``; call inside a transaction, with
    ``check(..., lock=True)``. Returns the ``PlanImport`` noting it.

    Every history row names ``user`` and the reason “Imported from <file>”.
    Progress updates keep the dates the file gives them.
    """
    reason = f"Imported from {checked.name}"
    plan = checked.plan
    with acting_as(user):
        owners = {}
        for key, name in checked.new_owners.items():
            owner = Owner(name=name)
            owner._change_reason = reason
            owner.save()
            owners[key] = owner
        for new in checked.new_priorities:
            new.record = Priority(plan=plan, number=new.number, title=new.title)
            new.record._change_reason = reason
            new.record.save()
        record = PlanImport(plan=plan, name=checked.name, imported_by=user)
        for row in checked.rows:
            if row.outcome in (CREATE, CHANGE):
                _save_row(row, plan, owners, reason, record)
        record._change_reason = reason
        record.save()
    return record


def _owner(value, owners):
    return owners[value] if isinstance(value, str) else value


def _save_row(row, plan, owners, reason, record):
    values = dict(row.values)
    if "lead_owner" in values:
        values["lead_owner"] = _owner(values["lead_owner"], owners)
    priority = row.priority
    if isinstance(priority, NewPriority):
        priority = priority.record
    action = row.action
    if action is None:
        action = Action(
            plan=plan,
            reference=row.reference,
            priority=priority,
            **values,
        )
        action._change_reason = reason
        action.save()
        record.created += 1
        links_changed = False
    else:
        for name, value in values.items():
            setattr(action, name, value)
        if priority is not None:
            action.priority = priority
        links_changed = bool(row.links)
        if row.changes or links_changed:
            action._change_reason = reason
            action.save_if_current(action.version, related_changed=links_changed)
            record.changed += 1
    for name, items in row.links.items():
        targets = [_owner(item, owners) for item in items]
        action._change_reason = reason
        getattr(action, name).set(targets)
    for day, narrative in row.updates:
        update = ProgressUpdate(
            action=action,
            update_date=day,
            narrative=narrative,
            status=action.status,
            rag=action.rag,
        )
        update._change_reason = reason
        update.save()
        record.updates += 1
