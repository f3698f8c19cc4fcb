"""A finding's history: its own changes and the links of what answers it.

Links between actions and findings are recorded on the action's history (the
many-to-many field is declared on the action), so the plan app, which owns
them, gives their entries through ``findings.answers``.
"""

from findings.answers import answers
from improvement.kernel.history import merge_timelines, object_timeline


def finding_timeline(finding):
    """The finding's own changes and its links, newest first.

    A fixed number of queries (see ``object_timeline`` and the answers
    object's ``timeline``).
    """
    return merge_timelines(object_timeline(finding), answers().timeline(finding))
