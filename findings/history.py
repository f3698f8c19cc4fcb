"""A finding's history: its own changes, the judgements later visits made of
it, and the links of what answers it.

Links between actions and findings are recorded on the action's history (the
many-to-many field is declared on the action), so the plan app, which owns
them, gives their entries through ``findings.answers``.
"""

from findings.answers import answers
from findings.models import Finding, FindingJudgement
from improvement.kernel.timeline import EntrySource, HistorySource, Timeline


def finding_timeline(finding):
    """The finding's own changes, its judgements and its links, newest first.

    A fixed number of queries (see ``Timeline`` and the answers object's
    ``timeline``). The finding's own rows are read a page at a time; its
    links are worked out whole, from the linked actions' history.
    """
    return Timeline(
        HistorySource(Finding, {"id": finding.pk}),
        HistorySource(
            FindingJudgement,
            {"finding_id": finding.pk},
            subject=lambda record: ("Progress judged at a later visit", ""),
        ),
        EntrySource(answers().timeline(finding)),
    )
