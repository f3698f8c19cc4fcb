"""factory_boy factories: each makes a valid object with no arguments."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from findings.models import Finding, FindingJudgement, Theme
from improvement.audits.models import Audit, PracticeWeek
from improvement.imports.models import ImportFile
from improvement.measures.models import Measure, MeasureTarget, MeasureValue
from improvement.meetings.models import (
    ActionArising,
    AgendaItem,
    Body,
    Decision,
    Meeting,
    Question,
)
from improvement.plan.models import Action, Owner, Plan, Priority, ProgressUpdate
from visits.models import Grade, Inspection, Judgement, MonitoringVisit


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    title = factory.Sequence(lambda n: f"ILACS inspection {2020 + n}")
    start_date = datetime.date(2025, 10, 6)
    end_date = datetime.date(2025, 10, 17)
    published_date = datetime.date(2025, 11, 28)
    overall_judgement = Grade.INADEQUATE


class JudgementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Judgement

    inspection = factory.SubFactory(InspectionFactory)
    area = factory.Sequence(lambda n: f"Judgement area {n}")
    grade = Grade.REQUIRES_IMPROVEMENT


class MonitoringVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonitoringVisit

    inspection = factory.SubFactory(InspectionFactory)
    kind = MonitoringVisit.Kind.OFSTED_MONITORING
    sequence = factory.Sequence(lambda n: n + 1)
    start_date = datetime.date(2026, 3, 10)
    end_date = datetime.date(2026, 3, 11)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Theme {n}")


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding

    inspection = factory.SubFactory(InspectionFactory)
    kind = Finding.Kind.RECOMMENDATION
    reference = factory.Sequence(lambda n: f"R{n + 1}")
    title = factory.Sequence(lambda n: f"The quality of supervision {n}")
    text = "Supervision is not regular enough and does not drive plans forward."


class FindingJudgementFactory(factory.django.DjangoModelFactory):
    """A later visit of the finding's inspection judging its progress."""

    class Meta:
        model = FindingJudgement

    finding = factory.SubFactory(FindingFactory)
    monitoring_visit = factory.SubFactory(
        MonitoringVisitFactory,
        inspection=factory.SelfAttribute("..finding.inspection"),
    )
    progress = FindingJudgement.Progress.IMPROVED_NOT_EMBEDDED
    words = (
        "Leaders have improved the quality of supervision; this is not yet embedded."
    )


class OwnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Owner

    name = factory.Sequence(lambda n: f"Service Manager {n}")
    job_title = "Service manager"


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Children's services improvement plan {n}")
    start_date = datetime.date(2025, 12, 1)

    @factory.post_generation
    def inspections(self, create, extracted, **kwargs):
        """``PlanFactory(inspections=[...])``: the inspections it answers."""
        if create and extracted:
            self.inspections.add(*extracted)

    @factory.post_generation
    def visits(self, create, extracted, **kwargs):
        """``PlanFactory(visits=[...])``: the visits and reviews it answers."""
        if create and extracted:
            self.visits.add(*extracted)


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    plan = factory.SubFactory(PlanFactory)
    # Within the 1-999 a person may enter, however many a test worker makes.
    number = factory.Sequence(lambda n: n % 999 + 1)
    title = factory.Sequence(lambda n: f"Workstream {n}")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    priority = factory.SubFactory(PriorityFactory)
    plan = factory.SelfAttribute("priority.plan")
    reference = factory.Sequence(lambda n: f"1.{n + 1}")
    title = factory.Sequence(lambda n: f"Embed monthly reflective supervision {n}")
    lead_owner = factory.SubFactory(OwnerFactory)
    start_date = datetime.date(2026, 1, 5)
    original_due_date = datetime.date(2026, 6, 30)
    due_date = factory.SelfAttribute("original_due_date")


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    action = factory.SubFactory(ActionFactory)
    author = factory.SubFactory(UserFactory)
    update_date = datetime.date(2026, 2, 1)
    narrative = "Supervision audit completed; 78% of supervisions in timescale."
    status = Action.Status.IN_PROGRESS
    rag = Action.Rag.AMBER


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    plan = factory.SubFactory(PlanFactory)
    name = factory.Sequence(lambda n: f"Average caseload per social worker {n}")
    definition = "Children allocated to each qualified social worker, on average."
    unit = Measure.Unit.NUMBER
    direction = Measure.Direction.LOWER
    frequency = Measure.Frequency.MONTHLY
    target = Decimal("18")
    amber_tolerance = Decimal("2")
    red_tolerance = Decimal("4")
    data_source = "Case management system, monthly workforce report"
    owner = factory.SubFactory(OwnerFactory)


class MeasureValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeasureValue

    measure = factory.SubFactory(MeasureFactory)
    # Months from January 2024, back to 2024 after 60 years: within the years
    # a person may enter, however many a test worker makes.
    period = factory.Sequence(
        lambda n: datetime.date(2024 + n // 12 % 60, n % 12 + 1, 1)
    )
    value = Decimal("21")


class MeasureTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeasureTarget

    measure = factory.SubFactory(MeasureFactory)
    from_period = datetime.date(2026, 4, 1)
    target = Decimal("16")


class PracticeWeekFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PracticeWeek

    plan = factory.SubFactory(PlanFactory)
    practice_issue = factory.Sequence(lambda n: f"Management oversight {n}")
    start_date = datetime.date(2025, 11, 3)
    end_date = datetime.date(2025, 11, 14)
    principles = "Supervision is regular, reflective and recorded on the file."
    practice_leads = "Principal Social Worker; Practice Improvement Lead"
    guidance = "Supervision policy refreshed; two reflective supervision workshops."


class AuditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Audit

    plan = factory.SubFactory(PlanFactory)
    audit_date = datetime.date(2025, 11, 10)
    team = "Assessment team 1"
    case_reference = factory.Sequence(lambda n: f"CF-{100200 + n}")
    auditor = factory.SubFactory(OwnerFactory)
    grade = Grade.REQUIRES_IMPROVEMENT
    strengths = "The child's voice is clear in the assessment."
    learning_points = "Management oversight is not recorded on the file."


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body
        django_get_or_create = ["name"]

    name = "Improvement Board"
    is_board = True


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    body = factory.SubFactory(BodyFactory)
    date = datetime.date(2026, 1, 20)
    attendees = "Independent Chair\nDirector of Children's Services\nDfE Adviser"
    partners = "Police: Detective Superintendent, Public Protection"

    @factory.post_generation
    def plans(self, create, extracted, **kwargs):
        if create and extracted:
            self.plans.set(extracted)


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = "Improvement plan progress report"


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    agenda_item = factory.SubFactory(AgendaItemFactory)
    text = "It was agreed that the report be noted."


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    agenda_item = factory.SubFactory(AgendaItemFactory)
    asked_by = "Councillor"
    text = "How many children have had a visit within timescale?"


class ActionArisingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionArising

    agenda_item = factory.SubFactory(AgendaItemFactory)
    description = "Circulate the supervision audit findings to board members."
    owner = factory.SubFactory(OwnerFactory)
    due_date = datetime.date(2026, 2, 17)


class ImportFileFactory(factory.django.DjangoModelFactory):
    """A tracker uploaded for import, as a CSV with one action."""

    class Meta:
        model = ImportFile

    plan = factory.SubFactory(PlanFactory)
    uploaded_by = factory.SubFactory(UserFactory)
    name = "tracker.csv"
    data = (
        b"Ref,Action,Lead Officer,Target date,RAG\r\n"
        b"Priority 1: Leadership\r\n"
        b"1.1,Embed reflective supervision,Service Manager,31/03/2026,Amber\r\n"
    )
