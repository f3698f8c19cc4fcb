"""The two forms of uploading values: choose the file, then confirm.

``ValuesUploadForm`` takes the plan and the CSV (a file, or pasted text) and
reads it as text; ``improvement.measures.uploads.check`` then checks it.
``ValuesConfirmForm`` carries the checked content back, signed, with the
reason for any corrections.
"""

import os

from django import forms
from django.core import signing
from django.core.validators import MaxLengthValidator

from improvement.kernel.forms import GovukMessagesMixin
from improvement.measures.uploads import MAX_BYTES, UploadProblem, read_text, unsign
from improvement.plan.models import Plan

#: The longest file name kept in the history's reason.
NAME_LENGTH = 100
PASTED = "pasted text"


class ValuesUploadForm(GovukMessagesMixin, forms.Form):
    """Improvement managers choose a plan and a CSV of values (file or text).

    Valid when exactly one of the two is given and it reads as text;
    ``cleaned_data`` then holds ``csv_text`` and ``source_name`` (the file's
    name, or “pasted text”).
    """

    plan = forms.ModelChoiceField(
        queryset=Plan.objects.none(),
        label="Plan",
        help_text="Measure names are looked up in this plan.",
    )
    file = forms.FileField(
        label="Upload a CSV file",
        required=False,
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        help_text="A CSV file smaller than 1 MB.",
    )
    text = forms.CharField(
        label="Or paste the CSV text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text="Copy the rows from a spreadsheet, with the heading row first.",
    )

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        # Pasted text is limited as a file is (1 MB, checked in ``clean``),
        # not by a count of characters.
        text = self.fields["text"]
        text.max_length = None
        text.validators = [
            v for v in text.validators if not isinstance(v, MaxLengthValidator)
        ]

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("file"), cleaned.get("text") or ""
        if self.has_error("file") or self.has_error("text"):
            return cleaned
        if upload and text.strip():
            self.add_error("text", "Either upload a file or paste the text, not both")
        elif upload:
            try:
                if upload.size > MAX_BYTES:
                    raise UploadProblem("The selected file must be smaller than 1 MB")
                cleaned["csv_text"] = read_text(upload.read())
            except UploadProblem as problem:
                self.add_error("file", str(problem))
            name = os.path.basename(str(upload.name or "")).strip()
            cleaned["source_name"] = name[:NAME_LENGTH] or "the uploaded file"
        elif text.strip():
            try:
                cleaned["csv_text"] = read_text(
                    text.encode("utf-8"), what="The pasted text"
                )
            except UploadProblem as problem:
                self.add_error("text", str(problem))
            cleaned["source_name"] = PASTED
        else:
            self.add_error("file", "Select a CSV file, or paste the CSV text")
        return cleaned

    @property
    def source_field(self):
        """The field the CSV came from, to show its problems beside."""
        return "text" if self.data.get(self.add_prefix("text"), "").strip() else "file"


class ValuesConfirmForm(GovukMessagesMixin, forms.Form):
    """Save the checked values: the signed content, and the reason for any
    corrections (``needs_reason``)."""

    upload = forms.CharField(widget=forms.HiddenInput, strip=False)
    reason = forms.CharField(
        label="Why the values are being corrected",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="It is kept in the history of each corrected value, with your name.",
    )

    def __init__(self, *args, user, needs_reason=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.needs_reason = needs_reason
        if not needs_reason:
            self.fields["reason"].widget = forms.HiddenInput()

    def clean_upload(self):
        try:
            return unsign(self.cleaned_data["upload"], user=self.user)
        except signing.SignatureExpired:
            raise forms.ValidationError(
                "The check of these values is more than 2 hours old. Check the "
                "file again"
            ) from None
        except signing.BadSignature:
            raise forms.ValidationError(
                "The checked values could not be read. Check the file again"
            ) from None

    def require_reason(self):
        """Refuse the form unless a reason is given (some values are corrected)."""
        if not (self.cleaned_data.get("reason") or "").strip():
            self.add_error("reason", "Say why the values are being corrected")
            return False
        return True
