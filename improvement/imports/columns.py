"""Which of our fields each column of a tracker holds, from its heading.

Pure functions, no database:

* ``FIELDS``: the fields a column may hold, in the order offered, with
  ``FIELD_LABELS`` and ``SINGLE_FIELDS`` (those only one column may hold);
* ``find_header`` finds the heading row (it is often not the first);
* ``suggest_field`` maps a council's heading (“Lead Officer”, “Target
  date”, “BRAG”, “Update Jan 23”) to one of ``FIELDS``;
* ``suggest_mapping`` suggests a field for every heading of a sheet, or
  what the plan's last import chose.
"""

from improvement.imports.cells import heading_date, heading_key

#: How far down a sheet the heading row is looked for.
HEADER_SEARCH_ROWS = 30

#: Our fields a column may hold: ``(key, label)``, in the order offered.
FIELDS = (
    ("reference", "Reference"),
    ("priority", "Priority or workstream"),
    ("title", "Action"),
    ("description", "Description"),
    ("success_measure", "What good looks like"),
    ("lead", "Lead officer"),
    ("supporting", "Supporting leads"),
    ("start_date", "Start date"),
    ("due_date", "Due date"),
    ("original_due_date", "Original due date"),
    ("status", "Delivery status"),
    ("rag", "RAG"),
    ("impact", "Impact"),
    ("progress", "Progress update"),
    ("progress_date", "Date of the progress update"),
    ("findings", "Findings answered (references)"),
    ("note", "Note"),
    ("plan", "Plan (rows of another plan are refused)"),
)
FIELD_LABELS = dict(FIELDS)
#: Fields only one column may hold (progress and note may come from several).
SINGLE_FIELDS = frozenset(key for key, _ in FIELDS) - {"progress", "note"}

#: Headings as councils write them, once normalised (``heading_key``).
_HEADINGS = {
    "reference": [
        "ref",
        "reference",
        "ref no",
        "no",
        "number",
        "action no",
        "action number",
        "action ref",
        "id",
    ],
    "priority": [
        "priority",
        "priority area",
        "workstream",
        "work stream",
        "theme",
        "strand",
        "objective",
        "improvement priority",
    ],
    "title": [
        "action",
        "actions",
        "title",
        "action title",
        "what we will do",
        "what will we do",
        "key action",
        "key actions",
    ],
    "description": ["description", "detail", "details", "action detail"],
    "success_measure": [
        "what good looks like",
        "success measure",
        "success measures",
        "success criteria",
        "measure of success",
        "measures of success",
        "outcome",
        "outcomes",
        "expected outcome",
        "how will we know",
    ],
    "lead": [
        "lead",
        "lead officer",
        "lead owner",
        "owner",
        "responsible officer",
        "accountable officer",
        "responsible",
        "action owner",
    ],
    "supporting": [
        "supporting leads",
        "supporting lead",
        "supporting owners",
        "supporting officers",
        "support",
        "partners",
        "contributors",
    ],
    "start_date": ["start", "start date", "date started"],
    "due_date": [
        "due",
        "due date",
        "current due date",
        "target date",
        "target",
        "deadline",
        "timescale",
        "timescales",
        "completion date",
        "revised date",
        "revised due date",
        "by when",
    ],
    "original_due_date": [
        "original due date",
        "original target date",
        "original deadline",
        "original date",
    ],
    "status": [
        "status",
        "delivery status",
        "progress status",
        "action status",
    ],
    "rag": ["rag", "brag", "rag rating", "rag status", "brag rating", "brag status"],
    "impact": ["impact", "impact assessment", "embedded"],
    "progress": [
        "progress",
        "update",
        "latest update",
        "progress update",
        "progress to date",
        "commentary",
        "comments",
        "narrative",
    ],
    "progress_date": [
        "update date",
        "date of update",
        "date updated",
        "last updated",
    ],
    "findings": [
        "findings",
        "findings answered",
        "finding",
        "recommendation",
        "recommendations",
        "ofsted recommendation",
        "finding ref",
        "finding reference",
        "recommendation ref",
    ],
    "note": ["note", "notes"],
    # The register's download names each row's plan: a row of another plan
    # must not change this plan's action of the same reference.
    "plan": ["plan", "plan name"],
}
_KNOWN = {heading: key for key, headings in _HEADINGS.items() for heading in headings}
#: Headings in the site's own actions register that are worked out, not stored.
IGNORED_HEADINGS = frozenset({"days slipped", "overdue", "last progress update"})


def suggest_field(heading):
    """The field a column with this heading probably holds, or ""."""
    key = heading_key(heading)
    if not key or key in IGNORED_HEADINGS:
        return ""
    if key in _KNOWN:
        return _KNOWN[key]
    words = key.split()
    if words[0] in ("update", "progress", "commentary") and heading_date(heading):
        return "progress"
    if "original" in words and ("due" in words or "target" in words):
        return "original_due_date"
    if "rag" in words or "brag" in words:
        return "rag"
    if "lead" in words and "supporting" not in words:
        return "lead"
    if "due" in words or "target" in words or "deadline" in words:
        return "due_date"
    if words[0] in ("update", "progress"):
        return "progress"
    return ""


def find_header(sheet, suggest=None):
    """The position in ``sheet.rows`` of the heading row: of the first rows,
    the one naming the most fields (the first such row); else the first.

    ``suggest`` maps a heading to a field or "" (a tracker's fields,
    ``suggest_field``, unless another upload names its own)."""
    suggest = suggest or suggest_field
    best, best_score = 0, 0
    for position, (_, cells) in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        score = len({suggest(c.text) for c in cells if isinstance(c.value, str)} - {""})
        if score > best_score:
            best, best_score = position, score
    return best


def suggest_mapping(headings, remembered=None):
    """``[field, ...]``, one per heading: what the plan's last import said
    (``remembered``: ``{heading_key: field}``), else ``suggest_field``; each
    single field given to one column only, the first."""
    remembered = remembered or {}
    taken = set()
    mapping = []
    for heading in headings:
        key = heading_key(heading)
        choice = remembered.get(key) if key in remembered else suggest_field(heading)
        if choice in SINGLE_FIELDS:
            if choice in taken:
                choice = ""
            taken.add(choice)
        mapping.append(choice or "")
    return mapping
