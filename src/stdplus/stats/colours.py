"""The colour of each standard level, the same in every chart (dashboard, report, workbook).

One level keeps one colour whichever levels a chart shows and in whatever order, so that a
reader who learnt "international is blue" on one chart reads the next without its legend.
"""

from __future__ import annotations

LEVEL_COLOURS = {
    "international": "#0b5cad",
    "regional": "#1aa3a3",
    "foreign": "#5d6d7e",
    "national": "#c0392b",
    "industry": "#e3a21a",
    "local": "#2e9d5b",
    "group": "#7d4cc2",
    "enterprise": "#8a6d3b",
}
OTHER = "#9aa4ae"


def level_colour(level: str) -> str:
    return LEVEL_COLOURS.get(level, OTHER)
