"""Building the demo council's plan with a year of history (``seed_demo``).

The content (inspection, visits, findings, owners, priorities, actions and
what happened to each) is in ``improvement.demo.data``; this module saves it
change by change, with backdated history dates and a named user for each.
"""

import datetime
from decimal import Decimal

from django.core.management.base import CommandError
from django.utils import timezone

from findings.models import Finding, FindingJudgement, Theme
from improvement.audits.models import Audit, PracticeWeek
from improvement.demo import data
from improvement.kernel.dates import govuk_date, months_after
from improvement.kernel.history import acting_as
from improvement.measures.models import Measure, MeasureTarget, MeasureValue
from improvement.meetings.models import (
    ActionArising,
    AgendaItem,
    Body,
    Decision,
    Meeting,
    Question,
    Reminder,
)
from improvement.plan.models import Action, Owner, Plan, Priority, ProgressUpdate
from visits.models import Inspection, Judgement, MonitoringVisit

EMAIL_DOMAIN = "northmoor.example"


class Clock:
    """Backdated history times: strictly increasing for each object.

    Every saved change is stamped with ``_history_date`` so its history row
    carries the simulated date. The first and last time of each object are
    kept so its ``created_at`` and ``updated_at`` can match its history.
    """

    def __init__(self, today):
        self.today = today
        self._tick = 0
        self._times = {}

    def date(self, day):
        """The date ``day`` days from today."""
        return self.today + datetime.timedelta(days=day)

    def stamp(self, obj, day, after=None):
        """Set ``obj._history_date`` to a working-hours time on ``day``.

        The time is later than every earlier stamp of the same object, and
        later than ``after`` when given.
        """
        self._tick += 1
        minutes = 9 * 60 + (self._tick * 37) % (8 * 60)
        when = timezone.make_aware(
            datetime.datetime.combine(self.date(day), datetime.time())
            + datetime.timedelta(minutes=minutes)
        )
        _, first, last = self._times.get(id(obj), (obj, None, None))
        for floor in (last, after):
            if floor is not None and when <= floor:
                when = floor + datetime.timedelta(minutes=3)
        self._times[id(obj)] = (obj, first or when, when)
        obj._history_date = when
        return when

    def backdate_timestamps(self):
        """Give every stamped object the created and updated times of its history.

        ``created_at`` is set by the database on insert, so it is corrected
        afterwards. Both fields are bookkeeping that history does not track,
        so writing them directly leaves the history untouched.
        """
        for obj, first, last in self._times.values():
            type(obj).objects.filter(pk=obj.pk).update(
                created_at=first, updated_at=last
            )


class DemoBuilder:
    """Builds the demo council's inspection, findings and plan, change by change."""

    def __init__(self, users, today):
        self.manager = users["manager"]
        self.officer = users["officer"]
        self.clock = Clock(today)
        self.themes = {}
        self.findings = {}
        self.owners = {}
        self.priorities = {}

    # Helpers -------------------------------------------------------------

    def save(self, obj, day, reason=None, after=None):
        """Save ``obj`` as a change made on ``day``."""
        self.clock.stamp(obj, day, after=after)
        if reason:
            obj._change_reason = reason
        obj.save()
        return obj

    def date(self, day):
        return self.clock.date(day)

    # Building ------------------------------------------------------------

    def build(self):
        """Create everything; return counts of what was made."""
        with acting_as(self.manager):
            self.build_themes()
            inspection = self.build_inspection()
            visits = [self.build_visit(inspection, spec) for spec in data.VISITS]
            self.build_finding_judgements(visits)
            self.build_owners()
            plan = self.build_plan(inspection, visits)
        for spec in data.ACTIONS:
            self.build_action(plan, spec)
        for spec in data.MEASURES:
            self.build_measure(plan, spec)
        self.build_measure(
            plan, data.AUDIT_MEASURE, worked_out=Measure.WorkedOut.AUDITS_AFTER
        )
        audits = self.build_audits(plan)
        meetings = self.build_meetings(plan)
        self.clock.backdate_timestamps()
        return {
            "judgements": len(data.JUDGEMENTS),
            "visits and reviews": len(data.VISITS),
            "judgements of findings at later visits": len(data.FINDING_JUDGEMENTS),
            "themes": len(self.themes),
            "findings": len(self.findings),
            "owners": len(self.owners),
            "priorities": len(self.priorities),
            "actions": len(data.ACTIONS),
            "progress updates": ProgressUpdate.objects.filter(
                action__plan=plan
            ).count(),
            "measures": len(data.MEASURES) + 1,
            "practice weeks": len(data.PRACTICE_WEEKS),
            "case-file audits": audits,
            "meetings": meetings,
            "reminders sent": Reminder.objects.count(),
        }

    def build_themes(self):
        day = data.INSPECTION["recorded"]
        for name, description in data.THEMES:
            theme = Theme.objects.filter(name=name).first()
            if theme is None:
                theme = self.save(Theme(name=name, description=description), day)
            self.themes[name] = theme

    def build_findings(self, specs, day, **source):
        for spec in specs:
            if spec.reference in self.findings:
                raise CommandError(f"Duplicate finding reference {spec.reference}")
            finding = self.save(
                Finding(
                    kind=spec.kind,
                    reference=spec.reference,
                    title=spec.title,
                    text=spec.text,
                    priority=spec.priority,
                    **source,
                ),
                day,
            )
            self.clock.stamp(finding, day)
            finding.themes.add(*(self.themes[name] for name in spec.themes))
            self.findings[spec.reference] = finding

    def build_inspection(self):
        spec = data.INSPECTION
        day = spec["recorded"]
        start = self.date(spec["start"])
        inspection = self.save(
            Inspection(
                framework=spec["framework"],
                title=inspection_title(start),
                inspectorate=spec["inspectorate"],
                start_date=start,
                end_date=self.date(spec["end"]),
                published_date=self.date(spec["published"]),
                report_url=spec["report_url"],
                overall_judgement=spec["overall_judgement"],
                summary=spec["summary"],
            ),
            day,
        )
        for position, (area, grade) in enumerate(data.JUDGEMENTS, start=1):
            self.save(
                Judgement(
                    inspection=inspection, area=area, grade=grade, position=position
                ),
                day,
            )
        self.build_findings(data.INSPECTION_FINDINGS, day, inspection=inspection)
        return inspection

    def build_visit(self, inspection, spec):
        day = spec["letter"] + 1
        visit = self.save(
            MonitoringVisit(
                inspection=inspection,
                kind=spec["kind"],
                sequence=spec["sequence"],
                start_date=self.date(spec["start"]),
                end_date=self.date(spec["end"]),
                letter_date=self.date(spec["letter"]),
                letter_url=spec["letter_url"],
                inspectors=spec["inspectors"],
                areas_covered=spec["areas_covered"],
                summary=spec["summary"],
            ),
            day,
        )
        self.build_findings(spec["findings"], day, monitoring_visit=visit)
        return visit

    def build_finding_judgements(self, visits):
        """Each monitoring visit's judgements of the earlier findings it re-tested."""
        by_sequence = {
            visit.sequence: (visit, spec)
            for visit, spec in zip(visits, data.VISITS, strict=True)
            if visit.kind == MonitoringVisit.Kind.OFSTED_MONITORING
        }
        for reference, sequence, progress, words in data.FINDING_JUDGEMENTS:
            visit, spec = by_sequence[sequence]
            judgement = FindingJudgement(
                finding=self.findings[reference],
                monitoring_visit=visit,
                progress=progress,
                words=words,
            )
            judgement.full_clean()
            self.save(judgement, spec["letter"] + 2)

    def build_owners(self):
        day = data.PLAN["created"] - 2
        officer_free = not Owner.objects.filter(user=self.officer).exists()
        for spec in data.OWNERS:
            owner = Owner.objects.filter(
                name=spec.name, organisation=spec.organisation
            ).first()
            if owner is None:
                owner = Owner(
                    name=spec.name,
                    job_title=spec.name,
                    team=spec.team,
                    organisation=spec.organisation,
                )
                # A role mailbox, for the reminders before each board.
                owner.email = f"{spec.key.lower().replace('_', '.')}@{EMAIL_DOMAIN}"
                if spec.key == data.OFFICER_OWNER and officer_free:
                    owner.user = self.officer
                    owner.email = self.officer.email
                self.save(owner, day)
            self.owners[spec.key] = owner

    def build_plan(self, inspection, visits):
        spec = data.PLAN
        plan = self.save(
            Plan(
                name=spec["name"],
                description=spec["description"],
                status=Plan.Status.DRAFT,
                start_date=self.date(spec["start"]),
                end_date=self.date(spec["end"]),
            ),
            spec["created"],
        )
        # What the plan answers: the inspection and every visit and review since.
        self.clock.stamp(plan, spec["created"])
        plan.inspections.add(inspection)
        self.clock.stamp(plan, spec["created"])
        plan.visits.add(*visits)
        for number, title, description, lead in data.PRIORITIES:
            self.priorities[number] = self.save(
                Priority(
                    plan=plan,
                    number=number,
                    title=title,
                    description=description,
                    lead_owner=self.owners[lead],
                ),
                spec["created"] + 2,
            )
        plan.status = Plan.Status.ACTIVE
        self.save(plan, spec["start"], reason="Plan agreed by the Improvement Board")
        return plan

    def actor_for(self, action):
        """Who records changes to this action: its lead if they sign in."""
        lead_user = action.lead_owner.user
        return lead_user if lead_user is not None else self.manager

    def build_action(self, plan, spec):
        priority = self.priorities[int(spec.reference.split(".")[0])]
        with acting_as(self.manager):
            action = self.save(
                Action(
                    plan=plan,
                    priority=priority,
                    reference=spec.reference,
                    title=spec.title,
                    description=spec.description,
                    success_measure=spec.success_measure,
                    lead_owner=self.owners[spec.lead],
                    start_date=self.date(spec.start),
                    original_due_date=self.date(spec.due),
                ),
                spec.added,
            )
            if spec.findings:
                self.clock.stamp(action, spec.added)
                action.findings.add(*(self.findings[ref] for ref in spec.findings))
            if spec.supporting:
                self.clock.stamp(action, spec.added)
                action.supporting_owners.add(
                    *(self.owners[key] for key in spec.supporting)
                )
        actor = self.actor_for(action)
        for event in sorted(spec.events, key=lambda event: event.day):
            if event.day < spec.added or event.day >= 0:
                raise CommandError(
                    f"Action {spec.reference}: an event falls outside its history"
                )
            if isinstance(event, data.Link):
                with acting_as(self.manager):
                    self.clock.stamp(action, event.day)
                    action.findings.add(*(self.findings[r] for r in event.findings))
                continue
            with acting_as(actor):
                self.apply_event(action, event, actor)

    def apply_event(self, action, event, actor):
        if isinstance(event, data.Update):
            update = self.save(
                ProgressUpdate(
                    action=action,
                    author=actor,
                    update_date=self.date(event.day),
                    narrative=event.narrative,
                    status=event.status,
                    rag=event.rag,
                    evidence_url=event.evidence_url,
                ),
                event.day,
            )
            action.status = event.status
            action.rag = event.rag
            if event.status_reason:
                action.status_reason = event.status_reason
            self.save(action, event.day, after=update._history_date)
        elif isinstance(event, data.Move):
            action.due_date = self.date(event.new_due)
            self.save(action, event.day, reason=event.reason)
        elif isinstance(event, data.Assess):
            action.impact = event.impact
            if event.evidence:
                action.impact_evidence = event.evidence
            self.save(action, event.day)
        else:  # pragma: no cover - the data module defines no other events
            raise CommandError(f"Unknown event {event!r}")

    def build_measure(self, plan, spec, worked_out=Measure.WorkedOut.RECORDED):
        """A measure defined when the plan was agreed, with its trajectory of
        targets and its monthly values (none for a measure ``worked_out``
        from the audits: they follow the audits)."""
        with acting_as(self.manager):
            defined = data.PLAN["start"] + 5
            measure = self.save(
                Measure(
                    plan=plan,
                    name=spec.name,
                    definition=spec.definition,
                    unit=spec.unit,
                    direction=spec.direction,
                    frequency=Measure.Frequency.MONTHLY,
                    worked_out_from=worked_out,
                    target=Decimal(spec.target),
                    amber_tolerance=Decimal(spec.amber_tolerance),
                    red_tolerance=Decimal(spec.red_tolerance),
                    data_source=spec.data_source,
                    owner=self.owners[spec.owner],
                ),
                defined,
            )
            self.link_measure(measure, plan, spec, defined)
            self.set_trajectory(measure, spec, defined)
        self.record_values(measure, spec)
        return measure

    def link_measure(self, measure, plan, spec, defined):
        """Link the measure to the priorities, actions and findings it shows
        the impact of: one history row for each kind that it has."""
        links = (
            (measure.priorities, [self.priorities[n] for n in spec.priorities]),
            (
                measure.actions,
                list(Action.objects.filter(plan=plan, reference__in=spec.actions)),
            ),
            (measure.findings, [self.findings[ref] for ref in spec.findings]),
        )
        for related, records in links:
            if records:
                self.clock.stamp(measure, defined)
                related.add(*records)

    def set_trajectory(self, measure, spec, defined):
        """The measure's targets, each from the month its trajectory says."""
        this_month = self.clock.today.replace(day=1)
        for months_ago, target in spec.trajectory:
            self.save(
                MeasureTarget(
                    measure=measure,
                    from_period=_months_before(this_month, months_ago),
                    target=Decimal(target),
                ),
                defined,
            )

    def record_values(self, measure, spec):
        """The measure's monthly values, the last for last month.

        Each month's value is recorded by the measure's owner (or the manager
        when the owner does not sign in) on the tenth of the next month, or
        yesterday for last month's if the tenth is still to come.
        """
        owner_user = measure.owner.user
        actor = owner_user if owner_user is not None else self.manager
        this_month = self.clock.today.replace(day=1)
        count = len(spec.values)
        with acting_as(actor):
            for index, value in enumerate(spec.values):
                months_ago = count - index
                period = _months_before(this_month, months_ago)
                recorded = _months_before(this_month, months_ago - 1).replace(day=10)
                day = min((recorded - self.clock.today).days, -1)
                record = self.save(
                    MeasureValue(measure=measure, period=period, value=Decimal(value)),
                    day,
                )
                if spec.correction and spec.correction[0] == months_ago:
                    _, corrected, reason = spec.correction
                    record.value = Decimal(corrected)
                    self.save(record, min(day + 3, -1), reason=reason)

    def build_audits(self, plan):
        """A year of monthly case-file audits across the teams, and the practice
        weeks with the audits of their dip samples. Returns how many audits.

        The officer records the audits they carry out; the manager the rest
        (and sets up the weeks). Some grades are moderated a week later.
        """
        weeks = self.build_practice_weeks(plan)
        made = 0
        for day, grade_text, position, week in self.audit_schedule(weeks):
            self.build_audit(plan, made, day, grade_text, position, week)
            made += 1
        return made

    def build_practice_weeks(self, plan):
        """The practice weeks, each set up three weeks before it starts."""
        with acting_as(self.manager):
            return [
                self.save(
                    PracticeWeek(
                        plan=plan,
                        practice_issue=spec.practice_issue,
                        start_date=self.date(spec.start),
                        end_date=self.date(spec.start + 11),
                        principles=spec.principles,
                        practice_leads=spec.practice_leads,
                        guidance=spec.guidance,
                        outcome=spec.outcome,
                    ),
                    spec.start - 21,
                )
                for spec in data.PRACTICE_WEEKS
            ]

    def audit_schedule(self, weeks):
        """``(day, grade text, position, practice week)`` of every audit: each
        month's, from early in the month, then each week's dip sample, from
        the fortnight after it."""
        this_month = self.clock.today.replace(day=1)
        count = len(data.MONTHLY_AUDITS)
        for index, grades in enumerate(data.MONTHLY_AUDITS):
            month = _months_before(this_month, count - index)
            for position, grade_text in enumerate(_grades(grades)):
                day = (month - self.clock.today).days + 3 + 3 * position
                yield min(day, -2), grade_text, position + index, None
        for week, spec in zip(weeks, data.PRACTICE_WEEKS, strict=True):
            for position, grade_text in enumerate(_grades(spec.dip_sample)):
                yield spec.start + 14 + position, grade_text, position, week

    def build_audit(self, plan, made, day, grade_text, position, week=None):
        """One audit (``made`` is how many came before it), saved by its
        auditor; a grade written "R/I" was moderated from R to I a week later."""
        grade, _, moderated = grade_text.partition("/")
        team = data.AUDIT_TEAMS[position % len(data.AUDIT_TEAMS)]
        auditor = self.owners[data.AUDITORS[position % len(data.AUDITORS)]]
        final = data.AUDIT_GRADES[moderated or grade]
        strengths, learning = data.AUDIT_NOTES[final]
        record = Audit(
            plan=plan,
            practice_week=week,
            audit_date=self.date(day),
            team=team,
            case_reference=f"CF-{104000 + 37 * made + position}",
            auditor=auditor,
            grade=data.AUDIT_GRADES[grade],
            strengths=strengths,
            learning_points=learning,
        )
        actor = auditor.user or self.manager
        with acting_as(actor):
            self.save(record, day)
            if moderated:
                record.moderated_grade = data.AUDIT_GRADES[moderated]
                self.save(record, min(day + 7, -1))

    # Meetings ------------------------------------------------------------

    def build_meetings(self, plan):
        """A year of monthly Improvement Boards (the next still to come) and
        quarterly scrutiny committees, with their decisions, questions and
        actions arising, and the reminders owners were sent before each
        board. Returns how many meetings."""
        with acting_as(self.manager):
            board = self._body(*data.BOARD, is_board=True)
            scrutiny = self._body(*data.SCRUTINY, is_board=False)
            for n, day in enumerate(data.BOARD_DAYS):
                meeting = self.build_meeting(
                    plan, board, day, n, data.BOARD_ITEMS, data.BOARD_ATTENDEES
                )
                if day < 0:
                    self.build_reminders(plan, meeting, day, n)
            for n, day in enumerate(data.SCRUTINY_DAYS):
                self.build_meeting(
                    plan,
                    scrutiny,
                    day,
                    n + 3,
                    data.SCRUTINY_ITEMS,
                    data.SCRUTINY_ATTENDEES,
                )
        return len(data.BOARD_DAYS) + len(data.SCRUTINY_DAYS)

    def _body(self, name, description, *, is_board):
        body = Body.objects.filter(name=name).first()
        if body is None:
            body = Body(name=name, description=description, is_board=is_board)
            self.save(body, data.PLAN["created"])
        return body

    def build_meeting(self, plan, body, day, n, items, attendees):
        """One meeting: recorded a fortnight before, its minutes after."""
        meeting = Meeting(
            body=body,
            date=self.date(day),
            attendees=attendees,
            partners=data.BOARD_PARTNERS if body.is_board else "",
        )
        self.save(meeting, day - 14)
        meeting.plans.add(plan)
        agenda = [
            self.save(AgendaItem(meeting=meeting, number=number, title=title), day - 14)
            for number, title in enumerate(items, start=1)
        ]
        if day >= 0:
            return meeting  # still to come: its agenda only
        minuted = min(day + 2, -1)
        self.save(
            Decision(
                agenda_item=agenda[0], text=data.DECISIONS[n % len(data.DECISIONS)]
            ),
            minuted,
        )
        asked_by, text, answerer, answer = data.QUESTIONS[n % len(data.QUESTIONS)]
        owed = day > -70
        self.save(
            Question(
                agenda_item=agenda[-1],
                asked_by=asked_by,
                text=text,
                answered_by=self.owners[answerer],
                answer=""
                if owed
                else answer or "A written response was circulated to members.",
                answered_on=None if owed else self.date(min(day + 14, -1)),
            ),
            minuted,
        )
        description, owner, due = data.ACTIONS_ARISING[n % len(data.ACTIONS_ARISING)]
        due_day = day + due
        if due_day < -30:
            status, progress = ActionArising.Status.DELIVERED, "Done and reported back."
        elif due_day < 0:
            status, progress = ActionArising.Status.IN_PROGRESS, "Under way."
        else:
            status, progress = ActionArising.Status.NOT_STARTED, ""
        self.save(
            ActionArising(
                agenda_item=agenda[0],
                description=description,
                owner=self.owners[owner],
                due_date=self.date(due_day),
                status=status,
                progress=progress,
            ),
            minuted,
        )
        return meeting

    def build_reminders(self, plan, meeting, day, n):
        """The reminders sent before a board: one to each of a handful of
        owners leading open actions, listing those actions. Whether each
        owner then updated shows in the actions' own progress updates."""
        sent_day = day - data.REMINDED_BEFORE_DAYS
        open_actions = (
            Action.objects.filter(plan=plan)
            .open()
            .select_related("lead_owner")
            .order_by("reference")
        )
        by_owner = {}
        for action in open_actions:
            by_owner.setdefault(action.lead_owner, []).append(action)
        owners = [owner for owner in by_owner if owner.email]
        if not owners:
            return
        start = (n * 3) % len(owners)
        for owner in (owners[start:] + owners[:start])[:6]:
            reminder = Reminder.objects.create(
                owner=owner,
                kind=Reminder.Kind.BEFORE_MEETING,
                meeting=meeting,
                sent_on=self.date(sent_day),
                sent_at=timezone.make_aware(
                    datetime.datetime.combine(self.date(sent_day), datetime.time(7, 30))
                ),
                email=owner.email,
                subject=(
                    f"Update your actions before the {meeting.body.name} "
                    f"on {govuk_date(meeting.date)}"
                ),
            )
            reminder.actions.set(by_owner[owner])


def _grades(text):
    """The grades of an audit string: "GR/IG" → ["G", "R/I", "G"]."""
    grades = []
    for letter in text:
        if grades and grades[-1].endswith("/"):
            grades[-1] += letter
        elif letter == "/":
            grades[-1] += letter
        else:
            grades.append(letter)
    return grades


def _months_before(first_of_month, months):
    """The first day of the month ``months`` before ``first_of_month``."""
    return months_after(first_of_month, -months)


def inspection_title(start):
    return f"ILACS inspection {start:%Y}"
