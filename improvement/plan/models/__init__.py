"""The improvement plan: plans, priorities, owners, actions and progress updates."""

from improvement.plan.models.actions import Action, ProgressUpdate
from improvement.plan.models.plans import Owner, Plan, Priority

__all__ = ["Action", "Owner", "Plan", "Priority", "ProgressUpdate"]
