"""The plan app's querysets: what each list of plans and actions asks for.

Kept apart from the models they serve, which name them with ``as_manager()``;
the methods reach the models through ``self.model``.
"""

import datetime

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone

from improvement.kernel.permissions import (
    VisibleQuerySet,
    can_view_actions,
    can_view_plans,
)


class PlanQuerySet(VisibleQuerySet):
    """Plans: who may see them, and what each answers."""

    view_rule = staticmethod(can_view_plans)

    def with_has_sources(self):
        """Annotate ``has_sources``: does the plan say what it answers?

        A plan that names no inspection, visit or review answers no finding,
        and its pages say so. Two ``EXISTS`` subqueries: no query of their own.
        """
        return self.annotate(
            has_sources=Exists(
                self.model.inspections.through.objects.filter(plan_id=OuterRef("pk"))
            )
            | Exists(self.model.visits.through.objects.filter(plan_id=OuterRef("pk")))
        )


class ActionQuerySet(VisibleQuerySet):
    """Chainable filters and loading strategies for actions."""

    view_rule = staticmethod(can_view_actions)

    def _updates(self):
        """Progress updates (of the model that holds this queryset's actions)."""
        return self.model._meta.get_field("progress_updates").related_model.objects

    def open(self):
        """Actions still to be delivered (not delivered and not withdrawn)."""
        return self.exclude(status__in=self.model.CLOSED_STATUSES)

    def overdue(self, on=None):
        """Open actions whose current due date has passed."""
        on = on or timezone.localdate()
        return self.open().filter(due_date__lt=on)

    def slipped(self):
        """Actions whose current due date is later than the original one."""
        return self.filter(due_date__gt=F("original_due_date"))

    def due_between(self, start, end):
        return self.filter(due_date__gte=start, due_date__lte=end)

    def for_user(self, user):
        """Actions the user leads or supports, through their owner record.

        Two indexed lookups (the owner's led actions, and the supporting
        links' action ids), not a join through every supporting link that
        then needs DISTINCT."""
        supporting = self.model.supporting_owners.through._default_manager
        return self.filter(
            Q(lead_owner__user=user)
            | Q(pk__in=supporting.filter(owner__user=user).values("action_id"))
        )

    def with_shown_rag(self, values):
        """Actions whose RAG, as shown (``Action.shown_rag``), is one of ``values``."""
        return self.alias(shown_rag=self.model.shown_rag_expression()).filter(
            shown_rag__in=list(values)
        )

    def with_last_update(self):
        """Annotate ``last_update_date``: the date of the latest progress update."""
        latest = (
            self._updates()
            .filter(action=OuterRef("pk"))
            .order_by("-update_date", "-pk")
            .values("update_date")[:1]
        )
        return self.annotate(last_update_date=Subquery(latest))

    def stale(self, on=None, days=None):
        """Open actions with no progress update in the last ``days`` days.

        An action that has never had an update is stale once it is ``days`` old
        (counted from its start date, or from when it was added).
        """
        on = on or timezone.localdate()
        days = settings.STALE_AFTER_DAYS if days is None else days
        cutoff = on - datetime.timedelta(days=days)
        recent = self._updates().filter(action=OuterRef("pk"), update_date__gt=cutoff)
        return (
            self.open()
            .filter(Q(start_date__isnull=True) | Q(start_date__lte=cutoff))
            .filter(created_at__date__lte=cutoff)
            .exclude(Exists(recent))
        )

    def orphans(self):
        """Actions that answer no finding."""
        through = self.model.findings.through
        return self.exclude(Exists(through.objects.filter(action_id=OuterRef("pk"))))

    def for_list(self):
        """What the actions register shows for each row, in a fixed query count."""
        return self.select_related("plan", "priority", "lead_owner").with_last_update()

    def in_reference_order(self):
        """By plan, priority and reference read naturally: 2.9 before 2.10."""
        return self.order_by(*self.model.REFERENCE_ORDER)

    def with_signals(self, on=None):
        """Annotate ``flag_overdue`` and ``flag_stale``, judged on ``on`` (today).

        Exactly ``overdue()`` and ``stale()``, as EXISTS subqueries, so a list
        can flag each row in the query that loads it.
        """
        return self.annotate(
            flag_overdue=Exists(
                self.model.objects.overdue(on).filter(pk=OuterRef("pk"))
            ),
            flag_stale=Exists(self.model.objects.stale(on).filter(pk=OuterRef("pk"))),
        )
