"""History: who changed what, recorded by django-simple-history.

This module is part of the kernel that every app uses, so it imports no app
models. It provides:

* ``tracked_history()`` — the ``HistoricalRecords`` every user-editable model
  declares, with the acting user resolved for web requests, Django admin and
  management commands alike;
* ``acting_as(user)`` — names the user for changes made outside a request
  (management commands, data imports);
* ``system_user()`` — the named account that commands act as when no person is
  given.
"""

import contextvars
from contextlib import contextmanager

from simple_history.models import HistoricalRecords

SYSTEM_USERNAME = "system"

_acting_user = contextvars.ContextVar("golden_thread_acting_user", default=None)


@contextmanager
def acting_as(user):
    """Record every change made inside the block as made by ``user``."""
    token = _acting_user.set(user)
    try:
        yield user
    finally:
        _acting_user.reset(token)


def system_user():
    """Return (creating it once) the inactive account that commands act as.

    Issues one or two queries. The account cannot sign in.
    """
    from django.contrib.auth import get_user_model

    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"first_name": "System", "last_name": "(automated)"},
    )
    if created:
        user.set_unusable_password()
        user.is_active = False
        user.save()
    return user


def _history_user(request=None, instance=None, **kwargs):
    """The user for a new history row: ``acting_as`` first, then the request's."""
    user = _acting_user.get()
    if user is not None:
        return user
    return getattr(request, "user", None) if request is not None else None


class TrackedHistoricalRecords(HistoricalRecords):
    """``HistoricalRecords`` that records many-to-many links faithfully.

    * Adding a link that already exists, or removing one that does not, writes
      no history row.
    * Links changed from the other side (``finding.actions.add(action)``) are
      recorded on the objects of the model that declares the field, so the
      action's history shows the link whichever side made it.
    """

    _M2M_WRITES = ("post_add", "post_remove", "post_clear")

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        through = kwargs["sender"]
        if action in ("pre_remove", "pre_clear"):
            # Note which of our objects really lose a link, before the rows go.
            instance._history_unlinking = self._linked_ids(
                through, instance, reverse, kwargs.get("model"), pk_set
            )
            return
        if action not in self._M2M_WRITES:
            return
        if action == "post_add":
            affected = set(pk_set or ())
        else:
            affected = set(instance.__dict__.pop("_history_unlinking", ()))
        if not affected:
            return
        if not reverse:
            super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
            return
        for obj in kwargs["model"]._default_manager.filter(pk__in=affected):
            for carried in ("_change_reason", "_history_user", "_history_date"):
                if hasattr(instance, carried):
                    setattr(obj, carried, getattr(instance, carried))
            super().m2m_changed(obj, action, attr, pk_set, False, **kwargs)

    @staticmethod
    def _linked_ids(through, instance, reverse, model, pk_set):
        """Ids on the far side that are linked to ``instance`` now.

        Forwards, the answer only matters as “any or none”; in reverse it lists
        the objects of the declaring model whose history must record the loss.
        """
        own = next(
            f
            for f in through._meta.fields
            if f.is_relation and f.related_model is type(instance)
        )
        other = next(
            f
            for f in through._meta.fields
            if f.is_relation and f.related_model is model and f is not own
        )
        rows = through._default_manager.filter(**{own.attname: instance.pk})
        if pk_set is not None:
            rows = rows.filter(**{f"{other.attname}__in": pk_set})
        return list(rows.values_list(other.attname, flat=True))


def tracked_history(**kwargs):
    """The history every user-editable model declares as ``history``.

    Bookkeeping fields are left out so that only real changes show.
    """
    kwargs.setdefault("excluded_fields", ["created_at", "updated_at", "version"])
    kwargs.setdefault("get_user", _history_user)
    return TrackedHistoricalRecords(**kwargs)
