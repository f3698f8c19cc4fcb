"""What a person is told when a plan record breaks a rule: one text each.

The models' constraints, their ``clean()`` and ``save()``, and the forms all
name these, so the same rule always reads the same wherever it is caught.
Changing a text used by a constraint changes that constraint's migration
state: make a migration with it.
"""

from improvement.kernel.dates import govuk_date

# Owners
OWNER_NAME_TAKEN = "There is already an owner with this name"

# Plans and priorities
PLAN_ENDS_BEFORE_START = "The end date must be on or after the start date"
PRIORITY_NUMBER_TAKEN = "This plan already has a priority with that number"
PRIORITY_NUMBER_BELOW_ONE = "The priority number must be 1 or more"

# Actions
ACTION_REFERENCE_TAKEN = "This plan already has an action with that reference"
PRIORITY_OF_ANOTHER_PLAN = "Select a priority from this action's plan"
DUE_BEFORE_START = "The due date must be on or after the start date"
ORIGINAL_DUE_BEFORE_START = "The original due date must be on or after the start date"
START_AFTER_DUE = "The start date must be on or before the due date"
REASON_FOR_PAUSE_OR_WITHDRAWAL = "Give a reason for pausing or withdrawing the action"
EVIDENCE_OF_IMPACT = "Describe the evidence when impact is evidenced or embedded"
ORIGINAL_DUE_FIXED = "The original due date cannot be changed"
REASON_FOR_DUE_DATE_MOVE = "Give a reason for moving the due date"

# Progress updates
PROGRESS_NARRATIVE = "Describe the progress made"
PROGRESS_FIXED = "Progress updates cannot be changed once recorded"


def on(message, day):
    """``message`` naming the date it is measured against: "… (30 June 2026)"."""
    return f"{message} ({govuk_date(day)})"
