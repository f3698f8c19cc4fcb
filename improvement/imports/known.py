"""What the board's pages say about a plan imported from a tracker."""

from improvement.imports.models import PlanImport


def imported_after(plan, when):
    """The plan's first import from a tracker made after the moment ``when``,
    or None. A page showing the plan as it stood at ``when`` says so: what
    the tracker held was not yet in the service then. One query."""
    return (
        PlanImport.objects.filter(plan=plan, imported_at__gt=when)
        .order_by("imported_at", "pk")
        .first()
    )
