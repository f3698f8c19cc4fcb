"""Two readings of history rows that both halves of "What changed" share
(``action_changes`` and ``recorded_changes``).

``previous_record`` is a subquery giving a field of an object's history row
just before each row, to compare a change with what it changed;
``choice_label`` names a stored choice in words.
"""

from django.db.models import OuterRef, Q, Subquery

from improvement.plan.models import Action


def previous_record(model=Action, field="history_id"):
    """Subquery: ``field`` of the same object's history row just before this
    one (by default, an action's history id)."""
    history = model.history.model
    return Subquery(
        history.objects.filter(id=OuterRef("id"))
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(
                history_date=OuterRef("history_date"),
                history_id__lt=OuterRef("history_id"),
            )
        )
        .order_by("-history_date", "-history_id")
        .values(field)[:1]
    )


def choice_label(model_field, value):
    """``value`` of the choice field ``model_field`` in words."""
    return str(dict(model_field.flatchoices).get(value, value or ""))
