"""Links to records' pages, cheap enough for a page that lists hundreds.

Django's ``reverse`` costs tens of microseconds a call, and the board's pages
link every action and every finding they list: the golden thread and the
register as at a date ask for hundreds of links. ``record_url(name, pk)``
gives exactly what ``reverse(name, args=[pk])`` gives, reversing the route
once for each URL configuration and script prefix in use and filling in the
record's key after that. (No view sets ``request.urlconf``; a site that did
would need it in the key.)
"""

from django.conf import settings
from django.urls import get_script_prefix, reverse

#: A key no record has, reversed in its place and then replaced.
_SLOT = 918273645

_routes = {}


def record_url(name, pk):
    """``reverse(name, args=[pk])`` for a route taking one whole-number key."""
    key = (name, settings.ROOT_URLCONF, get_script_prefix())
    route = _routes.get(key)
    if route is None:
        route = _routes[key] = reverse(name, args=[_SLOT]).split(str(_SLOT))
    head, tail = route
    return f"{head}{int(pk)}{tail}"
