"""The version-checked edit: one way to save a form without losing anyone's work.

Part of the kernel: imports no app models, so every app's edit views use it.

``new_record_form`` builds the form adding a record (no version to check
yet). ``edit_with_version`` binds a form built on ``VersionedFormMixin`` to the
record, applies only what this person changed since they opened the form, and
refuses the save (HTTP 409) when someone else saved a change in the meantime.
The refused form comes back holding this person's changes on top of the
newer record, at the newer version, with a choice to make for every field
both people changed; saving it again applies exactly that.

Pages that edit several records in one form (an inspection and its
judgement rows) use the same steps one record at a time: ``must_refuse``,
``save_model_form`` and ``delete_if_current``.

``add_page`` and ``edit_page`` are the whole of a page that adds or edits
one record: the form, the save and its message, the refusal.
"""

import copy
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render

from improvement.kernel.history import changes_since_version
from improvement.kernel.tracking import EditConflict


@dataclass
class Edit:
    """The outcome of an edit form: saved, refused over a newer change, or shown.

    ``stored`` is the record as stored, untouched by what was typed (for
    captions and links); after a refusal it is the newer version.
    ``conflict`` lists what others changed (history entries), or is None.
    ``changed`` is False when a save went through but there was nothing to
    change, so nothing was written.
    """

    stored: object
    form: object
    conflict: list | None = None
    saved: bool = False
    changed: bool = False

    @property
    def status(self):
        return 409 if self.conflict is not None else 200


def apply_person_changes(form):
    """Keep on the model form's instance only what the person changed.

    Validation wrote every submitted value onto ``form.instance``; fields the
    person left as they opened them go back to their stored values (another
    person may have changed them since). Many-to-many fields they left alone
    are dropped from ``cleaned_data`` so ``save_m2m()`` does not touch them.
    The merged record is validated again. Returns whether it is valid.
    """
    instance, stored = form.instance, form.stored_record
    opts = instance._meta
    for name in form.stored_values:
        if name in form.mine:
            continue
        model_field = opts.get_field(name)
        if model_field.many_to_many:
            form.cleaned_data.pop(name, None)
        else:
            setattr(instance, model_field.attname, getattr(stored, model_field.attname))
    try:
        instance.full_clean(exclude=form._get_validation_exclusions())
    except ValidationError as error:
        form._update_errors(error)
        return False
    return True


def new_record_form(form_class, data=None, **kwargs):
    """The form adding a record: a versioned form with no version to check yet."""
    form = form_class(data, **kwargs)
    form.fields.pop("version")
    return form


def must_refuse(form, stored_version):
    """Must this valid form's save be refused over someone else's change?

    Yes when someone changed a field this person changed too, or when the
    record moved on from the version opened while this person changed
    something. Sorts the form's fields by ``merge()`` (``form.mine`` and
    ``form.conflicts``) on the way.
    """
    mine, conflicts = form.merge()
    opened = form.cleaned_data["version"]
    return bool(conflicts) or bool(mine and opened != stored_version)


def delete_if_current(record, version):
    """Delete ``record`` if it is still at ``version``; else ``EditConflict``."""
    still_current = (
        type(record)
        ._base_manager.select_for_update()
        .filter(pk=record.pk, version=version)
        .exists()
    )
    if not still_current:
        raise EditConflict
    record.delete()


def save_model_form(form, stored, version):
    """Save the person's changes to a model form's record, if there are any.

    Returns True if something was written, False if nothing needed saving,
    and None if the merged record is not valid (the form then has errors).
    """
    if not form.mine:
        return False
    if not apply_person_changes(form):
        return None
    opts = form.instance._meta
    links_changed = any(opts.get_field(name).many_to_many for name in form.mine)
    with transaction.atomic():
        record = form.save(commit=False)
        record.save_if_current(version, related_changed=links_changed)
        form.save_m2m()
    return True


def edit_with_version(
    request,
    fetch,
    form_class,
    *,
    describe_conflict=None,
    save=save_model_form,
    form_kwargs=None,
):
    """Bind ``form_class`` to the record ``fetch()`` returns and save it if valid.

    ``save(form, stored, version)`` writes the change (by default the model
    form's record and links) and returns True, False for "nothing to save",
    or None when the form turned out invalid. It raises ``EditConflict`` when
    the record's version moved under it.
    """
    describe_conflict = describe_conflict or changes_since_version
    form_kwargs = form_kwargs or {}
    record = fetch()
    stored = copy.copy(record)  # the form writes what was typed onto ``record``
    form = form_class(request.POST or None, instance=record, **form_kwargs)
    if request.method != "POST" or not form.is_valid():
        return Edit(stored=stored, form=form)
    version = form.cleaned_data["version"]
    try:
        if must_refuse(form, stored.version):
            raise EditConflict
        written = save(form, stored, version)
    except EditConflict:
        return _refused(
            request, fetch, form_class, version, describe_conflict, form_kwargs
        )
    if written is None:
        return Edit(stored=stored, form=form)
    return Edit(stored=form.instance, form=form, saved=True, changed=written)


def _refused(request, fetch, form_class, version, describe_conflict, form_kwargs):
    """The form again, on the newer record, holding only this person's changes."""
    fresh = fetch()
    theirs = describe_conflict(fresh, version)
    rebound = form_class(request.POST, instance=copy.copy(fresh), **form_kwargs)
    if not rebound.is_valid():
        # Still show what others changed; the person's input and its errors stay.
        return Edit(stored=fresh, form=rebound, conflict=theirs)
    rebound.merge()
    form = holding_changes(rebound, fresh, theirs, **form_kwargs)
    return Edit(stored=fresh, form=form, conflict=theirs)


def conflict_user(theirs):
    """Who made the newer changes ``theirs`` lists, as the refused page names them."""
    return theirs[0].user_name if theirs else "someone else"


def holding_changes(rebound, fresh, theirs, **form_kwargs):
    """A form on the newer record ``fresh`` holding this person's changes.

    ``rebound`` is the person's input bound to ``fresh``, valid and merged:
    its kept input and the fields both people changed (a choice to make).
    """
    return type(rebound)(
        instance=fresh,
        initial=rebound.kept_input(),
        conflicts=rebound.conflicts,
        conflict_user=conflict_user(theirs),
        **form_kwargs,
    )


def saved_message(edit, subject):
    """The message after a save: "Action 2.3 saved", or that nothing changed."""
    if edit.changed:
        return f"{subject} saved"
    return f"You did not change anything, so {subject} was left as it was"


# ---------------------------------------------------------------------------
# The pages that add and edit one record
# ---------------------------------------------------------------------------


def save_new(form):
    """Save an add form's record; None if a clashing record was saved meanwhile.

    The form checked the rules a moment ago; someone else's record saved in
    between (the same reference, say) makes the database refuse this one.
    The form is then checked again, so the rule now broken is named beside
    its field, and nothing is saved.
    """
    try:
        with transaction.atomic():
            return form.save()
    except IntegrityError:
        form.full_clean()
        if form.is_valid():
            form.add_error(None, SAVED_MEANWHILE)
        return None


#: Said when the database refuses a new record that the form had accepted.
SAVED_MEANWHILE = (
    "Someone saved a record that clashes with this one at the same moment. "
    "Check the details and try again."
)


def add_page(request, form_class, template, *, name, context, initial=None, save=None):
    """The page adding a record: its blank form, or the record saved and shown.

    ``name(record)`` names it in the message ("Priority 3" added); ``context``
    is what the template needs besides the form. ``save(form)`` writes the
    record and returns it, or None when it refused after all (it then puts
    the reason on the form).
    """
    data = request.POST if request.method == "POST" else None
    form = new_record_form(form_class, data, initial=initial or {})
    if form.is_bound and form.is_valid():
        record = (save or save_new)(form)
        if record is not None:
            messages.success(request, f"{name(record)} added")
            return redirect(record)
    return render(request, template, {"form": form, "conflict": None, **context})


def edit_page(request, fetch, form_class, template, *, name, context, **edit):
    """The page editing a record with ``edit_with_version``: form, save or refusal.

    ``context(stored)`` is what the template needs besides the form and the
    conflict, from the record as stored; ``edit`` goes to ``edit_with_version``.
    """
    result = edit_with_version(request, fetch, form_class, **edit)
    if result.saved:
        messages.success(request, saved_message(result, name(result.stored)))
        return redirect(result.stored)
    return render(
        request,
        template,
        {"form": result.form, "conflict": result.conflict, **context(result.stored)},
        status=result.status,
    )
