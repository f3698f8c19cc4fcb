"""Documents made off the request path: board pack PDFs and large downloads.

A person asks for a document; if an identical one is kept it is sent at once,
otherwise a background job (Django's Tasks framework) prepares it while the
person sees a page that says so. Finished documents are kept in the
``documents`` storage, keyed by what they hold and the latest change they
include, so asking again is instant until something they include changes.
"""
