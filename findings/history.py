"""A finding's history: its own changes and every action linked to or from it.

Links between actions and findings are recorded on the action's history (the
many-to-many field is declared on the action), so a finding reads them from
there. The action model is reached through the reverse relation, never
imported: findings sit below the improvement plan.
"""

from improvement.kernel.history import (
    Change,
    Entry,
    merge_timelines,
    object_timeline,
    user_display_name,
)

LINKS_LABEL = "Actions answering this finding"


def _action_model(finding_model):
    return finding_model._meta.get_field("actions").related_model


def link_timeline(finding):
    """Every time an action was linked to or unlinked from ``finding``.

    Newest first. Two queries however many actions or history rows there are:
    the historical link rows that name this finding, then the history rows of
    the actions those belong to (without their other links).
    """
    action_model = _action_model(type(finding))
    history = action_model.history
    link_rows = history.model.findings.model._default_manager.filter(
        finding_id=finding.pk
    ).values_list("history_id", "action_id")
    linked_in, action_ids = set(), set()
    for history_id, action_id in link_rows:
        linked_in.add(history_id)
        action_ids.add(action_id)
    if not action_ids:
        return []

    records = (
        history.filter(id__in=action_ids)
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
    was_linked = {}
    entries = []
    for record in records:
        is_linked = record.history_id in linked_in and record.history_type != "-"
        if is_linked != was_linked.get(record.id, False):
            name = f"Action {record.reference}: {record.title}"
            change = Change(label=LINKS_LABEL)
            if is_linked:
                change.added.append(name)
            else:
                change.removed.append(name)
            entries.append(
                Entry(
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
            )
        was_linked[record.id] = is_linked
    entries.reverse()
    return entries


def finding_timeline(finding):
    """The finding's own changes and its action links, newest first.

    A fixed number of queries (see ``object_timeline`` and ``link_timeline``).
    """
    return merge_timelines(object_timeline(finding), link_timeline(finding))
