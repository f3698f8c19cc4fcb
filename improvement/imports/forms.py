"""The forms of an import: choose the file, then say what its columns hold."""

import os

from django import forms

from improvement.imports import reading
from improvement.imports.columns import FIELD_LABELS, FIELDS, SINGLE_FIELDS
from improvement.kernel.forms import GovukMessagesMixin

#: The longest file name kept (it is the history's reason).
NAME_LENGTH = 100


class TrackerUploadForm(GovukMessagesMixin, forms.Form):
    """Choose the tracker: an Excel workbook (.xlsx) or a CSV file.

    Valid when the file can be read; ``cleaned_data`` then holds ``name``,
    ``data`` (its bytes) and ``sheets`` (``reading.Sheet``).
    """

    file = forms.FileField(
        label="Upload the plan's tracker",
        widget=forms.FileInput(
            attrs={
                "accept": ".xlsx,.csv,text/csv,application/vnd.openxmlformats-"
                "officedocument.spreadsheetml.sheet"
            }
        ),
        help_text="An Excel workbook (.xlsx) or a CSV file, smaller than 5 MB.",
        error_messages={"required": "Select the tracker to upload"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = os.path.basename(str(upload.name or "")).strip()[:NAME_LENGTH]
        if upload.size > reading.MAX_BYTES:
            raise forms.ValidationError("The file must be smaller than 5 MB")
        data = upload.read()
        try:
            sheets = reading.read_file(name, data)
        except reading.ImportRefused as refused:
            raise forms.ValidationError(str(refused)) from None
        self.cleaned_data.update(name=name or "the uploaded file", data=data)
        self.cleaned_data["sheets"] = sheets
        return upload


class ColumnsForm(GovukMessagesMixin, forms.Form):
    """What each column of the chosen sheet holds: one choice per heading.

    Reference and action title must be chosen; every field but progress
    updates and notes may come from one column only.
    """

    def __init__(self, *args, headings, mapping, **kwargs):
        super().__init__(*args, **kwargs)
        self.headings = headings
        choices = [("", "Leave out"), *FIELDS]
        for index, heading in enumerate(headings):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=heading,
                choices=choices,
                required=False,
                initial=mapping[index] if index < len(mapping) else "",
            )

    def clean(self):
        cleaned = super().clean()
        first = {}
        for index, heading in enumerate(self.headings):
            name = f"column_{index}"
            choice = cleaned.get(name) or ""
            if choice in SINGLE_FIELDS:
                if choice in first:
                    self.add_error(
                        name,
                        f"{FIELD_LABELS[choice]} is already the column "
                        f"“{first[choice]}”; choose one column for it",
                    )
                else:
                    first[choice] = heading
        for needed, words in (
            ("reference", "Choose the column that holds the action's reference"),
            ("title", "Choose the column that holds the action's title"),
        ):
            if needed not in first and self.headings:
                self.add_error("column_0", words)
        return cleaned

    @property
    def mapping(self):
        return [
            self.cleaned_data.get(f"column_{index}") or ""
            for index in range(len(self.headings))
        ]


class FindingsUploadForm(TrackerUploadForm):
    """Choose a list of findings: an Excel workbook (.xlsx) or a CSV file,
    read and refused as a tracker is."""

    file = forms.FileField(
        label="Upload the list of findings",
        widget=forms.FileInput(
            attrs={
                "accept": ".xlsx,.csv,text/csv,application/vnd.openxmlformats-"
                "officedocument.spreadsheetml.sheet"
            }
        ),
        help_text="An Excel workbook (.xlsx) or a CSV file, smaller than 5 MB.",
        error_messages={"required": "Select the list of findings to upload"},
    )
