"""What changed in a plan between two dates.

``changes_between(plan, start, end)`` reads the history of the plan between
two moments and sorts what happened into the sections a board asks about
(``change_report.ChangeReport``): actions added, delivered, withdrawn and
moved between plans; status, RAG and impact changes; due-date moves (with
their reason and how far they moved); findings added; links between actions
and findings added and removed; progress updates recorded; measure values
recorded and corrected; findings judged again at later visits; and case-file
audits recorded and moderated. Everything is read in the plan the action
was in at the moment it happened, and named as the action was named then,
so a later move to another plan rewrites nothing.

The actions' own history is read by ``action_changes.ActionChanges``; what
was recorded against the plan (findings, progress updates, measure values,
judgements, audits) by the ``read_…`` functions of ``recorded_changes``.

No history table is read whole: a fixed number of queries however many
actions, findings and history rows the plan has.
"""

from improvement.board.action_changes import ActionChanges
from improvement.board.change_report import ChangeReport
from improvement.board.plan_history import plan_actions
from improvement.board.recorded_changes import (
    read_audits,
    read_findings_added,
    read_findings_judged,
    read_measure_values,
    read_progress_updates,
)


def changes_between(plan, start, end, *, actions=None):
    """What changed in ``plan`` from ``start`` up to (not including) ``end``.

    ``start`` and ``end`` are aware datetimes (``day_window`` makes them from
    dates). Returns a ``ChangeReport`` whose lists hold ``ChangeItem``
    objects (a type for each kind of change), oldest first, each naming who
    made the change and when.

    Only history rows in the window are read, with, for each action changed,
    the one row just before the window to compare against, and the ids of
    the actions ever in the plan (``plan_actions``, read here unless
    ``actions`` gives them). Ten queries at most, however large the plan and
    its history.
    """
    report = ChangeReport(plan=plan, start=start, end=end)
    actions = plan_actions(plan) if actions is None else actions
    ActionChanges(report, actions).read()
    read_findings_added(report)
    read_progress_updates(report, actions)
    read_measure_values(report)
    read_findings_judged(report)
    read_audits(report)
    report.sort()
    return report
