"""Chart geometry for server-drawn SVG charts. Imports no app models.

The chart templates (``templates/components/chart_*.html``) only draw: every
position, length, label and piece of text is worked out here, so the charts
look the same on the dashboard, in the board pack and in a PDF, and need no
JavaScript and nothing from another site.

Colour is never the only signal. Each series has a colour, a fill pattern, a
line style and a marker shape; bars carry their counts as text, lines are
labelled at their ends, every chart has a text legend, a text description for
screen readers, a one-line summary and the same numbers as a table.

* ``stacked_bar_chart`` — horizontal stacked bars, one per row (priority),
  each named above its bar ("1. Workforce").
* ``line_chart`` — one line per series over dates (months).

Charts are drawn for a phone's width (``CHART_WIDTH``) and scaled to fit, so
their text stays readable on a 375 px screen; static/scss/_charts.scss stops
them growing far beyond that on wide screens, and in the PDF.
"""

import math
from dataclasses import dataclass, field

from django.utils import dateformat

FONT_FAMILY = "Arial, sans-serif"
TEXT_COLOUR = "#0b0c0c"
SECONDARY_TEXT_COLOUR = "#484949"
GRID_COLOUR = "#cecece"
AXIS_COLOUR = "#0b0c0c"

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
    """How one value (a status, a RAG) is drawn in every chart."""

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


# GOV.UK Frontend 6 palette.
BLUE = "#1d70b8"
GREEN = "#0f7a52"
RED = "#ca3535"
ORANGE = "#f47738"
YELLOW = "#ffdd00"
LIGHT_GREY = "#cecece"
MID_GREY = "#858686"
DARK_GREY = "#484949"
BLACK = "#0b0c0c"
WHITE = "#ffffff"

STATUS_SERIES = (
    Series("not_started", "Not started", LIGHT_GREY, BLACK, "dots", "2 4", "square"),
    Series("in_progress", "In progress", BLUE, WHITE, "diagonal", "", "circle"),
    Series("paused", "Paused", YELLOW, BLACK, "cross", "10 4 2 4", "triangle"),
    Series("delivered", "Delivered", GREEN, WHITE, "solid", "8 4", "diamond"),
    Series("withdrawn", "Withdrawn", DARK_GREY, WHITE, "horizontal", "4 4", "cross"),
)

RAG_SERIES = (
    Series("red", "Red", RED, WHITE, "cross", "", "triangle"),
    Series("amber", "Amber", ORANGE, BLACK, "dots", "10 4 2 4", "square"),
    Series("green", "Green", GREEN, WHITE, "diagonal", "8 4", "circle"),
    Series("blue", "Blue (delivered)", BLUE, WHITE, "solid", "2 4", "diamond"),
    Series(
        "not_assessed", "Not assessed", LIGHT_GREY, BLACK, "vertical", "1 4", "cross"
    ),
)


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


def _fmt(number):
    """Coordinates with at most one decimal place, for compact SVG."""
    rounded = round(number, 1)
    return str(int(rounded)) if rounded == int(rounded) else str(rounded)


def _plural(count, word):
    return f"{count} {word}{'' if count == 1 else 's'}"


def _describe_counts(counts, series):
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


def _legend(series, top, width, *, left=0, line=False):
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
            x=_fmt(x),
            y=_fmt(y),
            text_x=_fmt(x + swatch + 8),
            text_y=_fmt(y + 14),
        )
        if line:
            item.line_x2 = _fmt(x + swatch)
            item.line_y = _fmt(y + 9)
            item.marker = _marker(s.marker, x + swatch / 2, y + 9)
        items.append(item)
        x += item_width
    return items, y + row_height


# ---------------------------------------------------------------------------
# Stacked horizontal bars
# ---------------------------------------------------------------------------


@dataclass
class BarInput:
    """One bar to draw: its label, a longer name for the table, and its counts."""

    label: str
    counts: dict
    detail: str = ""


@dataclass
class Segment:
    series: Series
    count: int
    x: str
    y: str
    width: str
    height: str
    text_x: str
    text_y: str
    show_count: bool
    badge_x: str = ""
    badge_y: str = ""
    badge_width: str = ""


@dataclass
class LabelLine:
    """One line of a bar's name, drawn above the bar."""

    text: str
    y: str


@dataclass
class Bar:
    label: str
    detail: str
    total: int
    label_x: str
    label_lines: list
    y: str
    bottom: str
    total_x: str
    total_y: str
    segments: list


@dataclass
class Tick:
    value: int
    position: str
    label_position: str


@dataclass
class BarChart:
    """Everything ``components/chart_stacked_bars.html`` draws."""

    id: str
    title: str
    description: str
    summary: str
    width: int
    height: int
    plot_left: str
    plot_right: str
    plot_top: str
    axis_y: str
    tick_label_y: str
    axis_label: str
    axis_label_x: str
    axis_label_y: str
    bars: list
    ticks: list
    legend: list
    series: tuple
    table: Table
    font_family: str = FONT_FAMILY
    text_colour: str = TEXT_COLOUR
    grid_colour: str = GRID_COLOUR
    empty: bool = False


def stacked_bar_chart(
    chart_id,
    title,
    bars,
    series,
    *,
    unit="action",
    row_heading="Priority",
    row_noun="priority",
    row_noun_plural="priorities",
    all_rows_label="All priorities",
    summary=None,
    width=CHART_WIDTH,
):
    """Horizontal stacked bars, one per ``BarInput``, split by ``series``.

    Each bar's name is written above it, across the chart's whole width (in
    up to two lines), so a name such as "3. Children in care and care
    leavers" fits a phone. ``unit`` names what is counted ("action");
    ``row_noun`` and ``row_noun_plural`` name the bars in the summary.
    ``summary`` replaces the generated one-line summary.
    """
    series = tuple(series)
    totals = [sum(b.counts.get(s.key, 0) for s in series) for b in bars]
    total_width = text_width(max(totals, default=0), LABEL_SIZE) + 12
    left = 6  # room for the axis's "0" under it
    right = width - total_width
    plot_width = right - left
    top = 4
    line_height = 20
    bar_height = 28
    gap = 16
    scale_max, step = nice_scale(max(totals, default=0))

    drawn = []
    y = top
    for bar, total in zip(bars, totals, strict=True):
        lines = wrap_text(bar.label, width, size=LABEL_SIZE, bold=True)
        label_lines = [
            LabelLine(text=line, y=_fmt(y + 15 + i * line_height))
            for i, line in enumerate(lines)
        ]
        y += len(lines) * line_height + 4
        x = left
        segments = []
        for s in series:
            count = bar.counts.get(s.key, 0)
            if not count:
                continue
            length = count / scale_max * plot_width
            badge = text_width(count, SMALL_SIZE, bold=True) + 8
            segments.append(
                Segment(
                    series=s,
                    count=count,
                    x=_fmt(x),
                    y=_fmt(y),
                    width=_fmt(length),
                    height=_fmt(bar_height),
                    text_x=_fmt(x + length / 2),
                    text_y=_fmt(y + bar_height / 2 + 5),
                    show_count=length >= badge + 4,
                    badge_x=_fmt(x + (length - badge) / 2),
                    badge_y=_fmt(y + bar_height / 2 - 10),
                    badge_width=_fmt(badge),
                )
            )
            x += length
        drawn.append(
            Bar(
                label=bar.label,
                detail=bar.detail,
                total=total,
                label_x="0",
                label_lines=label_lines,
                y=_fmt(y),
                bottom=_fmt(y + bar_height),
                total_x=_fmt(x + 6),
                total_y=_fmt(y + bar_height / 2 + 6),
                segments=segments,
            )
        )
        y += bar_height + gap

    axis_y = y - gap + 4
    ticks = [
        Tick(
            value=value,
            position=_fmt(left + value / scale_max * plot_width),
            label_position=_fmt(axis_y + 16),
        )
        for value in range(0, scale_max + 1, step)
    ]
    axis_label_y = axis_y + 38
    legend, bottom = _legend(series, axis_label_y + 14, width)

    column_totals = [sum(b.counts.get(s.key, 0) for b in bars) for s in series]
    grand_total = sum(totals)
    if summary is None:
        by_series = {s.key: n for s, n in zip(series, column_totals, strict=True)}
        rows_named = row_noun if len(bars) == 1 else row_noun_plural
        summary = (
            f"{_plural(grand_total, unit)} across {len(bars)} {rows_named}: "
            f"{_describe_counts(by_series, series)}."
            if bars
            else f"There are no {unit}s to show."
        )
    description = (
        " ".join(
            f"{bar.label}{' (' + bar.detail + ')' if bar.detail else ''}: "
            f"{_plural(total, unit)}, {_describe_counts(bar.counts, series)}."
            for bar, total in zip(bars, totals, strict=True)
        )
        or f"No {unit}s."
    )

    table = Table(
        caption=title,
        headings=[row_heading, *[s.label for s in series], "Total"],
        rows=[
            {
                "label": bar.label,
                "detail": bar.detail,
                "values": [bar.counts.get(s.key, 0) for s in series],
                "total": total,
            }
            for bar, total in zip(bars, totals, strict=True)
        ],
        totals=(
            {"label": all_rows_label, "values": column_totals, "total": grand_total}
            if len(bars) > 1
            else None
        ),
    )
    return BarChart(
        id=chart_id,
        title=title,
        description=description,
        summary=summary,
        width=width,
        height=int(bottom + 8),
        plot_left=_fmt(left),
        plot_right=_fmt(right),
        plot_top=_fmt(top),
        axis_y=_fmt(axis_y),
        tick_label_y=_fmt(axis_y + 16),
        axis_label=f"Number of {unit}s",
        axis_label_x=_fmt(left + plot_width / 2),
        axis_label_y=_fmt(axis_label_y),
        bars=drawn,
        ticks=ticks,
        legend=legend,
        series=series,
        table=table,
        empty=not bars,
    )


# ---------------------------------------------------------------------------
# Lines over time
# ---------------------------------------------------------------------------


@dataclass
class Marker:
    kind: str
    cx: str
    cy: str
    points: str = ""


def _marker(kind, x, y, size=5):
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
        return Marker(kind="circle", cx=_fmt(x), cy=_fmt(y))
    points = " ".join(
        f"{_fmt(x + dx * size)},{_fmt(y + dy * size)}" for dx, dy in shapes[kind]
    )
    return Marker(kind=kind, cx=_fmt(x), cy=_fmt(y), points=points)


@dataclass
class Line:
    series: Series
    points: str
    markers: list
    end_label: str  # "Red 3", in words
    end_x: str
    end_y: str
    end_text: str = ""  # what is drawn at the line's end: its latest count


@dataclass
class XLabel:
    x: str
    text: str
    subtext: str = ""


@dataclass
class LineChart:
    """Everything ``components/chart_lines.html`` draws."""

    id: str
    title: str
    description: str
    summary: str
    width: int
    height: int
    plot_left: str
    plot_right: str
    plot_top: str
    plot_bottom: str
    x_label_y: str
    x_sublabel_y: str
    axis_label: str
    axis_label_x: str
    axis_label_y: str
    lines: list
    y_ticks: list
    x_labels: list
    legend: list
    series: tuple
    table: Table
    font_family: str = FONT_FAMILY
    text_colour: str = TEXT_COLOUR
    grid_colour: str = GRID_COLOUR
    empty: bool = False


@dataclass
class LinePoint:
    """One date on a line chart and the counts of each series on it."""

    day: object
    counts: dict = field(default_factory=dict)


def _spread(positions, minimum_gap, low, high):
    """Move label positions apart by at least ``minimum_gap``, within bounds."""
    order = sorted(range(len(positions)), key=lambda i: positions[i])
    placed = list(positions)
    previous = None
    for i in order:
        y = max(placed[i], low)
        if previous is not None and y < previous + minimum_gap:
            y = previous + minimum_gap
        placed[i] = y
        previous = y
    overflow = (placed[order[-1]] - high) if order else 0
    if overflow > 0:
        for i in order:
            placed[i] -= overflow
    return placed


def line_chart(chart_id, title, points, series, *, unit="action", width=CHART_WIDTH):
    """One line per series across ``points`` (``LinePoint``, oldest first).

    Series that are zero throughout are left off the drawing (they would lie
    on the axis) but kept in the table. Each line ends in its latest count;
    the legend names each line by its colour, dash pattern and marker.
    """
    series = tuple(series)
    drawn_series = [s for s in series if any(p.counts.get(s.key, 0) for p in points)]
    scale_max, step = nice_scale(
        max((p.counts.get(s.key, 0) for p in points for s in series), default=0)
    )
    left, top = text_width(scale_max, SMALL_SIZE) + 14, 12
    end_label_width = text_width(scale_max, SMALL_SIZE, bold=True) + 20
    right = width - end_label_width
    plot_height = 200
    bottom = top + plot_height
    plot_width = right - left

    def x_at(index):
        if len(points) == 1:
            return left + plot_width / 2
        return left + index * plot_width / (len(points) - 1)

    def y_at(value):
        return bottom - value / scale_max * plot_height

    lines = []
    for s in drawn_series:
        coordinates = [
            (x_at(i), y_at(p.counts.get(s.key, 0))) for i, p in enumerate(points)
        ]
        lines.append(
            Line(
                series=s,
                points=" ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in coordinates),
                markers=[_marker(s.marker, x, y) for x, y in coordinates],
                end_label=f"{s.label} {points[-1].counts.get(s.key, 0)}",
                end_x=_fmt(coordinates[-1][0] + 10),
                end_y="",
                end_text=str(points[-1].counts.get(s.key, 0)),
            )
        )
    if lines:
        wanted = [y_at(points[-1].counts.get(line.series.key, 0)) + 5 for line in lines]
        for line, y in zip(
            lines, _spread(wanted, 18, top + 10, bottom + 5), strict=True
        ):
            line.end_y = _fmt(y)

    y_ticks = [
        Tick(value=value, position=_fmt(y_at(value)), label_position=_fmt(left - 8))
        for value in range(0, scale_max + 1, step)
    ]
    # As many month names as fit (each about 44 units apart).
    every = max(1, math.ceil(len(points) / max(2, int(plot_width // 44))))
    indices = list(range(0, len(points), every))
    if indices and indices[-1] != len(points) - 1:
        if len(points) - 1 - indices[-1] < every and len(indices) > 1:
            indices.pop()  # too close to the last point, which is always labelled
        indices.append(len(points) - 1)
    x_labels = []
    previous_year = None
    for i in indices:
        day = points[i].day
        x_labels.append(
            XLabel(
                x=_fmt(x_at(i)),
                text=dateformat.format(day, "M"),
                subtext=str(day.year) if day.year != previous_year else "",
            )
        )
        previous_year = day.year

    x_label_y = bottom + 20
    axis_label_y = bottom + 60
    legend, legend_bottom = _legend(series, axis_label_y + 14, width, line=True)

    column = {s.key: [p.counts.get(s.key, 0) for p in points] for s in series}
    if points:
        first, last = points[0], points[-1]
        summary = (
            f"From {dateformat.format(first.day, 'j F Y')} to "
            f"{dateformat.format(last.day, 'j F Y')}: "
            + "; ".join(
                f"{s.label.lower()} {column[s.key][0]} to {column[s.key][-1]}"
                for s in series
                if any(column[s.key])
            )
            + "."
        )
        description = " ".join(
            f"{dateformat.format(p.day, 'j F Y')}: "
            f"{_describe_counts(p.counts, series)}."
            for p in points
        )
    else:
        summary = "There is nothing to show yet."
        description = "No data."

    table = Table(
        caption=title,
        headings=["Date", *[s.label for s in series], "Total"],
        rows=[
            {
                "label": dateformat.format(p.day, "j F Y"),
                "detail": "",
                "values": [p.counts.get(s.key, 0) for s in series],
                "total": sum(p.counts.get(s.key, 0) for s in series),
            }
            for p in points
        ],
    )
    return LineChart(
        id=chart_id,
        title=title,
        description=description,
        summary=summary,
        width=width,
        height=int(legend_bottom + 8),
        plot_left=_fmt(left),
        plot_right=_fmt(right),
        plot_top=_fmt(top),
        plot_bottom=_fmt(bottom),
        x_label_y=_fmt(x_label_y),
        x_sublabel_y=_fmt(x_label_y + 18),
        axis_label=f"Number of {unit}s",
        axis_label_x=_fmt(left),
        axis_label_y=_fmt(axis_label_y),
        lines=lines,
        y_ticks=y_ticks,
        x_labels=x_labels,
        legend=legend,
        series=series,
        table=table,
        empty=not points,
    )


# ---------------------------------------------------------------------------
# The board's charts, from improvement.board.figures
# ---------------------------------------------------------------------------


def priority_name(priority):
    """“1. Workforce”: a priority's number and title, as its bar is named.

    ``priority``: anything with ``number`` and ``title`` (None for actions
    with no priority).
    """
    if priority.number is None:
        return "No priority"
    return f"{priority.number}. {priority.title}"


def status_by_priority_chart(priorities, chart_id="status-by-priority"):
    """Stacked bars of delivery status for each priority.

    ``priorities``: ``figures.PriorityFigures`` (or anything with
    ``number``, ``title`` and ``status_counts``).
    """
    return stacked_bar_chart(
        chart_id,
        "Delivery status by priority",
        [BarInput(priority_name(p), p.status_counts) for p in priorities],
        STATUS_SERIES,
    )


def rag_by_priority_chart(priorities, chart_id="rag-by-priority"):
    """Stacked bars of RAG for each priority, Blue for delivered actions and
    actions nobody has assessed yet on their own.

    Withdrawn actions have no RAG, so a priority's bar can be shorter here
    than in the delivery status chart.
    """
    return stacked_bar_chart(
        chart_id,
        "RAG by priority",
        [BarInput(priority_name(p), p.rag_counts) for p in priorities],
        RAG_SERIES,
    )


def status_trend_chart(points, chart_id="status-trend"):
    """Lines of actions at each delivery status, month by month.

    ``points``: ``figures.TrendPoint`` (anything with ``day`` and
    ``status_counts``).
    """
    return line_chart(
        chart_id,
        "Actions by delivery status at the end of each month",
        [LinePoint(p.day, p.status_counts) for p in points],
        STATUS_SERIES,
    )


def rag_trend_chart(points, chart_id="rag-trend"):
    """Lines of actions at each RAG (Blue for delivered, and not assessed),
    month by month."""
    return line_chart(
        chart_id,
        "Actions by RAG at the end of each month",
        [LinePoint(p.day, p.rag_counts) for p in points],
        RAG_SERIES,
    )
