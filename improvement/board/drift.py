"""How far a plan's due dates drifted, and why.

``drift(plan, since=None)`` counts, for every action, how often its due date
moved, how far it has slipped from the original, and why; with the plan's
figures by priority and by lead officer, and the actions that slipped since
a date. Three queries, however long the plan's history.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import F, Q, Window
from django.db.models.functions import Lag

from improvement.board.periods import days_text
from improvement.kernel.history import user_display_name
from improvement.plan.models import Action


@dataclass
class DueDateMove:
    """One move of an action's due date: when, who, from, to, how far, why."""

    action_id: int
    history_id: int
    when: datetime.datetime
    who: str
    user_id: int | None
    old_date: datetime.date
    new_date: datetime.date
    reason: str

    @property
    def days(self):
        """How far it moved: positive is later, negative brought forward."""
        return (self.new_date - self.old_date).days

    @property
    def days_text(self):
        return days_text(self.days)


@dataclass
class ActionDrift:
    """An action with every move of its due date, oldest first."""

    action: Action
    moves: list = field(default_factory=list)

    @property
    def move_count(self):
        return len(self.moves)

    @property
    def days_slipped(self):
        """Current due date less the original, in days (negative if earlier)."""
        return (self.action.due_date - self.action.original_due_date).days

    @property
    def has_slipped(self):
        return self.days_slipped > 0

    @property
    def has_moved(self):
        return bool(self.moves) or self.days_slipped != 0

    @property
    def reasons(self):
        return [move.reason for move in self.moves if move.reason]


@dataclass
class SlipFigures:
    """Slip figures for a group of actions: a priority, a lead officer, the plan.

    ``slipped`` counts actions whose current due date is later than the
    original; ``days`` adds up how many days they have slipped; ``moves``
    counts every move of every action in the group.
    """

    label: str
    url: str = ""
    actions: int = 0
    slipped: int = 0
    moves: int = 0
    days: int = 0
    sort_key: object = None

    @property
    def average_days(self):
        """Average days slipped per slipped action, in whole days (half up)."""
        if not self.slipped:
            return None
        return (2 * self.days + self.slipped) // (2 * self.slipped)

    def add(self, drift_item):
        self.actions += 1
        self.moves += drift_item.move_count
        if drift_item.has_slipped:
            self.slipped += 1
            self.days += drift_item.days_slipped


@dataclass
class RecentSlip:
    """An action whose due date moved later after the chosen date."""

    drift: ActionDrift
    moves: list

    @property
    def action(self):
        return self.drift.action

    @property
    def days(self):
        return sum(move.days for move in self.moves)

    @property
    def days_text(self):
        return days_text(self.days)


@dataclass
class DriftReport:
    """How far the plan's due dates have drifted, and since when.

    ``actions`` holds an ``ActionDrift`` for every action of the plan, most
    days slipped first (then most moves). ``slipped_since`` holds a
    ``RecentSlip`` for each action whose due date moved later on or after
    ``since``, most days first.
    """

    plan: object
    since: datetime.datetime | None
    actions: list
    by_priority: list
    by_owner: list
    totals: SlipFigures
    slipped_since: list

    @property
    def moved(self):
        """Actions whose due date has moved at least once, or differs from the
        original."""
        return [item for item in self.actions if item.has_moved]

    @property
    def never_moved_count(self):
        return len(self.actions) - len(self.moved)


def due_date_moves(plan):
    """Every due-date move of the plan's actions, oldest first: ``DueDateMove``.

    The database compares each history row with the one before it for the
    same action (the window function LAG, on SQLite 3.25+ and PostgreSQL),
    and returns only the rows where the due date changed. Two queries: the
    moves and the names of the people who made them.
    """
    history = Action.history.model
    rows = list(
        history.objects.filter(
            id__in=Action.objects.filter(plan=plan).values("pk"),
        )
        .annotate(
            previous_due=Window(
                Lag("due_date"),
                partition_by=[F("id")],
                order_by=[F("history_date").asc(), F("history_id").asc()],
            )
        )
        .filter(previous_due__isnull=False)
        .filter(~Q(due_date=F("previous_due")))
        .order_by("history_date", "history_id")
        .values(
            "id",
            "history_id",
            "history_date",
            "due_date",
            "previous_due",
            "history_change_reason",
            "history_user_id",
        )
    )
    user_ids = {row["history_user_id"] for row in rows} - {None}
    users = get_user_model().objects.in_bulk(user_ids)
    moves = []
    for row in rows:
        user = users.get(row["history_user_id"])
        moves.append(
            DueDateMove(
                action_id=row["id"],
                history_id=row["history_id"],
                when=row["history_date"],
                who=user_display_name(user),
                user_id=row["history_user_id"],
                old_date=row["previous_due"],
                new_date=row["due_date"],
                reason=(row["history_change_reason"] or "").strip(),
            )
        )
    return moves


def _figures(groups, key, label, url, sort_key, item):
    figures = groups.get(key)
    if figures is None:
        figures = groups[key] = SlipFigures(label=label, url=url, sort_key=sort_key)
    figures.add(item)


def _action_drifts(plan):
    """An ``ActionDrift`` for every action of ``plan``, most days slipped first
    (then most moves, then priority and reference order). Three queries."""
    actions = Action.objects.filter(plan=plan).select_related("priority", "lead_owner")
    moves_by_action = {}
    for move in due_date_moves(plan):
        moves_by_action.setdefault(move.action_id, []).append(move)
    items = [
        ActionDrift(action, moves_by_action.get(action.pk, [])) for action in actions
    ]
    items.sort(
        key=lambda d: (
            -d.days_slipped,
            -d.move_count,
            d.action.priority.number,
            d.action.sort_key,
        )
    )
    return items


def _slip_figures(items):
    """``(totals, by_priority, by_owner)``: the ``SlipFigures`` of the whole
    plan, of each priority (in priority order) and of each lead officer (most
    days slipped first)."""
    totals = SlipFigures(label="Whole plan")
    by_priority, by_owner = {}, {}
    for item in items:
        action = item.action
        totals.add(item)
        _figures(
            by_priority,
            action.priority_id,
            str(action.priority),
            action.priority.get_absolute_url(),
            action.priority.number,
            item,
        )
        _figures(
            by_owner,
            action.lead_owner_id,
            action.lead_owner.name,
            action.lead_owner.get_absolute_url(),
            action.lead_owner.name.lower(),
            item,
        )
    return (
        totals,
        sorted(by_priority.values(), key=lambda f: f.sort_key),
        sorted(by_owner.values(), key=lambda f: (-f.days, -f.moves, f.sort_key)),
    )


def _slipped_since(items, since):
    """A ``RecentSlip`` for each action whose due date moved later on or after
    ``since``, most days first."""
    slipped = []
    for item in items:
        recent = [m for m in item.moves if m.when >= since and m.days > 0]
        if recent:
            slipped.append(RecentSlip(item, recent))
    slipped.sort(key=lambda r: (-r.days, -len(r.moves), r.action.sort_key))
    return slipped


def drift(plan, since=None):
    """How far ``plan``'s due dates have drifted, and what slipped since ``since``.

    ``since`` is an aware datetime, or None for no "slipped since" list.
    Returns a ``DriftReport``. Three queries: the plan's actions (with their
    priorities and lead officers), the due-date moves, and the people who
    made them.
    """
    items = _action_drifts(plan)
    totals, by_priority, by_owner = _slip_figures(items)
    return DriftReport(
        plan=plan,
        since=since,
        actions=items,
        by_priority=by_priority,
        by_owner=by_owner,
        totals=totals,
        slipped_since=[] if since is None else _slipped_since(items, since),
    )
