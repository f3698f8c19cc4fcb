"""The fictional council's inspection, findings and improvement plan.

``python manage.py seed_demo`` loads this content. It is modelled on real,
public council papers: an ILACS inspection judged inadequate, the Ofsted
monitoring visits, DfE review and peer review that followed, and a children's
services improvement plan a year into delivery.

Every date is a number of days from today (negative is in the past), so the
demo always shows a plan about twelve months old: some actions delivered,
some slipping, some overdue and some with no recent update. Owners are roles,
never people.
"""

from typing import NamedTuple

# Delivery statuses and RAG values, as stored on Action and ProgressUpdate.
NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
DELIVERED = "delivered"
PAUSED = "paused"
WITHDRAWN = "withdrawn"
GREEN = "green"
AMBER = "amber"
RED = "red"

# Finding kinds and priorities, as stored on Finding.
RECOMMENDATION = "recommendation"
AREA_FOR_IMPROVEMENT = "area_for_improvement"
AREA_FOR_DEVELOPMENT = "area_for_development"
STRENGTH = "strength"
HIGH = "high"
MEDIUM = "medium"
LOW = "low"

EXAMPLE_SITE = "https://intranet.northmoor.example"


class Update(NamedTuple):
    """A progress update; the action takes the status and RAG it reports."""

    day: int
    status: str
    rag: str
    narrative: str
    status_reason: str = ""
    evidence_url: str = ""


class Move(NamedTuple):
    """The current due date moved to ``new_due`` (days from today), with a reason."""

    day: int
    new_due: int
    reason: str


class Assess(NamedTuple):
    """An impact assessment: emerging, evidenced or embedded."""

    day: int
    impact: str
    evidence: str = ""


class Link(NamedTuple):
    """The action linked to further findings, by reference."""

    day: int
    findings: tuple


class FindingSpec(NamedTuple):
    reference: str
    kind: str
    priority: str
    title: str
    text: str
    themes: tuple


class OwnerSpec(NamedTuple):
    key: str
    name: str
    team: str = ""
    organisation: str = ""


class ActionSpec(NamedTuple):
    reference: str
    title: str
    lead: str
    start: int
    due: int
    success_measure: str
    findings: tuple = ()
    supporting: tuple = ()
    description: str = ""
    events: tuple = ()
    added: int = -366


# ---------------------------------------------------------------------------
# The inspection and its judgements

INSPECTION = {
    "framework": "ilacs",
    "inspectorate": "Ofsted",
    "start": -430,
    "end": -419,
    "published": -395,
    "recorded": -394,
    "report_url": "https://www.northmoor.example/children/ofsted-ilacs-report",
    "overall_judgement": "inadequate",
    "summary": (
        "There are serious and widespread failures in the help and protection "
        "of children in Northmoor. Leaders have not had a clear enough "
        "understanding of the quality of frontline practice, and too many "
        "children have been left in situations of harm for too long. High "
        "caseloads, a reliance on agency social workers and weak management "
        "oversight have led to drift and delay in children's plans. Disabled "
        "children and children supported by the virtual school receive a "
        "better service."
    ),
}

JUDGEMENTS = (
    (
        "The impact of leaders on social work practice with children and families",
        "inadequate",
    ),
    (
        "The experiences and progress of children who need help and protection",
        "inadequate",
    ),
    ("The experiences and progress of children in care", "requires_improvement"),
    ("The experiences and progress of care leavers", "requires_improvement"),
    ("Overall effectiveness", "inadequate"),
)

# ---------------------------------------------------------------------------
# Themes

THEMES = (
    (
        "Leadership and governance",
        "How leaders, elected members and the Improvement Board know about and "
        "drive the quality of practice.",
    ),
    ("Supervision", "Management oversight and the quality of supervision."),
    (
        "Caseloads and workforce",
        "Recruitment, retention, agency use and social workers' caseloads.",
    ),
    ("Quality assurance", "Audit, moderation and learning from practice."),
    (
        "Performance management",
        "Performance information, targets and how leaders use them.",
    ),
    (
        "Children in need and child protection",
        "Help and protection for children in need and children subject to a "
        "child protection plan.",
    ),
    (
        "Pre-proceedings and court work",
        "Work under the Public Law Outline, legal gateway and care proceedings.",
    ),
    (
        "Front door and early help",
        "Contacts, referrals, thresholds, strategy discussions and early help.",
    ),
    ("Children in care", "Permanence, stability, health and education."),
    ("Care leavers", "Pathway plans, accommodation and the local offer."),
    ("Partnerships", "Work with police, health, schools and other partners."),
    (
        "Voice of the child",
        "Direct work, and children's wishes and feelings shaping their plans.",
    ),
)

# ---------------------------------------------------------------------------
# Findings raised by the inspection

INSPECTION_FINDINGS = (
    FindingSpec(
        "R1",
        RECOMMENDATION,
        HIGH,
        "The quality and impact of management oversight and supervision, so "
        "that children's plans progress without delay.",
        "Management oversight is not consistently effective. Supervision is "
        "irregular for some social workers and records do not show reflection "
        "or challenge. Actions from supervision are not followed up, which "
        "contributes to drift and delay for children.",
        ("Supervision", "Leadership and governance"),
    ),
    FindingSpec(
        "R2",
        RECOMMENDATION,
        HIGH,
        "Social work caseloads, so that social workers have the time to build "
        "relationships with children and complete work to a good standard.",
        "Caseloads in the safeguarding teams are too high. Many social workers "
        "hold more than 25 children. A high reliance on agency staff and "
        "frequent changes of social worker mean that too many children have "
        "to retell their stories.",
        ("Caseloads and workforce",),
    ),
    FindingSpec(
        "R3",
        RECOMMENDATION,
        HIGH,
        "The quality of assessments and plans for children in need of help "
        "and protection, so that they are specific, measurable and focused on "
        "children's needs.",
        "Plans are too generic and do not set out what needs to change, by "
        "when and who is responsible. Contingency planning is weak. Children's "
        "lived experiences are not well understood because direct work is not "
        "routinely undertaken or recorded.",
        ("Children in need and child protection", "Voice of the child"),
    ),
    FindingSpec(
        "R4",
        RECOMMENDATION,
        HIGH,
        "The response to children at the front door, including the timeliness "
        "and quality of strategy discussions and the application of thresholds.",
        "Contacts and referrals are not always progressed in a timely way. "
        "Strategy discussions do not always include police and health, and "
        "thresholds are not consistently understood by partner agencies.",
        ("Front door and early help", "Partnerships"),
    ),
    FindingSpec(
        "R5",
        RECOMMENDATION,
        MEDIUM,
        "The effectiveness of the quality assurance framework, including "
        "audit, in improving practice and outcomes for children.",
        "Audits are largely compliance-focused and do not consistently "
        "evaluate the quality of practice or its impact on children. Learning "
        "from audit is not used systematically to improve practice.",
        ("Quality assurance",),
    ),
    FindingSpec(
        "R6",
        RECOMMENDATION,
        HIGH,
        "Leaders' use of performance information to understand and improve "
        "the quality of frontline practice.",
        "Performance reports are not sufficiently analytical. Senior leaders "
        "and elected members have not had an accurate understanding of the "
        "quality of practice and the experiences of children.",
        ("Performance management", "Leadership and governance"),
    ),
    FindingSpec(
        "R7",
        RECOMMENDATION,
        MEDIUM,
        "The timeliness and quality of pre-proceedings work under the Public "
        "Law Outline, so that children do not experience drift and delay.",
        "Pre-proceedings are not always initiated when they should be, and "
        "some children remain in pre-proceedings for too long without their "
        "circumstances improving.",
        ("Pre-proceedings and court work", "Children in need and child protection"),
    ),
    FindingSpec(
        "R8",
        RECOMMENDATION,
        MEDIUM,
        "Permanence planning and the sufficiency of homes for children in care.",
        "Permanence is not secured at the earliest opportunity for some "
        "children. Too few local foster carers mean that some children live "
        "far from their families, schools and communities.",
        ("Children in care",),
    ),
    FindingSpec(
        "R9",
        RECOMMENDATION,
        MEDIUM,
        "The quality of pathway plans, and support for care leavers to find "
        "suitable accommodation, education, employment or training.",
        "Pathway plans are not written with young people and do not address "
        "their needs well. Too few care leavers are in education, employment "
        "or training.",
        ("Care leavers",),
    ),
    FindingSpec(
        "S1",
        STRENGTH,
        LOW,
        "Disabled children receive a consistent and well-coordinated service.",
        "Social workers in the disabled children's team know their children "
        "well and work closely with health and education colleagues.",
        ("Children in need and child protection",),
    ),
    FindingSpec(
        "S2",
        STRENGTH,
        LOW,
        "Children in care benefit from a strong virtual school.",
        "The virtual school has improved attendance and reduced exclusions "
        "for children in care, and personal education plans are timely.",
        ("Children in care",),
    ),
)

# ---------------------------------------------------------------------------
# Monitoring visits and reviews, each with the findings it raised

VISITS = (
    {
        "kind": "ofsted_monitoring",
        "sequence": 1,
        "start": -280,
        "end": -279,
        "letter": -255,
        "inspectors": "Two of His Majesty's Inspectors",
        "areas_covered": (
            "The front door; children in need; children subject to a child "
            "protection plan; the impact of leaders on social work practice."
        ),
        "summary": (
            "Since the last inspection, there are some pockets of improvement "
            "in service delivery. Leaders have established the foundations for "
            "improving practice, but it is too early to make a difference to "
            "children's experiences."
        ),
        "letter_url": f"{EXAMPLE_SITE}/ofsted/monitoring-visit-1-letter",
        "findings": (
            FindingSpec(
                "MV1-1",
                AREA_FOR_IMPROVEMENT,
                HIGH,
                "Police and health do not consistently attend strategy "
                "discussions, which limits the sharing of information to "
                "inform decisions about risk.",
                "Strategy discussions are held promptly, but police attend "
                "only some and health practitioners attend few. Decisions are "
                "therefore sometimes made without all relevant information.",
                ("Partnerships", "Front door and early help"),
            ),
            FindingSpec(
                "MV1-2",
                AREA_FOR_IMPROVEMENT,
                HIGH,
                "Supervision is mostly regular but is not sufficiently "
                "reflective, and actions are too generic and lack timescales.",
                "Social workers value the support they receive from their team "
                "managers. However, most supervision records are not reflective "
                "and actions are too generic and lack timescales for completion.",
                ("Supervision",),
            ),
            FindingSpec(
                "MV1-3",
                AREA_FOR_IMPROVEMENT,
                MEDIUM,
                "Contingency planning is absent for most children when their "
                "circumstances do not improve.",
                "Managers do not consistently provide appropriate challenge "
                "where children's plans are delayed. Contingency planning, to "
                "inform next steps when children's circumstances do not "
                "improve, is absent for most children.",
                ("Children in need and child protection",),
            ),
            FindingSpec(
                "MV1-4",
                AREA_FOR_IMPROVEMENT,
                MEDIUM,
                "Actions from audits do not consistently support case direction "
                "or learning.",
                "Auditors and moderators are mostly consistent in understanding "
                "what good practice looks like. However, actions from audits do "
                "not consistently support case direction or learning about "
                "individual children for social workers or the local authority.",
                ("Quality assurance",),
            ),
            FindingSpec(
                "MV1-5",
                STRENGTH,
                LOW,
                "Thresholds are clear and applied appropriately when children "
                "step up or step down between early help, children in need and "
                "child protection.",
                "Thresholds of risk are clear and applied appropriately when "
                "decisions are being made to step up and step down.",
                ("Front door and early help",),
            ),
        ),
    },
    {
        "kind": "dfe_review",
        "sequence": 1,
        "start": -215,
        "end": -215,
        "letter": -200,
        "inspectors": (
            "DfE Improvement Adviser, Regional Deputy Director and Senior Case Lead"
        ),
        "areas_covered": "Leadership, workforce, performance and partnerships.",
        "summary": (
            "Positive feedback about staff morale and enthusiasm. A lot of "
            "infrastructure work has been completed and there is evidence of a "
            "cultural reset, but there is still much work ahead and a risk of "
            "improvement fatigue."
        ),
        "letter_url": f"{EXAMPLE_SITE}/dfe/review-letter",
        "findings": (
            FindingSpec(
                "DFE-1",
                AREA_FOR_DEVELOPMENT,
                HIGH,
                "Continued focus on the workforce, considering all "
                "opportunities and options to reduce reliance on agency staff.",
                "The workforce remains the greatest risk to sustained "
                "improvement. The council should continue to consider all "
                "opportunities and options to stabilise the workforce.",
                ("Caseloads and workforce",),
            ),
            FindingSpec(
                "DFE-2",
                AREA_FOR_DEVELOPMENT,
                MEDIUM,
                "Deeper analysis of data and quality assurance, supported by "
                "outcome-based indicators, to build a shared partnership "
                "understanding of outcomes for children.",
                "Data and quality assurance need deeper analysis to support "
                "improvement activity, and partners need a shared understanding "
                "of the outcomes achieved for children and families.",
                ("Performance management", "Quality assurance", "Partnerships"),
            ),
            FindingSpec(
                "DFE-3",
                AREA_FOR_DEVELOPMENT,
                MEDIUM,
                "A communication strategy, so that change is clearly "
                "communicated to staff and partners and understood.",
                "Staff and partners are not always clear about what has changed "
                "and why. A communication strategy would help everyone "
                "understand their part in the improvement journey.",
                ("Leadership and governance",),
            ),
            FindingSpec(
                "DFE-4",
                AREA_FOR_DEVELOPMENT,
                LOW,
                "The Improvement Board's terms of reference, membership and "
                "frequency of meetings reviewed for the next phase of "
                "improvement.",
                "The board should be aligned to the ongoing priorities and the "
                "work that lies ahead.",
                ("Leadership and governance",),
            ),
        ),
    },
    {
        "kind": "ofsted_monitoring",
        "sequence": 2,
        "start": -125,
        "end": -124,
        "letter": -100,
        "inspectors": "Two of His Majesty's Inspectors",
        "areas_covered": (
            "Children in care, including permanence planning; care leavers; "
            "children who go missing from care."
        ),
        "summary": (
            "Increased stability in the senior leadership team and strong "
            "political and corporate support. Refreshed approaches to quality "
            "assurance are evident but not yet embedded. Too many changes of "
            "social worker continue to delay plans for some children in care."
        ),
        "letter_url": f"{EXAMPLE_SITE}/ofsted/monitoring-visit-2-letter",
        "findings": (
            FindingSpec(
                "MV2-1",
                AREA_FOR_IMPROVEMENT,
                HIGH,
                "Too many children in care experience changes of social worker, "
                "which delays permanence planning.",
                "Some children continue to experience too many changes of "
                "social worker, which contributes to drift and delay in "
                "progressing their plans for permanence.",
                ("Children in care", "Caseloads and workforce"),
            ),
            FindingSpec(
                "MV2-2",
                AREA_FOR_IMPROVEMENT,
                MEDIUM,
                "Pathway plans are not consistently written with young people "
                "and do not set out clearly how their needs will be met.",
                "The new pathway plan format is an improvement, but plans seen "
                "were variable in quality and few showed young people's own "
                "words.",
                ("Care leavers", "Voice of the child"),
            ),
            FindingSpec(
                "MV2-3",
                AREA_FOR_IMPROVEMENT,
                MEDIUM,
                "Independent reviewing officers do not consistently challenge "
                "drift in children's plans, and escalations are not always "
                "resolved.",
                "Independent reviewing officers raise concerns, but escalations "
                "are not tracked and some remain unresolved for months.",
                ("Children in care", "Quality assurance"),
            ),
            FindingSpec(
                "MV2-4",
                AREA_FOR_IMPROVEMENT,
                MEDIUM,
                "Return home interviews for children who go missing from care "
                "are not consistently offered or used to inform safety planning.",
                "When children go missing from care, return home interviews "
                "are not always offered, and information from them is not "
                "routinely shared with police to reduce the risk of "
                "exploitation.",
                ("Children in care", "Partnerships"),
            ),
            FindingSpec(
                "MV2-5",
                STRENGTH,
                LOW,
                "Care leavers benefit from a consistent personal adviser who "
                "knows them well.",
                "Care leavers spoke positively about their personal advisers, "
                "who keep in touch regularly and help them with practical "
                "matters.",
                ("Care leavers",),
            ),
        ),
    },
    {
        "kind": "peer_review",
        "sequence": 1,
        "start": -55,
        "end": -53,
        "letter": -40,
        "inspectors": (
            "Peer reviewers from two neighbouring councils and a regional "
            "improvement alliance lead"
        ),
        "areas_covered": "Quality assurance, performance and partnership working.",
        "summary": (
            "Staff describe a positive culture, visible senior leaders and a "
            "clear practice model. The next step is to make performance "
            "information sharper and to share learning across the partnership."
        ),
        "letter_url": f"{EXAMPLE_SITE}/peer-review/feedback-letter",
        "findings": (
            FindingSpec(
                "PR-1",
                AREA_FOR_DEVELOPMENT,
                MEDIUM,
                "The performance report to the Improvement Board is long and "
                "descriptive; focus it on fewer measures with targets and "
                "analysis of impact.",
                "Board members receive a large amount of data but little "
                "analysis of what it says about children's experiences.",
                ("Performance management", "Leadership and governance"),
            ),
            FindingSpec(
                "PR-2",
                AREA_FOR_DEVELOPMENT,
                MEDIUM,
                "Learning from audit and practice reviews is not yet "
                "systematically shared with partners.",
                "Partners told reviewers they rarely hear what audits have "
                "found, and multi-agency learning events are infrequent.",
                ("Quality assurance", "Partnerships"),
            ),
            FindingSpec(
                "PR-3",
                AREA_FOR_DEVELOPMENT,
                LOW,
                "Early help assessments completed by partner agencies vary in "
                "quality, and step-down arrangements are not consistently "
                "understood.",
                "Schools and health visitors lead more early help assessments "
                "than before, but quality varies and some families stepped "
                "down from children's social care wait for a lead professional.",
                ("Front door and early help", "Partnerships"),
            ),
            FindingSpec(
                "PR-4",
                STRENGTH,
                LOW,
                "Staff describe a positive culture, visible senior leaders and "
                "a clear practice model.",
                "Social workers said leaders are visible and approachable, and "
                "that the practice standards have given them clarity about "
                "what good looks like.",
                ("Leadership and governance",),
            ),
        ),
    },
)

# ---------------------------------------------------------------------------
# Findings judged again: what each Ofsted monitoring visit (by its sequence)
# said of earlier findings it re-tested, in the letters' words. Fictional.
# (finding reference, monitoring visit, progress, the visit's words)

FINDING_JUDGEMENTS = (
    (
        "R4",
        1,
        "improved_not_embedded",
        "Leaders have improved the timeliness of decisions at the front door, "
        "and thresholds are understood by partners. This is not yet embedded: "
        "the quality of recording of decisions remains variable.",
    ),
    (
        "R3",
        1,
        "some_progress",
        "Assessments are more timely and most now include the child's voice. "
        "Plans for children in need are still too often generic, with "
        "actions that are not specific or measurable.",
    ),
    (
        "R1",
        1,
        "some_progress",
        "Supervision is mostly regular, but it is not sufficiently reflective "
        "and does not consistently drive plans forward for children.",
    ),
    ("R8", 1, "not_yet_tested", ""),
    (
        "R1",
        2,
        "improved_not_embedded",
        "Leaders have improved the quality of management oversight; "
        "supervision records are more reflective and set clear actions. This "
        "is not yet embedded across all teams.",
    ),
    (
        "R5",
        2,
        "improved_not_embedded",
        "Refreshed approaches to quality assurance are evident but not yet "
        "embedded. Audits identify the right learning, but actions from them "
        "are not always followed through.",
    ),
    (
        "R8",
        2,
        "some_progress",
        "Permanence is considered earlier for most children in care, but too "
        "many changes of social worker continue to delay plans for some "
        "children.",
    ),
    (
        "R9",
        2,
        "no_progress",
        "Pathway plans for care leavers remain too variable in quality. Too "
        "few care leavers have a plan that reflects their wishes, and the "
        "support to find suitable accommodation has not improved.",
    ),
    (
        "MV1-3",
        2,
        "some_progress",
        "Contingency plans are now recorded for more children, but they are "
        "not always specific about what will happen if the plan does not "
        "work.",
    ),
)

# ---------------------------------------------------------------------------
# Owners: roles, not people. ``key`` is how the actions below refer to them.

OFFICER_OWNER = "HOS_SG"

OWNERS = (
    OwnerSpec("DCS", "Director of Children's Services", "Children's Services"),
    OwnerSpec(
        "AD", "Assistant Director, Children's Social Care", "Children's Social Care"
    ),
    OwnerSpec("HOS_SG", "Head of Service, Safeguarding", "Safeguarding"),
    OwnerSpec(
        "HOS_CIC",
        "Head of Service, Children in Care and Care Leavers",
        "Children in Care",
    ),
    OwnerSpec("HOS_FD", "Head of Service, Front Door and Early Help", "Front Door"),
    OwnerSpec("PSW", "Principal Social Worker", "Practice Development"),
    OwnerSpec("SM_CIC", "Service Manager, Children in Care", "Children in Care"),
    OwnerSpec("SM_LC", "Service Manager, Care Leavers", "Care Leavers"),
    OwnerSpec(
        "SM_SU",
        "Service Manager, Safeguarding Unit",
        "Child protection chairs and independent reviewing officers",
    ),
    OwnerSpec("HQA", "Head of Quality Assurance", "Quality Assurance"),
    OwnerSpec(
        "PIM", "Performance and Intelligence Manager", "Performance and Intelligence"
    ),
    OwnerSpec("WDL", "Workforce Development Lead", "Workforce Development"),
    OwnerSpec("HR", "HR Business Partner, Children's Services", "Human Resources"),
    OwnerSpec("CIM", "Children's Improvement Manager", "Improvement"),
    OwnerSpec("LEGAL", "Principal Lawyer, Childcare", "Legal Services"),
    OwnerSpec(
        "SUFF",
        "Commissioning Manager, Placements and Sufficiency",
        "Commissioning",
    ),
    OwnerSpec("VSH", "Virtual School Headteacher", "Virtual School"),
    OwnerSpec(
        "NURSE",
        "Designated Nurse for Safeguarding Children",
        "Safeguarding",
        "Northmoor Integrated Care Board",
    ),
    OwnerSpec(
        "POLICE",
        "Detective Inspector, Public Protection",
        "Public Protection Unit",
        "Northmoor Constabulary",
    ),
    OwnerSpec(
        "SCP",
        "Business Manager, Safeguarding Children Partnership",
        "Partnership business unit",
        "Northmoor Safeguarding Children Partnership",
    ),
)

# ---------------------------------------------------------------------------
# The plan, its priorities and actions

PLAN = {
    "name": "Children's services improvement plan",
    "description": (
        "Our response to the Ofsted inspection of local authority children's "
        "services, which judged services to be inadequate. The plan is "
        "overseen by the Children's Improvement Board, chaired independently, "
        "and reported to Cabinet and the Children and Young People Scrutiny "
        "Committee."
    ),
    "created": -370,
    "start": -365,
    "end": 365,
}

PRIORITIES = (
    (
        1,
        "Leadership, governance and management oversight",
        "Leaders know the quality of practice and hold the service to account.",
        "DCS",
    ),
    (
        2,
        "Children in need of help and protection",
        "Children get the right help at the right time, with plans that make "
        "a difference.",
        "HOS_SG",
    ),
    (
        3,
        "Children in care and care leavers",
        "Children in care have permanence without delay, and care leavers are "
        "well supported into adulthood.",
        "HOS_CIC",
    ),
    (
        4,
        "Workforce: recruitment, retention, caseloads and supervision",
        "A stable, well-supported workforce with manageable caseloads.",
        "AD",
    ),
    (
        5,
        "Quality assurance, performance and learning",
        "We know ourselves well and learn from what we find.",
        "HQA",
    ),
    (
        6,
        "Partnerships and the front door",
        "Partners share responsibility for keeping children safe.",
        "HOS_FD",
    ),
)

_BOARD = f"{EXAMPLE_SITE}/improvement-board/papers"
_AUDIT = f"{EXAMPLE_SITE}/quality-assurance/audit-reports"

ACTIONS = (
    # Priority 1: leadership, governance and management oversight ----------
    ActionSpec(
        "1.1",
        "Establish a Children's Improvement Board with an independent chair to "
        "oversee delivery of the plan",
        "DCS",
        start=-365,
        due=-305,
        findings=("R6",),
        supporting=("CIM",),
        success_measure=(
            "The board meets monthly, partners attend, and it challenges "
            "progress using performance and audit evidence."
        ),
        events=(
            Update(
                -350,
                IN_PROGRESS,
                GREEN,
                "Independent chair appointed with the agreement of the DfE. "
                "Terms of reference drafted and shared with partners; first "
                "meeting set for next month.",
            ),
            Update(
                -310,
                DELIVERED,
                GREEN,
                "The board has met monthly since it was established and is well "
                "attended by police, health, schools and the Lead Member. "
                "Minutes and action log published to members.",
                evidence_url=f"{_BOARD}/terms-of-reference",
            ),
            Assess(
                -200,
                "evidenced",
                "The DfE review found the board well attended and sighted on "
                "practice, with synergy between what reviewers heard and what "
                "the board discusses.",
            ),
        ),
    ),
    ActionSpec(
        "1.2",
        "Agree a practice model and practice standards, and launch them with all staff",
        "AD",
        start=-360,
        due=-240,
        findings=("R1", "R3"),
        supporting=("PSW", "WDL"),
        success_measure=(
            "All staff can describe what good looks like; audits show practice "
            "standards met in at least 70% of cases."
        ),
        events=(
            Update(
                -330,
                IN_PROGRESS,
                GREEN,
                "Practice standards drafted with frontline staff in four "
                "workshops. Family voices group has commented on the plain "
                "English version.",
            ),
            Update(
                -270,
                IN_PROGRESS,
                AMBER,
                "Launch delayed by two weeks so that it aligns with the new case "
                "recording forms. Still expected within the due date.",
            ),
            Update(
                -238,
                DELIVERED,
                GREEN,
                "Practice standards launched at all-staff briefings; 87% of "
                "staff attended. One-minute guides and exemplars are on the "
                "intranet.",
                evidence_url=f"{EXAMPLE_SITE}/practice/standards",
            ),
            Assess(-150, "emerging"),
            Assess(
                -40,
                "evidenced",
                "Audits over the last three months show practice standards met "
                "in 61% of cases, up from 38% at the inspection. Peer reviewers "
                "heard staff describe a clear practice model.",
            ),
        ),
    ),
    ActionSpec(
        "1.3",
        "Strengthen senior leadership capacity: recruit a permanent Assistant "
        "Director and heads of service",
        "DCS",
        start=-365,
        due=-250,
        findings=("R1",),
        supporting=("HR",),
        success_measure="A permanent senior leadership team with no interim posts.",
        events=(
            Update(
                -340,
                IN_PROGRESS,
                GREEN,
                "Recruitment campaign launched with an executive search partner. "
                "Interviews for the Assistant Director post held; appointment "
                "made.",
            ),
            Update(
                -262,
                IN_PROGRESS,
                AMBER,
                "Assistant Director in post. The campaign for the Head of "
                "Service, Children in Care was unsuccessful; an interim remains "
                "in post.",
            ),
            Move(
                -258,
                -160,
                "Second recruitment round for the Head of Service, Children in "
                "Care needed after an unsuccessful campaign; interim cover agreed "
                "until the permanent appointment starts.",
            ),
            Update(
                -165,
                DELIVERED,
                GREEN,
                "Permanent Head of Service, Children in Care started this month. "
                "The senior leadership team is now fully permanent.",
            ),
            Assess(
                -95,
                "evidenced",
                "Monitoring visit 2 noted increased stability in the senior "
                "leadership team. Staff survey: 78% say senior leaders are "
                "visible, up from 41%.",
            ),
        ),
    ),
    ActionSpec(
        "1.4",
        "Report progress on the plan each quarter to Cabinet, the Children and "
        "Young People Scrutiny Committee and the Corporate Parenting Board",
        "CIM",
        start=-365,
        due=365,
        supporting=("DCS",),
        success_measure=(
            "Members receive a quarterly progress report and the scrutiny "
            "committee keeps the plan as a standing item."
        ),
        events=(
            Update(
                -300,
                IN_PROGRESS,
                GREEN,
                "First quarterly report presented to Cabinet and scrutiny. The "
                "committee agreed to keep the plan as a standing agenda item.",
            ),
            Update(
                -210,
                IN_PROGRESS,
                GREEN,
                "Second quarterly report presented, including the outcome of "
                "monitoring visit 1.",
            ),
            Update(
                -118,
                IN_PROGRESS,
                GREEN,
                "Third quarterly report presented with the DfE review findings. "
                "Members asked for a shorter summary for the partnership.",
            ),
            Update(
                -24,
                IN_PROGRESS,
                GREEN,
                "Fourth quarterly report presented with the monitoring visit 2 "
                "letter and the peer review feedback.",
                evidence_url=f"{_BOARD}/scrutiny-report-q4",
            ),
        ),
    ),
    ActionSpec(
        "1.5",
        "Review the Improvement Board's terms of reference, membership and "
        "frequency after the DfE review",
        "DCS",
        start=-190,
        due=-130,
        added=-190,
        findings=("DFE-4",),
        supporting=("CIM",),
        success_measure="Revised terms of reference agreed by the board.",
        events=(
            Update(
                -175,
                IN_PROGRESS,
                GREEN,
                "Draft terms of reference discussed at the board. Partners "
                "asked for a quarterly partnership session.",
            ),
            Update(
                -135,
                DELIVERED,
                GREEN,
                "Revised terms of reference agreed. The board now meets every "
                "six weeks, with a quarterly partnership session.",
                evidence_url=f"{_BOARD}/terms-of-reference-revised",
            ),
            Assess(-40, "emerging"),
        ),
    ),
    ActionSpec(
        "1.6",
        "Hold quarterly 'walk the floor' sessions and staff forums led by the "
        "Director and the Lead Member",
        "DCS",
        start=-350,
        due=300,
        supporting=("AD",),
        success_measure=(
            "Staff survey shows staff feel listened to and know about the "
            "improvement plan."
        ),
        events=(
            Update(
                -300,
                IN_PROGRESS,
                GREEN,
                "First walk the floor sessions held in all safeguarding teams "
                "with the Lead Member. Themes: caseloads, IT and parking.",
            ),
            Update(
                -200,
                IN_PROGRESS,
                GREEN,
                "Staff forum held; 64 attended. 'You said, we did' published on "
                "the intranet.",
            ),
            Update(
                -90,
                IN_PROGRESS,
                AMBER,
                "Sessions for this quarter postponed because of diary pressures "
                "during the monitoring visit. To be rescheduled.",
            ),
        ),
    ),
    # Priority 2: children in need of help and protection ------------------
    ActionSpec(
        "2.1",
        "Audit all children subject to a child protection plan for more than "
        "12 months and review their plans",
        "HOS_SG",
        start=-365,
        due=-300,
        findings=("R3", "R7"),
        supporting=("SM_SU", "HQA"),
        success_measure=(
            "Every child on a plan for over 12 months has had their plan "
            "reviewed, with a clear decision about next steps."
        ),
        events=(
            Update(
                -345,
                IN_PROGRESS,
                GREEN,
                "Audit tool agreed with the Safeguarding Unit. 64 children "
                "identified; audits allocated to team managers and practice "
                "supervisors.",
            ),
            Update(
                -318,
                IN_PROGRESS,
                GREEN,
                "52 of 64 children's plans reviewed. Nine children escalated to "
                "the legal gateway meeting.",
            ),
            Update(
                -299,
                DELIVERED,
                GREEN,
                "All 64 children reviewed. 14 stepped down to child in need, "
                "nine escalated to pre-proceedings, and the remaining plans "
                "strengthened with contingency plans.",
                evidence_url=f"{_AUDIT}/cp-over-12-months",
            ),
            Assess(
                -200,
                "evidenced",
                "Re-audit found every child had an up-to-date plan with a "
                "contingency section. Children on a plan for more than 12 "
                "months fell from 64 to 23.",
            ),
        ),
    ),
    ActionSpec(
        "2.2",
        "Introduce a new child in need and child protection plan template with "
        "specific actions, timescales and contingency plans",
        "HOS_SG",
        start=-350,
        due=-240,
        findings=("R3",),
        supporting=("PSW", "PIM"),
        success_measure=(
            "At least 80% of plans audited are specific, measurable and "
            "include a contingency plan."
        ),
        events=(
            Update(
                -320,
                IN_PROGRESS,
                GREEN,
                "Template co-produced with social workers and with parents from "
                "the family voices group. Change request submitted to the case "
                "recording system supplier.",
            ),
            Link(-245, ("MV1-3",)),
            Update(
                -250,
                IN_PROGRESS,
                AMBER,
                "The supplier cannot release the form change until its next "
                "quarterly release. Paper template in use meanwhile.",
            ),
            Move(
                -244,
                -150,
                "Case recording system supplier cannot release the new plan "
                "form until its next quarterly release.",
            ),
            Update(
                -200,
                IN_PROGRESS,
                AMBER,
                "Form in testing. Team manager training booked for the week of "
                "go-live.",
            ),
            Update(
                -148,
                DELIVERED,
                GREEN,
                "New plan template live in the case recording system. 120 "
                "practitioners trained.",
            ),
            Assess(-60, "emerging"),
        ),
    ),
    ActionSpec(
        "2.3",
        "Team managers to review every child in need plan at least every three "
        "months, with a recorded management decision",
        "HOS_SG",
        start=-330,
        due=-150,
        findings=("R1", "R3"),
        supporting=("SM_SU",),
        success_measure="90% of child in need plans reviewed within three months.",
        events=(
            Update(
                -300,
                IN_PROGRESS,
                GREEN,
                "Expectation set out in practice standards and added to the "
                "team manager dashboard.",
            ),
            Update(
                -200,
                IN_PROGRESS,
                AMBER,
                "Compliance 58% against a target of 90%. Weekly performance "
                "clinics started with each team manager.",
            ),
            Move(
                -155,
                -60,
                "Compliance reached 71%; more time needed for newly appointed "
                "team managers to complete their induction.",
            ),
            Update(
                -110,
                IN_PROGRESS,
                AMBER,
                "Compliance 76%. Two teams above 90%; the two teams with "
                "agency managers are below 60%.",
            ),
            Update(
                -70,
                IN_PROGRESS,
                RED,
                "Compliance has fallen to 69% because of two team manager "
                "vacancies in the Safeguarding service.",
            ),
            Move(
                -62,
                30,
                "Two team manager posts vacant; agency cover starts next month "
                "and the backlog of reviews is being allocated.",
            ),
        ),
    ),
    ActionSpec(
        "2.4",
        "Strengthen pre-proceedings practice with a weekly legal gateway "
        "meeting and a pre-proceedings tracker",
        "HOS_SG",
        start=-365,
        due=-270,
        findings=("R7",),
        supporting=("LEGAL",),
        success_measure=(
            "No child in pre-proceedings for more than 16 weeks without a "
            "recorded decision."
        ),
        events=(
            Update(
                -350,
                IN_PROGRESS,
                GREEN,
                "Weekly legal gateway meeting started, chaired by the Head of "
                "Service with the Principal Lawyer.",
            ),
            Update(
                -300,
                IN_PROGRESS,
                GREEN,
                "Pre-proceedings tracker in use; every child reviewed monthly by "
                "the legal gateway meeting.",
            ),
            Update(
                -268,
                DELIVERED,
                GREEN,
                "Gateway and tracker embedded in practice. The number of "
                "children in pre-proceedings has doubled since the inspection.",
            ),
            Assess(
                -180,
                "evidenced",
                "Tracker shows average time in pre-proceedings fell from 31 to "
                "19 weeks; Cafcass feedback on the quality of letters before "
                "proceedings is positive.",
            ),
        ),
    ),
    ActionSpec(
        "2.5",
        "Reduce the number of children who become subject to a child "
        "protection plan for a second or subsequent time",
        "HOS_SG",
        start=-300,
        due=-30,
        findings=("R3",),
        supporting=("HQA", "PIM"),
        success_measure=(
            "Repeat child protection plans at or below the statistical "
            "neighbour average (19%)."
        ),
        events=(
            Update(
                -280,
                IN_PROGRESS,
                GREEN,
                "Baseline agreed: 24% of plans are repeat plans. Deep-dive audit "
                "of 30 children planned.",
            ),
            Update(
                -190,
                IN_PROGRESS,
                AMBER,
                "Deep-dive audit under way. Early themes: step-down too early "
                "and limited partner support after the plan ends.",
            ),
            Update(
                -100,
                IN_PROGRESS,
                AMBER,
                "Deep-dive complete. Recommendations agreed, including a "
                "step-down review three months after a plan ends.",
            ),
            Update(
                -45,
                IN_PROGRESS,
                RED,
                "Repeat plan rate remains 23%, above statistical neighbours. "
                "Step-down reviews started but too early to show impact.",
            ),
        ),
    ),
    ActionSpec(
        "2.6",
        "Embed contingency planning in every child in need and child protection plan",
        "HOS_SG",
        start=-240,
        due=-60,
        added=-243,
        findings=("MV1-3",),
        supporting=("PSW",),
        success_measure="90% of plans audited include a contingency plan.",
        events=(
            Update(
                -220,
                IN_PROGRESS,
                GREEN,
                "Practice week on contingency planning held. Exemplars shared "
                "with all teams.",
            ),
            Update(
                -150,
                IN_PROGRESS,
                GREEN,
                "Contingency section now mandatory in the new plan template.",
            ),
            Update(
                -12,
                IN_PROGRESS,
                AMBER,
                "Contingency plans found in 74% of plans audited this quarter "
                "against a target of 90%. Asking the board to agree a new due "
                "date.",
                evidence_url=f"{_AUDIT}/contingency-planning",
            ),
        ),
    ),
    ActionSpec(
        "2.7",
        "Implement the neglect strategy and the graded care profile tool with partners",
        "HOS_SG",
        start=-300,
        due=60,
        findings=("R3",),
        supporting=("SCP", "NURSE"),
        success_measure=(
            "Graded care profile used in every neglect case; practitioners from "
            "all agencies trained."
        ),
        events=(
            Update(
                -250,
                IN_PROGRESS,
                GREEN,
                "Neglect strategy approved by the Safeguarding Children "
                "Partnership. Implementation plan drafted.",
            ),
            Update(
                -160,
                IN_PROGRESS,
                GREEN,
                "Graded care profile training delivered to 140 practitioners "
                "from 12 agencies.",
            ),
            Update(
                -20,
                IN_PROGRESS,
                GREEN,
                "Graded care profile used in 81% of neglect cases audited. "
                "Training for schools continues next term.",
            ),
        ),
    ),
    ActionSpec(
        "2.8",
        "Record direct work and the child's voice on every visit",
        "PSW",
        start=-340,
        due=-200,
        findings=("R3",),
        supporting=("HOS_SG",),
        success_measure=(
            "Audits show the child's voice recorded and shaping the plan in most cases."
        ),
        events=(
            Update(
                -300,
                IN_PROGRESS,
                GREEN,
                "Direct work toolkit launched; practice week on capturing the "
                "voice of the child held.",
            ),
            Update(
                -205,
                DELIVERED,
                GREEN,
                "Visit recording form changed so that the child's words are "
                "recorded first. Toolkit in use in every team.",
            ),
            Assess(-150, "emerging"),
        ),
    ),
    # Priority 3: children in care and care leavers -------------------------
    ActionSpec(
        "3.1",
        "Review the permanence plan of every child in care by their second review",
        "SM_CIC",
        start=-350,
        due=-200,
        findings=("R8",),
        supporting=("HOS_CIC", "SM_SU"),
        success_measure="Every child in care has a permanence plan by their "
        "second review.",
        events=(
            Update(
                -320,
                IN_PROGRESS,
                GREEN,
                "Permanence planning meetings scheduled for all children in "
                "care without a plan (41 children).",
            ),
            Update(
                -240,
                IN_PROGRESS,
                AMBER,
                "29 of 41 children reviewed. Loss of two senior practitioners "
                "has slowed progress.",
            ),
            Move(
                -205,
                -120,
                "Backlog of permanence planning meetings after the loss of two "
                "senior practitioners.",
            ),
            Update(
                -150,
                IN_PROGRESS,
                AMBER,
                "37 of 41 reviewed; the remaining four are booked.",
            ),
            Update(
                -118,
                DELIVERED,
                GREEN,
                "All 41 children have a permanence plan. Permanence tracking "
                "meeting now monthly.",
            ),
            Assess(
                -40,
                "evidenced",
                "Children with a permanence plan by their second review rose "
                "from 58% to 92%.",
            ),
        ),
    ),
    ActionSpec(
        "3.2",
        "Publish a sufficiency strategy and increase the number of in-house "
        "foster carers",
        "SUFF",
        start=-330,
        due=120,
        findings=("R8",),
        supporting=("HOS_CIC",),
        success_measure=(
            "A net gain of 15 fostering households; more children living "
            "within 20 miles of home."
        ),
        events=(
            Update(
                -300,
                IN_PROGRESS,
                GREEN,
                "Sufficiency strategy published and fostering recruitment "
                "campaign launched.",
            ),
            Update(
                -200,
                IN_PROGRESS,
                AMBER,
                "Net gain of three fostering households against a target of 15 "
                "for the year.",
            ),
            Update(
                -100,
                IN_PROGRESS,
                RED,
                "Campaign fell short: net gain of five. Two carers retired.",
            ),
            Update(
                -20,
                IN_PROGRESS,
                RED,
                "Fostering recruitment remains off track. Revised campaign with "
                "the regional fostering hub starts next month.",
            ),
        ),
    ),
    ActionSpec(
        "3.3",
        "Rewrite the pathway plan with care leavers and train personal advisers "
        "to use it",
        "SM_LC",
        start=-340,
        due=-230,
        findings=("R9",),
        supporting=("WDL",),
        success_measure=(
            "Pathway plans are written with young people and in their words."
        ),
        events=(
            Update(
                -310,
                IN_PROGRESS,
                GREEN,
                "Pathway plan redesigned with the Care Leavers' Council.",
            ),
            Update(
                -228,
                DELIVERED,
                GREEN,
                "New pathway plan live. All personal advisers trained.",
            ),
            Link(-95, ("MV2-2",)),
        ),
    ),
    ActionSpec(
        "3.4",
        "Introduce a local offer for care leavers, including council tax "
        "exemption and a setting-up-home allowance",
        "SM_LC",
        start=-360,
        due=-270,
        findings=("R9",),
        supporting=("HOS_CIC",),
        success_measure=(
            "More care leavers in education, employment or training and in "
            "suitable accommodation."
        ),
        events=(
            Update(
                -330,
                IN_PROGRESS,
                GREEN,
                "Local offer drafted with care leavers; Cabinet report on "
                "council tax exemption prepared.",
            ),
            Update(
                -272,
                DELIVERED,
                GREEN,
                "Local offer approved by Cabinet and published.",
            ),
            Assess(
                -150,
                "embedded",
                "Care leavers in education, employment or training rose from "
                "48% to 57%. All eligible care leavers receive the council tax "
                "exemption.",
            ),
        ),
    ),
    ActionSpec(
        "3.5",
        "Reduce changes of social worker for children in care through a "
        "dedicated children in care service",
        "HOS_CIC",
        start=-300,
        due=-90,
        findings=("R8",),
        supporting=("HR", "SM_CIC"),
        success_measure=(
            "At least 85% of children in care have had the same social worker "
            "for the last six months."
        ),
        events=(
            Update(
                -280,
                IN_PROGRESS,
                GREEN,
                "Proposal for a dedicated children in care service agreed by "
                "the senior leadership team.",
            ),
            Update(
                -180,
                IN_PROGRESS,
                GREEN,
                "Restructure consultation launched with staff and the trade unions.",
            ),
            Link(-95, ("MV2-1",)),
            Update(
                -97,
                IN_PROGRESS,
                AMBER,
                "Consultation extended at the request of the trade unions.",
            ),
            Move(
                -94,
                90,
                "Restructure consultation extended by six weeks at the request "
                "of the trade unions.",
            ),
            Update(
                -15,
                IN_PROGRESS,
                AMBER,
                "New service goes live next month. 71% of children in care "
                "have had the same social worker for six months.",
            ),
        ),
    ),
    ActionSpec(
        "3.6",
        "Audit pathway plans every quarter with care leavers as co-auditors",
        "SM_LC",
        start=-85,
        due=60,
        added=-88,
        findings=("MV2-2",),
        supporting=("HQA",),
        success_measure="80% of pathway plans audited as good or better.",
        events=(
            Update(
                -60,
                IN_PROGRESS,
                GREEN,
                "First audit round completed with two care leavers as "
                "co-auditors: 55% good or better.",
            ),
            Update(
                -6,
                IN_PROGRESS,
                GREEN,
                "Second audit round under way. Personal advisers have had "
                "individual feedback.",
            ),
        ),
    ),
    ActionSpec(
        "3.7",
        "Track independent reviewing officers' escalations monthly and revise "
        "the dispute resolution process",
        "SM_SU",
        start=-80,
        due=-10,
        added=-88,
        findings=("MV2-3",),
        supporting=("HOS_CIC", "HOS_SG"),
        success_measure=(
            "Every escalation resolved within 20 working days, reported monthly "
            "to heads of service."
        ),
        events=(
            Update(
                -65,
                IN_PROGRESS,
                GREEN,
                "Escalation tracker set up; first monthly report to heads of service.",
            ),
            Update(
                -35,
                IN_PROGRESS,
                AMBER,
                "Revised dispute resolution process drafted but not yet agreed "
                "by heads of service.",
            ),
        ),
    ),
    ActionSpec(
        "3.8",
        "Commission a return home interview service for children who go "
        "missing from care",
        "SUFF",
        start=-80,
        due=100,
        added=-85,
        findings=("MV2-4",),
        supporting=("POLICE", "SM_CIC"),
        success_measure=(
            "Every child who returns from a missing episode is offered a return "
            "home interview within 72 hours."
        ),
        events=(
            Update(
                -50,
                IN_PROGRESS,
                GREEN,
                "Service specification drafted with the police missing persons "
                "coordinator.",
            ),
            Update(
                -10,
                IN_PROGRESS,
                AMBER,
                "Procurement timetable at risk because only one bid was "
                "received. Options paper to the next board.",
            ),
        ),
    ),
    ActionSpec(
        "3.9",
        "Extend the virtual school's support to all children with a social worker",
        "VSH",
        start=-300,
        due=200,
        supporting=("HOS_CIC",),
        success_measure=(
            "Attendance of children with a social worker improves; fewer suspensions."
        ),
        events=(
            Update(
                -250,
                IN_PROGRESS,
                GREEN,
                "Extended duty for children with a social worker scoped with "
                "head teachers.",
            ),
            Update(
                -130,
                IN_PROGRESS,
                GREEN,
                "Education advisers now attend child protection conferences "
                "for school-age children.",
            ),
            Update(
                -8,
                IN_PROGRESS,
                GREEN,
                "Attendance of children with a social worker up 3 percentage "
                "points on last year.",
            ),
        ),
    ),
    ActionSpec(
        "3.10",
        "Open a four-bed children's home in the borough",
        "SUFF",
        start=-300,
        due=150,
        findings=("R8",),
        supporting=("HOS_CIC",),
        success_measure="Four more children able to live in the borough.",
        events=(
            Update(
                -270,
                IN_PROGRESS,
                GREEN,
                "Capital funding approved and a property identified.",
            ),
            Update(
                -160,
                IN_PROGRESS,
                AMBER,
                "Planning permission for the preferred property refused; "
                "alternative sites being assessed.",
            ),
            Update(
                -120,
                PAUSED,
                AMBER,
                "Paused while the council reviews its capital programme.",
                status_reason=(
                    "Paused while the council reviews its capital programme; the "
                    "property purchase did not complete. To be revisited in the "
                    "next budget round."
                ),
            ),
        ),
    ),
    # Priority 4: workforce -------------------------------------------------
    ActionSpec(
        "4.1",
        "Launch a recruitment and retention strategy with a market supplement "
        "and a career progression framework",
        "HR",
        start=-365,
        due=-240,
        findings=("R2",),
        supporting=("AD", "WDL"),
        success_measure=(
            "Social worker turnover below 15% and agency social workers below "
            "20% of the workforce."
        ),
        events=(
            Update(
                -340,
                IN_PROGRESS,
                GREEN,
                "Market supplement agreed by the Employment Panel. Career "
                "progression framework drafted with staff.",
            ),
            Update(
                -245,
                DELIVERED,
                GREEN,
                "Strategy launched with the market supplement and career "
                "progression framework in place.",
            ),
            Link(-190, ("DFE-1",)),
            Assess(-120, "emerging"),
            Assess(
                -30,
                "evidenced",
                "Social worker turnover fell from 28% to 19%; agency social "
                "workers down from 41% to 27% of the workforce.",
            ),
        ),
    ),
    ActionSpec(
        "4.2",
        "Reduce average caseloads in the safeguarding teams to no more than 18 "
        "children",
        "AD",
        start=-365,
        due=-180,
        findings=("R2",),
        supporting=("HOS_SG", "PIM"),
        success_measure="Average caseload of 18 or fewer; no social worker above 25.",
        events=(
            Update(
                -330,
                IN_PROGRESS,
                AMBER,
                "Average caseload in the safeguarding teams is 24. Additional "
                "agency team funded for six months.",
            ),
            Update(
                -250,
                IN_PROGRESS,
                AMBER,
                "Average caseload down to 22.",
            ),
            Move(
                -190,
                -60,
                "International recruitment cohort of 12 social workers arrives "
                "later than planned because of visa processing.",
            ),
            Link(-95, ("MV2-1",)),
            Update(
                -150,
                IN_PROGRESS,
                AMBER,
                "Average caseload 21. First international social workers in induction.",
            ),
            Move(
                -70,
                60,
                "Second international cohort delayed; the agency market "
                "remains difficult.",
            ),
            Update(
                -68,
                IN_PROGRESS,
                RED,
                "Average caseload 20 in safeguarding; six social workers hold "
                "more than 25 children.",
            ),
            Update(
                -14,
                IN_PROGRESS,
                AMBER,
                "Average caseload 19.5. Newly qualified social workers "
                "protected at 15.",
                evidence_url=f"{EXAMPLE_SITE}/performance/workforce-dashboard",
            ),
        ),
    ),
    ActionSpec(
        "4.3",
        "Run an academy for newly qualified social workers in their assessed "
        "and supported year, with protected caseloads",
        "WDL",
        start=-340,
        due=-150,
        findings=("R2",),
        supporting=("PSW",),
        success_measure="All newly qualified social workers complete their "
        "assessed year; most stay.",
        events=(
            Update(
                -300,
                IN_PROGRESS,
                GREEN,
                "Academy launched with 22 newly qualified social workers and two "
                "practice educators.",
            ),
            Update(
                -160,
                DELIVERED,
                GREEN,
                "First cohort completed the academy programme.",
            ),
            Assess(
                -60,
                "evidenced",
                "All 22 newly qualified social workers in the first cohort "
                "passed their assessed year; 20 have stayed in Northmoor.",
            ),
        ),
    ),
    ActionSpec(
        "4.4",
        "Recruit experienced social workers through an international "
        "recruitment programme",
        "HR",
        start=-185,
        due=-30,
        added=-188,
        findings=("DFE-1",),
        supporting=("WDL", "AD"),
        success_measure="Twelve experienced social workers in post.",
        events=(
            Update(
                -170,
                IN_PROGRESS,
                GREEN,
                "Interviews held; offers made to 14 candidates.",
            ),
            Update(
                -100,
                IN_PROGRESS,
                AMBER,
                "Six social workers arrived and started induction; the rest are "
                "awaiting visas.",
            ),
            Update(
                -40,
                IN_PROGRESS,
                AMBER,
                "Eight of twelve social workers in post; four still awaiting visas.",
            ),
        ),
    ),
    ActionSpec(
        "4.5",
        "Revise the supervision policy and templates so that supervision is "
        "reflective and actions have timescales",
        "PSW",
        start=-330,
        due=-210,
        findings=("R1",),
        supporting=("HOS_SG", "WDL"),
        success_measure=(
            "Supervision audits show reflective discussion and specific, timed actions."
        ),
        events=(
            Update(
                -300,
                IN_PROGRESS,
                GREEN,
                "Supervision policy redrafted with team managers.",
            ),
            Link(-243, ("MV1-2",)),
            Update(
                -215,
                DELIVERED,
                GREEN,
                "Policy and templates launched; supervision recorded in the "
                "case recording system.",
            ),
            Assess(-100, "emerging"),
        ),
    ),
    ActionSpec(
        "4.6",
        "Train all team managers in reflective supervision and observe "
        "supervision sessions",
        "PSW",
        start=-235,
        due=-90,
        added=-240,
        findings=("R1", "MV1-2"),
        supporting=("WDL", "HOS_SG"),
        success_measure="All 22 team managers trained and observed.",
        events=(
            Update(
                -200,
                IN_PROGRESS,
                GREEN,
                "Training programme commissioned; first cohort started.",
            ),
            Update(
                -120,
                IN_PROGRESS,
                AMBER,
                "14 of 22 team managers trained.",
            ),
            Move(
                -95,
                -20,
                "Training provider cancelled two cohorts.",
            ),
            Update(
                -50,
                IN_PROGRESS,
                AMBER,
                "19 of 22 team managers trained.",
            ),
            Update(
                -18,
                IN_PROGRESS,
                AMBER,
                "21 of 22 team managers trained; observations of supervision "
                "under way.",
            ),
        ),
    ),
    ActionSpec(
        "4.7",
        "Introduce a monthly workforce dashboard reporting vacancies, turnover, "
        "agency use and caseloads",
        "PIM",
        start=-300,
        due=-180,
        findings=("R2",),
        supporting=("HR",),
        success_measure="Workforce dashboard reviewed at every Improvement Board.",
        events=(
            Update(
                -270,
                IN_PROGRESS,
                GREEN,
                "Dashboard prototype built from HR and case recording data.",
            ),
            Update(
                -182,
                DELIVERED,
                GREEN,
                "Dashboard published monthly to managers and the board.",
            ),
            Link(-190, ("DFE-1",)),
            Assess(
                -60,
                "embedded",
                "Dashboard reviewed at every Improvement Board for six months; "
                "used in team manager performance clinics.",
            ),
        ),
    ),
    ActionSpec(
        "4.8",
        "Offer a retention payment to social workers in hard-to-fill teams",
        "HR",
        start=-320,
        due=-200,
        findings=("R2",),
        success_measure="Fewer leavers from hard-to-fill teams.",
        events=(
            Update(
                -290,
                IN_PROGRESS,
                GREEN,
                "Options for a retention payment costed.",
            ),
            Update(
                -220,
                WITHDRAWN,
                AMBER,
                "Withdrawn; replaced by the market supplement.",
                status_reason=(
                    "Superseded by the market supplement agreed in the "
                    "recruitment and retention strategy (action 4.1)."
                ),
            ),
        ),
    ),
    # Priority 5: quality assurance, performance and learning ---------------
    ActionSpec(
        "5.1",
        "Refresh the quality assurance framework, including moderated monthly audits",
        "HQA",
        start=-365,
        due=-270,
        findings=("R5",),
        supporting=("PSW",),
        success_measure=(
            "Monthly audits moderated; auditors and moderators agree in most cases."
        ),
        events=(
            Update(
                -340,
                IN_PROGRESS,
                GREEN,
                "Framework drafted; audit tool focuses on quality and impact "
                "not just compliance.",
            ),
            Update(
                -272,
                DELIVERED,
                GREEN,
                "Refreshed framework launched; monthly audit and moderation "
                "programme running.",
            ),
            Link(-245, ("MV1-4",)),
            Assess(
                -100,
                "evidenced",
                "Moderators agree with the auditor's grade in 84% of audits.",
            ),
        ),
    ),
    ActionSpec(
        "5.2",
        "Close the loop on audit: track every audit action to completion and "
        "share learning through practice weeks",
        "HQA",
        start=-240,
        due=-120,
        added=-245,
        findings=("MV1-4", "R5"),
        supporting=("HOS_SG", "PSW"),
        success_measure="90% of audit actions completed within timescale.",
        events=(
            Update(
                -210,
                IN_PROGRESS,
                AMBER,
                "Audit actions tracked on a spreadsheet while the case recording "
                "form is built.",
            ),
            Move(
                -125,
                -30,
                "Audit action tracker in the case recording system delayed by "
                "the supplier.",
            ),
            Update(
                -90,
                IN_PROGRESS,
                AMBER,
                "Tracker live in the case recording system.",
            ),
            Update(
                -33,
                IN_PROGRESS,
                RED,
                "Only 46% of audit actions completed within timescale.",
                evidence_url=f"{_AUDIT}/audit-action-tracker",
            ),
        ),
    ),
    ActionSpec(
        "5.3",
        "Develop a performance scorecard with targets for the Improvement Board",
        "PIM",
        start=-350,
        due=-260,
        findings=("R6",),
        supporting=("CIM",),
        success_measure="Scorecard with targets presented to every board.",
        events=(
            Update(
                -320,
                IN_PROGRESS,
                GREEN,
                "Scorecard measures agreed with the senior leadership team.",
            ),
            Update(
                -262,
                DELIVERED,
                GREEN,
                "Scorecard presented to the board each month.",
            ),
            Link(-190, ("DFE-2",)),
        ),
    ),
    ActionSpec(
        "5.4",
        "Agree outcome-based indicators with partners and publish a quarterly "
        "partnership performance report",
        "PIM",
        start=-180,
        due=30,
        added=-190,
        findings=("DFE-2",),
        supporting=("SCP", "NURSE"),
        success_measure="A quarterly partnership report with outcome measures.",
        events=(
            Update(
                -150,
                IN_PROGRESS,
                GREEN,
                "Partnership workshop held to agree outcome measures.",
            ),
            Update(
                -60,
                IN_PROGRESS,
                AMBER,
                "Data sharing agreement with health not yet signed.",
            ),
            Update(
                -10,
                IN_PROGRESS,
                AMBER,
                "Data sharing agreement signed. First report draft in preparation.",
            ),
        ),
    ),
    ActionSpec(
        "5.5",
        "Redesign the board's performance report around 20 key measures with "
        "targets and commentary",
        "PIM",
        start=-28,
        due=45,
        added=-25,
        findings=("PR-1",),
        supporting=("CIM", "HQA"),
        success_measure="Board members say the report tells them what changed.",
        events=(
            Update(
                -7,
                IN_PROGRESS,
                GREEN,
                "Twenty key measures agreed with the independent chair.",
            ),
        ),
    ),
    ActionSpec(
        "5.6",
        "Hold monthly practice learning weeks on themes drawn from audit",
        "PSW",
        start=-300,
        due=90,
        findings=("R5",),
        supporting=("HQA",),
        success_measure="Practice weeks held monthly; audits show the themes "
        "improving.",
        events=(
            Update(
                -270,
                IN_PROGRESS,
                GREEN,
                "First practice week on chronologies.",
            ),
            Update(
                -180,
                IN_PROGRESS,
                GREEN,
                "Practice weeks held on visits, case summaries and the voice of "
                "the child.",
            ),
            Update(
                -90,
                IN_PROGRESS,
                GREEN,
                "Practice week on contingency planning.",
            ),
            Update(
                -21,
                IN_PROGRESS,
                GREEN,
                "Practice week on genograms and family finding.",
            ),
        ),
    ),
    ActionSpec(
        "5.7",
        "Set up a systems working group to align case recording changes with "
        "improvement priorities",
        "PIM",
        start=-200,
        due=-100,
        findings=("R6",),
        supporting=("AD",),
        success_measure="Case recording changes prioritised against the plan.",
        events=(
            Update(
                -170,
                IN_PROGRESS,
                GREEN,
                "Terms of reference for the systems working group agreed.",
            ),
            Update(
                -105,
                DELIVERED,
                GREEN,
                "Group meets monthly; change requests prioritised against the plan.",
            ),
        ),
    ),
    ActionSpec(
        "5.8",
        "Refresh the annual self-evaluation of social work practice",
        "HQA",
        start=15,
        due=90,
        findings=("R6",),
        supporting=("DCS", "PIM"),
        success_measure="Self-evaluation agreed by the board.",
    ),
    # Priority 6: partnerships and the front door ---------------------------
    ActionSpec(
        "6.1",
        "Redesign the front door with co-located police and health staff",
        "HOS_FD",
        start=-365,
        due=-250,
        findings=("R4",),
        supporting=("POLICE", "NURSE"),
        success_measure="95% of contacts completed within one working day.",
        events=(
            Update(
                -330,
                IN_PROGRESS,
                GREEN,
                "New front door model agreed by the partnership.",
            ),
            Update(
                -260,
                IN_PROGRESS,
                AMBER,
                "Police co-located; the health practitioner post is vacant.",
            ),
            Move(
                -255,
                -190,
                "Health practitioner post vacant; the ICB is recruiting.",
            ),
            Update(
                -192,
                DELIVERED,
                GREEN,
                "Health practitioner in post. Front door fully co-located.",
            ),
            Assess(
                -90,
                "evidenced",
                "Contacts completed within one working day rose from 71% to 96%.",
            ),
        ),
    ),
    ActionSpec(
        "6.2",
        "Police and health to attend every initial strategy discussion",
        "POLICE",
        start=-245,
        due=-120,
        added=-248,
        findings=("MV1-1",),
        supporting=("NURSE", "HOS_FD"),
        success_measure="Police and health attend 95% of strategy discussions.",
        events=(
            Update(
                -220,
                IN_PROGRESS,
                AMBER,
                "Baseline: police attend 82% and health 47% of strategy discussions.",
            ),
            Update(
                -150,
                IN_PROGRESS,
                AMBER,
                "Health attendance 78% after a duty rota was agreed.",
            ),
            Update(
                -115,
                DELIVERED,
                GREEN,
                "Attendance over the last three months: police 98%, health 91%.",
            ),
            Assess(-40, "emerging"),
        ),
    ),
    ActionSpec(
        "6.3",
        "Relaunch the multi-agency threshold document with training for "
        "schools and GPs",
        "SCP",
        start=-340,
        due=-240,
        findings=("R4",),
        supporting=("HOS_FD", "NURSE"),
        success_measure="Fewer contacts that do not need social care.",
        events=(
            Update(
                -300,
                IN_PROGRESS,
                GREEN,
                "Threshold document revised and agreed by the partnership.",
            ),
            Update(
                -238,
                DELIVERED,
                GREEN,
                "Relaunched; 230 practitioners from schools and GP practices trained.",
            ),
            Assess(
                -150,
                "evidenced",
                "Monitoring visit 1 found thresholds clear and applied appropriately.",
            ),
        ),
    ),
    ActionSpec(
        "6.4",
        "Complete initial health assessments for children entering care within "
        "20 working days",
        "NURSE",
        start=-330,
        due=-150,
        findings=("R8",),
        supporting=("SM_CIC",),
        success_measure="90% of initial health assessments within 20 working days.",
        events=(
            Update(
                -300,
                IN_PROGRESS,
                AMBER,
                "42% of initial health assessments completed on time.",
            ),
            Update(
                -200,
                IN_PROGRESS,
                AMBER,
                "61% on time.",
            ),
            Move(
                -155,
                -30,
                "Paediatrician capacity; the ICB is commissioning additional clinics.",
            ),
            Update(
                -90,
                IN_PROGRESS,
                AMBER,
                "74% on time.",
            ),
            Update(
                -40,
                IN_PROGRESS,
                RED,
                "71% on time; clinics not yet commissioned.",
            ),
        ),
    ),
    ActionSpec(
        "6.5",
        "Hold partners to account for actions from core groups and child "
        "protection conferences, with escalation to the partnership",
        "SM_SU",
        start=-260,
        due=30,
        findings=("R3",),
        supporting=("SCP", "HOS_SG"),
        success_measure="Escalations resolved; partner actions completed on time.",
        events=(
            Update(
                -200,
                IN_PROGRESS,
                GREEN,
                "Escalation protocol agreed by the partnership.",
            ),
            Update(
                -90,
                IN_PROGRESS,
                AMBER,
                "Escalations rising; partner actions not yet tracked.",
            ),
            Update(
                -27,
                IN_PROGRESS,
                AMBER,
                "Tracking of partner actions started in core groups.",
            ),
        ),
    ),
    ActionSpec(
        "6.6",
        "Agree an early help strategy and train partner agencies in early help "
        "assessments",
        "HOS_FD",
        start=-300,
        due=-100,
        findings=("R4",),
        supporting=("SCP",),
        success_measure="More early help assessments led by partner agencies.",
        events=(
            Update(
                -280,
                IN_PROGRESS,
                GREEN,
                "Early help strategy drafted with partners.",
            ),
            Update(
                -180,
                IN_PROGRESS,
                GREEN,
                "Strategy approved; training programme running.",
            ),
            Update(
                -98,
                DELIVERED,
                GREEN,
                "Training delivered to 310 practitioners.",
            ),
        ),
    ),
    ActionSpec(
        "6.7",
        "Agree a joint protocol with the police for children who go missing "
        "or are at risk of exploitation",
        "POLICE",
        start=-85,
        due=-20,
        added=-88,
        findings=("MV2-4",),
        supporting=("HOS_FD", "SM_CIC"),
        success_measure="Protocol agreed and used in every missing episode.",
        events=(
            Update(
                -60,
                IN_PROGRESS,
                GREEN,
                "Protocol drafted with the missing persons coordinator.",
            ),
            Update(
                -22,
                IN_PROGRESS,
                AMBER,
                "Sign-off by the partnership executive delayed to its next meeting.",
            ),
        ),
    ),
    ActionSpec(
        "6.8",
        "Run a multi-agency audit programme on neglect",
        "SCP",
        start=30,
        due=180,
        findings=("R5",),
        supporting=("HQA", "NURSE"),
        success_measure="Quarterly multi-agency audits with learning shared.",
    ),
)

# ---------------------------------------------------------------------------
# Measures of impact: what the plan counts, each with a year of monthly
# values (oldest first, ending last month). The figures are fictional; the
# measures are those the improvement board's scorecard reports.

PERCENTAGE = "percentage"
NUMBER = "number"
HIGHER = "higher"
LOWER = "lower"


class MeasureSpec(NamedTuple):
    name: str
    definition: str
    unit: str
    direction: str
    target: str
    amber_tolerance: str
    red_tolerance: str
    data_source: str
    owner: str  # an OwnerSpec key
    priorities: tuple[int, ...]
    actions: tuple[str, ...]
    findings: tuple[str, ...]
    values: tuple[str, ...]  # twelve months, oldest first
    # (months ago, corrected value, reason): a value put right after it was
    # recorded; the history keeps the first figure.
    correction: tuple[int, str, str] | None = None
    # (months ago, target): the trajectory, each step's target from then on
    # (a negative number of months ago is still to come).
    trajectory: tuple[tuple[int, str], ...] = ()


_CASE_SYSTEM = "Case management system, monthly performance report"
_WORKFORCE = "HR workforce report, end of month"

MEASURES = (
    MeasureSpec(
        "Average caseload per social worker",
        "The number of children allocated to each qualified social worker in the "
        "safeguarding teams, on average, on the last day of the month. Vacant "
        "posts are left out; agency social workers are counted.",
        NUMBER,
        LOWER,
        "24",
        "2",
        "4",
        _CASE_SYSTEM,
        "PIM",
        (4,),
        ("4.2", "4.7"),
        ("R2",),
        (
            "26",
            "25.5",
            "25",
            "24",
            "23.5",
            "22",
            "21.8",
            "21",
            "20.5",
            "20",
            "19.6",
            "19.2",
        ),
        (
            2,
            "19.1",
            "Two children transferred to the disabled children's team "
            "were still counted in the safeguarding teams",
        ),
        ((8, "22"), (4, "20"), (-4, "18")),
    ),
    MeasureSpec(
        "Social worker turnover",
        "Qualified social workers who left in the last 12 months, as a share of "
        "the average number in post over those months (rolling 12 months).",
        PERCENTAGE,
        LOWER,
        "15",
        "3",
        "6",
        _WORKFORCE,
        "HR",
        (4,),
        ("4.1", "4.7"),
        (),
        (
            "28",
            "27.5",
            "27",
            "26",
            "26.4",
            "25",
            "24.1",
            "23.5",
            "23",
            "22.4",
            "22",
            "21.6",
        ),
    ),
    MeasureSpec(
        "Agency social workers",
        "Qualified social work posts filled by agency workers, as a share of "
        "all qualified social work posts filled, on the last day of the month.",
        PERCENTAGE,
        LOWER,
        "15",
        "5",
        "10",
        _WORKFORCE,
        "HR",
        (4,),
        ("4.1", "4.4", "4.7"),
        (),
        (
            "38",
            "37",
            "36",
            "34",
            "33",
            "31",
            "30",
            "29",
            "27",
            "26",
            "25",
            "24",
        ),
    ),
    MeasureSpec(
        "Assessments completed within 45 days",
        "Child and family assessments completed in the month within 45 working "
        "days of the referral, as a share of all assessments completed in the "
        "month.",
        PERCENTAGE,
        HIGHER,
        "85",
        "5",
        "10",
        _CASE_SYSTEM,
        "HOS_FD",
        (2, 6),
        (),
        ("R3", "R4"),
        (
            "62",
            "64",
            "66",
            "65",
            "70",
            "72",
            "74",
            "75",
            "78",
            "80",
            "81",
            "83",
        ),
    ),
    MeasureSpec(
        "Supervision within timescale",
        "Children's social workers whose last recorded supervision was within "
        "the four weeks the supervision policy sets, as a share of all social "
        "workers holding cases.",
        PERCENTAGE,
        HIGHER,
        "90",
        "5",
        "15",
        "Supervision records in the case management system",
        "PSW",
        (1, 4),
        ("4.5", "4.6"),
        ("R1",),
        (
            "55",
            "58",
            "60",
            "63",
            "67",
            "70",
            "72",
            "71",
            "74",
            "76",
            "78",
            "79",
        ),
    ),
    MeasureSpec(
        "Children seen within timescale",
        "Children subject to a child protection plan who were seen alone by "
        "their social worker within the last 10 working days, as a share of all "
        "children subject to a plan at the end of the month.",
        PERCENTAGE,
        HIGHER,
        "95",
        "3",
        "8",
        _CASE_SYSTEM,
        OFFICER_OWNER,
        (2,),
        ("2.1",),
        ("R3",),
        (
            "81",
            "83",
            "84",
            "86",
            "85",
            "88",
            "89",
            "90",
            "91",
            "92",
            "93",
            "94",
        ),
    ),
    MeasureSpec(
        "Child protection plans for a second or subsequent time",
        "Children who became subject to a child protection plan in the last 12 "
        "months who had been subject to a plan before, as a share of all who "
        "became subject to a plan (rolling 12 months).",
        PERCENTAGE,
        LOWER,
        "20",
        "2",
        "5",
        _CASE_SYSTEM,
        OFFICER_OWNER,
        (2,),
        (),
        (),
        (
            "26",
            "25",
            "27",
            "24",
            "25",
            "23",
            "24",
            "26",
            "25",
            "24",
            "26",
            "25.5",
        ),
    ),
)


#: The measure worked out from the audits, not recorded: defined with the
#: others, its values follow each audit as it is recorded and moderated.
AUDIT_MEASURE = MeasureSpec(
    "Case-file audits graded Good or better",
    "The share of the month's case-file audits graded Good or Outstanding "
    "after moderation. Worked out from the audits as they are recorded.",
    PERCENTAGE,
    HIGHER,
    "40",
    "10",
    "20",
    "Case-file audits, after moderation",
    "HQA",
    (5,),
    ("5.6",),
    ("R5",),
    (),
    trajectory=((6, "50"), (-3, "60")),
)

# ---------------------------------------------------------------------------
# Case-file audits and practice weeks
# ---------------------------------------------------------------------------
# Grades in the audit strings: O Outstanding, G Good, R Requires improvement,
# I Inadequate. A moderated grade follows a slash: "G/R" was graded Good and
# moderated to Requires improvement.

AUDIT_GRADES = {
    "O": "outstanding",
    "G": "good",
    "R": "requires_improvement",
    "I": "inadequate",
}

#: The teams audited in turn, and who audits (OwnerSpec keys).
AUDIT_TEAMS = (
    "Front door and MASH",
    "Assessment team 1",
    "Assessment team 2",
    "Child in need and child protection team",
    "Children in care team",
    "Care leavers team",
)
AUDITORS = ("HQA", "PSW", "SM_SU", OFFICER_OWNER, "SM_CIC", "SM_LC")

#: Twelve months of monthly audits, oldest first: practice getting better,
#: moderation taking some generous first grades down (and a few up).
MONTHLY_AUDITS = (
    "IIRRIRIR",
    "IRRIR/IRI",
    "RIRG/RRIR",
    "RRIRG/RRR",
    "RRGRIRR",
    "RG/RRGRRI",
    "RGRRGR/GR",
    "GRRGRG/RR",
    "GRGRRGG",
    "GGRG/RRGR",
    "GRGGOGR/G",
    "GGRGGOG/RG",
)

#: The strengths and learning points an audit records, by its final grade.
AUDIT_NOTES = {
    "outstanding": (
        "The child's lived experience is vivid; the plan is specific and is "
        "driving change.",
        "Share as an exemplar at the next practice week.",
    ),
    "good": (
        "Visits are on time and purposeful; the child's views are recorded.",
        "Chronology needs updating after the last strategy discussion.",
    ),
    "requires_improvement": (
        "The assessment is thorough and analytical.",
        "Management oversight is not recorded since the last review; the plan "
        "is not SMART.",
    ),
    "inadequate": (
        "The child is seen regularly.",
        "No recorded supervision for three months; risks are not analysed and "
        "drift in the plan is not challenged.",
    ),
}


class PracticeWeekSpec(NamedTuple):
    practice_issue: str
    start: int  # days from today
    principles: str
    practice_leads: str
    guidance: str
    outcome: str
    dip_sample: str  # the grades of its dip sample, as MONTHLY_AUDITS


PRACTICE_WEEKS = (
    PracticeWeekSpec(
        "Visits to children",
        -280,
        "Compliance with the schedule of visits for children in need, on a "
        "child protection plan and in care, and why: statute or policy. The "
        "purpose of each visit links clearly to the child's plan. Recording "
        "what was seen and heard, and the child's voice.",
        "Principal Social Worker; Practice Supervisor, Safeguarding",
        "Lunch and learn session; practice guidance; practice standards; "
        "one-minute guide; an exemplar visit record.",
        "Visits were in timescale in most files, but their purpose was often "
        "not linked to the plan. Two files were Inadequate: no visit for over "
        "six weeks.",
        "RRIRG/RI",
    ),
    PracticeWeekSpec(
        "Chronologies",
        -180,
        "Every case file has an accurate chronology that is fit for purpose "
        "and gives a clear picture of the family's experience, the "
        "interventions of the local authority, and what has worked and why.",
        "Principal Social Worker; Service Manager, Safeguarding Unit",
        "As for visits to children, with a chronology template and a workshop "
        "for team managers.",
        "Chronologies were present in all files sampled; half were up to date "
        "and analytical.",
        "GRRGR/GR",
    ),
    PracticeWeekSpec(
        "Capturing the voice of the child",
        -60,
        "Every file has the child's voice in case summaries, visits and all "
        "activity; their experiences are understood and their wishes and "
        "feelings are taken into account.",
        "Practice Supervisor, Children in Care; Participation Lead",
        "Workshops with the Children in Care Council; direct work toolkit.",
        "",
        "GGRGOG",
    ),
)


# ---------------------------------------------------------------------------
# Meetings that govern the plan: a monthly Improvement Board (owners are
# reminded before each) and the scrutiny committee every quarter. Decisions,
# questions and actions arising in the style of the minutes in the seeds.
# ---------------------------------------------------------------------------

BOARD = (
    "Children's Improvement Board",
    "Independently chaired; partners and the DfE adviser attend. Reviews the "
    "improvement plan every month.",
)
SCRUTINY = (
    "Children and Young People Scrutiny Committee",
    "Elected members; the improvement plan is a standing item every quarter.",
)
BOARD_ATTENDEES = (
    "Independent Chair\nDirector of Children's Services\nAssistant Director, "
    "Children's Social Care\nLead Member for Children's Services\nChildren's "
    "Improvement Manager\nDfE Improvement Adviser"
)
BOARD_PARTNERS = (
    "Police: Detective Superintendent, Public Protection\nHealth: Designated "
    "Nurse for Safeguarding\nSchools: Head Teacher representative"
)
SCRUTINY_ATTENDEES = (
    "Chair of the Committee\nCommittee members (7)\nLead Member for "
    "Children's Services\nDirector of Children's Services"
)
#: Days from today of each meeting: the board monthly (the last still to
#: come), the scrutiny committee quarterly.
BOARD_DAYS = (-335, -307, -279, -244, -216, -188, -153, -125, -97, -62, -34, -6, 22)
SCRUTINY_DAYS = (-300, -210, -120, -30)

BOARD_ITEMS = (
    "Improvement plan progress report",
    "Performance scorecard and measures of impact",
    "Quality assurance: case-file audits and practice weeks",
)
SCRUTINY_ITEMS = ("Children's services improvement plan: quarterly update",)

DECISIONS = (
    "It was agreed that the progress report be noted and that actions rated "
    "Red be brought back to the next meeting with a recovery plan.",
    "It was agreed that the scorecard include the share of children visited "
    "within timescale, with a target of 90%.",
    "It was agreed that the audit programme be extended to the Front Door.",
    "It was agreed that the workforce report come to every meeting until "
    "agency staffing falls below 20%.",
    "It was agreed that revised due dates be accepted only with a reason "
    "recorded against the action.",
    "It was agreed that the findings of the last monitoring visit be mapped "
    "to the plan before the next meeting.",
    "The Committee resolved that the update be noted and that members visit "
    "the Front Door before the next quarterly report.",
)
#: (asked by, question, who answers (owner key), answer or "" if owed)
QUESTIONS = (
    (
        "Councillor",
        "How many children are waiting for an allocated social worker?",
        "AD",
        "Eleven children on the day of the meeting, all with a named team "
        "manager overseeing their plans.",
    ),
    (
        "DfE Improvement Adviser",
        "What difference has the new supervision policy made to practice?",
        "PSW",
        "Audits show supervision recorded in 80% of files, up from 45%; the "
        "quality of reflection is still variable.",
    ),
    (
        "Independent Chair",
        "When will the sufficiency strategy come to the board?",
        "SUFF",
        "",
    ),
    (
        "Councillor",
        "What is the caseload of newly qualified social workers?",
        "HR",
        "",
    ),
)
#: (what is to be done, owner key, days after the meeting it is due)
ACTIONS_ARISING = (
    ("Circulate the supervision audit findings to board members.", "HQA", 14),
    ("Bring a recovery plan for actions rated Red to the next meeting.", "CIM", 28),
    ("Provide a written response on the use of agency staff by team.", "HR", 21),
    ("Map the monitoring visit's findings to the plan's actions.", "CIM", 28),
    ("Report the number of children visited within timescale by team.", "PIM", 28),
)
#: Owners reminded before each board meeting: those leading open actions.
REMINDED_BEFORE_DAYS = 5
