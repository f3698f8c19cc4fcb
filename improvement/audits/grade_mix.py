"""The mix of audit grades, before and after moderation, in one query.

Boards read audits as a mix: how many cases were Outstanding, Good,
Requires improvement or Inadequate, month by month or team by team, and the
share graded Good or better. Moderation can change a grade; both mixes are
shown so a board can see how far first grades were generous or harsh.

Each function takes audits, or their history rows as they stood at a moment
(``improvement.audits.known``): the same counts either way.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth

from improvement.audits.models import GOOD_OR_BETTER, with_final_grade
from visits.models import Grade


def share(part, whole):
    """``part`` of ``whole`` as a whole percentage; None when there are none."""
    return round(100 * part / whole) if whole else None


@dataclass(frozen=True)
class GradeMix:
    """The grades of a group of audits (a month, a team, a practice week).

    ``before`` and ``after`` count each grade (``{grade value: count}``)
    as first given and after moderation (an audit not moderated keeps its
    grade). ``month`` is the first day of a month's mix (``by_month``), else
    None.
    """

    label: str
    total: int
    before: dict
    after: dict
    month: datetime.date | None = None

    @property
    def good_before(self):
        return sum(self.before[grade] for grade in GOOD_OR_BETTER)

    @property
    def good_after(self):
        return sum(self.after[grade] for grade in GOOD_OR_BETTER)

    @property
    def share_before(self):
        return share(self.good_before, self.total)

    @property
    def share_after(self):
        return share(self.good_after, self.total)

    @property
    def grades(self):
        """``(label, before, after)`` for each grade, best first."""
        return [
            (label, self.before[value], self.after[value])
            for value, label in Grade.choices
        ]


def _counts():
    counts = {"total": Count("pk")}
    for grade in Grade.values:
        counts[f"before_{grade}"] = Count("pk", filter=Q(grade=grade))
        counts[f"after_{grade}"] = Count("pk", filter=Q(final=grade))
    return counts


def _mix(label, row, month=None):
    return GradeMix(
        label=label,
        total=row["total"],
        before={grade: row[f"before_{grade}"] for grade in Grade.values},
        after={grade: row[f"after_{grade}"] for grade in Grade.values},
        month=month,
    )


def month_label(day):
    """“November 2025”: how a month's mix is named."""
    return f"{day:%B %Y}"


def no_audits(label, month=None):
    """The mix of a group with no audits (a month between two audited)."""
    none = dict.fromkeys(Grade.values, 0)
    return GradeMix(label=label, total=0, before=none, after=dict(none), month=month)


def _rows(audits, key):
    """The counts of each group of ``audits`` by ``key``, in its order."""
    return (
        with_final_grade(audits)
        .order_by()
        .values(group=key)
        .annotate(**_counts())
        .order_by("group")
    )


def _grouped(audits, key, label):
    return [_mix(label(row["group"]), row) for row in _rows(audits, key)]


#: How many of the latest months with audits the dashboard and the board
#: pack show; the audits page shows every month.
BOARD_MONTHS = 6


def by_month(audits):
    """The mix of each month with audits, oldest first: one query."""
    return [
        _mix(month_label(row["group"]), row, month=row["group"])
        for row in _rows(audits, TruncMonth("audit_date"))
    ]


def for_board(audits):
    """What the dashboard and the board pack show of ``audits``: the mix of
    every audit, and of the latest ``BOARD_MONTHS`` months with audits
    (oldest first). One query: every audit falls in a month, so the whole
    mix is the months' added together."""
    months = by_month(audits)
    return added_up(months), months[-BOARD_MONTHS:]


def added_up(mixes, label="All audits"):
    """The mix of the audits of every one of ``mixes``: no query."""
    return GradeMix(
        label=label,
        total=sum(mix.total for mix in mixes),
        before={g: sum(mix.before[g] for mix in mixes) for g in Grade.values},
        after={g: sum(mix.after[g] for mix in mixes) for g in Grade.values},
    )


def by_team(audits):
    """The mix of each team with audits, by the team's name: one query."""
    return _grouped(audits, F("team"), str)


def by_practice_week(audits):
    """``{practice week id: mix}`` of the audits in a week's dip sample: one
    query."""
    return {
        row["group"]: _mix("Dip sample", row)
        for row in _rows(audits.exclude(practice_week=None), F("practice_week_id"))
    }


def overall(audits, label="All audits"):
    """The mix of every audit in ``audits``: one query."""
    row = with_final_grade(audits).order_by().aggregate(**_counts())
    return _mix(label, row)
