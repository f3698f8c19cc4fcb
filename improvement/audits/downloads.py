"""Audits as a download: one row per case-file audit.

Each row says which plan, when and where the case was audited, its
pseudonymous reference, the auditor, the practice week it was part of, the
grade, the grade after moderation and the grade that counts, whether that is
Good or better, strengths, learning points and the actions it gave rise to.
Written by the kernel's spreadsheet writers, which keep text that a
spreadsheet would run as a formula as text.
"""

from django.db.models import Prefetch

from improvement.audits.models import GOOD_OR_BETTER, Audit
from improvement.kernel.downloads import large_download
from improvement.kernel.spreadsheets import Column, Table, joined, yes_no
from improvement.plan.models import Action
from visits.models import Grade

AUDIT_COLUMNS = (
    Column("Plan", 30),
    Column("Date of the audit", 16),
    Column("Team or service area", 26),
    Column("Case reference", 16),
    Column("Auditor", 26),
    Column("Practice week", 36),
    Column("Grade", 22),
    Column("Grade after moderation", 22),
    Column("Grade that counts", 22),
    Column("Good or better", 14),
    Column("Strengths", 50),
    Column("Learning points", 50),
    Column("Actions it gave rise to", 24),
    Column("Last recorded", 20),
)

GRADE_LABELS = dict(Grade.choices)

#: The kind of download the audits are, for ``kernel.downloads``.
AUDITS_DOWNLOAD = "audits"


def audit_rows(audits):
    """Rows for ``audits`` in their order: three queries for any number (the
    audits with plan, auditor and week; the references of their actions)."""
    audits = audits.select_related("plan", "auditor", "practice_week").prefetch_related(
        Prefetch(
            "actions",
            queryset=Action.objects.only("pk", "reference").order_by("sort_key"),
        )
    )
    for audit in audits:
        final = audit.final_grade
        yield [
            audit.plan.name,
            audit.audit_date,
            audit.team,
            audit.case_reference,
            audit.auditor.name,
            str(audit.practice_week) if audit.practice_week else "",
            GRADE_LABELS.get(audit.grade, audit.grade),
            GRADE_LABELS.get(audit.moderated_grade, "Not moderated"),
            GRADE_LABELS.get(final, final),
            yes_no(final in GOOD_OR_BETTER),
            audit.strengths,
            audit.learning_points,
            joined(action.reference for action in audit.actions.all()),
            audit.updated_at,
        ]


def audits_table(audits):
    """``audits`` as a table for ``spreadsheets.download``."""
    return Table(
        title="Case-file audits", columns=AUDIT_COLUMNS, rows=audit_rows(audits)
    )


def audits_for(user, plan):
    """The audits ``user`` may see: of ``plan``, or of every plan (None)."""
    audits = Audit.objects.visible_to(user)
    return audits if plan is None else audits.filter(plan=plan)


@large_download(AUDITS_DOWNLOAD)
def audits_download_table(user, plan):
    """The audits download for ``user``: of ``plan``, or of every plan."""
    return audits_table(audits_for(user, plan))
