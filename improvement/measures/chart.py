"""A measure's values against its target, drawn as SVG by the server.

``templates/measures/includes/value_chart.html`` only draws: every position
and piece of text is worked out here. The chart is drawn for a phone's width
and scales to fit, like the board's charts. Colour is never the only signal:
the target is a dashed line, the band where a value is still Green is
shaded and named in the legend, each value has a marker, the latest value is
written at the line's end, and the same numbers are in a table beside it.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from improvement.measures.models import Measure, period_label

WIDTH = 400
PLOT_TOP = 12
PLOT_HEIGHT = 200
CHAR_WIDTH = 8.0  # about the width of a 14-unit Arial character, and a margin


def _fmt(number):
    return f"{number:.1f}"


@dataclass
class Tick:
    y: str
    label: str


@dataclass
class XLabel:
    x: str
    text: str
    subtext: str


@dataclass
class Row:
    label: str
    value: str
    target: str
    rag: str
    rag_label: str


@dataclass
class ValueChart:
    """Everything the chart template draws."""

    id: str
    title: str
    summary: str
    description: str
    height: int
    plot_left: str
    plot_right: str
    plot_width: str
    plot_bottom: str
    points: str
    markers: list
    end_x: str
    end_y: str
    end_text: str
    target_points: str
    band_points: str
    ticks: list
    x_labels: list
    x_label_y: str
    x_sublabel_y: str
    legend_y: str
    rows: list
    width: int = WIDTH
    empty: bool = False


def _nice_step(span):
    """A round step giving about four gridlines across ``span``."""
    raw = span / 4 if span > 0 else 1
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return Decimal(str(factor * power))
    return Decimal(str(10 * power))


def _scale(numbers):
    """``(low, high, step)``: round bounds holding every number, 0 if near."""
    low, high = min(numbers), max(numbers)
    if low >= 0 and low <= (high - low):
        low = Decimal(0)
    if high == low:
        high = low + 1
    step = _nice_step(float(high - low))
    smallest = low
    low = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    high = (high / step).to_integral_value(rounding="ROUND_CEILING") * step
    if low == smallest and low != 0:
        # Keep a target or value at the bottom off the axis, where it would hide.
        low -= step
    return low, high, step


def _tick_label(measure, value):
    text = f"{value.normalize():f}"
    return f"{text}%" if measure.unit == Measure.Unit.PERCENTAGE else text


def value_chart(measure, values):
    """The chart of ``values`` (``MeasureValue``s, oldest first) for ``measure``."""
    title = f"{measure.name}: values against target"
    rows = _rows(measure, values)
    if not values:
        return _empty_chart(measure, title, rows)
    targets = _target_edges(measure, values)
    numbers = [v.value for v in values]
    numbers += [n for _, target, edge in targets for n in (target, edge)]
    low, high, step = _scale(numbers)
    ticks_values = []
    tick = low
    while tick <= high:
        ticks_values.append(tick)
        tick += step
    label_width = max(len(_tick_label(measure, t)) for t in ticks_values)
    left = label_width * CHAR_WIDTH + 12
    end_text = measure.format_value(values[-1].value)
    right = WIDTH - (len(end_text) * CHAR_WIDTH + 14)
    bottom = PLOT_TOP + PLOT_HEIGHT

    def y_at(number):
        return bottom - float((number - low) / (high - low)) * PLOT_HEIGHT

    def x_at(index):
        if len(values) == 1:
            return (left + right) / 2
        return left + index * (right - left) / (len(values) - 1)

    coordinates = [(x_at(i), y_at(v.value)) for i, v in enumerate(values)]
    target_line, band_edge = _steps(targets, x_at, y_at, left, right)
    summary, description = _words(measure, values)
    return ValueChart(
        id=f"measure-{measure.pk}-chart",
        title=title,
        summary=summary,
        description=description,
        height=bottom + 124,
        plot_left=_fmt(left),
        plot_right=_fmt(right),
        plot_width=_fmt(right - left),
        plot_bottom=_fmt(bottom),
        points=_points(coordinates),
        markers=[{"cx": _fmt(x), "cy": _fmt(y)} for x, y in coordinates],
        end_x=_fmt(coordinates[-1][0] + 10),
        end_y=_fmt(coordinates[-1][1] + 5),
        end_text=end_text,
        target_points=_points(target_line),
        band_points=_points(target_line + band_edge[::-1]),
        ticks=[
            Tick(y=_fmt(y_at(t)), label=_tick_label(measure, t)) for t in ticks_values
        ],
        x_labels=_x_labels(values, x_at, left, right),
        x_label_y=_fmt(bottom + 20),
        x_sublabel_y=_fmt(bottom + 38),
        legend_y=_fmt(bottom + 64),
        rows=rows,
    )


def _points(coordinates):
    return " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in coordinates)


def _rows(measure, values):
    """The table beside the chart: each period's value, target and RAG."""
    return [
        Row(
            label=period_label(v.period, measure.frequency),
            value=measure.format_value(v.value),
            target=measure.format_value(measure.target_for(v.period)) or "No target",
            rag=measure.rag_of(v.value, v.period).value,
            rag_label=measure.rag_of(v.value, v.period).label,
        )
        for v in values
    ]


def _empty_chart(measure, title, rows):
    """A chart with nothing to draw: the page says no values are recorded."""
    return ValueChart(
        id=f"measure-{measure.pk}-chart",
        title=title,
        summary="No values have been recorded yet.",
        description="",
        height=0,
        plot_left="0",
        plot_right="0",
        plot_width="0",
        plot_bottom="0",
        points="",
        markers=[],
        end_x="0",
        end_y="0",
        end_text="",
        target_points="",
        band_points="",
        ticks=[],
        x_labels=[],
        x_label_y="0",
        x_sublabel_y="0",
        legend_y="0",
        rows=rows,
        empty=True,
    )


def _target_edges(measure, values):
    """``(index, target, edge)`` for each value with a target in force; the edge
    is where the band in which a value is still Green ends."""
    sign = -1 if measure.direction == Measure.Direction.HIGHER else 1
    targets = []
    for index, v in enumerate(values):
        target = measure.target_for(v.period)
        if target is not None:
            edge = target + sign * (measure.amber_tolerance or 0)
            targets.append((index, target, edge))
    return targets


def _x_labels(values, x_at, left, right):
    """Month labels under the plot, as many as fit, each year named once."""
    every = max(1, math.ceil(len(values) / max(2, int((right - left) // 44))))
    x_labels, previous_year = [], None
    for i in range(0, len(values), every):
        day = values[i].period
        x_labels.append(
            XLabel(
                x=_fmt(x_at(i)),
                text=f"{day:%b}",
                subtext=str(day.year) if day.year != previous_year else "",
            )
        )
        previous_year = day.year
    return x_labels


def _steps(targets, x_at, y_at, left, right):
    """The target as a stepped line, and the Green band's far edge, as points.

    Each target holds until the next value's period, where a new step of the
    trajectory may start. A single point's target runs across the plot.
    """
    if not targets:
        return [], []
    if len(targets) == 1:
        _, target, edge = targets[0]
        return [(left, y_at(target)), (right, y_at(target))], [
            (left, y_at(edge)),
            (right, y_at(edge)),
        ]
    line, band = [], []
    for (index, target, edge), following in zip(
        targets, [*targets[1:], None], strict=True
    ):
        x = x_at(index)
        line.append((x, y_at(target)))
        band.append((x, y_at(edge)))
        if following is not None:
            line.append((x_at(following[0]), y_at(target)))
            band.append((x_at(following[0]), y_at(edge)))
    return line, band


def _words(measure, values):
    """``(summary, description)`` of the chart for everyone, in words."""
    first, last = values[0], values[-1]
    latest_target = measure.target_for(last.period)
    target = (
        f" The target for {period_label(last.period, measure.frequency)} is "
        f"{measure.format_value(latest_target)} "
        f"({measure.get_direction_display().lower()})."
        if latest_target is not None
        else " There is no target."
    )
    summary = (
        f"From {period_label(first.period, measure.frequency)} to "
        f"{period_label(last.period, measure.frequency)}: "
        f"{measure.format_value(first.value)} to "
        f"{measure.format_value(last.value)}.{target}"
    )
    description = " ".join(
        f"{period_label(v.period, measure.frequency)}: {measure.format_value(v.value)}."
        for v in values
    )
    return summary, description
