"""Who may do what. Group names and object-level rules; imports no app models.

Model permissions come from the groups below (created by a data migration).
Object-level rules, such as “an officer may update the actions they lead or
support”, are the small functions here; views call them and pass booleans to
templates. Hiding a button is never the check.
"""

OFFICERS = "Officers"
IMPROVEMENT_MANAGERS = "Improvement managers"
BOARD_MEMBERS = "Board members"
ALL_GROUPS = (OFFICERS, IMPROVEMENT_MANAGERS, BOARD_MEMBERS)


def is_manager(user):
    """Improvement managers (and superusers) may change any action."""
    return user.is_authenticated and (
        user.is_superuser or user.has_perm("improvement.change_plan")
    )


def owns_action(user, action):
    """Does the user lead or support this action? May query supporting owners."""
    owner = getattr(user, "owner", None) if user.is_authenticated else None
    if owner is None:
        return False
    if action.lead_owner_id == owner.pk:
        return True
    return action.supporting_owners.filter(pk=owner.pk).exists()


def can_update_action(user, action):
    """Record progress, change status, RAG, impact, due date, and links."""
    if not user.has_perm("improvement.change_action"):
        return False
    return is_manager(user) or owns_action(user, action)


def can_link_from_finding(user):
    """Improvement managers may link any action to a finding from its page.

    Officers link the findings their own actions answer from the action's page.
    """
    return is_manager(user) and user.has_perm("improvement.change_action")


def can_add_action(user):
    """Improvement managers add actions (to a plan, or answering a finding)."""
    return is_manager(user) and user.has_perm("improvement.add_action")
