"""Histories read a page at a time: the latest changes and the history pages.

Part of the kernel: imports no app models. ``Timeline`` is one or more
objects' histories, newest first, counted and sliced in the database; a
detail page shows its ``latest_changes`` and links to its ``timeline_page``.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import OuterRef, Q, Subquery, Value

from improvement.kernel.history import (
    describe,
    history_queryset,
    merge_timelines,
    tracked_fields,
    tracked_m2m_fields,
)
from improvement.kernel.kept import (
    count,
    kept,
    key_of,
    names_generation,
    newest,
    newest_rows,
)

LATEST_CHANGES = 10
#: How long kept latest changes stay kept: a change replaces them at once.
KEPT_SECONDS = 60 * 60
HISTORY_PAGE_SIZE = 25
_NEWEST_FIRST = ("-history_date", "-history_id")


def previous_record(model, field="history_id"):
    """Subquery: ``field`` of the same object's history row just before each
    row of ``model``'s history (by default its history id), in the order
    ``pair_consecutive`` uses, found by an indexed lookup on the object."""
    earlier = model.history.filter(id=OuterRef("id")).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(
            history_date=OuterRef("history_date"),
            history_id__lt=OuterRef("history_id"),
        )
    )
    return Subquery(earlier.order_by(*_NEWEST_FIRST).values(field)[:1])


def with_records_before(model, history_ids, **annotations):
    """The history rows ``history_ids`` of ``model`` and the row just before
    each (for the same object), with what describing them needs
    (``history_queryset``) and ``annotations``: a list, each row with
    ``previous_history_id`` (None for a first row).

    One query (and one per kind of link): every row whose key is one of
    ``history_ids`` or the previous row's of one of them, a union of two
    lookups by primary key. (An OR of the two sets made PostgreSQL scan the
    whole history table.)
    """
    chosen = model.history.filter(history_id__in=history_ids).order_by()
    wanted = chosen.values("history_id").union(
        chosen.annotate(before=previous_record(model)).values("before"), all=True
    )
    return list(
        history_queryset(model)
        .filter(history_id__in=wanted)
        .annotate(previous_history_id=previous_record(model), **annotations)
    )


def _newest_keys(sources, stop):
    """``(history_date, history_id, index)`` of the ``stop`` newest rows of
    each ``(index, HistorySource)``, in one query: a union of each source's
    rows whose key is among its ``stop`` newest."""
    if stop <= 0:
        return []
    parts = []
    for index, source in sources:
        newest = source.records().order_by(*_NEWEST_FIRST).values("history_id")
        parts.append(
            source.model.history.filter(history_id__in=newest[:stop])
            .order_by()
            .annotate(timeline_source=Value(index))
            .values_list("history_date", "history_id", "timeline_source")
        )
    if len(parts) > 1:
        return list(parts[0].union(*parts[1:], all=True))
    return list(parts[0]) if parts else []


@dataclass
class HistorySource:
    """The history rows of one model that a timeline shows.

    ``model`` is the tracked model; ``filters`` choose its rows as for
    ``history_queryset``; ``subject(record)`` names the object changed.
    """

    model: type
    filters: dict = field(default_factory=dict)
    subject: object = None

    def records(self):
        return history_queryset(self.model, **self.filters)


@dataclass
class EntrySource:
    """Entries worked out elsewhere (a finding's links), merged in as they are.

    Unlike a ``HistorySource`` they are all made before a page is cut, so
    keep them for histories whose size the page's owner accepts.
    """

    entries: list


class Timeline:
    """Several sources' history, newest first, read one slice at a time.

    Django's ``Paginator`` accepts it as its object list: ``count()`` issues
    one query per source, and a slice ``[start:stop]`` a fixed number however
    long the history is: one for the keys of every source's newest ``stop``
    rows; then, for each history source, one for the rows on the slice with
    the previous row of each object (so the oldest row's changes can still be
    described) and the records they name, and one per kind of link. Rows
    whose only differences are hidden are counted but not shown, so a slice
    may hold fewer entries than asked.
    """

    def __init__(self, *sources):
        self.sources = sources

    def identity(self):
        """What the timeline shows, as data: each source's model and rows."""
        return [
            [s.model._meta.label, s.filters]
            for s in self.sources
            if isinstance(s, HistorySource)
        ]

    def stamp(self):
        """The newest row of each source and of every tracked model whose
        names the entries mention, then how many rows there are in all: one
        query. None when the timeline cannot be kept: it merges entries made
        elsewhere, or mentions a model that has no history.
        """
        if any(isinstance(s, EntrySource) for s in self.sources):
            return None
        named = set()
        for source in self.sources:
            fields = [*tracked_fields(source.model), *tracked_m2m_fields(source.model)]
            named |= {f.related_model for f in fields if f.is_relation}
        named.discard(get_user_model())  # names kept by generation instead
        if any(not hasattr(model, "history") for model in named):
            return None
        rows = [source.records() for source in self.sources]
        parts = [newest(r) for r in rows]
        parts += [newest(model.history.all()) for model in named]
        values = newest_rows([*parts, *(count(r) for r in rows)])
        return (*values[: len(parts)], sum(values[len(parts) :]))

    def count(self):
        return sum(
            len(s.entries) if isinstance(s, EntrySource) else s.records().count()
            for s in self.sources
        )

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice) or key.step not in (None, 1):
            raise TypeError("A timeline is read a slice at a time.")
        start, stop = key.start or 0, key.stop
        if start < 0 or stop is None or stop < 0:
            raise ValueError("A timeline slice needs a start and stop of 0 or more.")
        keys = []
        for index, source in enumerate(self.sources):
            if isinstance(source, EntrySource):
                ranked = [(e.when, e.history_id, e) for e in source.entries]
                ranked.sort(key=lambda k: k[:2], reverse=True)
                keys += [(when, hid, index, e) for when, hid, e in ranked[:stop]]
        history = [
            (index, source)
            for index, source in enumerate(self.sources)
            if isinstance(source, HistorySource)
        ]
        keys += [(when, hid, i, None) for when, hid, i in _newest_keys(history, stop)]
        keys.sort(key=lambda k: k[:2], reverse=True)
        wanted = keys[start:stop]
        entries = [entry for *_, entry in wanted if entry is not None]
        for index, source in enumerate(self.sources):
            if isinstance(source, EntrySource):
                continue
            shown = {hid for _, hid, i, _ in wanted if i == index}
            newest = next((hid for _, hid, i, _ in keys if i == index), None)
            if newest is None:
                continue
            # Every source with history is read, even when none of its rows
            # falls on this slice, so the number of queries does not depend
            # on how the sources' rows interleave.
            described = self._describe(source, shown or {newest})
            entries += [e for e in described if e.history_id in shown]
        return merge_timelines(entries)

    @staticmethod
    def _describe(source, ids):
        # ``ids`` are rows of the source; the rows before them may not be
        # (an action's row from before it came into a plan).
        rows = {r.history_id: r for r in with_records_before(source.model, ids)}
        pairs = [
            (row, rows.get(row.previous_history_id))
            for history_id, row in rows.items()
            if history_id in ids
        ]
        return describe(pairs, subject=source.subject)


def own_timeline(obj, *, subject=None):
    """A ``Timeline`` of ``obj``'s own changes (``object_timeline``, by pages)."""
    return Timeline(HistorySource(type(obj), {"id": obj.pk}, subject=subject))


@dataclass
class LatestChanges:
    """The newest changes for a detail page, how many there are in all, and
    the history page that lists them all."""

    entries: list
    total: int
    url: str


def latest_changes(timeline, url, size=LATEST_CHANGES, keep=False):
    """The ``size`` newest entries of ``timeline``, for a detail page.

    With ``keep``, they are worked out once and kept until the timeline's
    ``stamp`` changes: for timelines whose subjects are named only from
    their own rows or their own objects (see ``Timeline.stamp``).
    """
    if keep and (stamp := timeline.stamp()) is not None:
        *newest_ids, total = stamp
        key = key_of(
            "latest-changes",
            {
                "sources": timeline.identity(),
                "size": size,
                "newest": newest_ids,
                "names": names_generation(),
            },
        )
        entries = kept(key, lambda: timeline[0:size], KEPT_SECONDS)
        return LatestChanges(entries=entries, total=total, url=url)
    return LatestChanges(entries=timeline[0:size], total=timeline.count(), url=url)


def timeline_page(timeline, number, size=HISTORY_PAGE_SIZE):
    """The page of ``timeline`` numbered ``number`` (as given in ``?page=``).

    A page number that is not a number gives the first page, one past the
    end the last, as the registers do.
    """
    return Paginator(timeline, size).get_page(number)
