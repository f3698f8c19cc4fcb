"""Template tags and filters for GOV.UK Design System pages.

Load with ``{% load govuk %}``. What is here:

Dates
    ``value|govuk_date``      → "22 November 2026"
    ``value|govuk_datetime``  → "22 November 2026 at 2:05pm"

Tags (status labels)
    ``TAG_COLOURS``                  the one map from a choice value to a tag colour
    ``value|tag_colour``             the colour for a value ("grey" if unknown)
    ``{% govuk_tag value label %}``  a tag, or a dash where there is no value

Numbers
    ``number|govuk_number``          5000 → "5,000"

Form fields have their own library, ``{% load govuk_forms %}``.

Text people typed
    ``value|linked_text``     escaped text with its http(s) addresses as links
    ``value|linked_text:60``  the same, each link's text cut to 60 characters

Tables and summary lists
    ``{% table_region label="…" %}…{% endtable_region %}``  a table that
        scrolls sideways in its own labelled, focusable region (or
        ``labelledby="heading-id"``); renders components/table_region.html
    ``{% summary_list %}…{% endsummary_list %}``  a GOV.UK summary list;
        renders components/summary_list.html
    ``{% summary_row "Team" %}{{ owner.team }}{% endsummary_row %}``  one of
        its rows, the key and what is between the tags as the value; renders
        components/summary_row.html

Navigation and lists
    ``{% breadcrumbs "Actions" list_url "Action 2.3" %}``  GOV.UK breadcrumbs:
                                               label and link pairs, then the
                                               current page; renders
                                               components/breadcrumbs.html
    ``{% service_setting "COUNCIL_NAME" %}``   a name from settings, for pages
                                               rendered without context processors
    ``{% service_navigation as nav_items %}``  links the user may follow
    ``{% url_replace request page=2 %}``       the query string with changes
    ``{% pagination_items page_obj as items %}``  page numbers and gaps

This module imports no models, so it is safe to load from any template.
"""

import re

from django import template
from django.conf import settings
from django.utils.html import Urlizer, format_html
from django.utils.safestring import mark_safe

from improvement.kernel.dates import govuk_date, govuk_datetime
from improvement.kernel.navigation import navigation_items

register = template.Library()


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------


register.filter("govuk_date", govuk_date)
register.filter("govuk_datetime", govuk_datetime)


# ---------------------------------------------------------------------------
# Tags
# ---------------------------------------------------------------------------

#: The one place that says which GOV.UK tag colour shows each choice value.
#: Colours are GOV.UK Frontend 6 tag modifiers; "blue" is the default tag,
#: which has no modifier class. Colour is never the only signal: the tag
#: always shows its label.
TAG_COLOURS = {
    # Action.Status: delivery status
    "not_started": "grey",
    "in_progress": "blue",
    "delivered": "green",
    "paused": "yellow",
    "withdrawn": "grey",
    # Action.Rag: confidence of delivering on time; blue is delivered
    "red": "red",
    "amber": "orange",
    "green": "green",
    "blue": "blue",
    # Action.Impact: how far the change is evident and embedded; also an
    # action's RAG as shown while nobody has assessed it (Action.ShownRag)
    "not_assessed": "grey",
    "emerging": "yellow",
    "evidenced": "teal",
    "embedded": "green",
    # Finding.Kind
    "recommendation": "purple",
    "area_for_improvement": "orange",
    "area_for_development": "yellow",
    "strength": "green",
    # Finding.Priority
    "high": "red",
    "medium": "orange",
    "low": "grey",
    # Plan.Status
    "draft": "grey",
    "active": "blue",
    "closed": "grey",
    # visits.Grade: Ofsted judgements
    "outstanding": "green",
    "good": "teal",
    "requires_improvement": "orange",
    "inadequate": "red",
    # findings.FindingJudgement.Progress: a later visit's judgement of a
    # finding ("embedded", improved and embedded, is green as above)
    "not_yet_tested": "grey",
    "no_progress": "red",
    "some_progress": "yellow",
    "improved_not_embedded": "teal",
    # Derived signals, computed and never typed in
    "overdue": "red",
    "stale": "yellow",
    "slipped": "orange",
    "unanswered": "red",
    "not_evidenced": "orange",
    "orphan": "yellow",
}

#: Colour for a value the map does not know.
DEFAULT_TAG_COLOUR = "grey"


@register.filter
def tag_colour(value):
    """The GOV.UK tag colour for a choice value, such as "in_progress"."""
    return TAG_COLOURS.get(str(value), DEFAULT_TAG_COLOUR)


@register.filter
def overdue_on(record, day):
    """``{% if action|overdue_on:today %}``: the record's own ``overdue_on(day)``.

    So a template flags "Overdue" by the one rule the model and the board's
    figures use, not by comparing dates itself.
    """
    return record.overdue_on(day)


@register.simple_tag
def govuk_tag(value, label=None):
    """A GOV.UK tag for a choice value, labelled with its display text.

    ``{% govuk_tag action.status action.get_status_display %}``. The label
    defaults to the value itself. The colour comes from ``TAG_COLOURS``; the
    label is always shown, so colour is never the only signal ("blue" is
    GOV.UK Frontend's default tag style, so ``govuk-tag--blue`` needs no rule
    of its own). An empty value means there is nothing to show (a withdrawn
    action has no RAG): a dash, with the label for screen readers instead.

    Built in Python, not from a template: the board's pages show hundreds.
    """
    if not value:
        return format_html(
            '<span aria-hidden="true">–</span>'
            '<span class="govuk-visually-hidden">{}</span>',
            "" if label is None else label,
        )
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}">{}</strong>',
        tag_colour(value),
        label or value,
    )


# ---------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------


@register.filter
def govuk_number(value):
    """A whole number with thousands separated: 5000 → "5,000"."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return value


# ---------------------------------------------------------------------------
# Text people typed
# ---------------------------------------------------------------------------


class _WebAddresses(Urlizer):
    """Django's urlize, linking only addresses written out with http(s)://.

    Bare domain names ("example.com"), "www." and email addresses stay text,
    and nothing else (``javascript:``, ``data:``) can become a link. The links
    tell search engines and the page they open nothing about this site, and
    their text may wrap anywhere (``app-link--address``).
    """

    simple_url_2_re = re.compile(r"(?!)")  # matches nothing
    url_template = (
        '<a class="govuk-link app-free-text app-link--address" href="{href}" '
        'rel="nofollow noopener noreferrer">{url}</a>'
    )

    @staticmethod
    def is_email_simple(value):
        return False


_web_addresses = _WebAddresses()


@register.filter
def linked_text(value, limit=None):
    """Text someone typed, escaped, with its http(s) addresses as links.

    ``{{ update.narrative|linked_text|linebreaksbr }}``. HTML in the text is
    shown as text. ``limit`` cuts each link's text (not its address) to that
    many characters, for summaries.
    """
    if value in (None, ""):
        return ""
    limit = int(limit) if limit not in (None, "") else None
    return mark_safe(_web_addresses(str(value), trim_url_limit=limit, autoescape=True))


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------


class _TableRegionNode(template.Node):
    def __init__(self, nodelist, options):
        self.nodelist = nodelist
        self.options = options

    def render(self, context):
        options = {name: value.resolve(context) for name, value in self.options}
        if not (options.get("label") or options.get("labelledby")):
            raise template.TemplateSyntaxError(
                "table_region needs a label or the id of what labels it."
            )
        region = context.template.engine.get_template("components/table_region.html")
        with context.push(content=mark_safe(self.nodelist.render(context)), **options):
            return region.render(context)


@register.tag
def table_region(parser, token):
    """A table that scrolls sideways inside its own region on small screens.

    ``{% table_region labelledby="history" %}<table …>{% endtable_region %}``
    or ``label="Actions answering R1"``. The region is named for screen
    readers and can take keyboard focus, so it can be scrolled without a
    mouse; the page itself never becomes wider than the screen.
    """
    bits = token.split_contents()[1:]
    options = []
    for bit in bits:
        name, sep, value = bit.partition("=")
        if not sep or name not in {"label", "labelledby"}:
            raise template.TemplateSyntaxError(
                f"table_region takes label=… or labelledby=…, not {bit!r}."
            )
        options.append((name, parser.compile_filter(value)))
    nodelist = parser.parse(("endtable_region",))
    parser.delete_first_token()
    return _TableRegionNode(nodelist, options)


class _ComponentNode(template.Node):
    """Renders ``component`` with what is between the tags as ``content``."""

    def __init__(self, component, nodelist, args, kwargs):
        self.component = component
        self.nodelist = nodelist
        self.args = args
        self.kwargs = kwargs

    def options(self, context):
        return {name: value.resolve(context) for name, value in self.kwargs.items()}

    def render(self, context):
        options = self.options(context)
        component = context.template.engine.get_template(self.component)
        content = mark_safe(self.nodelist.render(context))
        with context.push(content=content, **options):
            return component.render(context)


def _parse_component(parser, token, names, *, positional=0):
    """The arguments of a block tag: up to ``positional`` values, then name=value."""
    tag, *bits = token.split_contents()
    args, kwargs = [], {}
    for bit in bits:
        name, sep, value = bit.partition("=")
        if sep and name in names:
            kwargs[name] = parser.compile_filter(value)
        elif not sep and not kwargs and len(args) < positional:
            args.append(parser.compile_filter(bit))
        else:
            raise template.TemplateSyntaxError(f"{tag} cannot take {bit!r}.")
    nodelist = parser.parse((f"end{tag}",))
    parser.delete_first_token()
    return args, kwargs, nodelist


class _SummaryRowNode(_ComponentNode):
    def options(self, context):
        if not self.args:
            raise template.TemplateSyntaxError("summary_row needs its key.")
        return {"key": self.args[0].resolve(context), **super().options(context)}


@register.tag
def summary_list(parser, token):
    """A GOV.UK summary list, its rows between the tags.

    ``{% summary_list %}{% summary_row "Team" %}…{% endsummary_row %}…
    {% endsummary_list %}``; ``classes="govuk-summary-list--no-border"``
    adds modifier classes.
    """
    _, kwargs, nodelist = _parse_component(parser, token, {"classes"})
    return _ComponentNode("components/summary_list.html", nodelist, [], kwargs)


@register.tag
def summary_row(parser, token):
    """One row of a GOV.UK summary list: the key, then the value between the tags.

    ``{% summary_row "Team" %}{{ owner.team|default:"Not set" }}{% endsummary_row %}``.
    The key is escaped; the value is whatever the tags hold, links included.
    """
    args, kwargs, nodelist = _parse_component(parser, token, set(), positional=1)
    return _SummaryRowNode("components/summary_row.html", nodelist, args, kwargs)


# ---------------------------------------------------------------------------
# Navigation
# ---------------------------------------------------------------------------


@register.inclusion_tag("components/breadcrumbs.html")
def breadcrumbs(*items, trail=()):
    """GOV.UK breadcrumbs: the pages leading to this one, then this one.

    ``{% breadcrumbs "Actions" list_url plan.name plan_url "Action 2.3" %}``:
    label and link pairs, then the current page's label, unlinked. A pair
    whose label is empty is left out, for a parent a record may not have
    (a visit that follows up no inspection). ``trail`` puts (label, url)
    pairs from the view first: ``{% breadcrumbs object url "History"
    trail=breadcrumbs %}``.
    """
    if len(items) % 2 != 1:
        raise template.TemplateSyntaxError(
            "breadcrumbs takes label and link pairs, then the current page's label."
        )
    *pairs, current = items
    links = [*trail, *zip(pairs[::2], pairs[1::2], strict=True)]
    return {
        "links": [(label, url) for label, url in links if label not in (None, "")],
        "current": current,
    }


#: Settings that ``service_setting`` may show. Nothing secret belongs here.
_SERVICE_SETTINGS = frozenset({"COUNCIL_NAME", "SERVICE_NAME"})


@register.simple_tag
def service_setting(name):
    """The council or service name straight from settings.

    For pages rendered without a request or context processors, such as the
    500 page: ``{% service_setting "COUNCIL_NAME" %}``.
    """
    if name not in _SERVICE_SETTINGS:
        raise template.TemplateSyntaxError(f"service_setting cannot show {name!r}.")
    return getattr(settings, name, "")


@register.simple_tag(takes_context=True)
def service_navigation(context):
    """The service navigation links the signed-in user may follow.

    ``{% service_navigation as nav_items %}``: see
    ``improvement.kernel.navigation.navigation_items``.
    """
    return navigation_items(context.get("request"))


# ---------------------------------------------------------------------------
# Lists and pagination
# ---------------------------------------------------------------------------


@register.simple_tag
def url_replace(request, **changes):
    """The current query string with some parameters changed.

    ``{% url_replace request page=3 %}`` keeps the filters and sets the page.
    A value of None removes the parameter. Returns "?…", or "?" if empty.
    """
    query = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return f"?{query.urlencode()}"


@register.simple_tag
def pagination_items(page_obj, on_each_side=1, on_ends=1):
    """Page links for GOV.UK pagination, with gaps for long runs of pages.

    Returns a list of dicts: ``number`` and ``current`` for a page, or
    ``ellipsis`` True for a gap.
    """
    paginator = page_obj.paginator
    items = []
    for number in paginator.get_elided_page_range(
        page_obj.number, on_each_side=on_each_side, on_ends=on_ends
    ):
        if number == paginator.ELLIPSIS:
            items.append({"ellipsis": True})
        else:
            items.append({"number": number, "current": number == page_obj.number})
    return items
