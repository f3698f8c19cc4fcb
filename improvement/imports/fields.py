"""Checking each field of a tracker's action row.

Each ``check_…`` function reads one group of a row's cells through a
``RowChecker`` (``improvement.imports.tracker``), notes what saving would set
in ``row.values`` and ``row.links``, and every problem by column, in plain
words: the plan (a row of another plan is refused), the reference, priority,
title and texts, owners, dates, delivery status, RAG and impact, findings
answered, progress updates, and the reasons and evidence some statuses and
impacts need. A blank cell sets nothing.
"""

from improvement.imports.cells import (
    heading_date,
    parse_date,
    parse_impact,
    parse_rag,
    parse_status,
    split_list,
)
from improvement.imports.results import IMPACT_LABELS, STATUS_LABELS, date_label
from improvement.kernel.checked import name_key
from improvement.plan.models import Action

#: The longest text each field holds.
LENGTHS = {"reference": 20, "title": 250, "owner": 150, "priority": 250}


def check_plan(checker, row, cells):
    """A row naming another plan (the register downloaded for every plan)
    must not change this plan's action of the same reference: it is a
    problem, and nothing else of it is checked."""
    named = checker.text(cells, "plan")
    if named and name_key(named) != name_key(checker.plan.name):
        row.elsewhere = True
        row.problem(
            checker.heading("plan"),
            f"this row is an action of “{named}”, not of this plan; delete the "
            "row, or download the actions register of this plan alone",
        )


def check_reference(checker, row):
    """Check the row's reference; the action it names (None for a new one)."""
    if not row.reference:
        row.problem(checker.heading("reference"), "enter the action's reference")
    elif len(row.reference) > LENGTHS["reference"]:
        row.problem(
            checker.heading("reference"),
            f"a reference must be {LENGTHS['reference']} characters or fewer",
        )
    stored = checker.state.actions
    row.action = stored.get(name_key(row.reference)) if row.reference else None
    return row.action


def check_priority(checker, row, cells, action):
    """The priority: its own column, else the section row above."""
    priority = None
    if "priority" in checker.columns and checker.text(cells, "priority"):
        priority = checker.priority(checker.text(cells, "priority"))
    elif checker.section is not None:
        priority = checker.section
    if priority is None and action is None:
        row.problem(
            "Priority",
            "no priority: add a priority column, or a row naming the priority "
            "above the action",
        )
    if priority is not None and (
        action is None or getattr(priority, "pk", None) != action.priority_id
    ):
        row.priority = priority
    row.priority_label = str(priority or (action.priority if action else ""))


def check_texts(checker, row, cells, action):
    """The title, description and what good looks like; columns mapped to a
    note join the description, each headed by its column's heading."""
    values = row.values
    if row.title:
        if len(row.title) > LENGTHS["title"]:
            row.problem(
                checker.heading("title"),
                f"the title must be {LENGTHS['title']} characters or fewer",
            )
        values["title"] = row.title
    elif action is None:
        row.problem(checker.heading("title"), "enter the action's title")
    for name in ("description", "success_measure"):
        if name in checker.columns and checker.text(cells, name):
            values[name] = checker.text(cells, name)
    notes = [
        f"{checker.headings[i]}: {cells[i].text}"
        for i in checker.columns.get("note", ())
        if i < len(cells) and cells[i].text != ""
    ]
    if notes:
        description = values.get("description", "")
        values["description"] = "\n\n".join(
            [description, *notes] if description else notes
        )


def check_owners(checker, row, cells, action):
    """The lead officer and the supporting leads."""
    lead_text = checker.text(cells, "lead")
    if lead_text:
        row.values["lead_owner"] = checker.owner(
            row,
            lead_text,
            checker.heading("lead"),
            {action.lead_owner_id} if action else (),
        )
    elif action is None:
        row.problem(
            checker.heading("lead") if "lead" in checker.columns else "Lead officer",
            "enter the lead officer",
        )
    supporting_text = checker.text(cells, "supporting")
    if supporting_text:
        stored = checker.state.supporting.get(action.pk, ()) if action else ()
        row.links["supporting_owners"] = {
            checker.owner(row, name, checker.heading("supporting"), stored)
            for name in split_list(supporting_text)
        }


def check_dates(checker, row, cells, action):
    """The start, due and original due dates, each readable, in order."""
    for name in ("start_date", "due_date", "original_due_date"):
        if name in checker.columns:
            day, problem = parse_date(checker.cell(cells, name).value)
            if problem:
                row.problem(checker.heading(name), problem)
                row.unread.add(name)
            elif day:
                row.values[name] = day
    _check_date_order(row, action)


def _check_date_order(row, action):
    values = row.values
    start = values.get("start_date", action.start_date if action else None)
    if action is not None:
        original = action.original_due_date
        given = values.pop("original_due_date", None)
        if given and given != original:
            row.problem(
                "Original due date",
                f"the original due date never changes; it is {date_label(original)}",
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


def check_choices(checker, row, cells):
    """The delivery status, the RAG and the impact."""
    values = row.values
    if "status" in checker.columns:
        status, problem = parse_status(checker.text(cells, "status"))
        if problem:
            row.problem(checker.heading("status"), problem)
        elif status:
            values["status"] = status
    if "rag" in checker.columns:
        _check_rag(checker, row, checker.cell(cells, "rag"))
    if "impact" in checker.columns:
        impact, problem = parse_impact(checker.text(cells, "impact"))
        if problem:
            row.problem(checker.heading("impact"), problem)
        elif impact:
            values["impact"] = impact


def _check_rag(checker, row, cell):
    values = row.values
    rag, problem = parse_rag(cell)
    if problem:
        row.problem(checker.heading("rag"), problem)
    elif rag == "blue":
        # Blue is delivered: the RAG before delivery is kept.
        if values.get("status", Action.Status.DELIVERED) != "delivered":
            row.problem(
                checker.heading("rag"),
                "Blue means delivered, but the status says "
                f"{STATUS_LABELS[values['status']].lower()}",
            )
        values["status"] = Action.Status.DELIVERED
    elif rag or cell.text:
        values["rag"] = rag


def check_findings(checker, row, cells):
    """The findings the action answers, by reference, among the plan's.

    A reference several of the plan's findings share (an inspection's R1
    and a later visit's R1) names those of them the action already answers;
    it cannot link a new one, as it does not say which.
    """
    findings_text = checker.text(cells, "findings")
    if not findings_text:
        return
    stored = checker.state.findings_of.get(row.action.pk, set()) if row.action else ()
    found = set()
    for reference in split_list(findings_text, commas=True):
        named = checker.state.findings.get(name_key(reference), [])
        if len(named) > 1:
            named = [finding for finding in named if finding.pk in stored] or named
        if not named:
            row.problem(
                checker.heading("findings"),
                f"there is no finding {reference} among the findings this plan answers",
            )
        elif len(named) > 1 and not all(f.pk in stored for f in named):
            row.problem(
                checker.heading("findings"),
                f"{reference} is the reference of more than one finding this plan "
                "answers; link the action to the one it answers on the action's page",
            )
        else:
            found.update(named)
    row.links["findings"] = found


def check_updates(checker, row, cells, action):
    """The progress updates: one for each progress column with text, dated
    by its heading's month, the update date column, or today; those already
    recorded are left out."""
    given_date = None
    if checker.columns.get("progress_date"):
        given_date, problem = parse_date(checker.cell(cells, "progress_date").value)
        if problem:
            row.problem(checker.heading("progress_date"), problem)
            return
    for index in checker.columns.get("progress", ()):
        if index >= len(cells) or not cells[index].text:
            continue
        narrative = str(cells[index].text).strip()
        heading = checker.headings[index]
        day = heading_date(heading) or given_date or checker.today
        if day > checker.today:
            row.problem(
                heading,
                f"the update is dated {date_label(day)}, which has not come yet",
            )
            continue
        if (
            action is not None
            and (action.pk, day, name_key(narrative)) in checker.state.recorded
        ):
            continue
        row.updates.append((day, narrative))
    row.updates.sort(key=lambda update: update[0])


def check_reasons(row, action):
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
