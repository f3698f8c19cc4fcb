"""An action's values held as plain data, shown as the action shows them.

The board's states as at a date (``improvement.board.states.ActionState``)
and what an imported tracker stated (``improvement.imports.as_stated``) hold
an action's values rebuilt from its history, not the action itself. Both
show them the same way through ``ActionValues``.
"""

from improvement.kernel.links import record_url
from improvement.plan.models.actions import Action, ShownRag

STATUS_LABELS = dict(Action.Status.choices)


class ActionValues(ShownRag):
    """Labels and the link of an action held as plain data: needs ``id``,
    ``status``, ``rag`` and ``priority_number``."""

    @property
    def status_label(self):
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def priority_label(self):
        if self.priority_number is None:
            return "No priority"
        return f"Priority {self.priority_number}"

    def get_absolute_url(self):
        return record_url("improvement:action_detail", self.id)
