"""Figures for the Improvement Board from a list of action states.

Pure functions turn a list of ``ActionState`` into figures: ``summarise``
(the headline figures and the exception lists) and ``by_priority``.
``board_figures`` gathers what the dashboard and the board pack show.
``trend`` counts statuses and RAG at the end of each month since the plan
started, from one pass over the plan's history. ``more_urls`` says where
each exception list continues in full (the register, filtered).


RAG on every figure is the RAG as shown (``Action.shown_rag``): a delivered
action shows Blue instead of its recorded RAG, an action nobody has assessed
counts as "Not assessed" (never as on track), and withdrawn actions are left
out of RAG counts (their confidence of delivery no longer means anything).
"""

import datetime
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from itertools import groupby
from operator import itemgetter

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from improvement.board.periods import month_ends
from improvement.board.states import (
    RAG_LABELS,
    RAG_ORDER,
    STATUS_LABELS,
    STATUS_ORDER,
    ActionState,
    current_states,
    findings_to_answer,
    latest_updates,
    states_as_at,
)
from improvement.kernel.dates import end_of_day
from improvement.plan.models import Action

#: How far ahead "due soon" looks, in days.
DUE_SOON_DAYS = 30


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

    @cached_property
    def overdue_ids(self):
        """Asked for once a row by the register as at a date: kept."""
        return {s.id for s in self.overdue}

    @cached_property
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
    past date (six, two and two); one fewer now and two fewer at a past
    date when ``actions`` (``plan_actions``) are given.
    """
    when = None if as_at is None else end_of_day(as_at)
    if when is None:
        states = current_states(plan)
    else:
        states = states_as_at(plan, when, actions=actions)
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


def tallies(counts):
    """Status and RAG tallies, and the total, from ``{(status, rag): n}``."""
    statuses, rags = Counter(), Counter()
    for (status, rag), n in counts.items():
        statuses[status] += n
        shown = Action.shown_rag(status, rag)
        if shown != Action.ShownRag.NONE:
            rags[shown] += n
    return (
        [Tally(v, STATUS_LABELS[v], statuses[v]) for v in STATUS_ORDER],
        [Tally(v, RAG_LABELS[v], rags[v]) for v in RAG_ORDER],
        sum(statuses.values()),
    )


def _plan_history(plan, until):
    """The history rows, up to ``until``, of every action ever in ``plan``:
    ``(id, date, type, plan id, status, rag)`` in each action's order. One
    query, reading only the columns the trend counts."""
    history = Action.history.model._default_manager
    ever_in_plan = history.filter(plan_id=plan.pk).order_by().values("id")
    return (
        history.filter(id__in=ever_in_plan, history_date__lte=until)
        .order_by("id", "history_date", "history_id")
        .values_list("id", "history_date", "history_type", "plan_id", "status", "rag")
    )


def _counts_at_moments(plan, moments):
    """``{(status, rag): n}`` for the plan's actions at each of ``moments``
    (ascending), from one pass over their history.

    The same rule as ``latest_history``: at each moment an action is its
    latest row by then, counted when it had been created, was not deleted
    and belonged to the plan.
    """
    counts = [Counter() for _ in moments]
    for _, rows in groupby(_plan_history(plan, moments[-1]), key=itemgetter(0)):
        rows = list(rows)
        position, created, row = 0, False, None
        for index, moment in enumerate(moments):
            while position < len(rows) and rows[position][1] <= moment:
                row = rows[position]
                created = created or row[2] == "+"
                position += 1
            if created and row[2] != "-" and row[3] == plan.pk:
                counts[index][row[4], row[5]] += 1
    return counts


def trend(plan, until=None):
    """Status and RAG counts at each month end from the plan's start to ``until``.

    ``until`` defaults to today; the last point is ``until`` itself when its
    month has not ended. One query, however many actions and months: the
    history of the plan's actions is read once and counted at every month
    end as it goes.
    """
    until = until or timezone.localdate()
    days = month_ends(plan.start_date, until)
    if not days:
        return []
    counts = _counts_at_moments(plan, [end_of_day(day) for day in days])
    return [
        TrendPoint(day, *tallies(at_month_end))
        for day, at_month_end in zip(days, counts, strict=True)
    ]


def more_urls(plan, as_at):
    """Where the exception lists of the dashboard and the board pack continue
    in full, by list (``red``, ``overdue``, ``stale``, ``slipped``).

    Today: the actions register with the matching filter. At a past date:
    the register as it stood that day.
    """
    if as_at is not None:
        url = (
            reverse("improvement:as_at")
            + "?"
            + urlencode({"plan": plan.pk, "as_at": as_at.isoformat()})
        )
        return dict.fromkeys(("red", "overdue", "stale", "slipped"), url)
    register = reverse("improvement:action_list")
    open_statuses = [s for s in Action.Status.values if s not in Action.CLOSED_STATUSES]
    filters = {
        "red": [("rag", "red"), *(("status", s) for s in open_statuses)],
        "overdue": [("overdue", "on")],
        "stale": [("stale", "on")],
        "slipped": [("slipped", "on")],
    }
    return {
        key: f"{register}?{urlencode([('plan', plan.pk), *pairs])}"
        for key, pairs in filters.items()
    }
