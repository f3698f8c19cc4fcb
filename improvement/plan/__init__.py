"""The improvement plan app: plans, priorities, owners, actions and progress.

Its app label stays ``improvement``, so its tables, permissions
("improvement.change_action") and history tables keep their names.
"""
