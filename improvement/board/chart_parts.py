"""The plan's chart series: delivery status and RAG. Imports no app models.

How charts are laid out and what every series needs is in
``improvement.kernel.charts`` (``parts``, ``bars``, ``lines``); the board's
charts are built in ``improvement.board.charts``.

Light colours (grey, orange, yellow: black text) have less than 3:1 contrast
with white, so the chart templates outline them in black wherever they are
drawn (``Series.is_light``); the others have at least 5:1.
"""

from improvement.kernel.charts.parts import (
    BLACK,
    BLUE,
    DARK_GREY,
    GREEN,
    LIGHT_GREY,
    ORANGE,
    RED,
    WHITE,
    YELLOW,
    Series,
)

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
