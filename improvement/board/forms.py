"""What the board's pages share to read a plan and dates from a query string."""

from improvement.plan.models import Plan


def default_plan(plans=None):
    """The plan pages open on: the newest active plan, else the newest plan.

    ``plans`` is a queryset of plans the user may see (every plan if None).
    Returns None when there are none.
    """
    plans = Plan.objects.all() if plans is None else plans
    newest = plans.order_by("-start_date", "-pk")
    return newest.filter(status=Plan.Status.ACTIVE).first() or newest.first()
