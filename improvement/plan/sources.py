"""A new visit that follows an inspection joins the plans answering it.

A plan says which inspections, visits and reviews it answers
(``Plan.inspections``, ``Plan.visits``); their findings are the plan's
findings to answer. When a monitoring visit is recorded against an
inspection (or a visit is moved to one), each plan that answers the
inspection answers the visit too, so its findings are not silently left out
of the plan's. The plan's history records it, as a change by whoever
recorded the visit, with the reason. A manager may take the visit off a
plan again on the plan's form; editing the visit later does not put it back
unless its inspection changes.

Connected when the plan app starts (``ImprovementConfig.ready``). Visits are
below the plan app, so the plan app listens rather than visits calling it.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from improvement.plan.models import Plan
from visits.models import MonitoringVisit


@receiver(post_save, sender=MonitoringVisit, dispatch_uid="visit_joins_plans")
def visit_joins_plans(sender, instance, created, raw=False, **kwargs):
    """Add a visit that newly follows an inspection to the plans answering it.

    No query when the visit's inspection is unchanged; otherwise one to find
    the plans, and one link (with its history row) for each.
    """
    if raw or instance.inspection_id is None:
        return
    loaded = getattr(instance, "_loaded_values", {})
    if not created and loaded.get("inspection_id") == instance.inspection_id:
        return
    plans = Plan.objects.filter(inspections=instance.inspection_id).exclude(
        visits=instance
    )
    for plan in plans:
        plan._change_reason = (
            f"{instance} follows {instance.inspection}, which this plan answers"
        )
        plan.visits.add(instance)
