"""Accessible SVG charts drawn on the server: they work without JavaScript and in PDFs.

Each chart has a <title> and <desc> and is announced as one image; the page shows the same
numbers in a table beside it. Suppressed values are drawn as no bar and labelled in words.
"""

from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

BLUE, DARK_BLUE, GREY, TEXT = "#005eb8", "#003087", "#768692", "#212b32"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: suppressed
    display: str


def _svg(chart_id: str, title: str, desc: str, width: int, height: int, body: str) -> SafeString:
    return mark_safe(  # noqa: S308 - every piece of text below is escaped
        f'<svg class="app-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>{body}</svg>'
    )


def bar_chart(
    chart_id: str,
    title: str,
    bars: list[Bar],
    *,
    maximum: float | None = None,
    series_colour: str = BLUE,
) -> SafeString:
    """Return a horizontal bar chart, one bar per row, labelled with its displayed value."""
    label_width, bar_area, row = 260, 300, 28
    height = max(row * len(bars) + 10, 40)
    top = maximum or max([b.value for b in bars if b.value is not None] + [1])
    parts = []
    for i, bar in enumerate(bars):
        y = 5 + i * row
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" font-size="13" '
            f'fill="{TEXT}">{escape(_short(bar.label))}</text>'
        )
        if bar.value is not None and top:
            w = max(bar_area * bar.value / top, 1 if bar.value else 0)
            parts.append(
                f'<rect x="{label_width}" y="{y + 4}" width="{w:.1f}" height="18" '
                f'fill="{series_colour}"/>'
            )
            x_text = label_width + w + 6
        else:
            x_text = label_width + 6
        parts.append(
            f'<text x="{x_text:.1f}" y="{y + 17}" font-size="13" fill="{TEXT}">'
            f"{escape(bar.display)}</text>"
        )
    desc = "; ".join(f"{b.label}: {b.display}" for b in bars) or "No data"
    return _svg(chart_id, title, desc, label_width + bar_area + 120, height, "".join(parts))


def paired_bar_chart(
    chart_id: str, title: str, rows: list[tuple[str, Bar, Bar]], names=("Before", "After")
) -> SafeString:
    """Return a chart with two bars per row (e.g. before and after), scaled to 100%."""
    label_width, bar_area, row = 260, 300, 46
    height = row * len(rows) + 40
    parts = [
        f'<rect x="{label_width}" y="4" width="12" height="12" fill="{GREY}"/>'
        f'<text x="{label_width + 18}" y="14" font-size="12" fill="{TEXT}">{names[0]}</text>'
        f'<rect x="{label_width + 90}" y="4" width="12" height="12" fill="{BLUE}"/>'
        f'<text x="{label_width + 108}" y="14" font-size="12" fill="{TEXT}">{names[1]}</text>'
    ]
    for i, (label, first, second) in enumerate(rows):
        y = 28 + i * row
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 24}" text-anchor="end" font-size="13" '
            f'fill="{TEXT}">{escape(_short(label))}</text>'
        )
        for j, (bar, colour) in enumerate(((first, GREY), (second, BLUE))):
            by = y + j * 20
            w = bar_area * (bar.value or 0) / 100 if bar.value is not None else 0
            parts.append(
                f'<rect x="{label_width}" y="{by}" width="{w:.1f}" height="16" fill="{colour}"/>'
            )
            parts.append(
                f'<text x="{label_width + w + 6:.1f}" y="{by + 13}" font-size="12" '
                f'fill="{TEXT}">{escape(bar.display)}</text>'
            )
    desc = (
        "; ".join(
            f"{label}: {names[0].lower()} {a.display}, {names[1].lower()} {b.display}"
            for label, a, b in rows
        )
        or "No data"
    )
    return _svg(chart_id, title, desc, label_width + bar_area + 120, height, "".join(parts))


def column_chart(chart_id: str, title: str, columns: list[Bar]) -> SafeString:
    """Return a vertical column chart (a time series), labels under each column."""
    width, height, base, col = max(60 * len(columns), 200), 220, 180, 60
    top = max([c.value for c in columns if c.value is not None] + [1])
    parts = [f'<line x1="0" y1="{base}" x2="{width}" y2="{base}" stroke="{GREY}"/>']
    for i, c in enumerate(columns):
        x = i * col + 10
        h = 150 * (c.value or 0) / top if c.value is not None else 0
        parts.append(
            f'<rect x="{x}" y="{base - h:.1f}" width="40" height="{h:.1f}" fill="{DARK_BLUE}"/>'
        )
        parts.append(
            f'<text x="{x + 20}" y="{base - h - 4:.1f}" text-anchor="middle" '
            f'font-size="11" fill="{TEXT}">{escape(c.display)}</text>'
        )
        parts.append(
            f'<text x="{x + 20}" y="{base + 16}" text-anchor="middle" font-size="11" '
            f'fill="{TEXT}">{escape(c.label)}</text>'
        )
    desc = "; ".join(f"{c.label}: {c.display}" for c in columns) or "No data"
    return _svg(chart_id, title, desc, width, height, "".join(parts))


def _short(label: str, length: int = 36) -> str:
    return label if len(label) <= length else label[: length - 1] + "…"
