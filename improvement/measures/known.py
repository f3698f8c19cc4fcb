"""Measures as they were known at a moment: what a board was able to see.

A value recorded in December for October was not known to a board that met
in November, and a value corrected since was known as it first stood. So a
measure "as at" a date is read from the history: the measure's definition,
its trajectory of targets and its values, each as its history row in force
at the end of that day (``improvement.kernel.history_at``). Now, it is read
from the tables themselves.

Either way the measures come back as ``Measure`` objects carrying
``latest_period`` and ``latest_value`` (what ``Measure.latest_rag`` and the
lists read) and their trajectory of targets in place of ``targets.all()``,
in a fixed number of queries however many measures and values there are.
"""

from collections import defaultdict

from django.db.models import Q

from improvement.kernel.history import m2m_history_relation
from improvement.kernel.history_at import as_it_stood, ever_matching, latest_history
from improvement.measures.models import (
    RAG_ORDER,
    Measure,
    MeasureTarget,
    MeasureValue,
)


def off_target_first(measures):
    """Measures Red first, then Amber, Green and those with no RAG; by name.

    Each measure needs ``latest_value`` and ``latest_period``
    (``Measure.objects.with_latest_value()`` or ``measures_known``).
    """
    rank = {rag: i for i, rag in enumerate(RAG_ORDER)}
    return sorted(measures, key=lambda m: (rank[m.latest_rag], m.name.lower(), m.pk))


def measures_known(plan, when=None):
    """The plan's measures with their latest values, off target first.

    ``when=None``: as they are now. Otherwise as known at ``when`` (a
    moment; ``kernel.dates.end_of_day`` of a date): measures defined by
    then and in the plan then, with the values and targets recorded by
    then, as they stood then. Three queries as at a moment, two now.
    """
    if when is None:
        return off_target_first(Measure.objects.filter(plan=plan).for_list())
    ids = ever_matching(Measure, Q(plan_id=plan.pk))
    rows = latest_history(Measure, when, ids).filter(plan_id=plan.pk)
    measures = [as_it_stood(row) for row in rows]
    _attach_known(measures, when)
    return off_target_first(measures)


def measure_known(measure, when):
    """``measure`` as known at ``when``, with its values then, oldest first.

    Returns ``(measure then, [MeasureValue…])``, or ``(None, [])`` when the
    measure was not yet defined. The measure then has its trajectory then.
    """
    rows = list(latest_history(Measure, when, [measure.pk]))
    if not rows:
        return None, []
    then = as_it_stood(rows[0], now=measure)
    values = _attach_known([then], when)
    return then, values[then.pk]


#: The links a measure's page lists under "What it evidences".
EVIDENCES = ("priorities", "actions", "findings")


def evidence_known(measure, when):
    """What ``measure`` was linked to as known at ``when``, by link name
    (``EVIDENCES``): querysets of the priorities, actions and findings its
    history row in force then named, as those records are now (one query
    each when read; all empty if it was not yet defined). Links made or
    removed later do not count."""
    history = Measure.history.model
    row = latest_history(Measure, when, [measure.pk]).values("history_id")
    evidence = {}
    for name in EVIDENCES:
        field = Measure._meta.get_field(name)
        through = m2m_history_relation(history, field).related_model
        target = field.m2m_reverse_field_name()
        ids = through._default_manager.filter(history_id__in=row).values(f"{target}_id")
        evidence[name] = field.related_model.objects.filter(pk__in=ids)
    return evidence


def _attach_known(measures, when):
    """Give each measure its targets and latest value as known at ``when``.

    Returns each measure's values then, ``{measure id: [value…]}`` oldest
    first. Two queries.
    """
    ids = [measure.pk for measure in measures]
    values = _known(MeasureValue, when, ids)
    steps = _known(MeasureTarget, when, ids)
    for measure in measures:
        for record in (*values[measure.pk], *steps[measure.pk]):
            record.measure = measure  # what their labels read, without a query
        mine = sorted(values[measure.pk], key=lambda value: value.period)
        measure._prefetched_objects_cache = {
            "targets": sorted(steps[measure.pk], key=lambda step: step.from_period)
        }
        latest = mine[-1] if mine else None
        measure.latest_period = latest.period if latest else None
        measure.latest_value = latest.value if latest else None
    return values


def _known(model, when, measure_ids):
    """``{measure id: [record…]}`` of ``model`` rows as they stood at ``when``."""
    ever = model.history.filter(measure_id__in=measure_ids).values("id")
    found = defaultdict(list)
    for row in latest_history(model, when, ever).filter(measure_id__in=measure_ids):
        found[row.measure_id].append(as_it_stood(row))
    return found
