"""The plan's actions as the board sees them: now, or as they stood at a date.

Nothing here renders or reads a request.

Two loaders return the same thing, a list of ``ActionState``: one row per
action with what the board needs to know about it.

* ``current_states(plan)`` reads the actions as they are now.
* ``states_as_at(plan, when)`` rebuilds them as they stood at the moment
  ``when``, from the actions' history: each action's latest history row at or
  before ``when`` (skipped when that row is a deletion), the findings that row
  linked, and the progress updates recorded by then.

Both issue a fixed number of queries, however many actions the plan has, and
never read a history table whole: each action's latest row is chosen by a
correlated subquery on the history's object id and date, run once per action.

Progress updates belong to the plan their action was in when each was
recorded (``updates_in_plan``), and name the action as it was then
(``action_then``): an action moved to another plan leaves its earlier updates
where they were. Both read the action's history row in force at a moment
(``history_in_force``), the same rule that rebuilds the plan as at a date.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import (
    F,
    OuterRef,
    Subquery,
)
from django.urls import reverse
from django.utils import timezone

from findings.models import Finding, answered_by_plan, ever_answered_by_plan
from improvement.board.periods import local_date
from improvement.board.plan_history import (
    action_then,
    historical_through,
    plan_actions,
    updates_in_plan,
)
from improvement.kernel.history_at import latest_history
from improvement.kernel.ordering import natural_key
from improvement.plan.delivery import DeliverySignals
from improvement.plan.models import Action, Owner, Priority, ProgressUpdate
from improvement.plan.values import ActionValues

#: How many progress updates the dashboard lists.
LATEST_UPDATES = 10

#: Delivery statuses in the order every figure shows them.
STATUS_ORDER = (
    Action.Status.NOT_STARTED,
    Action.Status.IN_PROGRESS,
    Action.Status.PAUSED,
    Action.Status.DELIVERED,
    Action.Status.WITHDRAWN,
)
STATUS_LABELS = dict(Action.Status.choices)

#: RAG values in the order every figure shows them (``Action.ShownRag``).
#: Blue is delivered; "not_assessed" is an action nobody has assessed yet.
#: Withdrawn actions have no RAG, so figures leave them out.
RAG_ORDER = tuple(v for v in Action.ShownRag.values if v != Action.ShownRag.NONE)
RAG_LABELS = dict(Action.ShownRag.choices)
BLUE = Action.ShownRag.BLUE


@dataclass
class ActionState(ActionValues, DeliverySignals):
    """One action as it stood on ``on``: now, or at a past date.

    The derived signals (overdue, slipped, orphan, stale) are judged against
    ``on``, so a past state reads exactly as the board saw it that day.
    """

    CLOSED_STATUSES = Action.CLOSED_STATUSES

    id: int
    reference: str
    title: str
    plan_id: int
    priority_id: int
    priority_number: int | None
    priority_title: str
    lead_owner_id: int | None
    lead_owner_name: str
    status: str
    rag: str
    impact: str
    start_date: datetime.date | None
    due_date: datetime.date
    original_due_date: datetime.date
    on: datetime.date
    created_on: datetime.date | None = None
    finding_ids: set = field(default_factory=set)
    last_update_date: datetime.date | None = None

    # Labels -------------------------------------------------------------

    @property
    def shown_rag(self):
        """The RAG as every figure shows it (``Action.shown_rag``)."""
        return Action.shown_rag(self.status, self.rag)

    @property
    def sort_key(self):
        """Reference order (``Action.REFERENCE_ORDER`` within one plan).

        For states rebuilt from history, which keeps no stored sort key; the
        same ``natural_key`` as the database's ``sort_key`` column.
        """
        return (self.priority_number or 0, natural_key(self.reference), self.id)

    # Derived signals (``DeliverySignals`` gives is_open and slipped_days) --

    @property
    def is_delivered(self):
        return self.status == Action.Status.DELIVERED

    @property
    def counts_for_rag(self):
        """Withdrawn actions have no RAG worth counting."""
        return self.status != Action.Status.WITHDRAWN

    @property
    def is_overdue(self):
        return self.overdue_on(self.on)

    @property
    def days_overdue(self):
        return (self.on - self.due_date).days if self.is_overdue else 0

    @property
    def days_until_due(self):
        return (self.due_date - self.on).days

    @property
    def is_orphan(self):
        """Answers no finding."""
        return not self.finding_ids

    @property
    def is_red(self):
        return self.is_open and self.rag == Action.Rag.RED

    def is_due_within(self, days):
        """Open and due between ``on`` and ``days`` days later, inclusive."""
        return (
            self.is_open
            and self.on <= self.due_date <= self.on + datetime.timedelta(days=days)
        )

    def is_stale(self, days=None):
        """Open with no progress update in the ``days`` days to ``on``.

        Follows ``ActionQuerySet.stale``: an action that has never had an
        update is stale once it is ``days`` old (counted from its start date,
        and from when it was added).
        """
        days = settings.STALE_AFTER_DAYS if days is None else days
        if not self.is_open:
            return False
        cutoff = self.on - datetime.timedelta(days=days)
        if self.start_date is not None and self.start_date > cutoff:
            return False
        if self.created_on is not None and self.created_on > cutoff:
            return False
        return self.last_update_date is None or self.last_update_date <= cutoff


@dataclass(frozen=True)
class FindingRef:
    """A finding the plan must answer, for lists of unanswered findings."""

    id: int
    reference: str
    title: str
    kind: str

    @property
    def kind_label(self):
        return dict(Finding.Kind.choices).get(self.kind, self.kind)

    def get_absolute_url(self):
        return reverse("findings:finding_detail", args=[self.id])


# ---------------------------------------------------------------------------
# Loading states
# ---------------------------------------------------------------------------


def current_states(plan):
    """Every action of ``plan`` as it is now. Two queries, reading only the
    columns a state holds (no model objects: the board's pages read
    hundreds)."""
    today = timezone.localdate()
    rows = (
        Action.objects.filter(plan=plan)
        .with_last_update()
        .order_by("priority__number", "sort_key", "pk")
        .values(
            *(f for f in _STATE_FIELDS if f != "history_id"),
            "created_at",
            "last_update_date",
            priority_number=F("priority__number"),
            priority_title=F("priority__title"),
            lead_owner_name=F("lead_owner__name"),
        )
    )
    through = Action.findings.through
    links = {}
    for action_id, finding_id in through.objects.filter(action__plan=plan).values_list(
        "action_id", "finding_id"
    ):
        links.setdefault(action_id, set()).add(finding_id)
    states = []
    for row in rows:
        created_at = row.pop("created_at")
        states.append(
            ActionState(
                **row,
                on=today,
                created_on=local_date(created_at) if created_at else None,
                finding_ids=links.get(row["id"], set()),
            )
        )
    return states


_STATE_FIELDS = (
    "history_id",
    "id",
    "reference",
    "title",
    "plan_id",
    "priority_id",
    "lead_owner_id",
    "status",
    "rag",
    "impact",
    "start_date",
    "due_date",
    "original_due_date",
)


def states_as_at(plan, when, *, actions=None):
    """Every action of ``plan`` as it stood at the moment ``when``.

    Rebuilt from history: statuses, RAG, impact, due dates, owner, priority
    and the findings answered are those of each action's latest history row
    at or before ``when``; the last update is the latest progress update
    recorded by then. Names of owners and priorities are today's. Three
    queries, whatever the size of the plan; two when ``actions``
    (``plan_actions``) are given.
    """
    on = local_date(when)
    rows = _rows_as_at(
        plan, when, on, plan_actions(plan) if actions is None else actions
    )
    if not rows:
        return []
    links = _links_by_history_row(rows)
    states = [
        _state_from_row(row, on=on, finding_ids=links.get(row["history_id"], set()))
        for row in rows
    ]
    states.sort(key=lambda s: s.sort_key)
    return states


def _rows_as_at(plan, when, on, actions):
    """Each action's latest history row at or before ``when``, for those then
    in ``plan``: dicts of ``_STATE_FIELDS``, the action's ``created_at``,
    today's names of its lead owner and priority, and the date of its latest
    progress update recorded by ``when`` and dated on or before ``on``. One
    query."""
    created = Action.objects.filter(pk=OuterRef("id")).values("created_at")[:1]
    owner = Owner.objects.filter(pk=OuterRef("lead_owner_id")).order_by()
    priority = Priority.objects.filter(pk=OuterRef("priority_id")).order_by()
    last_update = (
        ProgressUpdate.objects.filter(
            action_id=OuterRef("id"), update_date__lte=on, created_at__lte=when
        )
        .order_by("-update_date")
        .values("update_date")[:1]
    )
    return list(
        latest_history(Action, when, actions.ids)
        .filter(plan_id=plan.pk)
        .annotate(
            created_at=Subquery(created),
            lead_owner_name=Subquery(owner.values("name")[:1]),
            priority_number=Subquery(priority.values("number")[:1]),
            priority_title=Subquery(priority.values("title")[:1]),
            last_update_date=Subquery(last_update),
        )
        .values(
            *_STATE_FIELDS,
            "created_at",
            "lead_owner_name",
            "priority_number",
            "priority_title",
            "last_update_date",
        )
    )


def _state_from_row(row, *, on, finding_ids):
    """The ``ActionState`` of one history row (``_rows_as_at``) on ``on``."""
    created_at = row["created_at"]
    return ActionState(
        id=row["id"],
        reference=row["reference"],
        title=row["title"],
        plan_id=row["plan_id"],
        priority_id=row["priority_id"],
        priority_number=row["priority_number"],
        priority_title=row["priority_title"] or "",
        lead_owner_id=row["lead_owner_id"],
        lead_owner_name=row["lead_owner_name"] or "(removed owner)",
        status=row["status"],
        rag=row["rag"],
        impact=row["impact"],
        start_date=row["start_date"],
        due_date=row["due_date"],
        original_due_date=row["original_due_date"],
        on=on,
        created_on=local_date(created_at) if created_at else None,
        finding_ids=finding_ids,
        last_update_date=row["last_update_date"],
    )


def _links_by_history_row(rows):
    """The findings each action history row linked, by history id: one query."""
    through = historical_through(Action, "findings")
    links = {}
    for history_id, finding_id in through._default_manager.filter(
        history_id__in=[row["history_id"] for row in rows]
    ).values_list("history_id", "finding_id"):
        links.setdefault(history_id, set()).add(finding_id)
    return links


def findings_to_answer(plan, when=None):
    """Findings the plan must answer: its sources' findings, strengths left out.

    The plan's sources are the inspections, visits and reviews it says it
    answers now (``answered_by_plan``); a plan that names none answers none.
    Now, or as they stood at ``when`` (findings recorded by then, with the
    kind and source they had). One query now, two for a past moment.
    """
    sources = answered_by_plan(plan)
    if when is None:
        rows = Finding.objects.in_reference_order()
    else:
        rows = latest_history(Finding, when, ever_answered_by_plan(plan))
    rows = (
        rows.filter(sources)
        .exclude(kind=Finding.Kind.STRENGTH)
        .values_list("id", "reference", "title", "kind")
    )
    findings = [FindingRef(*row) for row in rows]
    if when is not None:
        # History rows keep no sort key (it only repeats the reference).
        findings.sort(key=lambda f: (natural_key(f.reference), f.id))
    return findings


def latest_updates(plan, when=None, limit=LATEST_UPDATES, *, actions=None):
    """The newest progress updates on the plan's actions, recorded by ``when``.

    Each update counts in the plan its action was in when it was recorded
    (``updates_in_plan``). Returns ``ProgressUpdate`` objects with their
    action and author loaded, and ``action_reference`` and ``action_title``:
    the action's reference and title when the update was recorded. One
    query, and one more for ``plan_actions`` unless ``actions`` are given.
    """
    updates = updates_in_plan(ProgressUpdate.objects.all(), plan, actions=actions)
    if when is not None:
        updates = updates.filter(
            update_date__lte=local_date(when), created_at__lte=when
        )
    updates = updates.annotate(
        action_reference=action_then("reference"),
        action_title=action_then("title"),
    ).select_related("action", "author")
    return list(updates.order_by("-update_date", "-pk")[:limit])
