"""Helpers shared by the test modules: the one place to look for them.

Test modules import helpers from here (and factories from ``tests.factories``),
never from one another.
"""

import re

from django.urls import URLPattern, URLResolver, get_resolver, reverse

#: Every page ``benchmark`` times, in its order. Written out here, not read
#: from the command, so that a page dropped or renamed there fails a test.
BENCHMARK_PAGES = [
    "Dashboard",
    "As at",
    "Trend",
    "Changes since",
    "Golden thread",
    "Drift",
    "Recent changes",
    "Actions register",
    "Action page",
    "Findings register",
    "Board pack",
    "Board pack PDF (kept)",
    "Actions CSV",
    "Actions XLSX",
    "Findings CSV",
    "Findings XLSX",
    "Changes CSV",
    "Changes XLSX",
]

#: A SharePoint address of 300 characters with no spaces, as people paste
#: them: after the folder, one long name of letters, digits and escapes that
#: offers no place to break a line. Typed into free text by the layout and
#: reflow tests.
_ADDRESS = (
    "https://northmoor.sharepoint.com/sites/ChildrensImprovement/Shared%20Documents/"
    + "Supervision%20audit%20Q3%202026%20" * 10
)[:296]
LONG_LINK = re.sub(r"%[0-9A-F]?$", "", _ADDRESS).ljust(296, "x") + ".pdf"

# In the browser: the markup of a page's <main> without per-session values
# (CSRF tokens) and with every digit as 0, so that pages differing only in ids
# and times match.
MAIN_MARKUP_JS = """() => {
  const main = document.querySelector('main');
  if (!main) return null;
  const copy = main.cloneNode(true);
  copy.querySelectorAll('input[name=csrfmiddlewaretoken]').forEach(i => i.remove());
  return copy.outerHTML.replace(/[0-9]/g, '0');
}"""

_BENCHMARK_ROW = re.compile(
    r"^(?P<label>.+?)\s+(?P<median>\d+\.\d)\s+(?P<p95>\d+\.\d)\s+(?P<q>\d+)$"
)


def benchmark_rows(output):
    """The rows of ``benchmark``'s table by page: ``median``, ``p95``, ``q``."""
    rows = {}
    for line in output.splitlines():
        match = _BENCHMARK_ROW.match(line)
        if match:
            rows[match["label"].strip()] = match
    return rows


# Who may use each page of the site, by URL name. ``test_url_permissions``
# checks that every named URL is in exactly one of these; the fuzz suite and
# the reflow check read them to know which pages each role may open.
PUBLIC = {"health", "login"}
# Pages every signed-in role may read. They accept GET and HEAD only.
READ = {
    "home",
    "improvement:action_list",
    "improvement:my_actions",
    "improvement:action_detail",
    "improvement:plan_list",
    "improvement:plan_detail",
    "improvement:priority_detail",
    "improvement:owner_list",
    "improvement:owner_detail",
    "improvement:change_list",
    "improvement:dashboard",
    "improvement:as_at",
    "improvement:trend",
    "improvement:changes_since",
    "improvement:drift",
    "improvement:golden_thread",
    "improvement:board_pack",
    "improvement:board_pack_pdf",
    "improvement:document_detail",
    "improvement:document_download",
    "improvement:action_export_csv",
    "improvement:action_export_xlsx",
    "improvement:finding_export_csv",
    "improvement:finding_export_xlsx",
    "improvement:change_export_csv",
    "improvement:change_export_xlsx",
    "improvement:change_list_csv",
    "improvement:change_list_xlsx",
    "findings:finding_list",
    "findings:finding_detail",
    "findings:theme_list",
    "findings:theme_detail",
    "visits:inspection_list",
    "visits:inspection_detail",
    "visits:monitoringvisit_detail",
}
# Everyone may read these pages; only some may post to them.
READ_AND_LINK = {"improvement:action_findings"}
# Officers on the actions they lead or support; improvement managers on any.
OFFICER_OWN = {"improvement:action_update"}
MANAGERS_ONLY = {
    "improvement:action_create",
    "improvement:action_edit",
    "improvement:plan_create",
    "improvement:plan_edit",
    "improvement:priority_create",
    "improvement:priority_edit",
    "improvement:owner_create",
    "improvement:owner_edit",
    "findings:finding_create",
    "findings:finding_update",
    "findings:finding_actions",
    "findings:theme_create",
    "findings:theme_update",
    "visits:inspection_create",
    "visits:inspection_update",
    "visits:monitoringvisit_create",
    "visits:monitoringvisit_update",
}
POST_ONLY = {"logout"}


def named_patterns(patterns=None, namespace=None):
    """(URL name, pattern) of every named URL of the site but Django admin's."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            yield from named_patterns(entry.url_patterns, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}" if namespace else entry.name, entry


def pattern_url(name, pattern, objects):
    """The URL of ``name``, naming the record of its kind in ``objects``."""
    if "pk" not in pattern.pattern.converters:
        return reverse(name)
    model = name.split(":")[1].rsplit("_", 1)[0]
    return reverse(name, args=[objects[model].pk])


def all_urls(objects):
    """(URL name, URL) of every named URL, naming the records in ``objects``."""
    return [
        (name, pattern_url(name, pattern, objects))
        for name, pattern in named_patterns()
    ]


def expected_get(role, name):
    """The status codes a GET of page ``name`` may answer ``role`` with."""
    if name in READ | READ_AND_LINK | PUBLIC:
        return {302} if name == "home" else {200}
    if name in POST_ONLY:
        return {405}
    if name in OFFICER_OWN:
        return {403} if role == "board" else {200}
    if name in MANAGERS_ONLY:
        return {200} if role in ("manager", "admin") else {403}
    raise AssertionError(name)
