"""Views of the improvement plan: the actions and the plan's own records."""
