"""The golden thread: from what inspectors found, to the actions that answer
each finding, to the evidence that those actions made a difference.

``golden_thread(plan=None, theme=None)`` follows it for one plan (or every
plan) and one theme (or every theme): each inspection and visit in date
order, its findings, and for each finding the actions answering it with
their status, RAG, impact and the evidence recorded, and the latest
judgement a later visit made of the finding's progress. It flags findings
that nothing answers, findings whose actions are all delivered but whose
impact is not yet evidenced, and findings whose actions are all delivered
but whose latest judgement found no progress, and counts them for a
summary. The page, the board pack and exports all read the same
``GoldenThread``.

The cost is a fixed number of queries however large the register is: one
for the findings with their inspections and visits, one for their themes
and one for the actions answering them (with each action's latest evidence
link worked out by the database). Each finding's latest judgement comes with
the findings, worked out by the database too.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import OuterRef, Prefetch, Subquery

from findings.models import Finding, FindingJudgement
from improvement.plan.models import Action, ProgressUpdate
from visits.models import MonitoringVisit

# What a finding's answer amounts to, from nothing to evidenced impact.
STRENGTH = "strength"
NOT_ANSWERED = "unanswered"
IN_HAND = "in_hand"
NOT_EVIDENCED = "not_evidenced"
EVIDENCED = "evidenced"

#: The words shown for each state.
STATE_LABELS = {
    STRENGTH: "Strength",
    NOT_ANSWERED: "Not answered",
    IN_HAND: "Being delivered",
    NOT_EVIDENCED: "Delivered, impact not evidenced",
    EVIDENCED: "Impact evidenced",
}


def plan_findings(plan):
    """Findings that belong to ``plan``: a queryset of ``Finding``.

    Those raised by the inspections, visits and reviews the plan answers
    (``Finding.objects.for_plan``). With no plan, every finding.
    """
    if plan is None:
        return Finding.objects.all()
    return Finding.objects.for_plan(plan)


#: What the thread shows of an answering action: the page lists hundreds, so
#: its descriptions and success measures are left unread.
THREAD_ACTION_FIELDS = (
    "plan__name",
    "lead_owner__name",
    "reference",
    "title",
    "status",
    "rag",
    "impact",
    "impact_evidence",
    "sort_key",
)


def _answering_actions(plan):
    """Actions as the thread shows them, each with its latest evidence link.

    ``latest_evidence_url`` and ``latest_evidence_date`` come from the most
    recent progress update that gave an evidence link (None when none did).
    """
    with_evidence = (
        ProgressUpdate.objects.filter(action=OuterRef("pk"))
        .exclude(evidence_url="")
        .order_by("-update_date", "-pk")
    )
    actions = (
        Action.objects.select_related("plan", "lead_owner")
        .only(*THREAD_ACTION_FIELDS)
        .in_reference_order()
    )
    if plan is not None:
        actions = actions.filter(plan=plan)
    return actions.annotate(
        latest_evidence_url=Subquery(with_evidence.values("evidence_url")[:1]),
        latest_evidence_date=Subquery(with_evidence.values("update_date")[:1]),
    )


def _with_latest_judgement(findings):
    """Annotate each finding with its latest judgement: no query of its own.

    ``latest_progress`` and the visit that judged it (``latest_visit_id``,
    ``_kind``, ``_sequence`` and ``_start``), from the judgement of the most
    recent visit; all None when no visit has judged the finding.
    """
    latest = FindingJudgement.objects.filter(finding=OuterRef("pk")).latest_first()

    def column(name):
        return Subquery(latest.values(name)[:1])

    return findings.annotate(
        latest_progress=column("progress"),
        latest_visit_id=column("monitoring_visit_id"),
        latest_visit_kind=column("monitoring_visit__kind"),
        latest_visit_sequence=column("monitoring_visit__sequence"),
        latest_visit_start=column("monitoring_visit__start_date"),
    )


@dataclass
class LatestJudgement:
    """The latest judgement a visit made of a finding's progress.

    ``visit`` is the visit (its kind, number and start date only: enough to
    name it, date it and link to it).
    """

    progress: str
    visit: MonitoringVisit

    @property
    def progress_label(self):
        return FindingJudgement.Progress(self.progress).label

    @property
    def is_no_progress(self):
        return self.progress == FindingJudgement.Progress.NO_PROGRESS


def _latest_judgement(finding):
    if finding.latest_progress is None:
        return None
    visit = MonitoringVisit(
        pk=finding.latest_visit_id,
        kind=finding.latest_visit_kind,
        sequence=finding.latest_visit_sequence,
        start_date=finding.latest_visit_start,
    )
    return LatestJudgement(progress=finding.latest_progress, visit=visit)


def _all_delivered(actions):
    """Do actions answer the finding, and are they all delivered?"""
    live = [a for a in actions if a.status != Action.Status.WITHDRAWN]
    return bool(live) and all(a.status == Action.Status.DELIVERED for a in live)


def _state(finding, actions):
    """Where the thread stands for one finding (see the module's states)."""
    if finding.kind == Finding.Kind.STRENGTH:
        return STRENGTH
    live = [a for a in actions if a.status != Action.Status.WITHDRAWN]
    if any(a.impact in Action.IMPACTS_NEEDING_EVIDENCE for a in live):
        return EVIDENCED
    if not live:
        return NOT_ANSWERED
    if all(a.status == Action.Status.DELIVERED for a in live):
        return NOT_EVIDENCED
    return IN_HAND


@dataclass
class ThreadFinding:
    """One finding and the actions (of the plan in view) that answer it.

    ``actions`` are ``Action`` objects in reference order, withdrawn ones
    included (they are shown, but do not count as answering). Each has
    ``latest_evidence_url`` and ``latest_evidence_date``.
    """

    finding: Finding
    actions: list
    state: str
    latest_judgement: LatestJudgement | None = None

    @property
    def delivered_without_progress(self):
        """Every action answering it is delivered, yet the latest visit found
        no progress."""
        return (
            self.latest_judgement is not None
            and self.latest_judgement.is_no_progress
            and _all_delivered(self.actions)
        )

    @property
    def state_label(self):
        return STATE_LABELS[self.state]

    @property
    def themes(self):
        return list(self.finding.themes.all())


@dataclass
class ThreadSource:
    """An inspection or a visit, with the findings it raised (in reference order)."""

    source: object  # visits.models.Inspection or visits.models.MonitoringVisit
    is_inspection: bool
    findings: list = field(default_factory=list)

    @property
    def start_date(self):
        return self.source.start_date

    @property
    def end_date(self):
        return self.source.end_date

    @property
    def title(self):
        return str(self.source)

    @property
    def url(self):
        return self.source.get_absolute_url()

    @property
    def anchor(self):
        kind = "inspection" if self.is_inspection else "visit"
        return f"{kind}-{self.source.pk}"


@dataclass
class ThreadSummary:
    """Counts of findings by where their thread stands. Strengths are apart.

    ``answered`` counts every finding (not a strength) that at least one
    action still answers, so it includes ``in_hand``, ``not_evidenced`` and
    ``evidenced``.
    """

    findings: int = 0
    strengths: int = 0
    answered: int = 0
    not_answered: int = 0
    in_hand: int = 0
    not_evidenced: int = 0
    evidenced: int = 0
    delivered_without_progress: int = 0


@dataclass
class GoldenThread:
    """The thread for one plan (or every plan), optionally for one theme."""

    plan: object  # improvement.plan.models.Plan or None for every plan
    theme: object  # findings.models.Theme or None for every theme
    sources: list
    summary: ThreadSummary

    @property
    def findings(self):
        """Every ``ThreadFinding``, source by source."""
        return [f for source in self.sources for f in source.findings]

    @property
    def not_answered(self):
        return [f for f in self.findings if f.state == NOT_ANSWERED]

    @property
    def not_evidenced(self):
        return [f for f in self.findings if f.state == NOT_EVIDENCED]

    @property
    def delivered_without_progress(self):
        return [f for f in self.findings if f.delivered_without_progress]


def _summarise(thread_findings):
    summary = ThreadSummary()
    for item in thread_findings:
        if item.state == STRENGTH:
            summary.strengths += 1
            continue
        summary.findings += 1
        if item.delivered_without_progress:
            summary.delivered_without_progress += 1
        if item.state == NOT_ANSWERED:
            summary.not_answered += 1
            continue
        summary.answered += 1
        if item.state == IN_HAND:
            summary.in_hand += 1
        elif item.state == NOT_EVIDENCED:
            summary.not_evidenced += 1
        else:
            summary.evidenced += 1
    return summary


def _source_order(source):
    start = source.start_date or datetime.date.min
    sequence = getattr(source.source, "sequence", 0)
    return (start, not source.is_inspection, sequence, source.source.pk)


def golden_thread(plan=None, theme=None, *, themes=True):
    """Follow the golden thread for ``plan`` (None: every plan) and ``theme``.

    Returns a ``GoldenThread``: ``sources`` (``ThreadSource``, inspections
    and visits in date order, each with its ``ThreadFinding`` list) and a
    ``ThreadSummary``. A finding counts as answered only by actions of the
    plan in view, and withdrawn actions answer nothing. A finding is flagged
    "Not answered" when no action answers it (strengths are never flagged),
    and "Delivered, impact not evidenced" when every action answering it is
    delivered and none has its impact evidenced or embedded. Each finding
    carries its latest judgement (``ThreadFinding.latest_judgement``), and
    ``delivered_without_progress`` says when its actions are all delivered but
    that judgement found no progress. Three queries; two with
    ``themes=False``, for a reader that does not show each finding's themes
    (the board pack).
    """
    findings = _with_latest_judgement(plan_findings(plan))
    if theme is not None:
        findings = findings.filter(themes=theme)
    findings = (
        findings.in_reference_order()
        .select_related(
            "inspection", "monitoring_visit", "monitoring_visit__inspection"
        )
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=_answering_actions(plan).order_by("sort_key", "pk"),
                to_attr="thread_actions",
            ),
        )
    )
    if themes:
        findings = findings.prefetch_related("themes")

    sources = {}
    thread_findings = []
    for finding in findings:
        actions = finding.thread_actions
        item = ThreadFinding(
            finding=finding,
            actions=actions,
            state=_state(finding, actions),
            latest_judgement=_latest_judgement(finding),
        )
        thread_findings.append(item)
        origin = finding.inspection or finding.monitoring_visit
        key = (finding.inspection_id is not None, origin.pk)
        if key not in sources:
            sources[key] = ThreadSource(source=origin, is_inspection=key[0])
        sources[key].findings.append(item)

    ordered = sorted(sources.values(), key=_source_order)
    return GoldenThread(
        plan=plan, theme=theme, sources=ordered, summary=_summarise(thread_findings)
    )
