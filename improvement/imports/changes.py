"""What importing a checked row would change in the action it names.

``outcome`` compares a row that has no problems with its stored action: it
sets the row's ``outcome`` (create, change or unchanged), lists each field
that differs as a ``Change`` (old and new, as the check page shows them),
and drops from what saving sets every value that is already stored.
"""

import datetime

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from improvement.imports.results import (
    CHANGE,
    CREATE,
    IMPACT_LABELS,
    RAG_LABELS,
    STATUS_LABELS,
    UNCHANGED,
    Change,
    date_label,
)
from improvement.plan.models import Owner

#: Fields of text or dates an import may change, and their labels.
_TEXT_LABELS = {
    "title": "Title",
    "description": "Description",
    "success_measure": "What good looks like",
    "start_date": "Start date",
    "due_date": "Current due date",
}
#: Fields of choices an import may change: their labels and choices' labels.
_CHOICE_LABELS = {
    "status": ("Delivery status", STATUS_LABELS),
    "rag": ("RAG", RAG_LABELS),
    "impact": ("Impact", IMPACT_LABELS),
}


def outcome(checker, row, action):
    """Set the outcome of ``row`` (checked by ``checker``, a
    ``RowChecker``) against ``action``, its stored action or None."""
    if action is None:
        row.outcome = CREATE
        return
    _text_changes(row, action)
    if row.priority is not None:
        row.changes.append(Change("Priority", str(action.priority), str(row.priority)))
    _lead_change(checker, row, action)
    _choice_changes(row, action)
    for name in ("status_reason", "impact_evidence"):
        if name in row.values and row.values[name] == getattr(action, name):
            row.values.pop(name)
    state = checker.state
    _link_change(
        row,
        ("supporting_owners", "Supporting leads"),
        state.supporting.get(action.pk, set()),
        lambda pk: state.owners_by_pk[pk].name,
        lambda owner: _owner_name(checker, owner),
    )
    _link_change(
        row,
        ("findings", "Findings answered"),
        state.findings_of.get(action.pk, set()),
        state.finding_references.get,
        lambda finding: finding.reference,
    )
    row.outcome = CHANGE if row.changes or row.updates else UNCHANGED


def _comparable(text):
    """A text as compared: without the control characters a workbook cannot
    hold (a line break pasted from Word), its line endings' kind (“\r\n”
    from a form, “\n” from a workbook) or space at either end."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return "\n".join(text.strip().splitlines())


def same(old, new):
    """Whether a stored value and the file's are the same (texts compared
    as ``_comparable`` says)."""
    if isinstance(old, str) and isinstance(new, str):
        return _comparable(old) == _comparable(new)
    return old == new


def _text_changes(row, action):
    values = row.values
    for name, label in _TEXT_LABELS.items():
        if name in values and not same(getattr(action, name), values[name]):
            old, new = getattr(action, name), values[name]
            if isinstance(new, datetime.date) or isinstance(old, datetime.date):
                old, new = date_label(old), date_label(new)
            row.changes.append(Change(label, old or "none", new))
        else:
            values.pop(name, None)


def _lead_change(checker, row, action):
    lead = row.values.get("lead_owner")
    if lead is not None and lead != action.lead_owner:
        row.changes.append(
            Change("Lead officer", action.lead_owner.name, _owner_name(checker, lead))
        )
    else:
        row.values.pop("lead_owner", None)


def _choice_changes(row, action):
    values = row.values
    for name, (label, labels_of) in _CHOICE_LABELS.items():
        if name in values and values[name] != getattr(action, name):
            row.changes.append(
                Change(label, labels_of[getattr(action, name)], labels_of[values[name]])
            )
        else:
            values.pop(name, None)


def _owner_name(checker, owner):
    """The name of a stored owner, or of one the import would create."""
    return owner.name if isinstance(owner, Owner) else checker.new_owners[owner]


def _link_change(row, link, stored_ids, stored_name, wanted_name):
    """Note a change to the records ``link`` (``(name, label)``) joins the
    action to, or drop it from what saving sets when it changes nothing.
    ``stored_name`` names a stored record by its id, ``wanted_name`` one the
    row names."""
    name, label = link
    if name not in row.links:
        return
    wanted = row.links[name]
    wanted_ids = {getattr(item, "pk", item) for item in wanted}
    if wanted_ids == stored_ids:
        del row.links[name]
        return
    old = sorted(str(stored_name(pk)) for pk in stored_ids)
    new = sorted(str(wanted_name(item)) for item in wanted)
    row.changes.append(
        Change(label, "; ".join(old) or "none", "; ".join(new) or "none")
    )
