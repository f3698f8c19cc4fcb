"""Objects as they stood at a moment, read from their history.

``history_in_force`` is the one definition of "an object as it stood at a
moment"; ``latest_history`` applies it to many objects at once, and
``ever_matching`` finds the objects whose history ever matched a condition
(ever in a plan, say), which is all ``latest_history`` needs to be told.
The board's plan as at a date and the measures as known on a date both
read their history this way.
"""

from django.db.models import OuterRef, Subquery


def ever_matching(model, condition):
    """Ids of objects whose history has ever matched ``condition``: a
    subquery, read as part of the query it is given to.

    ``condition`` is a ``Q`` on the history's fields, such as
    ``Q(plan_id=plan.pk)``. The ids are a superset of the objects that
    matched at any one moment, which is all ``latest_history`` needs.
    """
    return (
        model.history.model._default_manager.filter(condition)
        .order_by()
        .values("id")
        .distinct()
    )


def history_in_force(model, object_id, when):
    """The history rows of one object up to ``when``, the row in force first.

    The one definition of "the object as it stood at a moment": slice
    ``[:1]`` for the row in force. ``object_id`` and ``when`` may be values
    or ``OuterRef`` expressions, so the same rule serves a plan as at a date
    (``latest_history``) and anything recorded against an object at its own
    moment (a progress update against its action: ``action_then``).
    """
    return model.history.model._default_manager.filter(
        id=object_id, history_date__lte=when
    ).order_by("-history_date", "-history_id")


def latest_history(model, when, ids):
    """The latest history row at or before ``when`` of each object in ``ids``.

    Objects deleted by then are left out, and so are objects not yet created.
    Each object's creation row ("+", written once per object) stands for the
    object; a correlated subquery on the history's object id and date picks
    its newest row by history date, then history id. So the subquery runs
    once per object, never once per history row, and no history table is
    read whole. Filter the result (``plan_id=…``) to keep the objects that
    belonged where wanted at that moment.
    """
    history = model.history.model._default_manager
    latest = history_in_force(model, OuterRef("id"), when).values("history_id")[:1]
    chosen = (
        history.filter(history_type="+", history_date__lte=when, id__in=ids)
        .order_by()
        .annotate(latest=Subquery(latest))
        .values("latest")
    )
    return history.filter(history_id__in=chosen).exclude(history_type="-").order_by()


def as_it_stood(record, now=None):
    """The object a history row records, as it stood then, with no query.

    simple-history's ``record.instance`` reads the fields the history leaves
    out (the timestamps) from the live row, a query per object; those are
    left unset here. Read-only: never save the object returned.

    ``now`` is the same object as it is today, if it has been read: each
    related object it already holds (``select_related``) is given to the
    object then when it pointed to the same one, so showing it (an owner, a
    plan) asks nothing more of the database.
    """
    model = record.instance_type
    kept = {f.attname for f in type(record)._meta.concrete_fields}
    then = model(
        **{
            f.attname: getattr(record, f.attname)
            for f in model._meta.concrete_fields
            if f.attname in kept
        }
    )
    if now is not None:
        for field in model._meta.concrete_fields:
            if (
                field.many_to_one
                and field.is_cached(now)
                and getattr(now, field.attname) == getattr(then, field.attname)
            ):
                field.set_cached_value(then, field.get_cached_value(now))
    return then
