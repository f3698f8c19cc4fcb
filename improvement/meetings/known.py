"""What the board pack shows from the meetings that review a plan: the
decisions minuted since the last board, and the actions arising still open,
as they stood on the pack's date."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.urls import reverse

from improvement.kernel.history_at import ever_matching, latest_history
from improvement.meetings.models import ActionArising, AgendaItem, Decision, Meeting
from improvement.plan.models import Owner


@dataclass(frozen=True)
class MeetingRecord:
    """Decisions and open actions arising, for the pack."""

    decisions: list
    actions_arising: list


@dataclass(frozen=True)
class DecisionRow:
    text: str
    meeting: Meeting
    item: AgendaItem


@dataclass(frozen=True)
class ArisingRow:
    pk: int
    description: str
    meeting: Meeting
    owner: Owner
    due_date: date
    status: str
    overdue: bool

    def get_absolute_url(self):
        return reverse("meetings:actionarising_detail", args=[self.pk])


def meeting_record(plan, since, as_at, when=None):
    """Decisions of meetings reviewing ``plan`` held from ``since`` to
    ``as_at``, and actions arising from its meetings up to ``as_at`` that were
    still open: now (``when=None``), or as recorded at the moment ``when``.
    A fixed number of queries, whatever the number of meetings."""
    items = {
        item.pk: item
        for item in AgendaItem.objects.filter(
            meeting__plans=plan, meeting__date__lte=as_at
        ).select_related("meeting__body")
    }
    if not items:
        return MeetingRecord([], [])
    # Only the items of meetings in the period are read for decisions.
    recent = {pk: item for pk, item in items.items() if item.meeting.date >= since}
    decisions = _known(Decision, recent, when) if recent else []
    arising = [
        row
        for row in _known(ActionArising, items, when)
        if row.status not in ActionArising.CLOSED_STATUSES
    ]
    owners = Owner.objects.in_bulk({row.owner_id for row in arising})
    labels = dict(ActionArising.Status.choices)
    return MeetingRecord(
        decisions=sorted(
            (
                DecisionRow(
                    d.text, recent[d.agenda_item_id].meeting, recent[d.agenda_item_id]
                )
                for d in decisions
            ),
            key=lambda row: (row.meeting.date, row.item.pk),
        ),
        actions_arising=sorted(
            (
                ArisingRow(
                    pk=a.id,
                    description=a.description,
                    meeting=items[a.agenda_item_id].meeting,
                    owner=owners.get(a.owner_id),
                    due_date=a.due_date,
                    status=labels.get(a.status, a.status),
                    overdue=a.due_date < as_at,
                )
                for a in arising
            ),
            key=lambda row: (row.due_date, row.pk),
        ),
    )


def _known(model, items, when):
    """The model's rows under ``items``: now, or their history rows at ``when``."""
    if when is None:
        return list(model.objects.filter(agenda_item_id__in=items).order_by("pk"))
    ids = ever_matching(model, Q(agenda_item_id__in=list(items)))
    return list(
        latest_history(model, when, ids)
        .filter(agenda_item_id__in=list(items))
        .order_by("id")
    )
