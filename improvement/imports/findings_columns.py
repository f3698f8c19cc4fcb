"""What a list of findings' columns and kinds say.

The headings a council writes for each field of a finding (``suggest_field``),
the longest text each field holds, and a finding's kind read from its label
or a common word for it (``parse_kind``: “AFI”, “Strengths”).
"""

from findings.models import Finding, Theme
from improvement.imports.cells import heading_key
from improvement.kernel.forms import MAX_TEXT

#: The fields a column may hold, and their labels.
LABELS = {
    "reference": "Reference",
    "kind": "Kind",
    "title": "Title",
    "text": "Full text",
    "themes": "Themes",
}

#: Headings as councils write them, once normalised (``heading_key``).
HEADINGS = {
    "reference": [
        "reference",
        "ref",
        "ref no",
        "no",
        "number",
        "id",
        "finding ref",
        "finding reference",
        "finding no",
        "finding number",
        "recommendation ref",
        "recommendation no",
        "recommendation number",
    ],
    "kind": [
        "kind",
        "type",
        "kind of finding",
        "type of finding",
        "finding type",
        "finding kind",
        "category",
    ],
    "title": [
        "title",
        "finding",
        "area",
        "finding title",
        "short title",
        "heading",
        "headline",
        "recommendation",
        "area for improvement",
    ],
    "text": [
        "text",
        "full text",
        "detail",
        "details",
        "description",
        "wording",
        "finding text",
        "narrative",
        "what the report says",
        "what the letter says",
    ],
    "themes": ["themes", "theme", "practice theme", "practice themes"],
}
_KNOWN = {heading: key for key, headings in HEADINGS.items() for heading in headings}

#: The most characters each field holds (the model's, and the form's limit
#: on the full text).
LENGTHS = {
    "reference": Finding._meta.get_field("reference").max_length,
    "title": Finding._meta.get_field("title").max_length,
    "text": MAX_TEXT,
    "theme": Theme._meta.get_field("name").max_length,
}

Kind = Finding.Kind
KIND_LABELS = dict(Kind.choices)
#: Words councils use for each kind, once normalised (``heading_key``),
#: besides the kind's own label and value.
_KIND_WORDS = {
    Kind.RECOMMENDATION: ["recommendations", "rec", "recs"],
    Kind.AREA_FOR_IMPROVEMENT: [
        "areas for improvement",
        "afi",
        "afis",
        "area of improvement",
        "areas of improvement",
        "improvement",
        "what needs to improve",
        "needs to improve",
    ],
    Kind.AREA_FOR_DEVELOPMENT: [
        "areas for development",
        "afd",
        "afds",
        "area of development",
        "areas of development",
        "development",
    ],
    Kind.STRENGTH: ["strengths", "what is working well", "working well"],
}
_KINDS = {
    heading_key(word): kind
    for kind in Kind
    for word in [kind.value, kind.label, *_KIND_WORDS[kind]]
}


def suggest_field(heading):
    """The field a column with this heading holds (``LABELS``), or ""."""
    return _KNOWN.get(heading_key(heading), "")


def parse_kind(text):
    """``(kind, problem)`` of a cell naming a kind; ``(None, None)`` for none."""
    if not text:
        return None, None
    kind = _KINDS.get(heading_key(text))
    if kind is None:
        return None, (
            f"“{text}” is not a kind of finding; use Recommendation, Area for "
            "improvement (or AFI), Area for development or Strength"
        )
    return kind, None
