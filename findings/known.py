"""Findings' judgements at later visits as they were known at a moment.

A monitoring visit in March re-tests a finding of the inspection; its
judgement may be recorded weeks after the visit, corrected later still, or
deleted when it was entered against the wrong finding. A board that met
before it was recorded did not know it, and a board that met before it was
corrected knew it as it first stood. So as at a moment the judgements are
their history rows in force then (``improvement.kernel.history_at``), and
so are the findings they judge and the visits that judged them; now, they
are the tables themselves.

``judgements_known`` gives, for each finding a plan answers that had been
judged by then, its latest judgement then: the judgement of the most recent
visit (by start date, then number) among those known. In a fixed number of
queries however many findings and judgements there are.
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce

from findings.models import (
    Finding,
    FindingJudgement,
    answered_by_plan,
    ever_answered_by_plan,
)
from improvement.kernel.history_at import (
    as_it_stood,
    history_in_force,
    latest_history,
)
from improvement.kernel.ordering import natural_key
from visits.models import MonitoringVisit

Progress = FindingJudgement.Progress

#: The order judgements are listed and counted in: least progress first,
#: so what the board must look at comes first. A finding the visit did not
#: test has no evidence of progress yet, so it comes straight after "No
#: progress"; "Improved and embedded" comes last.
PROGRESS_ORDER = (
    Progress.NO_PROGRESS,
    Progress.NOT_YET_TESTED,
    Progress.SOME_PROGRESS,
    Progress.IMPROVED_NOT_EMBEDDED,
    Progress.EMBEDDED,
)
_RANK = {progress: rank for rank, progress in enumerate(PROGRESS_ORDER)}


@dataclass(frozen=True)
class KnownJudgement:
    """A finding's latest judgement as known at a moment.

    ``finding``, ``visit`` and the judgement's ``progress`` and ``words`` are
    as they stood then. Read-only objects: never save them.
    """

    finding: Finding
    visit: MonitoringVisit
    progress: str
    words: str

    @property
    def progress_label(self):
        return Progress(self.progress).label


@dataclass(frozen=True)
class ProgressCount:
    """How many findings' latest judgement found one level of progress."""

    progress: str
    label: str
    count: int


@dataclass(frozen=True)
class JudgementsKnown:
    """The plan's judged findings, least progress first, and their counts."""

    judgements: list
    counts: list

    def __bool__(self):
        return bool(self.judgements)

    @property
    def total(self):
        return len(self.judgements)


def judgements_known(plan, when=None):
    """Each judged finding of ``plan`` with its latest judgement.

    The findings are those the plan answers (``answered_by_plan``, the one
    rule, strengths included). ``when=None``: as they are now, one query.
    Otherwise as known at ``when`` (a moment; ``kernel.dates.end_of_day`` of
    a date): judgements recorded by then and not deleted by then, as they
    stood then, of findings that were the plan's then, judged by visits as
    they stood then; a judgement recorded, changed or deleted later reads as
    it was. Two queries.
    """
    if when is None:
        rows = (
            FindingJudgement.objects.filter(finding__in=Finding.objects.for_plan(plan))
            .select_related("finding", "monitoring_visit")
            .order_by()
        )
        found = [
            (row.finding, row.monitoring_visit, row.progress, row.words, row.pk)
            for row in rows
        ]
    else:
        found = _known_then(plan, when)
    return _summarise(_latest_of_each(found))


def _known_then(plan, when):
    """``[(finding, visit, progress, words, id)…]`` as they stood at ``when``.

    Two queries: the plan's findings then, and the judgements of them then,
    each with its visit as it stood then (worked out by the database). The
    second reads the first as a subquery, so it runs even when there is no
    finding: the cost never depends on the data.
    """
    sources = answered_by_plan(plan)
    ever_findings = ever_answered_by_plan(plan)
    findings_then = latest_history(Finding, when, ever_findings).filter(sources)
    findings = {row.id: as_it_stood(row) for row in findings_then}
    ever_judged = FindingJudgement.history.filter(finding_id__in=ever_findings).values(
        "id"
    )
    judgements = (
        latest_history(FindingJudgement, when, ever_judged)
        .filter(finding_id__in=findings_then.values("id"))
        .annotate(**{f"visit_{name}": _visit_then(name, when) for name in VISIT_FIELDS})
    )
    return [
        (
            findings[row.finding_id],
            MonitoringVisit(
                pk=row.monitoring_visit_id,
                **{name: getattr(row, f"visit_{name}") for name in VISIT_FIELDS},
            ),
            row.progress,
            row.words,
            row.id,
        )
        for row in judgements
        if row.finding_id in findings
    ]


#: What the pack needs of a visit besides its id: enough to name it
#: ("Ofsted monitoring visit 2 (March 2026)"), date it and order by it.
VISIT_FIELDS = ("kind", "sequence", "start_date")


def _visit_then(name, when):
    """The field ``name`` of a judgement's visit as it stood at ``when``.

    A visit with no history row by then (brought in from elsewhere) takes
    its first row. Correlated subqueries: no query of their own.
    """
    visit = OuterRef("monitoring_visit_id")
    in_force = history_in_force(MonitoringVisit, visit, when)
    first = MonitoringVisit.history.filter(id=visit).order_by(
        "history_date", "history_id"
    )
    return Coalesce(
        Subquery(in_force.values(name)[:1]), Subquery(first.values(name)[:1])
    )


def _latest_of_each(found):
    """The judgement of each finding's most recent visit (start, number, id)."""
    latest = {}
    for finding, visit, progress, words, pk in found:
        key = (visit.start_date, visit.sequence, pk)
        if finding.pk not in latest or key > latest[finding.pk][0]:
            latest[finding.pk] = (key, KnownJudgement(finding, visit, progress, words))
    return [judgement for _key, judgement in latest.values()]


def _summarise(judgements):
    judgements = sorted(
        judgements,
        key=lambda j: (
            _RANK.get(j.progress, len(_RANK)),
            natural_key(j.finding.reference),
            j.finding.pk,
        ),
    )
    counts = Counter(j.progress for j in judgements)
    return JudgementsKnown(
        judgements=judgements,
        counts=[
            ProgressCount(progress, progress.label, counts[progress])
            for progress in PROGRESS_ORDER
        ],
    )
