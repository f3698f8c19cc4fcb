"""The plan's history as the board reads it, without reading a table whole.

``action_then`` reads an action as it stood when a row was recorded against
it, by the kernel's one rule of "an object as it stood at a moment"
(``improvement.kernel.history_at``).
``plan_actions`` tells the actions that never left a plan from those that
moved, so ``updates_in_plan`` counts each progress update in the plan its
action was in when it was recorded: a later move rewrites nothing.
"""

from dataclasses import dataclass

from django.db.models import (
    Count,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce

from improvement.kernel.history import m2m_history_relation
from improvement.kernel.history_at import history_in_force
from improvement.plan.models import Action


def action_then(name, *, action="action_id", when="created_at"):
    """The field ``name`` of an action as it stood when a row was recorded.

    For a queryset of rows that point at an action (``action``, a field of
    the row) and carry the moment they were recorded (``when``:
    ``created_at`` on progress updates, ``history_date`` on their history),
    the value ``name`` (``plan_id``, ``reference``, ``title``…) had in the
    action's history row in force at that moment. A row recorded before
    the action's first history row (data brought in from elsewhere) takes
    that first row. A correlated subquery on the action history's id and
    date: no query of its own, and no history table read whole.
    """
    in_force = history_in_force(Action, OuterRef(action), OuterRef(when))
    first = Action.history.model._default_manager.filter(id=OuterRef(action)).order_by(
        "history_date", "history_id"
    )
    return Coalesce(
        Subquery(in_force.values(name)[:1]), Subquery(first.values(name)[:1])
    )


@dataclass(frozen=True)
class PlanActions:
    """Ids of every action that has ever been in a plan, in two sets.

    ``stayed`` have never been in any other plan, so everything recorded
    against them belongs to this plan. ``moved`` have been in another plan
    too at some time, so what was recorded against them belongs to the plan
    they were in at that moment.
    """

    plan_id: int
    stayed: frozenset
    moved: frozenset

    @property
    def ids(self):
        """Every action ever in the plan."""
        return self.stayed | self.moved


def plan_actions(plan):
    """The actions ever in ``plan``, as ``PlanActions``: one query.

    Reads the history rows of those actions only (through the history's
    plan and id indexes), never a history table whole.
    """
    history = Action.history.model._default_manager
    rows = (
        history.filter(id__in=history.filter(plan_id=plan.pk).values("id"))
        .values("id")
        .annotate(plans=Count("plan_id", distinct=True))
        .order_by()
        .values_list("id", "plans")
    )
    stayed, moved = set(), set()
    for action_id, plans in rows:
        (stayed if plans == 1 else moved).add(action_id)
    return PlanActions(plan.pk, frozenset(stayed), frozenset(moved))


def updates_in_plan(updates, plan, *, when="created_at", actions=None):
    """The progress updates in ``updates`` recorded while their action was in
    ``plan``.

    ``updates`` are progress updates (``when="created_at"``) or their history
    rows (``when="history_date"``). An action moved from one plan to another
    leaves the updates recorded before the move in the plan it left, so no
    date's figures, lists or changes are rewritten by a later move.

    ``actions`` is ``plan_actions(plan)`` when the caller has it already;
    otherwise it is read here (one query). Updates on actions that never
    left the plan are picked by id alone; only those on actions that moved
    are checked against the plan their action was in at their moment
    (``action_then``), so the cost does not grow with the plan's history.
    """
    actions = plan_actions(plan) if actions is None else actions
    in_plan = Q(action_id__in=actions.stayed)
    if actions.moved:
        updates = updates.alias(plan_then=action_then("plan_id", when=when))
        in_plan |= Q(action_id__in=actions.moved, plan_then=plan.pk)
    return updates.filter(in_plan)


def historical_through(model, field_name):
    """The historical model of ``model``'s many-to-many ``field_name`` links."""
    m2m_field = model._meta.get_field(field_name)
    return m2m_history_relation(model.history.model, m2m_field).related_model
