"""Abstract base for every user-editable model. Imports no app models."""

from django.db import models, transaction
from django.db.models import F

from improvement.kernel.ordering import sort_key_fields


class EditConflict(Exception):
    """Someone saved a change to the record after this person opened it."""


class TrackedModel(models.Model):
    """Timestamps, an edit version, and change detection for history.

    * ``version`` goes up by one on every saved change. Edit forms carry the
      version they were opened at, so a second person's save cannot silently
      overwrite the first person's.
    * A save that changes nothing is skipped entirely, so it writes no history
      row (django-simple-history would otherwise record one on every save).
    * ``_change_reason`` set before a save is stored on that save's history
      row and then forgotten.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    BOOKKEEPING_FIELDS = frozenset({"created_at", "updated_at", "version"})

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        changed = self.changed_fields()
        if changed == [] and not kwargs.get("force_insert"):
            return
        if changed is not None:
            self.version = self._loaded_values.get("version", self.version) + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {
                    *kwargs["update_fields"],
                    *sort_key_fields(type(self), kwargs["update_fields"]),
                    "version",
                    "updated_at",
                }
        super().save(*args, **kwargs)
        self._remember_values()
        # A reason belongs to one change; never let it leak into the next save.
        self.__dict__.pop("_change_reason", None)

    def save_if_current(self, expected_version, *, related_changed=False, **kwargs):
        """Save, but only if the stored version is still ``expected_version``.

        Raises ``EditConflict`` when someone else saved first. The check and
        the save happen in one transaction, and the check locks the row, so
        two people saving at the same moment cannot both succeed.

        A save that changes nothing leaves the version alone and writes
        nothing, and returns False. ``related_changed`` says that links of
        this record (many-to-many fields, saved next) change even if no field
        does: the version then goes up, and the link history rows carry it.
        """
        if self.changed_fields() == [] and not related_changed:
            return False
        with transaction.atomic():
            claimed = (
                type(self)
                ._base_manager.filter(pk=self.pk, version=expected_version)
                .update(version=F("version") + 1)
            )
            if not claimed:
                raise EditConflict
            self._loaded_values["version"] = expected_version
            self.version = expected_version + 1
            self.save(**kwargs)
        return True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_values = dict(zip(field_names, values, strict=True))
        return instance

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self._remember_values()

    def _remember_values(self):
        self._loaded_values = {
            f.attname: getattr(self, f.attname)
            for f in self._meta.concrete_fields
            if f.attname not in self.get_deferred_fields()
        }

    def changed_fields(self):
        """Names of fields that differ from the database, or None for a new row."""
        loaded = getattr(self, "_loaded_values", None)
        if self._state.adding or loaded is None:
            return None
        return [
            f.name
            for f in self._meta.concrete_fields
            if f.attname in loaded
            and f.name not in self.BOOKKEEPING_FIELDS
            and getattr(self, f.attname) != loaded[f.attname]
        ]


class LinkField(models.URLField):
    """A web address. Typed without a scheme, it is read as https://."""

    def formfield(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        return super().formfield(**kwargs)
