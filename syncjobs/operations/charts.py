"""Charts drawn on the server as inline SVG: nothing to download, nothing fetched at run time."""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

WIDTH, HEIGHT = 760, 200
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 10, 22


@dataclass
class Day:
    label: str  # e.g. "09-14"
    synced: int
    failed: int


def _n(value):
    """A coordinate as text with one decimal (format_html escapes values before formatting them)."""
    return f"{value:.1f}"


def _nice_ceiling(value):
    """The smallest 1/2/5 × 10ⁿ at or above ``value`` (an axis maximum people can read)."""
    if value <= 0:
        return 1
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def daily_bars(days, title):
    """Side-by-side bars of synced and failed records per day, with a labelled value axis."""
    top = _nice_ceiling(max([d.synced for d in days] + [d.failed for d in days] + [0]))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(days), 1)
    bar = max(1.0, slot * 0.4)
    shapes = []
    for index, day in enumerate(days):
        x = LEFT + index * slot + slot * 0.1
        for offset, value, css in ((0, day.synced, "bar-synced"), (bar, day.failed, "bar-failed")):
            h = plot_h * value / top
            shapes.append(
                (css, _n(x + offset), _n(TOP + plot_h - h), _n(bar), _n(h), f"{day.label}: {value}")
            )
    labels = [
        (_n(LEFT + index * slot + slot / 2), HEIGHT - 6, day.label)
        for index, day in enumerate(days)
        if index % 5 == 0 or index == len(days) - 1
    ]
    return format_html(
        '<svg class="hub-chart" viewBox="0 0 {} {}" role="img" aria-label="{}">'
        '<line class="axis" x1="{}" y1="{}" x2="{}" y2="{}"/>'
        '<text x="{}" y="{}" text-anchor="end">{}</text><text x="{}" y="{}" text-anchor="end">0</text>'
        "{}{}</svg>",
        WIDTH,
        HEIGHT,
        title,
        LEFT,
        TOP + plot_h,
        WIDTH - RIGHT,
        TOP + plot_h,
        LEFT - 4,
        TOP + 8,
        top,
        LEFT - 4,
        TOP + plot_h,
        format_html_join(
            "",
            '<rect class="{}" x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>',
            shapes,
        ),
        format_html_join("", '<text x="{}" y="{}" text-anchor="middle">{}</text>', labels),
    )


def meter(value, limit):
    """A small horizontal gauge of ``value`` against ``limit`` (empty when there is no limit)."""
    if not limit:
        return mark_safe("")
    share = min(1.0, value / limit)
    css = "bar-failed" if share >= 0.9 else "bar-synced"
    return format_html(
        '<svg class="hub-meter" viewBox="0 0 100 8" role="img" aria-label="{}%">'
        '<rect class="axis" x="0" y="0" width="100" height="8" fill="none"/>'
        '<rect class="{}" x="0" y="0" width="{}" height="8"/></svg>',
        round(share * 100),
        css,
        _n(share * 100),
    )
