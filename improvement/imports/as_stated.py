"""What a plan's tracker stated about a date before the plan was imported.

A page showing the plan as it stood on a date before its import from the
council's tracker finds nothing of the tracker in the service's records then.
``as_stated(imported, on)`` gives what the file itself said instead: the
actions that import created, each with the values the import wrote (read from
the action's creation row in history, so a later edit never shows here), and
the latest progress update the file gave dated on or before ``on``.

It is the tracker's account, kept apart from the plan as the service recorded
it: nothing here feeds the figures, the trend or "what changed", and the
status and RAG are those the file gave on the day of the import, not on
``on``. An action the file says started after ``on`` is left out and counted.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Subquery

from improvement.imports.models import PlanImport
from improvement.kernel.ordering import natural_key
from improvement.plan.models import Action, ProgressUpdate
from improvement.plan.values import ActionValues


@dataclass
class StatedAction(ActionValues):
    """One action as the tracker stated it, with its latest progress update
    dated on or before the date shown (or none)."""

    id: int
    reference: str
    title: str
    priority_number: int | None
    lead_owner_name: str
    start_date: datetime.date | None
    due_date: datetime.date
    original_due_date: datetime.date
    status: str
    rag: str
    #: False once the action has been deleted: it is then not linked.
    exists: bool = True
    update_date: datetime.date | None = None
    update_narrative: str = ""


@dataclass
class AsStated:
    """What the tracker of ``imported`` stated for the date ``on``."""

    imported: PlanImport
    on: datetime.date
    actions: list[StatedAction] = field(default_factory=list)
    #: How many actions the import created that the file says started after ``on``.
    left_out: int = 0

    def __bool__(self):
        return bool(self.actions or self.left_out)


def written_by(history, imported):
    """The rows of ``history`` (a simple-history manager) that the import
    ``imported`` wrote: by its manager, with its reason, from the moment the
    import began to the moment its own note was saved (the last thing an
    import saves)."""
    noted = PlanImport.history.filter(id=imported.pk, history_type="+").values(
        "history_date"
    )[:1]
    return history.filter(
        history_type="+",
        history_user_id=imported.imported_by_id,
        history_change_reason=f"Imported from {imported.name}",
        history_date__gte=imported.imported_at,
        history_date__lte=Subquery(noted),
    )


def as_stated(imported, on):
    """The actions ``imported`` (a ``PlanImport``) created, as its file stated
    them, with the latest progress update it gave dated on or before ``on``
    (a date). Two queries, however many actions: the actions' creation rows,
    then the progress updates the import added (none when no action is kept).
    """
    rows = (
        written_by(Action.history, imported)
        .filter(plan_id=imported.plan_id)
        .select_related("priority", "lead_owner")
        .annotate(exists=Exists(Action.objects.filter(pk=OuterRef("id"))))
    )
    result = AsStated(imported=imported, on=on)
    for row in rows:
        if row.start_date is not None and row.start_date > on:
            result.left_out += 1
            continue
        result.actions.append(
            StatedAction(
                id=row.id,
                reference=row.reference,
                title=row.title,
                priority_number=row.priority.number if row.priority else None,
                lead_owner_name=row.lead_owner.name if row.lead_owner else "",
                start_date=row.start_date,
                due_date=row.due_date,
                original_due_date=row.original_due_date,
                status=row.status,
                rag=row.rag,
                exists=row.exists,
            )
        )
    result.actions.sort(
        key=lambda a: (a.priority_number or 0, natural_key(a.reference), a.id)
    )
    if result.actions:
        _add_updates(result, imported, on)
    return result


def _add_updates(result, imported, on):
    """Give each action the latest update the import added dated on or before
    ``on``; the latest recorded wins between two of the same date."""
    by_id = {action.id: action for action in result.actions}
    updates = (
        written_by(ProgressUpdate.history, imported)
        .filter(update_date__lte=on)
        .order_by("action_id", "-update_date", "-history_id")
        .values_list("action_id", "update_date", "narrative")
    )
    for action_id, update_date, narrative in updates:
        action = by_id.get(action_id)
        if action is not None and action.update_date is None:
            action.update_date = update_date
            action.update_narrative = narrative
