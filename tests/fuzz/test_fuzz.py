"""Hostile input to every page and every form, as every kind of person.

For each page of the URL conf (and the Django admin pages of each model with
history), the test opens the page as each person, reads the query-string
parameters it takes and the forms it shows, then lets Hypothesis:

* request the page as a drawn person with drawn parameters (and, for a page
  about one record, a drawn id): never a server error, and nothing changed;
* send each form as a drawn person who can see it, with plausible values in
  most fields and hostile ones in a few (or fields left out, or repeated):
  never a server error, and every row added, changed or deleted comes with
  a history row of that kind by that person. After a save, the page it leads
  to and a drawn board page must open too.

Each example runs in a savepoint that is rolled back, so examples do not
depend on each other and all start from the same data, read once per page.
The data is read again after a request only if the request ran a statement
that may write (a request of reads alone cannot have changed anything).
``HYPOTHESIS_PROFILE=fuzz`` runs 1,000 examples per page and per form
(``make fuzz``); the default profile runs a few.
"""

from contextlib import contextmanager
from functools import partial
from urllib.parse import urlencode, urlsplit

import pytest
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz import values
from tests.fuzz.conftest import profile
from tests.fuzz.records import (
    Snapshot,
    any_changes,
    historied_models,
    unrecorded,
    watching_writes,
)
from tests.fuzz.site import (
    ODD_IDS,
    PAGES,
    Field,
    admin_models,
    admin_pages,
    admin_url,
    forms_on,
    is_sign_out,
    page_url,
    parse,
    pk_strategy,
    query_names,
    takes_pk,
)
from tests.fuzz.stats import STATS
from tests.helpers import READ

pytestmark = pytest.mark.django_db

#: Pages a person reads after a save, where stored values are shown again.
BOARD_PAGES = sorted(name for name in READ if name in PAGES and not takes_pk(name))


@contextmanager
def rolled_back():
    """Run one example in a savepoint, and undo whatever it did."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def record_ids():
    """The ids of every record with history, to send where an id is expected."""
    ids = set()
    for model in historied_models():
        ids |= set(model._base_manager.values_list("pk", flat=True))
    return sorted(ids)


def _pairs(name, value):
    if value is values.MISSING:
        return []
    if isinstance(value, list):
        return [(name, str(item)) for item in value]
    return [(name, str(value))]


def _get(role, url, pairs=()):
    query = urlencode(list(pairs))
    with STATS.counting() as count:
        response = count(role.client.get(f"{url}?{query}" if query else url))
    return response


def _post(role, url, pairs):
    body = urlencode(pairs)
    with STATS.counting() as count:
        response = count(
            role.client.post(
                url, body, content_type="application/x-www-form-urlencoded"
            )
        )
    return response


def _is_page(response):
    return response.status_code == 200 and response.get("Content-Type", "").startswith(
        "text/html"
    )


def _survey(roles, url):
    """Each person's view of the page: the parameters it reads and its forms."""
    names, query_fields, forms = set(), {}, {}
    for role in roles.values():
        response = _get(role, url)
        assert response.status_code < 500, (role, url, response.status_code)
        if not _is_page(response):
            continue
        soup = parse(response.content.decode())
        names |= set(query_names(url, soup))
        for form in forms_on(url, soup):
            if form.method == "get":
                query_fields.update({f.name: f for f in form.fields})
            elif not is_sign_out(form):
                forms.setdefault(form.key, (form, []))[1].append(role)
    if not names:
        names = set(query_names(url))
    fields = [query_fields.get(name, Field(name, "text")) for name in sorted(names)]
    return fields, list(forms.values())


def _run(test):
    """Run ``test(data)`` for as many examples as the profile asks."""
    profile()(given(data=st.data())(test))()


def _fuzz_query(roles, url_for, pks, fields, ids, before):
    people = list(roles.values())
    STATS.page()

    def example(data):
        role = data.draw(st.sampled_from(people), label="person")
        pk = None
        if pks is not None:
            pk = data.draw(st.one_of(st.none(), pks), label="id")
        url = url_for(pk)
        chosen = []
        if fields:
            chosen = data.draw(
                st.lists(st.sampled_from(fields), unique=True, max_size=4),
                label="names",
            )
        pairs = []
        for field in chosen:
            value = data.draw(values.field_value(field, ids), label=field.name)
            pairs += _pairs(field.name, value)
        if data.draw(st.booleans(), label="unknown parameter"):
            pairs += [(data.draw(values.hostile(ids), label="name") or "x", "1")]
        with rolled_back(), watching_writes() as writes:
            response = _get(role, url, pairs)
            assert response.status_code < 500, (role, url, pairs)
            if not writes.seen:
                return
            assert any_changes(before, Snapshot(with_history=False)) == [], (
                role,
                url,
                pairs,
            )

    _run(example)


def _form_pairs(data, form, ids):
    names = [f.name for f in form.fields]
    tampered = set()
    if names:
        tampered = data.draw(
            st.sets(st.sampled_from(names), max_size=min(4, len(names))),
            label="tampered",
        )
    pairs = []
    for field in form.fields:
        if field.name in tampered:
            value = data.draw(values.field_value(field, ids), label=field.name)
        elif field.disabled:
            continue  # a browser does not send a disabled field
        else:
            value = data.draw(values.plausible(field, ids), label=field.name)
        pairs += _pairs(field.name, value)
    if data.draw(st.booleans(), label="unknown field"):
        name = data.draw(st.text(values.ANY_CHAR, min_size=1, max_size=20))
        pairs.append((name, data.draw(values.hostile(ids), label="its value")))
    return pairs


def _fuzz_form(form, people, ids, before):
    STATS.form(form.key)

    def example(data):
        role = data.draw(st.sampled_from(people), label="person")
        pairs = _form_pairs(data, form, ids)
        with rolled_back():
            with watching_writes() as writes:
                response = _post(role, form.action, pairs)
            assert response.status_code < 500, (role, form.action, pairs)
            if writes.seen:
                problems = unrecorded(before, Snapshot(with_history=False), role.user)
                assert problems == [], (role, form.action, pairs)
            if response.status_code in (301, 302, 303):
                location = response["Location"]
                if not urlsplit(location).netloc:
                    after = _get(role, location)
                    assert after.status_code < 500, (role, location, pairs)
                board = data.draw(st.sampled_from(BOARD_PAGES), label="then opens")
                after = _get(role, page_url(board, {}))
                assert after.status_code < 500, (role, board, pairs)

    _run(example)


def _fuzz_page(roles, url_for, pks):
    """Fuzz the page's query string, then each of its forms.

    A failure does not stop the rest: every failure is raised together at the
    end, each with the example that shows it.
    """
    ids = record_ids()
    fields, forms = _survey(roles, url_for(None))
    # Every example is rolled back, so each starts from this state.
    before = Snapshot()
    targets = [partial(_fuzz_query, roles, url_for, pks(ids) if pks else None, fields)]
    targets += [partial(_fuzz_form, form, people) for form, people in forms]
    failures = []
    for target in targets:
        try:
            target(ids, before)
        except Exception as failure:  # noqa: BLE001 - collected, raised below
            failures.append(failure)
    if failures:
        raise ExceptionGroup(f"{url_for(None)}: {len(failures)} failed", failures)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_hostile_input_to_a_page_and_its_forms(name, roles, site):
    pks = partial(pk_strategy, name) if takes_pk(name) else None
    _fuzz_page(roles, lambda pk: page_url(name, site, pk), pks)


@pytest.mark.parametrize("model", admin_models(), ids=lambda m: m._meta.label)
def test_hostile_input_to_the_admin_pages_of_a_model(model, roles, site):
    first = model._base_manager.order_by("pk").values_list("pk", flat=True).first()
    for name, names_a_record in admin_pages(model):
        pks = None
        if names_a_record:
            pks = _admin_pks

        def url_for(pk, name=name, names_a_record=names_a_record):
            if not names_a_record:
                return admin_url(name)
            return admin_url(name, first if pk is None else pk)

        _fuzz_page(roles, url_for, pks)


def _admin_pks(ids):
    return st.one_of(st.sampled_from(ids), st.sampled_from(ODD_IDS))
