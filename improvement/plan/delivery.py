"""What an action's status and dates say about its delivery on a given day.

One definition for the action itself (``Action``) and for the board's states
rebuilt from history (``improvement.board.states.ActionState``). Their SQL
twins are ``ActionQuerySet.open()``, ``overdue()`` and ``slipped()``, for
filters; tests check that both give the same answers.
"""


class DeliverySignals:
    """Mixin for anything with ``status``, ``due_date``, ``original_due_date``
    and a ``CLOSED_STATUSES`` tuple."""

    @property
    def is_open(self):
        """Still to be delivered: neither delivered nor withdrawn."""
        return self.status not in self.CLOSED_STATUSES

    def overdue_on(self, day):
        """Open, and its current due date was before ``day``."""
        return self.is_open and self.due_date is not None and self.due_date < day

    @property
    def slipped_days(self):
        """How many days the current due date is later than the original."""
        if self.due_date and self.original_due_date:
            return max((self.due_date - self.original_due_date).days, 0)
        return 0

    @property
    def is_slipped(self):
        return self.slipped_days > 0
