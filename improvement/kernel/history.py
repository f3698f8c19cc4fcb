"""History: who changed what, recorded by django-simple-history.

This module is part of the kernel that every app uses, so it imports no app
models. It provides:

* ``tracked_history()`` — the ``HistoricalRecords`` every user-editable model
  declares, with the acting user resolved for web requests, Django admin and
  management commands alike;
* ``acting_as(user)`` — names the user for changes made outside a request
  (management commands, data imports);
* ``system_user()`` — the named account that commands act as when no person is
  given;
* ``describe()`` and ``changes_since_version()`` — history rows in words: who
  changed which field from what to what.

Reading a history a page at a time is ``improvement.kernel.timeline``.
"""

import contextvars
import datetime
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Prefetch
from simple_history.manager import HistoryDescriptor
from simple_history.models import HistoricalRecords

from improvement.kernel.dates import govuk_date, govuk_datetime
from improvement.kernel.ordering import NaturalSortKeyField

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


class _ReusedHistoryDescriptor(HistoryDescriptor):
    """``Model.history`` that builds its manager class once, not on every use.

    simple-history's descriptor calls ``Manager.from_queryset()`` on each
    access, which inspects the queryset class and costs about 2 ms; history
    pages and "what changed" read ``Model.history`` hundreds of times.
    """

    def __init__(self, plain):
        super().__init__(plain.model, plain.manager_class, plain.queryset_class)
        self.reused_class = self.manager_class.from_queryset(self.queryset_class)

    def __get__(self, instance, owner):
        return self.reused_class(self.model, instance)


class TrackedHistoricalRecords(HistoricalRecords):
    """``HistoricalRecords`` that records many-to-many links faithfully.

    * Adding a link that already exists, or removing one that does not, writes
      no history row.
    * Links changed from the other side (``finding.actions.add(action)``) are
      recorded on the objects of the model that declares the field, so the
      action's history shows the link whichever side made it.
    * Stored sort keys (``improvement.kernel.ordering.NaturalSortKeyField``) are
      left out: they only repeat the reference.
    """

    _M2M_WRITES = ("post_add", "post_remove", "post_clear")

    def finalize(self, sender, **kwargs):
        if sender is getattr(self, "cls", None):
            # A stored sort key only repeats the reference: it has no history.
            self.excluded_fields = [
                *self.excluded_fields,
                *(
                    f.name
                    for f in sender._meta.fields
                    if isinstance(f, NaturalSortKeyField)
                    and f.name not in self.excluded_fields
                ),
            ]
        super().finalize(sender, **kwargs)
        plain = sender.__dict__.get(self.manager_name)
        if isinstance(plain, HistoryDescriptor):
            setattr(sender, self.manager_name, _ReusedHistoryDescriptor(plain))

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

    Timestamps are left out (the row has its own date), and so are stored
    sort keys (``TrackedHistoricalRecords``). ``version`` is kept so that
    “what changed since you opened this form” can be read back.
    """
    kwargs.setdefault("excluded_fields", ["created_at", "updated_at"])
    kwargs.setdefault("get_user", _history_user)
    return TrackedHistoricalRecords(**kwargs)


# ---------------------------------------------------------------------------
# Reading history: turning records into a timeline people can read
# ---------------------------------------------------------------------------

HIDDEN_FIELDS = frozenset({"id", "created_at", "updated_at", "version"})


@dataclass
class Change:
    """One field's change, in words: “Delivery status: In progress → Delivered”."""

    label: str
    old: str = ""
    new: str = ""
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def is_links(self):
        return bool(self.added or self.removed)


@dataclass
class Entry:
    """One history row in words: when, who, what, and the reason given."""

    when: datetime.datetime
    user_name: str
    kind: str  # "created", "changed" or "deleted"
    subject: str
    subject_url: str
    changes: list[Change]
    reason: str
    model_label: str
    history_id: int
    user_id: int | None = None

    @property
    def summary(self):
        if self.kind == "created":
            return f"{self.model_label.capitalize()} added"
        if self.kind == "deleted":
            return f"{self.model_label.capitalize()} deleted"
        return "; ".join(c.label for c in self.changes)


def user_display_name(user):
    """“Unknown user” for rows with no user (imports, the shell)."""
    if user is None:
        return "Unknown user"
    return user.get_full_name() or user.get_username()


def _label(model_field):
    text = str(model_field.verbose_name)
    return text[:1].upper() + text[1:]


def tracked_fields(model):
    """Concrete fields of ``model`` that history shows, in model order."""
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in HIDDEN_FIELDS
        and not f.primary_key
        and not isinstance(f, NaturalSortKeyField)
    ]


def tracked_m2m_fields(model):
    history_model = model.history.model
    return [model._meta.get_field(f.name) for f in history_model._history_m2m_fields]


def m2m_history_relation(history_model, m2m_field):
    """The relation from a historical record to the snapshot of its
    ``m2m_field`` links (its accessor, and the link rows' model)."""
    wanted = f"{history_model.__name__}_{m2m_field.name}"
    for relation in history_model._meta.related_objects:
        if relation.related_model.__name__ == wanted:
            return relation
    raise LookupError(wanted)


def m2m_accessor(history_model, m2m_field):
    """Name of the reverse relation from a historical record to its link rows."""
    return m2m_history_relation(history_model, m2m_field).get_accessor_name()


def _m2m_links(record, m2m_field):
    """``{target id: link row}`` of this historical record's ``m2m_field``
    links (from the prefetch cache)."""
    target = m2m_field.m2m_reverse_field_name()
    rows = getattr(record, m2m_accessor(type(record), m2m_field)).all()
    return {getattr(row, f"{target}_id"): row for row in rows}


def history_queryset(model, **filters):
    """Historical records of ``model``, loading what describing them needs:
    who made each row and the records it names (joined), and the links it
    held with the records they link (one query per kind of link)."""
    history_model = model.history.model
    named = [f.name for f in tracked_fields(model) if f.is_relation]
    links = []
    for m2m_field in tracked_m2m_fields(model):
        relation = m2m_history_relation(history_model, m2m_field)
        target = m2m_field.m2m_reverse_field_name()
        links.append(
            Prefetch(
                relation.get_accessor_name(),
                queryset=relation.related_model.objects.select_related(target),
            )
        )
    return (
        model.history.filter(**filters)
        .select_related("history_user", *named)
        .prefetch_related(*links)
    )


def _name(model, obj):
    if model is get_user_model():
        return user_display_name(obj)
    return str(obj)


class _Labels:
    """The names of the records history rows mention.

    A name is taken from the row that mentions it where the record was read
    with the row (``history_queryset`` joins them); a record so read that no
    longer exists is named as removed. Any other is fetched, in one query per
    model, by ``fetch``.
    """

    def __init__(self):
        self.wanted = {}
        self.names = {}

    def want(self, model, pk):
        if pk is not None:
            self.wanted.setdefault(model, set()).add(pk)

    def note(self, model, pk, holder, field_name):
        """Name record ``pk`` of ``model`` from ``holder``'s ``field_name``
        when it was read with ``holder``; otherwise ask for it."""
        if pk is None or (model, pk) in self.names:
            return
        holder_field = holder._meta.get_field(field_name)
        if not holder_field.is_cached(holder):
            self.want(model, pk)
            return
        obj = holder_field.get_cached_value(holder)
        if obj is not None:
            self.names[(model, pk)] = _name(model, obj)

    def fetch(self):
        """Fetch the names asked for and not already known."""
        for model, ids in self.wanted.items():
            ids = {pk for pk in ids if (model, pk) not in self.names}
            if not ids:
                continue
            for pk, obj in model._default_manager.in_bulk(ids).items():
                self.names[(model, pk)] = _name(model, obj)

    def name(self, model, pk):
        if pk is None:
            return ""
        return self.names.get((model, pk), f"(removed {model._meta.verbose_name})")


def _format(model_field, value, labels):
    if model_field.choices and not model_field.is_relation:
        # A blank value may be a choice with a label of its own ("Not assessed").
        choices = dict(model_field.flatchoices)
        if value in choices or value not in (None, ""):
            return str(choices.get(value, value))
    if value in (None, ""):
        return ""
    if model_field.is_relation:
        return labels.name(model_field.related_model, value)
    if isinstance(model_field, models.BooleanField):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return govuk_datetime(value)
    if isinstance(value, datetime.date):
        return govuk_date(value)
    return str(value)


def describe(pairs, *, subject=None):
    """Turn ``(record, previous_record_or_None)`` pairs into timeline entries.

    Records may be of several models. Names of related records come with the
    rows when they were read by ``history_queryset``; any others are fetched
    in one query per related model, so the cost does not grow with the rows.
    ``subject(record)`` may return ``(label, url)`` to name the object changed.
    Rows whose only differences are hidden fields are dropped.
    """
    labels = _Labels()
    raw = []
    for record, previous in pairs:
        changes = []
        if record.history_type == "~" and previous is not None:
            changes = _field_changes(record, previous, labels)
            if not changes:
                continue
        raw.append((record, changes))
    labels.fetch()
    return [_entry(record, changes, labels, subject) for record, changes in raw]


def _field_changes(record, previous, labels):
    """``(field, old, new)`` for each field ``record`` changed since ``previous``
    (for links: the ids removed and added), noting the names to look up."""
    model = record.instance_type
    changes = []
    for f in tracked_fields(model):
        old, new = getattr(previous, f.attname), getattr(record, f.attname)
        if old != new:
            changes.append((f, old, new))
            if f.is_relation:
                labels.note(f.related_model, old, previous, f.name)
                labels.note(f.related_model, new, record, f.name)
    for f in tracked_m2m_fields(model):
        old, new = _m2m_links(previous, f), _m2m_links(record, f)
        if old.keys() != new.keys():
            removed, added = old.keys() - new.keys(), new.keys() - old.keys()
            changes.append((f, removed, added))
            target = f.m2m_reverse_field_name()
            for pk in removed:
                labels.note(f.related_model, pk, old[pk], target)
            for pk in added:
                labels.note(f.related_model, pk, new[pk], target)
    return changes


def _readable(f, old, new, labels):
    """One field's change in words."""
    if f.many_to_many:
        return Change(
            label=_label(f),
            removed=sorted(labels.name(f.related_model, pk) for pk in old),
            added=sorted(labels.name(f.related_model, pk) for pk in new),
        )
    return Change(
        label=_label(f), old=_format(f, old, labels), new=_format(f, new, labels)
    )


def _entry(record, changes, labels, subject):
    """The timeline entry of one history row."""
    label, url = subject(record) if subject else (str(record), "")
    return Entry(
        when=record.history_date,
        user_name=user_display_name(record.history_user),
        user_id=record.history_user_id,
        kind={"+": "created", "-": "deleted"}.get(record.history_type, "changed"),
        subject=label,
        subject_url=url,
        changes=[_readable(f, old, new, labels) for f, old, new in changes],
        reason=record.history_change_reason or "",
        model_label=str(record.instance_type._meta.verbose_name),
        history_id=record.history_id,
    )


def pair_consecutive(records):
    """Pair each record with the one before it for the same object.

    ``records`` must hold every record of each object it covers (an object's
    whole history), in any order. Returns pairs newest first.
    """
    ordered = sorted(records, key=lambda r: (r.history_date, r.history_id))
    last_seen = {}
    pairs = []
    for record in ordered:
        key = (record.instance_type, record.id)
        pairs.append((record, last_seen.get(key)))
        last_seen[key] = record
    pairs.reverse()
    return pairs


def object_timeline(obj, *, subject=None):
    """Every change to ``obj``, newest first. A fixed number of queries."""
    records = list(history_queryset(type(obj), id=obj.pk))
    return describe(pair_consecutive(records), subject=subject)


def merge_timelines(*timelines):
    """One timeline from several, newest first."""
    merged = [entry for timeline in timelines for entry in timeline]
    merged.sort(key=lambda e: (e.when, e.history_id), reverse=True)
    return merged


def pairs_since_version(model, version, **filters):
    """Record pairs written after the edit ``version`` of the matching objects."""
    records = list(history_queryset(model, **filters))
    return [
        (record, previous)
        for record, previous in pair_consecutive(records)
        if record.version > version
    ]


def changes_since_version(obj, version):
    """What others changed on ``obj`` after ``version``, for the message shown
    when a save is refused because someone else saved first."""
    return describe(pairs_since_version(type(obj), version, id=obj.pk))
