"""Saving a checked list of findings once the manager confirms.

``save`` writes a ``CheckedFindings`` (``findings_check``), inside the
caller's transaction, as the manager (``acting_as``) with the reason
“Imported from <file name>”, as the plan import does: the new themes first,
then each row's finding and its themes.
"""

from dataclasses import dataclass

from findings.models import Finding, Theme
from improvement.imports.findings_check import source_filter
from improvement.imports.results import CHANGE, CREATE
from improvement.kernel.history import acting_as


@dataclass
class Saved:
    """What an import of findings did."""

    name: str
    created: int = 0
    changed: int = 0
    themes: int = 0


def save(checked, *, user):
    """Write a checked list as ``user``; call inside a transaction, with
    ``check(..., lock=True)``. Returns what was done (``Saved``).

    Every history row names ``user`` and the reason “Imported from <file>”.
    ``EditConflict`` when a finding changed since the check.
    """
    reason = f"Imported from {checked.name}"
    saved = Saved(name=checked.name)
    source = source_filter(checked.source)
    with acting_as(user):
        themes = {}
        for key, name in checked.new_themes.items():
            theme = Theme(name=name)
            theme._change_reason = reason
            theme.save()
            themes[key] = theme
            saved.themes += 1
        for row in checked.rows:
            if row.outcome == CREATE:
                finding = Finding(reference=row.reference, **source, **row.values)
                finding._change_reason = reason
                finding.save()
                saved.created += 1
            elif row.outcome == CHANGE:
                finding = row.finding
                for name, value in row.values.items():
                    setattr(finding, name, value)
                finding._change_reason = reason
                finding.save_if_current(
                    finding.version, related_changed=row.themes is not None
                )
                saved.changed += 1
            else:
                continue
            if row.themes is not None:
                finding._change_reason = reason
                finding.themes.set(
                    [themes[t] if isinstance(t, str) else t for t in row.themes]
                )
    return saved
