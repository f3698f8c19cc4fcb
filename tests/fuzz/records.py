"""Every change to the data must come with its history, attributed to its author.

``Snapshot`` reads every row of every model with history (the fields its
history keeps, and its many-to-many links) and where each history table
ends. ``unrecorded(before, after, user)`` lists the rows added, changed or
deleted between two snapshots that have no new history row of the right
kind by ``user``.

Reading every row is the costly part of an example, and a request that runs
no statement able to change a row cannot have changed one: ``Writes`` watches
the statements a request runs, so a snapshot is taken only after one that
might have written.
"""

import functools
from collections import defaultdict
from contextlib import contextmanager

from django.apps import apps
from django.db import connection
from django.db.models import Max

#: The first words of the statements that cannot change a row. Anything else
#: (including a ``WITH`` that may end in an ``UPDATE``) counts as a write.
READS = frozenset({"select", "savepoint", "release", "rollback"})


@functools.cache
def historied_models():
    """Every model that keeps its history, in a fixed order."""
    found = []
    for model in apps.get_models():
        manager = getattr(model._meta, "simple_history_manager_attribute", None)
        if manager:
            found.append(model)
    return tuple(sorted(found, key=lambda model: model._meta.label))


def _history(model):
    return getattr(model, model._meta.simple_history_manager_attribute).model


def _kept_fields(model):
    """The model's fields that its history keeps (not timestamps it leaves out)."""
    kept = {f.attname for f in _history(model)._meta.concrete_fields}
    return [f.attname for f in model._meta.concrete_fields if f.attname in kept]


class Snapshot:
    """The rows, links and history positions of every historied model.

    ``with_history=False`` leaves out where the history tables end, for a
    snapshot taken after a request (only the one before needs it).
    """

    def __init__(self, with_history=True):
        self.rows, self.links, self.last = {}, {}, {}
        for model in historied_models():
            fields = [model._meta.pk.attname, *_kept_fields(model)]
            self.rows[model] = {
                row[0]: row for row in model._base_manager.values_list(*fields)
            }
            links = defaultdict(set)
            for m2m in model._meta.many_to_many:
                through = m2m.remote_field.through
                source = m2m.m2m_field_name() + "_id"
                target = m2m.m2m_reverse_field_name() + "_id"
                for own, other in through._base_manager.values_list(source, target):
                    links[own].add((m2m.name, other))
            self.links[model] = links
            if with_history:
                history = _history(model)._default_manager
                last = history.aggregate(last=Max("history_id"))["last"]
                self.last[model] = last or 0


def differences(before, after):
    """``{model: {pk: kind}}`` of rows added (+), changed (~) or deleted (-)."""
    found = {}
    for model, rows in after.rows.items():
        old = before.rows[model]
        kinds = {}
        for pk in rows.keys() - old.keys():
            kinds[pk] = "+"
        for pk in old.keys() - rows.keys():
            kinds[pk] = "-"
        for pk in rows.keys() & old.keys():
            moved_links = after.links[model].get(pk, set()) != before.links[model].get(
                pk, set()
            )
            if rows[pk] != old[pk] or moved_links:
                kinds[pk] = "~"
        if kinds:
            found[model] = kinds
    return found


def unrecorded(before, after, user):
    """Changes with no new history row of their kind by ``user``, in words.

    A link that went because the record at its other end was deleted is
    recorded by that record's deletion.
    """
    user_id = getattr(user, "pk", None)
    found = differences(before, after)
    new = {}
    for model in found:
        history = _history(model)._default_manager
        rows = defaultdict(set)
        pk = model._meta.pk.attname
        for row in history.filter(history_id__gt=before.last[model]).values(
            pk, "history_type", "history_user_id"
        ):
            rows[row[pk]].add((row["history_type"], row["history_user_id"]))
        new[model] = rows

    def recorded(model, object_pk, kind):
        return (kind, user_id) in new.get(model, {}).get(object_pk, set())

    def went_with_the_other_end(model, object_pk):
        if before.rows[model][object_pk] != after.rows[model][object_pk]:
            return False
        old = before.links[model].get(object_pk, set())
        now = after.links[model].get(object_pk, set())
        if now - old:
            return False
        for name, other in old - now:
            target = model._meta.get_field(name).related_model
            if not recorded(target, other, "-"):
                return False
        return True

    problems = []
    for model, kinds in found.items():
        for object_pk, kind in sorted(kinds.items(), key=str):
            if recorded(model, object_pk, kind):
                continue
            if kind == "~" and went_with_the_other_end(model, object_pk):
                continue
            rows = sorted(new[model][object_pk], key=str)
            problems.append(
                f"{model._meta.label} {object_pk}: change {kind} without a "
                f"history row by user {user_id} (new history rows: {rows})"
            )
    return problems


def any_changes(before, after):
    """Changes of any kind between two snapshots, in words (for GET requests)."""
    return [
        f"{model._meta.label} {pk}: {kind}"
        for model, kinds in differences(before, after).items()
        for pk, kind in kinds.items()
    ]


class Writes:
    """Whether a statement that may change a row ran, while watching."""

    def __init__(self):
        self.seen = False

    def __call__(self, execute, sql, params, many, context):
        words = sql.split(None, 1)
        if not words or words[0].lower() not in READS:
            self.seen = True
        return execute(sql, params, many, context)


@contextmanager
def watching_writes():
    """Watch the statements run inside the block; yields a ``Writes``."""
    writes = Writes()
    with connection.execute_wrapper(writes):
        yield writes
