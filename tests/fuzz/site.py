"""What the fuzzer can reach: pages from the URL conf, forms and parameters from them.

Pages and the records their URLs name come from the URL walk of
``tests/helpers.py`` and the ``objects`` fixture of ``tests/conftest.py``, so a
new page is fuzzed without editing this suite. Forms are read from the HTML
each person is served, so a new form or field is fuzzed too. Query-string
parameters are gathered from the page's GET forms and links, and from the
view's module: the names it reads from ``request.GET`` and the fields of the
filters and forms it holds.
"""

import functools
import inspect
import re
import sys
from dataclasses import dataclass
from urllib.parse import parse_qsl, urljoin, urlsplit

import django_filters
from bs4 import BeautifulSoup
from django import forms
from django.contrib import admin
from django.urls import Resolver404, resolve, reverse
from django.urls.converters import UUIDConverter
from hypothesis import strategies as st

from tests.fuzz.records import historied_models
from tests.helpers import POST_ONLY, named_patterns, pattern_url

#: Ids that name no record, or more than the database's integers hold.
ODD_IDS = [0, 2**31, 10**20]

#: Every page of the site, by URL name (sign-out only takes a POST).
PAGES = {name: pattern for name, pattern in named_patterns() if name not in POST_ONLY}


def page_url(name, objects, pk=None):
    """The page's URL, naming the shared records (or ``pk`` when given)."""
    pattern = PAGES[name]
    if pk is not None and takes_pk(name):
        return reverse(name, args=[pk])
    return pattern_url(name, pattern, objects)


def takes_pk(name):
    return "pk" in PAGES[name].pattern.converters


def pk_strategy(name, ids):
    """Ids to put in the page's URL: other records', and odd ones."""
    converter = PAGES[name].pattern.converters["pk"]
    if isinstance(converter, UUIDConverter):
        return st.uuids()
    return st.one_of(st.sampled_from(ids or [1]), st.sampled_from(ODD_IDS))


def admin_models():
    """The main models in Django admin: every model with history it registers."""
    return [model for model in historied_models() if model in admin.site._registry]


def admin_pages(model):
    """The model's admin pages by URL name, and whether each names a record."""
    base = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    return [
        (f"{base}_changelist", False),
        (f"{base}_add", False),
        (f"{base}_change", True),
        (f"{base}_history", True),
        (f"{base}_delete", True),
    ]


def admin_url(name, pk=None):
    return reverse(name, args=[pk] if pk is not None else [])


# Forms -----------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One named control of a form, as the page renders it."""

    name: str
    kind: str
    value: str = ""
    options: tuple = ()
    disabled: bool = False


@dataclass(frozen=True)
class Form:
    """A form found on a page: where it sends, how, and its fields."""

    action: str
    method: str
    fields: tuple

    @property
    def key(self):
        """Forms that send the same fields to the same view are one form."""
        try:
            target = resolve(urlsplit(self.action).path).view_name
        except Resolver404:
            target = urlsplit(self.action).path
        return (target, self.method, tuple(sorted(f.name for f in self.fields)))

    @property
    def target(self):
        return self.key[0]


def _fields(form_tag):
    groups = {}
    for tag in form_tag.find_all(["input", "select", "textarea", "button"]):
        name = tag.get("name")
        if not name:
            continue
        disabled = tag.has_attr("disabled")
        if tag.name == "select":
            kind = "select-multiple" if tag.has_attr("multiple") else "select"
            if tag.get("data-theme") == "admin-autocomplete":
                kind = f"autocomplete-{kind}"
            options = tuple(
                o.get("value", o.get_text()) for o in tag.find_all("option")
            )
            chosen = [
                o.get("value", o.get_text())
                for o in tag.find_all("option")
                if o.has_attr("selected")
            ]
            value = chosen[0] if chosen else (options[0] if options else "")
            groups[name] = Field(name, kind, value, options, disabled)
        elif tag.name == "textarea":
            groups[name] = Field(name, "textarea", tag.get_text(), (), disabled)
        elif tag.name == "button" or tag.get("type") in ("submit", "image"):
            # Of several buttons with one name, the browser sends the one pressed.
            old = groups.get(name)
            options = (*(old.options if old else ()), tag.get("value", ""))
            groups[name] = Field(name, "button", "", options, disabled)
        else:
            kind = tag.get("type", "text").lower()
            if kind == "file":
                continue
            if kind in ("checkbox", "radio"):
                old = groups.get(name)
                options = (*(old.options if old else ()), tag.get("value", "on"))
                checked = old.value if old else ""
                if tag.has_attr("checked"):
                    checked = tag.get("value", "on")
                groups[name] = Field(name, kind, checked, options, disabled)
            else:
                groups[name] = Field(name, kind, tag.get("value", ""), (), disabled)
    return tuple(groups.values())


def parse(html):
    return BeautifulSoup(html, "html.parser")


def forms_on(url, soup):
    """Every form on a parsed page, with its action made absolute."""
    found = []
    for tag in soup.find_all("form"):
        action = urljoin(url, tag.get("action") or url)
        method = (tag.get("method") or "get").lower()
        found.append(Form(action, method, _fields(tag)))
    return found


def is_sign_out(form):
    """Signing out (of the site or of admin) would end the fuzzer's session."""
    return form.target in ("logout", "admin:logout")


# Query-string parameters ---------------------------------------------------

_GET_NAMES = re.compile(
    r"""GET(?:\.get|\.getlist)?\s*[\(\[]\s*f?["']([A-Za-z_][\w-]*)["']"""
)


def _names_in_html(form_class_or_filter):
    try:
        html = str(form_class_or_filter)
    except Exception:  # noqa: BLE001 - a form that needs arguments to render
        return set()
    return {f.name for f in _fields(parse(html))}


def names_from_view(view):
    """Names a view's module reads from the query string, and its forms' fields."""
    return _names_from_module(getattr(view, "__module__", ""))


@functools.cache
def _names_from_module(module_name):
    module = sys.modules.get(module_name)
    if module is None:
        return frozenset()
    names = set(_GET_NAMES.findall(inspect.getsource(module)))
    for value in vars(module).values():
        if not isinstance(value, type):
            continue
        if issubclass(value, django_filters.FilterSet) and value._meta.model:
            queryset = value._meta.model._default_manager.none()
            try:
                names |= _names_in_html(value(queryset=queryset).form)
            except TypeError:
                names |= set(value.base_filters)
        elif issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
            names |= set(getattr(value, "base_fields", {}))
    return frozenset(names)


def names_from_page(url, soup):
    """Names the page's GET forms send, and names in links back to the page."""
    path = urlsplit(url).path
    names = set()
    for form in forms_on(url, soup):
        if form.method == "get" and urlsplit(form.action).path == path:
            names |= {f.name for f in form.fields}
    for link in soup.find_all("a", href=True):
        parts = urlsplit(urljoin(url, link["href"]))
        if parts.path == path:
            names |= {key for key, _ in parse_qsl(parts.query, keep_blank_values=True)}
    return names


def query_names(url, soup=None):
    """Every query-string parameter a page reads, as far as can be seen."""
    try:
        view = resolve(urlsplit(url).path).func
    except Resolver404:
        view = None
    on_page = names_from_page(url, soup) if soup is not None else set()
    return sorted(on_page | names_from_view(view))
