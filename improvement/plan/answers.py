"""The actions answering a finding, as the findings' pages show them.

The plan app fills the findings' extension point (``findings.answers``) with
``ActionAnswers`` when Django starts: the register's "Answered by" column and
its downloads, the finding page's panel and buttons, the links in the
finding's history, and the page linking actions to the finding
(``improvement.plan.links``).
"""

from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse
from django.utils import timezone

from findings.answers import Panel
from findings.models import Finding
from improvement.kernel.history import Change, Entry, user_display_name
from improvement.kernel.permissions import can_add_action, can_link_from_finding
from improvement.plan import links
from improvement.plan.models import Action

LINKS_LABEL = "Actions answering this finding"


def _visible_actions(user):
    return Action.objects.visible_to(user).select_related("plan").in_reference_order()


class ActionAnswers:
    """Actions answer findings: what ``findings.answers`` asks of an answers object."""

    list_template = "improvement/includes/finding_answers.html"

    def is_answered(self):
        """``EXISTS`` an action linked to the row's finding (whoever may see it)."""
        links = Action.findings.through.objects.filter(finding_id=OuterRef("pk"))
        return Exists(links)

    def prefetch(self, user):
        """Each finding's visible actions on ``finding.answers`` (one query)."""
        return Prefetch("actions", queryset=_visible_actions(user), to_attr="answers")

    def panel(self, request, finding):
        """The finding page's "Actions answering this finding" and its buttons.

        One query: the visible actions answering it, with plan and lead officer.
        """
        user = request.user
        actions = list(
            _visible_actions(user).select_related("lead_owner").filter(findings=finding)
        )
        # A strength needs no action: none is offered, though links made before
        # can still be removed.
        is_strength = finding.kind == Finding.Kind.STRENGTH
        can_link = can_link_from_finding(user) and (not is_strength or bool(actions))
        can_add = can_add_action(user) and not is_strength
        buttons = []
        if can_add:
            buttons.append(
                (
                    "Create a new action that answers this finding",
                    f"{reverse('improvement:action_create')}?finding={finding.pk}",
                    False,
                )
            )
        if can_link:
            buttons.append(
                (
                    "Link an existing action",
                    reverse("findings:finding_actions", args=[finding.pk]),
                    True,
                )
            )
        is_unanswered = not actions and not is_strength
        return Panel(
            template="improvement/includes/finding_actions_panel.html",
            context={
                "actions": actions,
                "is_unanswered": is_unanswered,
                "can_link_or_add": can_link or can_add,
                "today": timezone.localdate(),
            },
            buttons=buttons,
            is_unanswered=is_unanswered,
        )

    def timeline(self, finding):
        return link_timeline(finding)

    def downloads(self):
        """The findings register as CSV and Excel, the board's exports."""
        return {
            "csv_url": reverse("improvement:finding_export_csv"),
            "xlsx_url": reverse("improvement:finding_export_xlsx"),
        }

    def links_page(self, request, pk):
        return links.finding_actions(request, pk)


def link_timeline(finding):
    """Every time an action was linked to or unlinked from ``finding``.

    Newest first. Two queries however many actions or history rows there are:
    the historical link rows that name this finding, then the history rows of
    the actions those belong to (without their other links).
    """
    linked_in, action_ids = _link_rows(finding)
    if not action_ids:
        return []
    was_linked = {}
    entries = []
    for record in _action_records(action_ids):
        is_linked = record.history_id in linked_in and record.history_type != "-"
        if is_linked != was_linked.get(record.id, False):
            entries.append(_link_entry(finding, record, is_linked))
        was_linked[record.id] = is_linked
    entries.reverse()
    return entries


def _link_rows(finding):
    """The action history rows that link ``finding``, and the ids of their
    actions. One query."""
    link_rows = Action.history.model.findings.model._default_manager.filter(
        finding_id=finding.pk
    ).values_list("history_id", "action_id")
    linked_in, action_ids = set(), set()
    for history_id, action_id in link_rows:
        linked_in.add(history_id)
        action_ids.add(action_id)
    return linked_in, action_ids


def _action_records(action_ids):
    """Every history row of the actions ``action_ids``, oldest first, with
    only what a link's entry names. One query."""
    return (
        Action.history.filter(id__in=action_ids)
        .select_related("history_user")
        .only(
            "history_id",
            "id",
            "history_date",
            "history_type",
            "history_change_reason",
            "history_user",
            "reference",
            "title",
        )
        .order_by("history_date", "history_id")
    )


def _link_entry(finding, record, is_linked):
    """The history entry of ``record`` linking its action to ``finding``
    (``is_linked``) or unlinking it."""
    name = f"Action {record.reference}: {record.title}"
    change = Change(label=LINKS_LABEL)
    if is_linked:
        change.added.append(name)
    else:
        change.removed.append(name)
    return Entry(
        when=record.history_date,
        user_name=user_display_name(record.history_user),
        user_id=record.history_user_id,
        kind="changed",
        subject=str(finding),
        subject_url="",
        changes=[change],
        reason=record.history_change_reason or "",
        model_label=str(finding._meta.verbose_name),
        history_id=record.history_id,
    )
