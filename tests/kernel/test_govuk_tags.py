"""The GOV.UK template tags and filters, one by one (``{% load govuk %}``)."""

import datetime
import zoneinfo

import pytest
from django.core.paginator import Paginator
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory
from django.urls import reverse

from improvement.kernel.templatetags import govuk, govuk_forms

LONDON = zoneinfo.ZoneInfo("Europe/London")


def render(source, **context):
    return Template("{% load govuk %}" + source).render(Context(context))


# Dates ----------------------------------------------------------------------


def test_govuk_date_writes_the_day_month_and_year():
    assert govuk.govuk_date(datetime.date(2026, 3, 7)) == "7 March 2026"
    assert govuk.govuk_date(None) == ""
    assert govuk.govuk_date("") == ""


def test_govuk_date_of_a_late_summer_evening_in_utc_is_the_london_date():
    late = datetime.datetime(2026, 7, 31, 23, 30, tzinfo=datetime.UTC)
    assert govuk.govuk_date(late) == "1 August 2026"


@pytest.mark.parametrize(
    ("hour", "minute", "words"),
    [
        (0, 0, "midnight"),
        (12, 0, "midday"),
        (9, 0, "9am"),
        (14, 5, "2:05pm"),
        (0, 30, "12:30am"),
        (23, 59, "11:59pm"),
    ],
)
def test_govuk_datetime_says_times_the_gov_uk_way(hour, minute, words):
    moment = datetime.datetime(2026, 1, 15, hour, minute, tzinfo=LONDON)
    assert govuk.govuk_datetime(moment) == f"15 January 2026 at {words}"


def test_govuk_datetime_of_a_plain_date_has_no_time():
    assert govuk.govuk_datetime(datetime.date(2026, 1, 15)) == "15 January 2026"


# Tags and numbers -------------------------------------------------------------


def test_tag_colour_knows_the_choices_and_greys_the_rest():
    assert govuk.tag_colour("red") == "red"
    assert govuk.tag_colour("delivered") == govuk.TAG_COLOURS["delivered"]
    assert govuk.tag_colour("no such value") == "grey"


def test_govuk_tag_shows_the_label_in_the_value_colour():
    html = render("{% govuk_tag 'red' 'Red' %}")
    assert "govuk-tag--red" in html and ">Red<" in html.replace("\n", "").replace(
        " ", ""
    )


def test_govuk_tag_without_a_value_is_a_dash_with_the_label_for_screen_readers():
    html = render("{% govuk_tag '' 'No RAG' %}")
    assert html == (
        '<span aria-hidden="true">–</span>'
        '<span class="govuk-visually-hidden">No RAG</span>'
    )


def test_govuk_tag_labels_itself_with_its_value_and_escapes_both():
    assert render("{% govuk_tag 'amber' %}") == (
        '<strong class="govuk-tag govuk-tag--orange">amber</strong>'
    )
    html = render("{% govuk_tag value label %}", value="<b>", label="<i>x</i>")
    assert "<i>" not in html and "&lt;i&gt;x&lt;/i&gt;" in html
    assert 'govuk-tag--grey"' in html


def test_govuk_number_separates_thousands_and_leaves_other_text():
    assert govuk.govuk_number(5000) == "5,000"
    assert govuk.govuk_number("1234567") == "1,234,567"
    assert govuk.govuk_number("n/a") == "n/a"


# Text people typed ------------------------------------------------------------


def test_linked_text_links_web_addresses_and_escapes_everything_else():
    html = govuk.linked_text(
        "See https://council.example/x?a=1&b=2 <script>alert(1)</script>"
    )
    assert 'href="https://council.example/x?a=1&amp;b=2"' in html
    assert 'rel="nofollow noopener noreferrer"' in html
    assert "<script>" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "text",
    ["javascript:alert(1)", "data:text/html,hi", "www.example.com", "a@b.example"],
)
def test_linked_text_makes_no_link_of_anything_but_http(text):
    assert "<a " not in govuk.linked_text(text)


def test_linked_text_cuts_long_link_text_but_not_the_address():
    address = "https://sharepoint.example/" + "x" * 300
    html = govuk.linked_text(address, 40)
    assert f'href="{address}"' in html
    assert f">{address}<" not in html


def test_linked_text_of_nothing_is_empty():
    assert govuk.linked_text(None) == ""


# Tables -----------------------------------------------------------------------


def test_table_region_is_a_named_focusable_region():
    html = render(
        "{% table_region label=name %}<table></table>{% endtable_region %}",
        name="Actions answering R1",
    )
    assert 'role="region"' in html
    assert 'aria-label="Actions answering R1"' in html
    assert 'tabindex="0"' in html
    assert "<table></table>" in html


def test_table_region_may_be_labelled_by_a_caption():
    html = render('{% table_region labelledby="history" %}x{% endtable_region %}')
    assert 'aria-labelledby="history"' in html


def test_table_region_without_a_name_is_a_mistake():
    with pytest.raises(TemplateSyntaxError):
        render('{% table_region label="" %}x{% endtable_region %}')
    with pytest.raises(TemplateSyntaxError):
        render('{% table_region title="x" %}x{% endtable_region %}')


# Summary lists --------------------------------------------------------------


def test_summary_list_holds_rows_of_key_and_value():
    html = render(
        "{% summary_list %}"
        '{% summary_row "Team" %}{{ team|default:"Not set" }}{% endsummary_row %}'
        '{% summary_row key %}<a class="govuk-link" href="/x/">X</a>'
        "{% endsummary_row %}"
        "{% endsummary_list %}",
        team="",
        key="Lead <officer>",
    )
    assert html.count('<div class="govuk-summary-list__row">') == 2
    assert '<dl class="govuk-summary-list">' in html
    assert (
        '<dt class="govuk-summary-list__key">Team</dt>'
        '<dd class="govuk-summary-list__value">Not set</dd>'
    ) in html
    # The key is escaped; the value is the markup between the tags.
    assert '<dt class="govuk-summary-list__key">Lead &lt;officer&gt;</dt>' in html
    assert '<a class="govuk-link" href="/x/">X</a></dd>' in html


def test_summary_list_takes_modifier_classes():
    html = render(
        '{% summary_list classes="govuk-summary-list--no-border" %}'
        "{% endsummary_list %}"
    )
    assert '<dl class="govuk-summary-list govuk-summary-list--no-border">' in html


def test_summary_row_needs_a_key_and_nothing_else():
    with pytest.raises(TemplateSyntaxError):
        render("{% summary_row %}x{% endsummary_row %}")
    with pytest.raises(TemplateSyntaxError):
        render('{% summary_row "A" "B" %}x{% endsummary_row %}')
    with pytest.raises(TemplateSyntaxError):
        render('{% summary_list title="x" %}{% endsummary_list %}')


def test_govuk_legend_classes_turns_label_sizes_into_legend_sizes():
    assert (
        govuk_forms.govuk_legend_classes("govuk-label--s extra")
        == "govuk-fieldset__legend--s extra"
    )


def test_service_setting_shows_only_the_names():
    assert render('{% service_setting "SERVICE_NAME" %}')
    with pytest.raises(TemplateSyntaxError):
        render('{% service_setting "SECRET_KEY" %}')


# Lists and pagination ---------------------------------------------------------


def test_breadcrumbs_link_the_pages_before_and_name_this_one():
    html = render(
        '{% breadcrumbs "Actions" "/actions/" plan "/plans/1/" "Action 2.3" %}',
        plan="Plan <2026>",
    )
    assert '<nav class="govuk-breadcrumbs" aria-label="Breadcrumb">' in html
    links = [
        '<a class="govuk-breadcrumbs__link" href="/actions/">Actions</a>',
        '<a class="govuk-breadcrumbs__link" href="/plans/1/">Plan &lt;2026&gt;</a>',
    ]
    assert html.index(links[0]) < html.index(links[1])
    assert '<li class="govuk-breadcrumbs__list-item">Action 2.3</li>' in html
    assert html.count("govuk-breadcrumbs__link") == 2


def test_breadcrumbs_leave_out_a_parent_with_no_name():
    html = render(
        '{% breadcrumbs "Visits" "/visits/" visit.inspection.title "/i/" "Visit 1" %}',
        visit={"inspection": None},
    )
    assert 'href="/i/"' not in html
    assert html.count("govuk-breadcrumbs__link") == 1


def test_breadcrumbs_put_the_views_trail_first():
    html = render(
        '{% breadcrumbs "Plan" "/plans/1/" "History" trail=trail %}',
        trail=[("Plans", "/plans/")],
    )
    assert html.index('href="/plans/"') < html.index('href="/plans/1/"')
    assert '<li class="govuk-breadcrumbs__list-item">History</li>' in html


def test_breadcrumbs_need_pairs_then_the_current_page():
    with pytest.raises(TemplateSyntaxError):
        render('{% breadcrumbs "Actions" "/actions/" %}')
    with pytest.raises(TemplateSyntaxError):
        render("{% breadcrumbs %}")


def test_url_replace_keeps_the_filters_and_changes_one():
    request = RequestFactory().get("/actions/", {"status": "open", "page": "2"})
    assert govuk.url_replace(request, page=3) == "?status=open&page=3"
    assert govuk.url_replace(request, page=None) == "?status=open"


def test_pagination_items_elide_long_runs():
    page = Paginator(range(100), 10).get_page(5)
    items = govuk.pagination_items(page)
    numbers = [item.get("number") for item in items]
    assert numbers == [1, None, 4, 5, 6, None, 10]
    assert [item for item in items if item.get("current")] == [
        {"number": 5, "current": True}
    ]


# Navigation -------------------------------------------------------------------


@pytest.mark.django_db
def test_service_navigation_offers_each_role_its_pages(officer, board):
    def labels(user, path="/"):
        request = RequestFactory().get(path)
        request.user = user
        return govuk.service_navigation({"request": request})

    officer_items = labels(officer, reverse("improvement:my_actions"))
    assert [i["label"] for i in officer_items][:3] == [
        "Dashboard",
        "My actions",
        "Actions",
    ]
    active = [i["label"] for i in officer_items if i["active"]]
    assert active == ["My actions"]
    board_labels = [i["label"] for i in labels(board)]
    assert "My actions" not in board_labels and "Admin" not in board_labels
    assert "Dashboard" in board_labels


def test_overdue_on_asks_the_record_its_own_rule():
    class Late:
        def overdue_on(self, day):
            return day > datetime.date(2026, 6, 1)

    template = Template(
        "{% load govuk %}{% if record|overdue_on:day %}Overdue{% endif %}"
    )
    late = Context({"record": Late(), "day": datetime.date(2026, 6, 2)})
    on_time = Context({"record": Late(), "day": datetime.date(2026, 6, 1)})
    assert template.render(late) == "Overdue"
    assert template.render(on_time) == ""
