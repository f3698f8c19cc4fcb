"""What every server-drawn SVG chart shares. Imports no app models.

The chart templates (``templates/components/chart_*.html``) only draw: every
position, length, label and piece of text is worked out here, so the charts
look the same on the dashboard, in the board pack and in a PDF, and need no
JavaScript and nothing from another site.

Colour is never the only signal. Each series has a colour, a fill pattern, a
line style and a marker shape; bars carry their counts as text, lines are
labelled at their ends, every chart has a text legend, a text description for
screen readers, a one-line summary and the same numbers as a table.

* ``bars.stacked_bar_chart`` — horizontal stacked bars, one per row (a
  priority, a month), each named above its bar ("1. Workforce").
* ``lines.line_chart`` — one line per series over dates (months).

This module holds what both share: colours, series, text measures, the
scale, the legend and markers. Each app defines its own series from the
palette below (``improvement.board.chart_parts``,
``improvement.audits.charts``).

Every series' colour should have at least 3:1 contrast with white (WCAG
1.4.11), as segments are drawn on white and parted by white lines. Lighter
colours (``Series.is_light``: those with black text) are outlined in black
wherever they are drawn, so they stand out from white too.

Charts are drawn for a phone's width (``CHART_WIDTH``) and scaled to fit, so
their text stays readable on a 375 px screen; static/scss/_charts.scss stops
them growing far beyond that on wide screens, and in the PDF.
"""

import math
from dataclasses import dataclass

FONT_FAMILY = "Arial, sans-serif"
TEXT_COLOUR = "#0b0c0c"
GRID_COLOUR = "#cecece"

#: Average width of a character of 16px Arial, for laying out text.
CHAR_WIDTH = 8.6
#: Bold Arial is a little wider.
BOLD_FACTOR = 1.1

#: How wide charts are drawn, in SVG units. A chart fills a phone's column
#: (about 345 px of a 375 px screen), so 16-unit text shows at about 14 px
#: and 14-unit text at about 12 px; on wider screens it grows to at most
#: 1.3 times (32rem, static/scss/_charts.scss).
CHART_WIDTH = 400
#: Text sizes in SVG units: names and legends, then numbers and axes.
LABEL_SIZE = 16
SMALL_SIZE = 14


@dataclass(frozen=True)
class Series:
    """How one value (a status, a RAG, a grade) is drawn in every chart."""

    key: str
    label: str
    colour: str
    text_colour: str
    pattern: str = "solid"  # solid, diagonal, dots, cross, horizontal, vertical
    dash: str = ""  # SVG stroke-dasharray for lines; empty for a solid line
    marker: str = "circle"  # circle, square, triangle, diamond, cross

    @property
    def is_light(self):
        """Light colours get a dark outline so they stand out from white."""
        return self.text_colour == BLACK


# GOV.UK Frontend 6 palette. Contrast with white: blue 5.2, green 5.4,
# red 5.2, orange 2.8, yellow 1.4, light grey 1.6, dark grey 9.0.
BLUE = "#1d70b8"
GREEN = "#0f7a52"
RED = "#ca3535"
ORANGE = "#f47738"
YELLOW = "#ffdd00"
LIGHT_GREY = "#cecece"
DARK_GREY = "#484949"
BLACK = "#0b0c0c"
WHITE = "#ffffff"
# Shades and tints from the same palette. Contrast with white: dark green
# 8.0, light green 3.3 (black text on it 5.9), dark orange 4.7, dark red 7.9.
DARK_GREEN = "#0b5c3e"
LIGHT_GREEN = "#4b9b7d"
DARK_ORANGE = "#b7592a"
DARK_RED = "#982828"


def text_width(text, size=16, *, bold=False):
    """Rough width of ``text`` in Arial at ``size`` pixels."""
    width = len(str(text)) * CHAR_WIDTH * size / 16
    return width * BOLD_FACTOR if bold else width


def wrap_text(text, width, *, size=16, bold=False, max_lines=2):
    """``text`` in lines no wider than ``width``; at most ``max_lines``.

    Words longer than a line are cut; text that needs more lines ends in an
    ellipsis (the chart's table always has the whole name).
    """
    per_line = max(1, int(width / text_width("x", size, bold=bold)))
    words = []
    for word in str(text).split():
        words += [word[i : i + per_line] for i in range(0, len(word), per_line)]
    lines, current = [], ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if current and len(candidate) > per_line:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: per_line - 1].rstrip() + "…"
    return lines


def nice_scale(value, max_ticks=5):
    """A round top for an axis of whole numbers, and the step between ticks.

    ``nice_scale(37)`` is ``(40, 10)``; an empty chart still gets ``(1, 1)``.
    """
    if value <= 0:
        return 1, 1
    raw = value / max_ticks
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = magnitude
    for multiple in (1, 2, 5, 10):
        step = multiple * magnitude
        if step >= raw:
            break
    step = max(1, int(step))
    return math.ceil(value / step) * step, step


def fmt(number):
    """Coordinates with at most one decimal place, for compact SVG."""
    rounded = round(number, 1)
    return str(int(rounded)) if rounded == int(rounded) else str(rounded)


def plural(count, word):
    return f"{count} {word}{'' if count == 1 else 's'}"


def describe_counts(counts, series):
    """“3 not started, 5 in progress”: the non-zero counts, in series order."""
    parts = [
        f"{counts.get(s.key, 0)} {s.label.lower()}"
        for s in series
        if counts.get(s.key, 0)
    ]
    return ", ".join(parts) if parts else "none"


@dataclass
class LegendItem:
    series: Series
    x: str
    y: str
    text_x: str
    text_y: str
    line_x2: str = ""
    line_y: str = ""
    marker: object = None


@dataclass
class Table:
    """The chart's numbers as a table: caption, column headings and rows."""

    caption: str
    headings: list
    rows: list  # each: {"label": str, "detail": str, "values": [int], "total": int}
    totals: dict | None = None  # {"label": str, "values": [int], "total": int}


def lay_out_legend(series, top, width, *, left=0, line=False):
    """Legend items laid out left to right, wrapping; returns (items, bottom)."""
    items = []
    x, y = left, top
    swatch = 28 if line else 18
    row_height = 28
    for s in series:
        item_width = swatch + 8 + text_width(s.label, LABEL_SIZE) + 20
        if x > left and x + item_width > width:
            x, y = left, y + row_height
        item = LegendItem(
            series=s,
            x=fmt(x),
            y=fmt(y),
            text_x=fmt(x + swatch + 8),
            text_y=fmt(y + 14),
        )
        if line:
            item.line_x2 = fmt(x + swatch)
            item.line_y = fmt(y + 9)
            item.marker = marker(s.marker, x + swatch / 2, y + 9)
        items.append(item)
        x += item_width
    return items, y + row_height


@dataclass
class Marker:
    kind: str
    cx: str
    cy: str
    points: str = ""


def marker(kind, x, y, size=5):
    """A marker shape centred on (x, y): a circle or a polygon's points."""
    shapes = {
        "square": [(-1, -1), (1, -1), (1, 1), (-1, 1)],
        "triangle": [(0, -1.25), (1.15, 0.85), (-1.15, 0.85)],
        "diamond": [(0, -1.35), (1.35, 0), (0, 1.35), (-1.35, 0)],
        "cross": [
            (-0.4, -1.2),
            (0.4, -1.2),
            (0.4, -0.4),
            (1.2, -0.4),
            (1.2, 0.4),
            (0.4, 0.4),
            (0.4, 1.2),
            (-0.4, 1.2),
            (-0.4, 0.4),
            (-1.2, 0.4),
            (-1.2, -0.4),
            (-0.4, -0.4),
        ],
    }
    if kind not in shapes:
        return Marker(kind="circle", cx=fmt(x), cy=fmt(y))
    points = " ".join(
        f"{fmt(x + dx * size)},{fmt(y + dy * size)}" for dx, dy in shapes[kind]
    )
    return Marker(kind=kind, cx=fmt(x), cy=fmt(y), points=points)


@dataclass
class Tick:
    value: int
    position: str
    label_position: str


@dataclass(kw_only=True)
class Chart:
    """What every chart component draws: its names and words, its size and
    plot area, the axis label, the legend and series, and the table that is
    its text alternative (``BarChart`` and ``LineChart`` add their own)."""

    id: str
    title: str
    description: str
    summary: str
    width: int
    height: int
    plot_left: str
    plot_right: str
    plot_top: str
    axis_label: str
    axis_label_x: str
    axis_label_y: str
    legend: list
    series: tuple
    table: Table
    font_family: str = FONT_FAMILY
    text_colour: str = TEXT_COLOUR
    grid_colour: str = GRID_COLOUR
    empty: bool = False
