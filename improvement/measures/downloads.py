"""The values of measures as a download: one row per recorded value.

Each row says which plan and measure, the unit, the period (as read, and its
first day), the value, the target in force for that period, its RAG, the note
and when it was last recorded or corrected. Written by the kernel's
spreadsheet writers, which keep text that a spreadsheet would run as a
formula as text.
"""

from improvement.kernel.downloads import large_download
from improvement.kernel.spreadsheets import Column, Table
from improvement.measures.models import Measure, MeasureValue, period_label

VALUE_COLUMNS = (
    Column("Plan", 30),
    Column("Measure", 40),
    Column("Unit", 12),
    Column("Period", 24),
    Column("Period starts", 16),
    Column("Value", 14),
    Column("Target", 14),
    Column("RAG", 10),
    Column("Note", 50),
    Column("Last recorded", 20),
)

UNIT_LABELS = dict(Measure.Unit.choices)

#: The kind of download the values are, for ``kernel.downloads``.
VALUES_DOWNLOAD = "measure_values"


def value_rows(measures):
    """Rows for every value of ``measures``, by plan, measure and period.

    Three queries for any number of values: the measures (with their plans),
    their target trajectories, and the values (read as plain values, not
    model instances).
    """
    by_id = {
        measure.pk: measure
        for measure in measures.select_related("plan").prefetch_related("targets")
    }
    values = (
        MeasureValue.objects.filter(measure_id__in=list(by_id))
        .order_by("measure__plan__name", "measure__plan_id", "measure__name", "period")
        .values_list("measure_id", "period", "value", "note", "updated_at")
    )
    if not by_id:
        values = values.none()
    for measure_id, period, value, note, updated_at in values:
        measure = by_id[measure_id]
        rag = measure.rag_of(value, period)
        yield [
            measure.plan.name,
            measure.name,
            UNIT_LABELS.get(measure.unit, measure.unit),
            period_label(period, measure.frequency),
            period,
            value,
            measure.target_for(period),
            rag.label if rag else "",
            note,
            updated_at,
        ]


def values_table(measures):
    """The values of ``measures`` as a table for ``spreadsheets.download``."""
    return Table(
        title="Measure values", columns=VALUE_COLUMNS, rows=value_rows(measures)
    )


def measures_for(user, plan):
    """The measures ``user`` may see: of ``plan``, or of every plan (None)."""
    measures = Measure.objects.visible_to(user)
    return measures if plan is None else measures.filter(plan=plan)


@large_download(VALUES_DOWNLOAD)
def values_download_table(user, plan):
    """The values download for ``user``: of ``plan``, or of every plan."""
    return values_table(measures_for(user, plan))


def value_count(user, plan):
    """How many rows the values download holds: one query."""
    return MeasureValue.objects.filter(measure__in=measures_for(user, plan)).count()
