"""What a request sends that names records or searches for them.

* ``positive_int`` reads an id from a query string or a post, refusing what
  no database could hold;
* ``RecordChoicesField`` is a choice of several records by id, with the same
  rule;
* ``search_text`` reads a search, dropping what PostgreSQL cannot store.
"""

from django import forms
from django.db.models import Q

#: The largest id any of our tables can hold (PostgreSQL's integer).
MAX_ID = 2**31 - 1


def positive_int(value):
    """``value`` as a positive whole number, or None (for ids in query strings)."""
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


class RecordChoicesField(forms.ModelMultipleChoiceField):
    """A choice of several records by id; an id no database could hold is refused.

    Django checks each id's type, not its size, before asking the database
    for them all, and SQLite cannot take a number over 2**63 - 1 (it raised
    OverflowError). An id that is not a whole number from 1 to ``MAX_ID``
    names no record, and gets the field's message for an unknown choice.
    """

    def _check_values(self, value):
        if not self.to_field_name:
            for pk in value:
                if positive_int(pk) is None:
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)


#: The longest search a query string may hold.
MAX_SEARCH = 200


def search_text(value):
    """``value`` as a search from a query string: trimmed, at most 200 characters.

    Tabs and line breaks become spaces and other control characters are
    dropped: PostgreSQL refuses a NUL byte in text, and none of them can be
    part of a reference or title anyone searches for.
    """
    text = "".join(
        " " if char.isspace() else char
        for char in str(value or "")
        if char.isprintable() or char.isspace()
    )
    return text.strip()[:MAX_SEARCH]


def matching_reference_or_title(queryset, search):
    """The records whose reference or title holds ``search`` (all if it is blank).

    The one search of the registers and the link pages, for any model with a
    ``reference`` and a ``title``.
    """
    search = str(search or "").strip()
    if not search:
        return queryset
    return queryset.filter(Q(reference__icontains=search) | Q(title__icontains=search))
