"""Every date on the board's pages and the filters is a GOV.UK date input.

Day, month and year boxes (``<name>_0``, ``_1``, ``_2`` in the query string)
with one hint, instead of the browser's date picker. The links pages build
give the date in one piece (``?as_at=2026-03-31``), which is still read, and
pagination, downloads and the board pack's PDF keep whichever was sent.
"""

import datetime
import re

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.urls import reverse

from improvement.kernel.date_fields import QueryDateField
from improvement.kernel.dates import DATE_HINT, parse_single
from improvement.kernel.templatetags.govuk_forms import govuk_legend_classes
from tests.factories import ActionFactory, PriorityFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 15, 12, 0, tzinfo=datetime.UTC)

#: Every page with a date: the names of its dates.
PAGES = {
    "improvement:dashboard": ["as_at"],
    "improvement:as_at": ["as_at"],
    "improvement:changes_since": ["since", "until"],
    "improvement:drift": ["since"],
    "improvement:board_pack": ["as_at", "since"],
    "improvement:change_list": ["date_from", "date_to"],
    "improvement:action_list": ["due_after", "due_before"],
}
CASES = [(page, name) for page, names in PAGES.items() for name in names]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def plan():
    priority = PriorityFactory(plan__start_date=datetime.date(2026, 1, 1))
    action = ActionFactory(
        plan=priority.plan,
        priority=priority,
        original_due_date=datetime.date(2026, 5, 1),
    )
    ProgressUpdateFactory(action=action, update_date=datetime.date(2026, 2, 3))
    return priority.plan


def parts(name, day):
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def boxes(soup, name):
    """The values in the day, month and year boxes of the date ``name``."""
    return [
        soup.find("input", attrs={"name": f"{name}_{i}"})["value"] for i in range(3)
    ]


@pytest.mark.parametrize("page", PAGES)
def test_no_page_uses_the_browsers_date_picker(client_as_board, plan, page):
    soup = soup_of(client_as_board.get(reverse(page), {"plan": plan.pk}))
    assert not soup.find("input", attrs={"type": "date"})
    for name in PAGES[page]:
        fieldset = soup.find(id=f"id_{name}").find_parent("fieldset")
        labels = [label.get_text(strip=True) for label in fieldset.find_all("label")]
        assert labels == ["Day", "Month", "Year"], (page, name)
        hint = soup.find(id=f"id_{name}_helptext").get_text(" ", strip=True)
        assert hint.startswith(DATE_HINT), (page, name, hint)
        assert fieldset["aria-describedby"].startswith(f"id_{name}_helptext")


def test_the_forms_date_inputs_give_the_same_kind_of_hint(client_as_manager, plan):
    """Day, month and year as numbers, as the boxes take them; never 27/3/2026."""
    soup = soup_of(client_as_manager.get(reverse("improvement:action_create")))
    start = soup.find(id="id_start_date_helptext").get_text(strip=True)
    assert start == DATE_HINT, "a date with no hint of its own gets the usual one"
    for fieldset in soup.select("div.govuk-date-input"):
        hint = fieldset.find_parent("fieldset").find(class_="govuk-hint")
        text = hint.get_text(" ", strip=True) if hint else ""
        if "example" in text:
            assert re.search(r"For example, \d{1,2} \d{1,2} \d{4}", text), text


@pytest.mark.parametrize(("page", "name"), CASES)
def test_the_boxes_and_a_date_in_one_piece_give_the_same_page(
    client_as_board, plan, page, name
):
    day = datetime.date(2026, 3, 31)
    url = reverse(page)
    by_boxes = client_as_board.get(url, {"plan": plan.pk, **parts(name, day)})
    by_link = client_as_board.get(url, {"plan": plan.pk, name: day.isoformat()})
    for response in (by_boxes, by_link):
        soup = soup_of(response)
        assert boxes(soup, name) == ["31", "3", "2026"], page
        assert not soup.find(id=f"id_{name}_error"), page
    form = by_boxes.context.get("form") or by_boxes.context.get("filter_form")
    assert form.cleaned_data[name] == day


@pytest.mark.parametrize(("page", "name"), CASES)
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (("31", "2", "2026"), "must be a real date"),
        (("1", "", "2026"), "must include a month"),
        (("1", "1", "26"), "Year must include 4 numbers"),
        (("1", "1", "9999"), "must be between 1 January 1900 and 31 December 2100"),
        (("99999999999999999999", "1", "2026"), "must be a real date"),
    ],
)
def test_bad_boxes_get_a_message_beside_the_field(
    client_as_board, plan, page, name, typed, message
):
    names = [f"{name}_{i}" for i in range(3)]
    query = {"plan": plan.pk, **dict(zip(names, typed, strict=True))}
    soup = soup_of(client_as_board.get(reverse(page), query))
    error = soup.find(id=f"id_{name}_error")
    assert error is not None and message in error.get_text(), (page, name)
    # The summary links to the day box, and what was typed is kept.
    assert soup.find("a", href=f"#id_{name}_0")
    assert boxes(soup, name) == list(typed)


def test_blank_boxes_mean_the_default_date(client_as_board, plan):
    response = client_as_board.get(
        reverse("improvement:changes_since"),
        {"plan": plan.pk, "since_0": "", "since_1": "", "since_2": "", "until_0": ""},
    )
    form = response.context["form"]
    assert form.is_valid()
    assert form.cleaned_data["until"] == datetime.date(2026, 6, 15)
    assert form.cleaned_data["since"] == datetime.date(2026, 5, 16)
    response = client_as_board.get(
        reverse("improvement:dashboard"), {"as_at_0": "", "as_at_1": "", "as_at_2": ""}
    )
    assert response.context["as_at"] is None


def test_the_default_comparison_follows_the_typed_pack_date(client_as_board, plan):
    response = client_as_board.get(
        reverse("improvement:board_pack"),
        {"plan": plan.pk, **parts("as_at", datetime.date(2026, 5, 31))},
    )
    assert response.context["form"].cleaned_data["since"] == datetime.date(2026, 5, 1)


# ---------------------------------------------------------------------------
# Links the pages build keep working
# ---------------------------------------------------------------------------


def test_quick_picks_and_board_links_still_open_the_date(client_as_board, plan):
    soup = soup_of(
        client_as_board.get(
            reverse("improvement:dashboard"),
            {"plan": plan.pk, **parts("as_at", datetime.date(2026, 3, 31))},
        )
    )
    links = [a["href"] for a in soup.find_all("a", href=True) if "as_at=" in a["href"]]
    assert links, "the month ends and the other board screens link to a date"
    for href in links:
        response = client_as_board.get(href)
        assert response.status_code == 200, href
        day = response.context.get("as_at")
        assert day is not None, href


def test_pagination_keeps_the_typed_dates(client_as_board, plan):
    priority = plan.priorities.get()
    for number in range(30):
        ActionFactory(
            plan=plan,
            priority=priority,
            reference=f"9.{number}",
            original_due_date=datetime.date(2026, 9, 1),
        )
    query = {**parts("due_after", datetime.date(2026, 8, 1))}
    soup = soup_of(client_as_board.get(reverse("improvement:action_list"), query))
    following = soup.find("a", attrs={"rel": "next"})["href"]
    assert "due_after_0=1" in following and "due_after_2=2026" in following
    response = client_as_board.get(reverse("improvement:action_list") + following)
    assert response.context["page_obj"].number == 2
    assert {a.reference[:2] for a in response.context["object_list"]} == {"9."}


def test_downloads_take_the_same_typed_dates(client_as_board, plan):
    late = ActionFactory(
        plan=plan,
        priority=plan.priorities.get(),
        reference="7.1",
        original_due_date=datetime.date(2026, 12, 1),
    )
    query = parts("due_after", datetime.date(2026, 11, 1))
    register = client_as_board.get(reverse("improvement:action_list"), query)
    assert list(register.context["object_list"]) == [late]
    csv = client_as_board.get(reverse("improvement:action_export_csv"), query)
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 2 and ",7.1," in lines[1]

    day = datetime.date(2026, 3, 1)
    changes = client_as_board.get(
        reverse("improvement:change_export_csv"),
        {"plan": plan.pk, **parts("since", day), **parts("until", day)},
    )
    assert changes["Content-Disposition"].endswith(
        'changes-2026-03-01-to-2026-03-01.csv"'
    )


def test_the_pdf_link_carries_the_typed_dates(client_as_board, plan):
    query = {"plan": plan.pk, **parts("as_at", datetime.date(2026, 5, 31))}
    soup = soup_of(client_as_board.get(reverse("improvement:board_pack"), query))
    href = soup.find("a", href=lambda h: h and "board-pack.pdf" in h)["href"]
    assert f"plan={plan.pk}" in href and "as_at=2026-05-31" in href
    assert "since=2026-05-01" in href  # the default: 30 days before


# ---------------------------------------------------------------------------
# The field itself
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-03-31", datetime.date(2026, 3, 31)),
        ("31/3/2026", datetime.date(2026, 3, 31)),
        ("31 3 2026", datetime.date(2026, 3, 31)),
        ("31 March 2026", datetime.date(2026, 3, 31)),
        ("31 Mar 2026", datetime.date(2026, 3, 31)),
        ("0001-01-01", datetime.date(1, 1, 1)),
        ("yesterday", None),
        ("", None),
    ],
)
def test_a_date_in_one_piece(text, day):
    assert parse_single(text) == day


def test_the_boxes_win_over_a_date_in_one_piece():
    field = QueryDateField(label="From")
    data = {"since": "2026-01-01", **parts("since", datetime.date(2026, 2, 2))}
    assert field.peek(data, "since") == datetime.date(2026, 2, 2)
    assert field.peek({"since": "2026-01-01"}, "since") == datetime.date(2026, 1, 1)
    assert field.peek({"since": "31-31-2026"}, "since") is None
    assert field.peek({}, "since") is None


def test_label_sizes_become_legend_sizes():
    """A date input among labelled fields gets the same size of name."""
    assert govuk_legend_classes("govuk-label--s") == "govuk-fieldset__legend--s"
    assert govuk_legend_classes("govuk-fieldset__legend--m") == (
        "govuk-fieldset__legend--m"
    )
    assert govuk_legend_classes("") == ""
