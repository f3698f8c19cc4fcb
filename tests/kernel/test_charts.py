"""The chart building blocks in ``improvement.kernel.charts``: stacked bars
split into their parts, bars of nothing, and light colours outlined."""

import re

import pytest
from django.template.loader import render_to_string

from improvement.board.chart_parts import RAG_SERIES, STATUS_SERIES
from improvement.kernel.charts import bars, parts

FRUIT = (
    parts.Series("apple", "Apple", parts.GREEN, parts.WHITE, "solid"),
    parts.Series("lemon", "Lemon", parts.YELLOW, parts.BLACK, "dots"),
)
BASKETS = bars.BarWords(
    unit="fruit",
    row_heading="Basket",
    row_noun="basket",
    row_noun_plural="baskets",
    all_rows_label="All baskets",
)


def _chart(*inputs):
    return bars.stacked_bar_chart("fruit", "Fruit", list(inputs), FRUIT, words=BASKETS)


def test_bars_name_what_they_count_in_their_own_words():
    chart = _chart(
        bars.BarInput("Basket A", {"apple": 3, "lemon": 1}),
        bars.BarInput("Basket B", {"lemon": 2}),
    )
    assert chart.summary == "6 fruits across 2 baskets: 3 apple, 3 lemon."
    assert chart.axis_label == "Number of fruits"
    assert chart.table.headings == ["Basket", "Apple", "Lemon", "Total"]
    assert chart.table.totals == {
        "label": "All baskets",
        "values": [3, 3],
        "total": 6,
    }
    one, two = chart.bars
    assert [(s.series.key, s.count) for s in one.segments] == [
        ("apple", 3),
        ("lemon", 1),
    ]
    # Lengths are in proportion, end to end from the plot's left.
    assert float(one.segments[0].x) == float(chart.plot_left)
    assert float(one.segments[0].width) == pytest.approx(
        3 * float(one.segments[1].width), rel=0.01
    )
    # The longest bar ends at the top of the scale (4), the axis's right.
    end = float(one.segments[1].x) + float(one.segments[1].width)
    assert end == pytest.approx(float(chart.plot_right), abs=0.2)
    assert [t.value for t in chart.ticks] == [0, 1, 2, 3, 4]
    assert float(two.y) > float(one.bottom)


def test_a_bar_of_nothing_has_no_segments_and_says_so():
    chart = _chart(
        bars.BarInput("Basket A", {"apple": 2}),
        bars.BarInput("Basket B", {}),
    )
    empty = chart.bars[1]
    assert empty.segments == [] and empty.total == 0
    assert chart.description == "Basket A: 2 fruits, 2 apple. Basket B: no fruits."
    assert chart.table.rows[1]["values"] == [0, 0]


def test_a_chart_of_no_bars_is_empty():
    chart = _chart()
    assert chart.empty and chart.bars == []
    assert chart.summary == "There are no fruits to show."
    assert chart.description == "No fruits."
    assert chart.table.totals is None


def test_the_board_keeps_its_wording_by_default():
    chart = bars.stacked_bar_chart(
        "c", "Status", [bars.BarInput("1. Workforce", {"delivered": 1})], STATUS_SERIES
    )
    assert chart.summary == "1 action across 1 priority: 1 delivered."
    assert chart.table.headings[0] == "Priority"


def test_no_function_of_the_bar_chart_is_long():
    """The project's rule: no function over about 50 lines."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(bars))
    lengths = {
        node.name: node.end_lineno - node.lineno + 1
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
    }
    assert max(lengths.values()) <= 50, lengths


def _svg(chart):
    html = render_to_string("components/chart_stacked_bars.html", {"chart": chart})
    return re.search(r"<svg.*?</svg>", html, flags=re.S).group(0)


def test_light_segments_are_outlined_inside_and_dark_ones_not():
    chart = _chart(bars.BarInput("Basket A", {"apple": 3, "lemon": 2}))
    svg = _svg(chart)
    outlines = re.findall(r'<rect [^>]*fill="none" [^>]*/>', svg)
    assert len(outlines) == 1  # the lemon only
    lemon = chart.bars[0].segments[1]
    assert f'x="{lemon.outline_x}"' in outlines[0]
    assert float(lemon.outline_x) == float(lemon.x) + 1.5
    assert float(lemon.outline_width) == pytest.approx(float(lemon.width) - 3, abs=0.1)
    assert f'stroke="{parts.TEXT_COLOUR}"' in outlines[0]


def test_the_table_can_be_left_to_the_page():
    chart = _chart(bars.BarInput("Basket A", {"apple": 1}))
    html = render_to_string(
        "components/chart_stacked_bars.html", {"chart": chart, "without_table": True}
    )
    assert 'role="img"' in html
    assert "<table" not in html
    assert "<table" in render_to_string(
        "components/chart_stacked_bars.html", {"chart": chart}
    )


def contrast(one, two):
    """WCAG contrast ratio of two ``#rrggbb`` colours."""

    def luminance(colour):
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = [
            c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
            for c in channels
        ]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted([luminance(one), luminance(two)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_is_measured_as_wcag_does():
    assert contrast(parts.WHITE, "#000000") == pytest.approx(21)
    assert contrast(parts.BLUE, parts.WHITE) == pytest.approx(5.17, abs=0.01)


@pytest.mark.parametrize("series", [*STATUS_SERIES, *RAG_SERIES], ids=str)
def test_the_plan_series_stand_out_from_white_or_are_outlined(series):
    """WCAG 1.4.11: 3:1 against white, or a black outline (``is_light``)."""
    assert contrast(series.colour, parts.WHITE) >= 3 or series.is_light
    if series.is_light:
        assert contrast(series.colour, parts.TEXT_COLOUR) >= 3
