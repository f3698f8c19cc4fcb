"""A plan's audits as they were known at a moment.

An audit recorded in December of a case audited in October was not known to
a board that met in November, and a grade moderated since was known as it
first stood. As at a moment, the audits are their history rows in force at
its end (``improvement.kernel.history_at``), which ``grade_mix`` counts just
as it counts the audits themselves.
"""

from django.db.models import Q

from improvement.audits.models import Audit
from improvement.kernel.history_at import ever_matching, latest_history


def audits_known(plan, when=None):
    """The plan's audits now (``when=None``), or as known at ``when``: a
    queryset of audits, or of their history rows then."""
    if when is None:
        return Audit.objects.filter(plan=plan)
    ids = ever_matching(Audit, Q(plan_id=plan.pk))
    return latest_history(Audit, when, ids).filter(plan_id=plan.pk)
