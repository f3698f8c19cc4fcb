"""Saving a checked tracker once the manager confirms.

``save`` writes a ``Checked`` tracker, inside the caller's transaction, as
the manager (``acting_as``) with the reason “Imported from <file name>”: the
new owners and priorities first, then each row's action, its links and its
progress updates, and a ``PlanImport`` noting what was done.
"""

from improvement.imports.models import PlanImport
from improvement.imports.results import CHANGE, CREATE, NewPriority
from improvement.kernel.history import acting_as
from improvement.plan.models import Action, Owner, Priority, ProgressUpdate


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
    """An owner a row names: a stored one, or one just created (by key)."""
    return owners[value] if isinstance(value, str) else value


def _save_row(row, plan, owners, reason, record):
    values = dict(row.values)
    if "lead_owner" in values:
        values["lead_owner"] = _owner(values["lead_owner"], owners)
    priority = row.priority
    if isinstance(priority, NewPriority):
        priority = priority.record
    if row.action is None:
        action = _create_action(row, plan, priority, values, reason)
        record.created += 1
    else:
        action = row.action
        if _change_action(row, priority, values, reason):
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


def _create_action(row, plan, priority, values, reason):
    action = Action(plan=plan, reference=row.reference, priority=priority, **values)
    action._change_reason = reason
    action.save()
    return action


def _change_action(row, priority, values, reason):
    """Set the row's values on its action and save it if anything changed;
    True when it was saved."""
    action = row.action
    for name, value in values.items():
        setattr(action, name, value)
    if priority is not None:
        action.priority = priority
    links_changed = bool(row.links)
    if not (row.changes or links_changed):
        return False
    action._change_reason = reason
    action.save_if_current(action.version, related_changed=links_changed)
    return True
