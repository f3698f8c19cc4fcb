"""Measures worked out from the audits: the share graded Good or better.

A plan's measure "Audits graded Good or better" is not typed in by anybody:
each month (or quarter) with audits gets a value, the share of that period's
audits graded Good or better, after moderation or at first grade as the
measure says. The values are stored as any measure's values are, so charts,
RAG, the dashboard, the board pack, "as at" views and "what changed" read
them unchanged, and their history says who recorded, moderated or moved the
audit that changed them, when, and why ("Worked out from the audits").

They are worked out again whenever an audit is saved or deleted, however
(web, admin, command), and when a measure starts being worked out from the
audits. Code that writes audits in bulk, bypassing ``save()``, calls
``refresh_plan`` afterwards.
"""

from django.db.models.signals import post_delete, post_save

from improvement.audits import grade_mix
from improvement.audits.models import Audit
from improvement.kernel.dates import months_after
from improvement.measures.models import Measure, MeasureValue, period_start

REASON = "Worked out from the audits"


def _next_period(start, frequency):
    return months_after(start, 3 if frequency == Measure.Frequency.QUARTERLY else 1)


def _share(mix, measure):
    if measure.worked_out_from == Measure.WorkedOut.AUDITS_BEFORE:
        return mix.share_before, mix.good_before
    return mix.share_after, mix.good_after


def _refresh_period(measure, period, stored, when):
    """Store ``measure``'s value for ``period`` from that period's audits:
    a new value, a corrected one, or none when the period has no audits.
    ``when``, if given, is the time of the change to the audits (a history
    date set on the audit), which the value's history row then carries."""
    audits = Audit.objects.filter(
        plan_id=measure.plan_id,
        audit_date__gte=period,
        audit_date__lt=_next_period(period, measure.frequency),
    )
    mix = grade_mix.overall(audits)
    value = stored.get(period)
    if not mix.total:
        if value is not None:
            _explain(value, when)
            value.delete()
        return
    share, good = _share(mix, measure)
    value = value or MeasureValue(measure=measure, period=period)
    value.value = share
    value.note = f"{good} of {mix.total} audit{'s' if mix.total != 1 else ''}"
    _explain(value, when)
    value.save()


def _explain(value, when):
    value._change_reason = REASON
    if when is not None:
        value._history_date = when


def refresh(plan_id, days, when=None):
    """Work out again the values, for the periods holding ``days``, of every
    measure of plan ``plan_id`` that is worked out from the audits."""
    measures = Measure.objects.filter(plan_id=plan_id).exclude(
        worked_out_from=Measure.WorkedOut.RECORDED
    )
    for measure in measures:
        periods = {period_start(day, measure.frequency) for day in days if day}
        stored = {
            value.period: value
            for value in measure.values.filter(period__in=periods).select_related(
                "measure"
            )
        }
        for period in sorted(periods):
            _refresh_period(measure, period, stored, when)


def refresh_measure(measure):
    """Work out every value of ``measure`` again: each period with audits,
    and none for a period whose audits have all gone."""
    days = set(
        Audit.objects.filter(plan_id=measure.plan_id).values_list(
            "audit_date", flat=True
        )
    )
    days |= set(measure.values.values_list("period", flat=True))
    refresh(measure.plan_id, days)


def refresh_plan(plan_id):
    """Work out every value of every measure of the plan from the audits."""
    for measure in Measure.objects.filter(plan_id=plan_id).exclude(
        worked_out_from=Measure.WorkedOut.RECORDED
    ):
        refresh_measure(measure)


def _audit_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    before = getattr(instance, "_loaded_values", None) or {}
    when = getattr(instance, "_history_date", None)
    refresh(instance.plan_id, {instance.audit_date, before.get("audit_date")}, when)
    old_plan = before.get("plan_id")
    if old_plan and old_plan != instance.plan_id:
        refresh(old_plan, {before.get("audit_date")}, when)


def _audit_deleted(sender, instance, **kwargs):
    refresh(
        instance.plan_id,
        {instance.audit_date},
        getattr(instance, "_history_date", None),
    )


def _measure_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw or not instance.is_worked_out:
        return
    before = getattr(instance, "_loaded_values", None) or {}
    keys = ("worked_out_from", "frequency", "plan_id")
    if created or any(before.get(key) != getattr(instance, key) for key in keys):
        refresh_measure(instance)


def connect():
    """Keep worked-out values up to date however audits and measures change."""
    post_save.connect(_audit_saved, sender=Audit, dispatch_uid="audits-measure-save")
    post_delete.connect(
        _audit_deleted, sender=Audit, dispatch_uid="audits-measure-delete"
    )
    post_save.connect(
        _measure_saved, sender=Measure, dispatch_uid="audits-measure-defined"
    )
