"""Forms officers and improvement managers use on the plan."""

from improvement.plan.forms.actions import ActionForm, ActionUpdateForm, link_candidates
from improvement.plan.forms.plans import OwnerForm, PlanForm, PriorityForm

__all__ = [
    "ActionForm",
    "ActionUpdateForm",
    "OwnerForm",
    "PlanForm",
    "PriorityForm",
    "link_candidates",
]
