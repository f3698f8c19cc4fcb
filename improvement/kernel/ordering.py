"""Putting records in the order people expect. Imports no app models.

* ``natural_key`` — the one definition of how references sort: "3.2" before
  "3.10", "R9" before "R10", "Findings & evaluation para 6" before "… para 10".
* ``NaturalSortKeyField`` — that key stored beside the reference and kept up
  to date on every save (``bulk_create`` included), so that the database
  sorts by it: pages, exports and the board pack page ``ORDER BY sort_key``
  and paginate, on SQLite and PostgreSQL alike, with an index.
* ``SortFilter`` — a register's "Sort by" choice, in which every option names
  exactly the ordering it gives and ties fall back to reference order.
"""

import re
import unicodedata

import django_filters
from django import forms
from django.db import models

#: Numbers in a reference are padded with zeros to this many digits, so that
#: comparing keys as text compares the numbers as numbers.
NUMBER_WIDTH = 10

#: The longest key stored. Two references that agree for this long are
#: ordered by the reference itself, then by id.
KEY_LENGTH = 255

_RUNS = re.compile(r"([0-9]+)|([a-z]+)")


def natural_key(reference):
    """The sort key of ``reference``: text that sorts as people read numbers.

    Each run of digits becomes a number padded to ``NUMBER_WIDTH`` digits;
    letters are lower-cased and stripped of accents; anything else (spaces,
    dots, dashes, "&") is left out. So the key holds only ``0-9`` and ``a-z``,
    and every database collation (SQLite's, PostgreSQL's C or en_GB) orders
    keys exactly as Python compares them::

        natural_key("3.10") == "00000000030000000010"
        natural_key("R9")   == "r0000000009"
    """
    text = unicodedata.normalize("NFKD", str(reference or ""))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    key = "".join(
        digits.lstrip("0").rjust(NUMBER_WIDTH, "0") if digits else letters
        for digits, letters in _RUNS.findall(text)
    )
    return key[:KEY_LENGTH]


class NaturalSortKeyField(models.CharField):
    """``natural_key`` of the ``source`` field, worked out whenever a row is saved.

    Not editable and not shown anywhere; leave it out of history (it only
    repeats the reference). ``TrackedModel.save`` also writes it when a save
    names the source in ``update_fields``. Writing the source with
    ``QuerySet.update()`` would leave it stale: save the instances instead.
    """

    description = "Natural sort key of another field"

    def __init__(self, *args, source="reference", **kwargs):
        self.source = source
        kwargs.setdefault("max_length", KEY_LENGTH)
        kwargs["editable"] = False
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("editable", None)
        if kwargs.get("max_length") == KEY_LENGTH:
            del kwargs["max_length"]
        if kwargs.get("default") == "":
            del kwargs["default"]
        if self.source != "reference":
            kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = natural_key(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


def sort_key_fields(model, update_fields):
    """Attribute names of ``model``'s sort keys whose source is in ``update_fields``."""
    return {
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, NaturalSortKeyField) and f.source in update_fields
    }


def sort_keys_for(model, values):
    """The sort keys of a row of ``model`` given as ``values`` by attribute name.

    For code that writes rows without the ORM (``seed_scale``'s bulk load).
    """
    return {
        f.attname: natural_key(values.get(f.source))
        for f in model._meta.concrete_fields
        if isinstance(f, NaturalSortKeyField)
    }


class SortFilter(django_filters.ChoiceFilter):
    """A list's "Sort by": each option is a label and the ordering it gives.

    ``options`` maps the query-string value (``sort=-due_date``) to
    ``(label, ordering)``, where ``ordering`` is what ``order_by`` takes:
    field names and expressions. ``then`` is appended to every option, so ties
    always fall back to the same order (reference order, ending with the
    primary key so that pages never overlap). The first option is the default,
    used when nothing or something unknown is chosen, and is shown selected.

    ``reference_order`` (a model's ``REFERENCE_ORDER``) puts "Reference" and
    "Reference (last first)" first, and makes it the order ties fall back to.
    """

    def __init__(self, *, options, then=(), reference_order=None, **kwargs):
        if reference_order is not None:
            options = {
                "reference": ("Reference", ()),
                "-reference": (
                    "Reference (last first)",
                    [f"-{name}" for name in reference_order],
                ),
                **dict(options),
            }
            then = then or reference_order
        self.options = dict(options)
        self.then = tuple(then)
        self.default = next(iter(self.options))
        kwargs.setdefault("label", "Sort by")
        kwargs.setdefault("empty_label", None)
        kwargs.setdefault("widget", forms.Select)
        super().__init__(
            choices=[(value, label) for value, (label, _) in self.options.items()],
            **kwargs,
        )

    def ordering(self, value=None):
        """What ``order_by`` takes for the option ``value`` (default: the first)."""
        _, ordering = self.options.get(
            value or self.default, self.options[self.default]
        )
        return (*ordering, *self.then)

    def filter(self, qs, value):
        return qs.order_by(*self.ordering(value))

    @staticmethod
    def sorted(filterset, queryset, name="sort"):
        """``queryset`` in the default order unless ``filterset`` sorted it.

        django-filter leaves the rows unsorted when the list is opened with no
        query string, or when the chosen sort is not one of the options; the
        rows then follow the option the form shows as selected.
        """
        if queryset.query.order_by:
            return queryset
        return queryset.order_by(*filterset.filters[name].ordering())


def choice_rank(field, values):
    """A database expression ranking ``field`` by its place in ``values``.

    For sorting by a choice in a meaningful order rather than by its stored
    text; a value not listed comes last.
    """
    return models.Case(
        *(
            models.When(**{field: value}, then=models.Value(rank))
            for rank, value in enumerate(values)
        ),
        default=models.Value(len(values)),
        output_field=models.IntegerField(),
    )
