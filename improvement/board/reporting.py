"""Figures for the Improvement Board: the plan now, as it stood, and over time.

Everything the dashboard, the "as at" register, the trend and the board pack
show is computed here, from a plan and a date. Nothing here renders or reads a
request.

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

Pure functions then turn a list of states into figures: ``summarise`` (the
headline figures and the exception lists) and ``by_priority``. ``trend``
counts statuses and RAG at the end of each month since the plan started, with
one aggregate query per month.

RAG on every figure is the RAG as shown (``Action.shown_rag``): a delivered
action shows Blue instead of its recorded RAG, an action nobody has assessed
counts as "Not assessed" (never as on track), and withdrawn actions are left
out of RAG counts (their confidence of delivery no longer means anything).
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from findings.models import Finding, answered_by_plan
from improvement.kernel.ordering import natural_key
from improvement.plan.models import Action, Owner, Priority, ProgressUpdate

#: How far ahead "due soon" looks, in days.
DUE_SOON_DAYS = 30

#: How many actions each "top" exception list shows (most slipped).
TOP_LIST_SIZE = 10

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


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------


def end_of_day(day):
    """The last moment of ``day`` in the site's time zone (Europe/London)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def local_date(when):
    """The date of ``when`` in the site's time zone."""
    return timezone.localdate(when)


def month_end(day):
    """The last day of the month that ``day`` falls in."""
    first_of_next = (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    return first_of_next - datetime.timedelta(days=1)


def month_ends(start, until):
    """The last day of each month from ``start``'s month to ``until``'s.

    The last entry is ``until`` itself when its month has not ended yet, so
    no date is in the future. Empty when ``until`` is before ``start``.
    """
    if until < start:
        return []
    ends = []
    day = month_end(start)
    while day < until:
        ends.append(day)
        day = month_end(day + datetime.timedelta(days=1))
    ends.append(until)
    return ends


# ---------------------------------------------------------------------------
# The state of one action
# ---------------------------------------------------------------------------


@dataclass
class ActionState:
    """One action as it stood on ``on``: now, or at a past date.

    The derived signals (overdue, slipped, orphan, stale) are judged against
    ``on``, so a past state reads exactly as the board saw it that day.
    """

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
    def status_label(self):
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def rag_label(self):
        """The RAG recorded ("Not assessed" when blank)."""
        return dict(Action.Rag.choices).get(self.rag, self.rag)

    @property
    def shown_rag(self):
        """The RAG as every figure shows it (``Action.shown_rag``)."""
        return Action.shown_rag(self.status, self.rag)

    @property
    def display_rag(self):
        """The RAG to show as a tag value; empty for a withdrawn action."""
        return Action.rag_tag(self.status, self.rag)[0]

    @property
    def display_rag_label(self):
        return Action.rag_tag(self.status, self.rag)[1]

    @property
    def impact_label(self):
        return dict(Action.Impact.choices).get(self.impact, self.impact)

    @property
    def priority_label(self):
        if self.priority_number is None:
            return "No priority"
        return f"Priority {self.priority_number}"

    def get_absolute_url(self):
        return reverse("improvement:action_detail", args=[self.id])

    @property
    def sort_key(self):
        """Reference order (``Action.REFERENCE_ORDER`` within one plan).

        For states rebuilt from history, which keeps no stored sort key; the
        same ``natural_key`` as the database's ``sort_key`` column.
        """
        return (self.priority_number or 0, natural_key(self.reference), self.id)

    # Derived signals ----------------------------------------------------

    @property
    def is_open(self):
        return self.status not in Action.CLOSED_STATUSES

    @property
    def is_delivered(self):
        return self.status == Action.Status.DELIVERED

    @property
    def counts_for_rag(self):
        """Withdrawn actions have no RAG worth counting."""
        return self.status != Action.Status.WITHDRAWN

    @property
    def is_overdue(self):
        return self.is_open and self.due_date < self.on

    @property
    def days_overdue(self):
        return (self.on - self.due_date).days if self.is_overdue else 0

    @property
    def days_until_due(self):
        return (self.due_date - self.on).days

    @property
    def slipped_days(self):
        """How many days the current due date is later than the original."""
        if self.due_date and self.original_due_date:
            return max((self.due_date - self.original_due_date).days, 0)
        return 0

    @property
    def is_slipped(self):
        return self.slipped_days > 0

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

    @property
    def days_since_update(self):
        if self.last_update_date is None:
            return None
        return (self.on - self.last_update_date).days


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
    """Every action of ``plan`` as it is now. Two queries."""
    today = timezone.localdate()
    actions = (
        Action.objects.filter(plan=plan)
        .for_list()
        .order_by("priority__number", "sort_key", "pk")
    )
    through = Action.findings.through
    links = {}
    for action_id, finding_id in through.objects.filter(action__plan=plan).values_list(
        "action_id", "finding_id"
    ):
        links.setdefault(action_id, set()).add(finding_id)
    states = [
        ActionState(
            id=a.pk,
            reference=a.reference,
            title=a.title,
            plan_id=a.plan_id,
            priority_id=a.priority_id,
            priority_number=a.priority.number,
            priority_title=a.priority.title,
            lead_owner_id=a.lead_owner_id,
            lead_owner_name=a.lead_owner.name,
            status=a.status,
            rag=a.rag,
            impact=a.impact,
            start_date=a.start_date,
            due_date=a.due_date,
            original_due_date=a.original_due_date,
            on=today,
            created_on=local_date(a.created_at) if a.created_at else None,
            finding_ids=links.get(a.pk, set()),
            last_update_date=a.last_update_date,
        )
        for a in actions
    ]
    return states


def ever_matching(model, condition):
    """Ids of objects whose history has ever matched ``condition``: one query.

    ``condition`` is a ``Q`` on the history's fields, such as
    ``Q(plan_id=plan.pk)``. The ids are a superset of the objects that
    matched at any one moment, which is all ``latest_history`` needs.
    """
    return list(
        model.history.model._default_manager.filter(condition)
        .order_by()
        .values_list("id", flat=True)
        .distinct()
    )


def history_in_force(model, object_id, when):
    """The history rows of one object up to ``when``, the row in force first.

    The one definition of "the object as it stood at a moment": slice
    ``[:1]`` for the row in force. ``object_id`` and ``when`` may be values
    or ``OuterRef`` expressions, so the same rule serves a plan as at a date
    (``latest_history``) and anything recorded against an object at its own
    moment (a progress update against its action: ``action_then``).
    """
    return model.history.model._default_manager.filter(
        id=object_id, history_date__lte=when
    ).order_by("-history_date", "-history_id")


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


def latest_history(model, when, ids):
    """The latest history row at or before ``when`` of each object in ``ids``.

    Objects deleted by then are left out, and so are objects not yet created.
    Each object's creation row ("+", written once per object) stands for the
    object; a correlated subquery on the history's object id and date picks
    its newest row by history date, then history id. So the subquery runs
    once per object, never once per history row, and no history table is
    read whole. Filter the result (``plan_id=…``) to keep the objects that
    belonged where wanted at that moment.
    """
    history = model.history.model._default_manager
    latest = history_in_force(model, OuterRef("id"), when).values("history_id")[:1]
    chosen = (
        history.filter(history_type="+", history_date__lte=when, id__in=ids)
        .order_by()
        .annotate(latest=Subquery(latest))
        .values("latest")
    )
    return history.filter(history_id__in=chosen).exclude(history_type="-").order_by()


def plan_action_ids(plan):
    """Ids of every action that has ever been in ``plan``: one query."""
    return ever_matching(Action, Q(plan_id=plan.pk))


def _historical_through(model, field_name):
    """The historical model of ``model``'s many-to-many ``field_name`` links."""
    history_model = model.history.model
    wanted = f"{history_model.__name__}_{field_name}"
    for relation in history_model._meta.related_objects:
        if relation.related_model.__name__ == wanted:
            return relation.related_model
    raise LookupError(wanted)


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


def states_as_at(plan, when):
    """Every action of ``plan`` as it stood at the moment ``when``.

    Rebuilt from history: statuses, RAG, impact, due dates, owner, priority
    and the findings answered are those of each action's latest history row
    at or before ``when``; the last update is the latest progress update
    recorded by then. Names of owners and priorities are today's. Six
    queries, whatever the size of the plan.
    """
    on = local_date(when)
    created = Action.objects.filter(pk=OuterRef("id")).values("created_at")[:1]
    rows = list(
        latest_history(Action, when, plan_action_ids(plan))
        .filter(plan_id=plan.pk)
        .annotate(created_at=Subquery(created))
        .values(*_STATE_FIELDS, "created_at")
    )
    if not rows:
        return []

    through = _historical_through(Action, "findings")
    links = {}
    for history_id, finding_id in through._default_manager.filter(
        history_id__in=[row["history_id"] for row in rows]
    ).values_list("history_id", "finding_id"):
        links.setdefault(history_id, set()).add(finding_id)

    owners = dict(
        Owner.objects.filter(pk__in={row["lead_owner_id"] for row in rows}).values_list(
            "pk", "name"
        )
    )
    priorities = {
        pk: (number, title)
        for pk, number, title in Priority.objects.filter(
            pk__in={row["priority_id"] for row in rows}
        ).values_list("pk", "number", "title")
    }
    last_updates = dict(
        ProgressUpdate.objects.filter(
            action_id__in=[row["id"] for row in rows],
            update_date__lte=on,
            created_at__lte=when,
        )
        .values("action_id")
        .annotate(last=Max("update_date"))
        .order_by()
        .values_list("action_id", "last")
    )

    states = []
    for row in rows:
        number, title = priorities.get(row["priority_id"], (None, ""))
        created_at = row["created_at"]
        states.append(
            ActionState(
                id=row["id"],
                reference=row["reference"],
                title=row["title"],
                plan_id=row["plan_id"],
                priority_id=row["priority_id"],
                priority_number=number,
                priority_title=title,
                lead_owner_id=row["lead_owner_id"],
                lead_owner_name=owners.get(row["lead_owner_id"], "(removed owner)"),
                status=row["status"],
                rag=row["rag"],
                impact=row["impact"],
                start_date=row["start_date"],
                due_date=row["due_date"],
                original_due_date=row["original_due_date"],
                on=on,
                created_on=local_date(created_at) if created_at else None,
                finding_ids=links.get(row["history_id"], set()),
                last_update_date=last_updates.get(row["id"]),
            )
        )
    states.sort(key=lambda s: s.sort_key)
    return states


def load_states(plan, as_at=None):
    """Current states, or the states at the end of the day ``as_at``."""
    if as_at is None:
        return current_states(plan)
    return states_as_at(plan, end_of_day(as_at))


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
        rows = latest_history(Finding, when, ever_matching(Finding, sources))
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


# ---------------------------------------------------------------------------
# Figures from states (pure: no queries)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """How many actions have one value: a status or a RAG."""

    value: str
    label: str
    count: int


def status_tallies(states):
    """Actions by delivery status, every status listed, in the plan's order."""
    counts = Counter(s.status for s in states)
    return [Tally(value, STATUS_LABELS[value], counts[value]) for value in STATUS_ORDER]


def rag_tallies(states):
    """Actions by RAG as shown: Blue for delivered, "Not assessed" on its own,
    withdrawn actions left out."""
    counts = Counter(s.shown_rag for s in states if s.counts_for_rag)
    return [Tally(value, RAG_LABELS[value], counts[value]) for value in RAG_ORDER]


@dataclass
class Summary:
    """The headline figures and exception lists of a plan on one date."""

    on: datetime.date
    stale_days: int
    due_soon_days: int
    total: int
    statuses: list
    rags: list
    delivered: int
    in_scope: int
    overdue: list
    stale: list
    slipped: list
    red: list
    orphans: list
    due_soon: list
    findings_to_answer: list
    unanswered_findings: list

    @property
    def delivered_percent(self):
        """Delivered as a whole percentage of actions not withdrawn."""
        if not self.in_scope:
            return None
        return round(100 * self.delivered / self.in_scope)

    @property
    def withdrawn(self):
        return self.total - self.in_scope

    @property
    def status_phrase(self):
        """“8 not started, 23 in progress and 9 delivered”: non-zero statuses."""
        parts = [f"{t.count} {t.label.lower()}" for t in self.statuses if t.count]
        if len(parts) < 2:
            return "".join(parts)
        return f"{', '.join(parts[:-1])} and {parts[-1]}"

    @property
    def most_slipped(self):
        return self.slipped[:TOP_LIST_SIZE]

    @property
    def overdue_ids(self):
        return {s.id for s in self.overdue}

    @property
    def stale_ids(self):
        return {s.id for s in self.stale}

    @property
    def status_counts(self):
        return {t.value: t.count for t in self.statuses}

    @property
    def rag_counts(self):
        return {t.value: t.count for t in self.rags}


def summarise(states, on=None, *, stale_days=None, findings=None):
    """Headline figures and exception lists for ``states`` on the date ``on``.

    ``on`` defaults to the date the states describe. ``findings`` are the
    findings the plan must answer (``findings_to_answer``); those that no
    action in ``states`` answers are the unanswered findings.
    """
    if on is None:
        on = states[0].on if states else timezone.localdate()
    if any(s.on != on for s in states):
        states = [_restate(s, on) for s in states]
    stale_days = settings.STALE_AFTER_DAYS if stale_days is None else stale_days
    answered = set().union(*(s.finding_ids for s in states)) if states else set()
    findings = list(findings or [])

    def by_due(s):
        return (s.due_date, s.sort_key)

    return Summary(
        on=on,
        stale_days=stale_days,
        due_soon_days=DUE_SOON_DAYS,
        total=len(states),
        statuses=status_tallies(states),
        rags=rag_tallies(states),
        delivered=sum(1 for s in states if s.is_delivered),
        in_scope=sum(1 for s in states if s.counts_for_rag),
        overdue=sorted((s for s in states if s.is_overdue), key=by_due),
        stale=sorted(
            (s for s in states if s.is_stale(stale_days)),
            key=lambda s: (s.last_update_date or datetime.date.min, s.sort_key),
        ),
        slipped=sorted(
            (s for s in states if s.is_slipped),
            key=lambda s: (-s.slipped_days, s.sort_key),
        ),
        red=[s for s in states if s.is_red],
        orphans=[s for s in states if s.is_orphan],
        due_soon=sorted(
            (s for s in states if s.is_due_within(DUE_SOON_DAYS)), key=by_due
        ),
        findings_to_answer=findings,
        unanswered_findings=[f for f in findings if f.id not in answered],
    )


def _restate(state, on):
    """The same state judged on another date."""
    return ActionState(**{**state.__dict__, "on": on})


@dataclass
class PriorityFigures:
    """Status and RAG counts of one priority's actions."""

    priority_id: int
    number: int | None
    title: str
    total: int
    statuses: list
    rags: list

    @property
    def label(self):
        return "No priority" if self.number is None else f"Priority {self.number}"

    @property
    def status_counts(self):
        return {t.value: t.count for t in self.statuses}

    @property
    def rag_counts(self):
        return {t.value: t.count for t in self.rags}

    def get_absolute_url(self):
        return reverse("improvement:priority_detail", args=[self.priority_id])


def by_priority(states):
    """Status and RAG counts for each priority with actions, in number order."""
    groups = {}
    for state in states:
        groups.setdefault(state.priority_id, []).append(state)
    figures = [
        PriorityFigures(
            priority_id=priority_id,
            number=group[0].priority_number,
            title=group[0].priority_title,
            total=len(group),
            statuses=status_tallies(group),
            rags=rag_tallies(group),
        )
        for priority_id, group in groups.items()
    ]
    figures.sort(key=lambda p: (p.number is None, p.number or 0, p.priority_id))
    return figures


# ---------------------------------------------------------------------------
# The whole dashboard
# ---------------------------------------------------------------------------


@dataclass
class BoardFigures:
    """Everything the dashboard (and the board pack) shows for a plan and date.

    ``as_at`` is None for the plan as it is now.
    """

    plan: object
    as_at: datetime.date | None
    on: datetime.date
    states: list
    summary: Summary
    priorities: list
    updates: list


def board_figures(plan, as_at=None, *, stale_days=None, actions=None):
    """The plan's figures now, or at the end of the day ``as_at``.

    A fixed number of queries: five now (two for the states, one for the
    findings to answer, two for the latest progress updates), ten at a
    past date (six, two and two); one fewer when ``actions``
    (``plan_actions``) are given.
    """
    when = None if as_at is None else end_of_day(as_at)
    states = current_states(plan) if when is None else states_as_at(plan, when)
    on = timezone.localdate() if as_at is None else as_at
    summary = summarise(
        states, on, stale_days=stale_days, findings=findings_to_answer(plan, when)
    )
    return BoardFigures(
        plan=plan,
        as_at=as_at,
        on=on,
        states=states,
        summary=summary,
        priorities=by_priority(states),
        updates=latest_updates(plan, when, actions=actions),
    )


# ---------------------------------------------------------------------------
# Trend
# ---------------------------------------------------------------------------


@dataclass
class TrendPoint:
    """Actions by status and by RAG at the end of one month."""

    day: datetime.date
    statuses: list
    rags: list
    total: int

    @property
    def status_counts(self):
        return {t.value: t.count for t in self.statuses}

    @property
    def rag_counts(self):
        return {t.value: t.count for t in self.rags}


def counts_as_at(plan, when, ids=None):
    """Status and RAG counts of the plan's actions at ``when``.

    Aggregated by the database over each action's latest history row, so the
    rows themselves are never loaded: one query, given ``ids``
    (``plan_action_ids``, worked out once when counting at several moments),
    two without.
    """
    ids = plan_action_ids(plan) if ids is None else ids
    rows = (
        latest_history(Action, when, ids)
        .filter(plan_id=plan.pk)
        .values("status", "rag")
        .annotate(n=Count("history_id"))
        .order_by()
    )
    statuses, rags = Counter(), Counter()
    for row in rows:
        statuses[row["status"]] += row["n"]
        shown = Action.shown_rag(row["status"], row["rag"])
        if shown != Action.ShownRag.NONE:
            rags[shown] += row["n"]
    return (
        [Tally(v, STATUS_LABELS[v], statuses[v]) for v in STATUS_ORDER],
        [Tally(v, RAG_LABELS[v], rags[v]) for v in RAG_ORDER],
        sum(statuses.values()),
    )


def trend(plan, until=None):
    """Status and RAG counts at each month end from the plan's start to ``until``.

    ``until`` defaults to today; the last point is ``until`` itself when its
    month has not ended. One query for the plan's actions, then one aggregate
    query per month, however many actions the plan has.
    """
    until = until or timezone.localdate()
    days = month_ends(plan.start_date, until)
    if not days:
        return []
    ids = plan_action_ids(plan)
    points = []
    for day in days:
        statuses, rags, total = counts_as_at(plan, end_of_day(day), ids)
        points.append(TrendPoint(day=day, statuses=statuses, rags=rags, total=total))
    return points
