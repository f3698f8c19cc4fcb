"""Django admin for versioned records: never save over a newer change.

Part of the kernel: imports no app models. Every admin of a ``TrackedModel``
(and every inline of one) uses ``VersionedAdmin`` / ``VersionedInlineMixin``,
so its change form carries the version the administrator opened and refuses
a save when someone saved the record since, as the site's own forms do.

Its history page reads like the site's timelines: choice labels and names
instead of stored values, dates the GOV.UK way, links added and removed, and
nothing shown where there is no user or reason.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.http import HttpResponseRedirect
from simple_history.admin import SimpleHistoryAdmin

from improvement.kernel.history import (
    changes_since_version,
    describe,
    history_queryset,
    user_display_name,
)
from improvement.kernel.query import RecordChoicesField, positive_int


def _summary(entries, limit=5):
    """“Officer One, 30 November 2026: RAG Green → Red; …” for a message."""
    parts = []
    for entry in entries[:limit]:
        changes = "; ".join(
            f"{change.label}: {change.old or '(none)'} → {change.new or '(none)'}"
            if not change.is_links
            else f"{change.label} changed"
            for change in entry.changes
        )
        parts.append(f"{entry.user_name} ({changes or entry.summary})")
    return ", ".join(parts)


class VersionedAdminForm(forms.ModelForm):
    """A model form carrying ``opened_version``, checked before saving.

    The check locks the row (the admin saves in one transaction), so a save
    racing another cannot slip between the check and the write.
    """

    opened_version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.initial["opened_version"] = self.instance.version

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if instance.pk is None:
            return cleaned
        opened = cleaned.get("opened_version")
        current = (
            type(instance)
            ._base_manager.select_for_update()
            .filter(pk=instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        if opened is not None and current == opened:
            return cleaned
        entries = changes_since_version(instance, opened or 0) if opened else []
        who = f": {_summary(entries)}" if entries else ""
        raise forms.ValidationError(
            f"Someone else changed this {instance._meta.verbose_name} after you "
            f"opened it{who}. Nothing has been saved. Open it again to see their "
            "changes, then make yours.",
            code="edit_conflict",
        )


class _ShowsOnlyIds:
    """An autocomplete that shows again only the values that are ids.

    Django's autocomplete looks up the records it shows by the values sent,
    as they are; a tampered value ("A") ended in a server error when a form
    with errors was shown again. The field itself still refuses the value
    with its own message.
    """

    def optgroups(self, name, value, attr=None):
        ids = [v for v in value if v in ("", None) or positive_int(v) is not None]
        return super().optgroups(name, ids, attr)


class SafeAutocompleteSelect(_ShowsOnlyIds, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_ShowsOnlyIds, AutocompleteSelectMultiple):
    pass


class SafeAutocompleteMixin:
    """For admins and inlines: choices of records that refuse tampered values calmly."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(
            request
        ):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # Ids too large for any database are refused before the query.
        kwargs.setdefault("form_class", RecordChoicesField)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(
            request
        ):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


#: The parts of a date drill-down, and the values each may take.
_DRILL_DOWN = (("year", 1, 9998), ("month", 1, 12), ("day", 1, 31))


def _drill_down_in_range(query, field):
    """Are the date hierarchy's ``<field>__year/month/day`` whole numbers in
    range (or absent)?"""
    for part, low, high in _DRILL_DOWN:
        text = query.get(f"{field}__{part}")
        if text is None:
            continue
        # Python refuses to read a number of thousands of digits: the length
        # is checked first (no year in range has more than four). Only ASCII
        # digits: "²" is a digit to str.isdigit but not a number to int.
        if (
            not (text.isascii() and text.isdigit())
            or len(text) > 4
            or not low <= int(text) <= high
        ):
            return False
    return True


class VersionedAdmin(SafeAutocompleteMixin, SimpleHistoryAdmin):
    """Admin with history for a ``TrackedModel``, refusing stale saves."""

    form = VersionedAdminForm
    object_history_list_template = "admin/versioned_history_list.html"

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        """The object's history rows with their users and links, newest first."""
        return history_queryset(self.model, **{pk_name: object_id}).order_by(
            "-history_date", "-history_id"
        )

    def set_history_delta_changes(
        self, request, historical_records, foreign_keys_are_objs=True
    ):
        """Describe each row on the page in words, as the site's timelines do.

        Each record gets ``readable_changes`` (``improvement.kernel.history.Change``:
        labels, names and GOV.UK dates rather than stored values),
        ``user_name`` and ``reason`` (empty rather than "None"). The oldest
        row on a page is compared with the row before it on the next page.
        """
        records = list(historical_records)
        older = self._row_before_page(historical_records)
        pairs = [
            (record, records[i + 1] if i + 1 < len(records) else older)
            for i, record in enumerate(records)
        ]
        entries = {entry.history_id: entry for entry in describe(pairs)}
        for record in records:
            entry = entries.get(record.history_id)
            record.readable_changes = entry.changes if entry else []
            record.user_name = user_display_name(record.history_user)
            record.reason = record.history_change_reason or ""

    def changelist_view(self, request, extra_context=None):
        """The list, or Django's "invalid filter" answer (``?e=1``) for a date
        drill-down no calendar holds (``start_date__year=9999`` made Django
        ask for the year 10000, and a year past 2**31 overflowed)."""
        if self.date_hierarchy and not _drill_down_in_range(
            request.GET, self.date_hierarchy
        ):
            return HttpResponseRedirect(f"{request.path}?e=1")
        return super().changelist_view(request, extra_context)

    def response_action(self, request, queryset):
        """Run a list action only on ids that are ids.

        Django admin filters by the ticked ids as sent, so a tampered
        ``_selected_action`` ("", "abc") would end in a server error. Such a
        request changes nothing and is told so, as when nothing is ticked.
        """
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if any(positive_int(value) is None for value in selected):
            self.message_user(
                request,
                "Select the records from the list to act on them. Nothing was changed.",
                messages.WARNING,
            )
            return None
        return super().response_action(request, queryset)

    @staticmethod
    def _row_before_page(page):
        """The newest history row older than every row on ``page``, or None."""
        if not hasattr(page, "has_next") or not page.has_next():
            return None
        return page.paginator.object_list[page.end_index()]


class VersionedInlineMixin(SafeAutocompleteMixin):
    """For inlines of ``TrackedModel`` rows: each row refuses a stale save."""

    form = VersionedAdminForm

    def get_fields(self, request, obj=None):
        """The inline's fields and the hidden version each row was opened at.

        An inline with ``fields`` renders only those, so without this the
        version would never reach the page, and every save of the parent
        with a row would be refused as a conflict.
        """
        fields = list(super().get_fields(request, obj))
        return fields if "opened_version" in fields else [*fields, "opened_version"]


__all__ = [
    "SafeAutocompleteMixin",
    "VersionedAdmin",
    "VersionedAdminForm",
    "VersionedInlineMixin",
    "admin",
]
