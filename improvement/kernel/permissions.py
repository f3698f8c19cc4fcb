"""Who may do what: the one home of every rule. Imports no app models.

Model permissions come from the groups below (created by a data migration).
Each rule has a name that says what it allows (``can_edit_finding``,
``can_update_action``…); views, querysets and templates ask the rules, never
``has_perm("…")`` strings, and pass booleans to templates. Hiding a button is
never the check: ``require(rule)`` refuses the view itself (403).

Someone signed in with no role at all is refused every page the same way, by
``improvement.kernel.middleware.read_only_roles`` (403, saying their account
has no role yet), before any of these rules is asked.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db import models

OFFICERS = "Officers"
IMPROVEMENT_MANAGERS = "Improvement managers"
BOARD_MEMBERS = "Board members"
ALL_GROUPS = (OFFICERS, IMPROVEMENT_MANAGERS, BOARD_MEMBERS)


def _model_rule(permission, doc):
    """A rule that is exactly one model permission (``rule.permission``)."""

    def rule(user):
        return user.has_perm(permission)

    rule.__doc__ = doc
    rule.permission = permission
    return rule


# Visits: inspections and monitoring visits (improvement managers manage them).
can_view_inspections = _model_rule("visits.view_inspection", "See inspections.")
can_add_inspection = _model_rule("visits.add_inspection", "Record an inspection.")
can_edit_inspection = _model_rule(
    "visits.change_inspection", "Edit an inspection and its judgements."
)
can_view_visits = _model_rule(
    "visits.view_monitoringvisit", "See monitoring visits and reviews."
)
can_add_visit = _model_rule(
    "visits.add_monitoringvisit", "Record a monitoring visit or review."
)
can_edit_visit = _model_rule(
    "visits.change_monitoringvisit", "Edit a monitoring visit or review."
)

# Findings and their themes (improvement managers manage them).
can_view_findings = _model_rule("findings.view_finding", "See findings.")
can_add_finding = _model_rule("findings.add_finding", "Add a finding.")
can_edit_finding = _model_rule("findings.change_finding", "Edit a finding.")
can_view_themes = _model_rule("findings.view_theme", "See themes.")
can_add_theme = _model_rule("findings.add_theme", "Add a theme.")
can_edit_theme = _model_rule("findings.change_theme", "Rename or describe a theme.")
# Judgements of findings at later visits (improvement managers record them).
can_view_finding_judgements = _model_rule(
    "findings.view_findingjudgement", "See how later visits judged findings."
)
can_add_finding_judgement = _model_rule(
    "findings.add_findingjudgement", "Record a later visit's judgement of a finding."
)
can_edit_finding_judgement = _model_rule(
    "findings.change_findingjudgement", "Edit a later visit's judgement of a finding."
)

# The plan: plans, priorities and owners (improvement managers manage them).
can_view_plans = _model_rule("improvement.view_plan", "See plans.")
can_add_plan = _model_rule("improvement.add_plan", "Add a plan.")
can_edit_plan = _model_rule("improvement.change_plan", "Edit a plan.")
can_view_priorities = _model_rule("improvement.view_priority", "See priorities.")
can_add_priority = _model_rule("improvement.add_priority", "Add a priority.")
can_edit_priority = _model_rule("improvement.change_priority", "Edit a priority.")
can_view_owners = _model_rule("improvement.view_owner", "See owners.")
can_add_owner = _model_rule("improvement.add_owner", "Add an owner.")
can_edit_owner = _model_rule("improvement.change_owner", "Edit an owner.")
can_view_actions = _model_rule(
    "improvement.view_action", "See actions, their updates and what changed."
)
can_change_actions = _model_rule(
    "improvement.change_action", "Change actions: officers and managers."
)
_may_add_actions = _model_rule("improvement.add_action", "Add actions: managers.")


def is_manager(user):
    """Improvement managers (and superusers) may change any action."""
    return user.is_authenticated and (user.is_superuser or can_edit_plan(user))


def owns_action(user, action):
    """Does the user lead or support this action? May query supporting owners."""
    owner = getattr(user, "owner", None) if user.is_authenticated else None
    if owner is None:
        return False
    if action.lead_owner_id == owner.pk:
        return True
    return action.supporting_owners.filter(pk=owner.pk).exists()


def can_update_action(user, action):
    """Record progress, change status, RAG, impact, due date, and links."""
    if not can_change_actions(user):
        return False
    return is_manager(user) or owns_action(user, action)


def updates_own_actions(user):
    """Officers linked to an owner: they update the actions they lead or support."""
    return (
        can_change_actions(user)
        and not is_manager(user)
        and getattr(user, "owner", None) is not None
    )


def can_edit_action(user):
    """Edit an action's own details and owners: improvement managers."""
    return is_manager(user) and can_change_actions(user)


def can_link_from_finding(user):
    """Improvement managers may link any action to a finding from its page.

    Officers link the findings their own actions answer from the action's page.
    """
    return can_edit_action(user)


def can_add_action(user):
    """Improvement managers add actions (to a plan, or answering a finding)."""
    return is_manager(user) and _may_add_actions(user)


# Case-file audits and practice weeks: officers and managers record audits;
# managers set up practice weeks; everyone with a role reads them.
can_view_audits = _model_rule(
    "audits.view_audit", "See audits, their grade mix and practice weeks."
)
can_record_audits = _model_rule(
    "audits.add_audit", "Record a case-file audit: officers and managers."
)
can_edit_audit = _model_rule(
    "audits.change_audit", "Edit or moderate an audit: officers and managers."
)
can_add_practice_week = _model_rule(
    "audits.add_practiceweek", "Set up a practice week: managers."
)
can_edit_practice_week = _model_rule(
    "audits.change_practiceweek", "Edit a practice week: managers."
)


# Measures of impact: improvement managers define them; each measure's owner
# (an officer signed in as the measure's owner) records and corrects its values.
can_view_measures = _model_rule(
    "measures.view_measure", "See measures, their values and targets."
)
can_add_measure = _model_rule("measures.add_measure", "Define a measure: managers.")
can_edit_measure = _model_rule(
    "measures.change_measure", "Edit a measure's definition: managers."
)
_may_record_values = _model_rule(
    "measures.add_measurevalue", "Record values: officers and managers."
)
_may_correct_values = _model_rule(
    "measures.change_measurevalue", "Correct values: officers and managers."
)


def owns_measure(user, measure):
    """Is the user signed in as the measure's owner? Issues no query when the
    user's owner is already loaded."""
    owner = getattr(user, "owner", None) if user.is_authenticated else None
    return owner is not None and measure.owner_id == owner.pk


def can_record_values(user, measure):
    """Record a measure's value for a period: its owner, or any manager;
    nobody for a measure whose values are worked out from other records."""
    if measure.is_worked_out or not _may_record_values(user):
        return False
    return is_manager(user) or owns_measure(user, measure)


def can_correct_values(user, measure):
    """Correct a recorded value, giving a reason: its owner, or any manager;
    nobody for a measure whose values are worked out from other records."""
    if measure.is_worked_out or not _may_correct_values(user):
        return False
    return is_manager(user) or owns_measure(user, measure)


def can_upload_values(user):
    """Record and correct a period's values of many measures from one CSV
    file: improvement managers only, since it reaches every measure."""
    return is_manager(user) and _may_record_values(user) and _may_correct_values(user)


def visible(queryset, rule, user):
    """All of ``queryset`` to someone ``rule`` lets see it; none of it otherwise."""
    return queryset if rule(user) else queryset.none()


class VisibleQuerySet(models.QuerySet):
    """A queryset with the one ``visible_to(user)``: all rows, or none.

    Subclasses name the rule: ``view_rule = staticmethod(can_view_findings)``.
    Out of scope is then a 404 (``get_object_or_404`` on ``visible_to``).
    """

    view_rule = None

    def visible_to(self, user):
        """The rows ``user`` may see: all of them if the view rule allows."""
        return visible(self, self.view_rule, user)


def refuse_unless(rule, user):
    """Refuse (403) unless ``rule(user)``: for a check partway through a view."""
    if not rule(user):
        raise PermissionDenied


def require(rule):
    """View decorator: refuse (403) anyone ``rule(user)`` does not allow."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not rule(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# Meetings that govern the plan: improvement managers record them, their
# decisions, questions, answers and actions arising; everyone with a role
# reads them; the owner of an action arising (or any manager) updates it.
can_view_meetings = _model_rule(
    "meetings.view_meeting",
    "See meetings, decisions, answers owed and actions arising.",
)
can_record_meetings = _model_rule(
    "meetings.add_meeting", "Record a meeting and what it decided: managers."
)
can_edit_meeting = _model_rule(
    "meetings.change_meeting", "Edit a meeting and its record: managers."
)
_may_update_actions_arising = _model_rule(
    "meetings.change_actionarising", "Update actions arising: officers and managers."
)


def can_update_action_arising(user, action_arising):
    """Record progress and status on an action arising: its owner (an
    officer signed in as the owner), or any manager. Issues no query when
    the user's owner is already loaded."""
    if not _may_update_actions_arising(user):
        return False
    owner = getattr(user, "owner", None) if user.is_authenticated else None
    return is_manager(user) or (
        owner is not None and action_arising.owner_id == owner.pk
    )


can_choose_reminders = _model_rule(
    "meetings.change_reminderchoice",
    "Choose how often to be reminded: officers and managers.",
)
