"""Coordinates for the dashboards' server-rendered SVG charts (no script: the CSP forbids it).

Charts only ever receive `Protected` figures: a withheld point leaves a gap in the line
and a withheld bar is drawn as a note, so the picture never shows more than the table.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from feedback.dashboard.protection import Protected

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 36
# Colour plus a dash pattern per series, so lines differ without colour too.
STYLES = [
    ("#0b5ed7", ""),
    ("#b02a37", "6 4"),
    ("#146c43", "2 3"),
    ("#6f42c1", "10 3 2 3"),
    ("#8a5300", "1 5"),
]


def _ticks(low: float, high: float) -> list[float]:
    step = (high - low) / 4
    return [round(low + i * step, 1) for i in range(5)]


def _segments(values: list[Protected], point_at) -> list[list[tuple]]:
    """The shown values as runs of points `point_at(index, value)`: a withheld value breaks
    the line rather than bridging over it."""
    segments, current = [], []
    for i, value in enumerate(values):
        if not value.shown:
            if current:
                segments.append(current)
            current = []
            continue
        current.append(point_at(i, value.value))
    if current:
        segments.append(current)
    return segments


def line_chart(labels: list, series: list[dict], *, low: float, high: float) -> dict | None:
    """Lines over time. `series`: [{"name": str, "values": [Protected, ...]}]."""
    if not labels or not any(v.shown for s in series for v in s["values"]):
        return None
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = inner_w / max(1, len(labels) - 1)

    def y_of(value: float) -> float:
        return round(TOP + inner_h - (value - low) * inner_h / (high - low), 1)

    drawn = []
    for index, s in enumerate(series):
        colour, dash = STYLES[index % len(STYLES)]
        segments = _segments(s["values"], lambda i, v: (round(LEFT + i * step, 1), y_of(v)))
        points = [{"x": x, "y": y} for seg in segments for x, y in seg]
        drawn.append(
            {
                "name": s["name"],
                "colour": colour,
                "dash": dash,
                "points": points,
                "lines": [" ".join(f"{x},{y}" for x, y in seg) for seg in segments],
            }
        )
    every = max(1, len(labels) // 6)
    shown = [i for i in range(len(labels)) if i % every == 0]
    # The last label too, unless it would sit on top of the one before.
    if shown[-1] != len(labels) - 1 and len(labels) - 1 - shown[-1] >= every / 2 + 1:
        shown.append(len(labels) - 1)
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "series": drawn,
        "y_ticks": [{"y": y_of(t), "label": f"{t:g}"} for t in _ticks(low, high)],
        "x_ticks": [
            {
                "x": round(LEFT + i * step, 1),
                "label": labels[i],
                # Edge labels grow inwards so they are not cut off by the frame.
                "anchor": "start" if i == 0 else "end" if i == len(labels) - 1 else "middle",
            }
            for i in shown
        ],
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "top": TOP,
        "bottom": TOP + inner_h,
        "label_y": HEIGHT - 10,
    }


def bar_chart(items: list[tuple[str, Protected]], *, high: float) -> dict | None:
    """Horizontal bars, one per (label, figure); withheld bars carry a note instead."""
    if not items or not any(value.shown for _label, value in items):
        return None
    bar, gap, label_w = 22, 8, 150
    inner_w = WIDTH - label_w - RIGHT - 60
    bars = []
    for i, (label, value) in enumerate(items):
        y = TOP + i * (bar + gap)
        width = round(inner_w * (value.value or 0) / high, 1) if value.shown else 0
        bars.append(
            {
                "label": label,
                "text": str(value),
                "y": y,
                "text_y": y + bar * 0.7,
                "width": max(width, 1 if value.shown else 0),
                "end_x": label_w + width + 6,
                "shown": value.shown,
            }
        )
    return {
        "width": WIDTH,
        "height": TOP * 2 + len(items) * (bar + gap),
        "bar": bar,
        "label_x": label_w - 8,
        "bar_x": label_w,
        "bars": bars,
    }


SPARK_W, SPARK_H, SPARK_PAD = 160, 40, 4


def _figure_text(value: Protected) -> str:
    return f"{value.value:g}{value.unit}" if isinstance(value.value, float) else str(value)


def sparkline(
    labels: list[str], series: list[dict], *, low: float, high: float | None, split: int = 0
) -> dict | None:
    """A small trend line, one point per label, with no axes: the figure and the sentence
    beside it say what it shows. `high` None: the largest value shown (counts). `split`:
    how many points belong to the period before, marked by a faint line. `text` is the
    chart's text alternative: where it starts and ends and its lowest and highest points."""
    shown = [(i, v) for s in series for i, v in enumerate(s["values"]) if v.shown]
    if not labels or not shown:
        return None
    if high is None:
        high = max(v.value for _i, v in shown) or 1
        low = min(low, high - 1)
    inner_w, inner_h = SPARK_W - 2 * SPARK_PAD, SPARK_H - 2 * SPARK_PAD
    step = inner_w / max(1, len(labels) - 1)

    def x_of(i: int) -> float:
        return round(SPARK_PAD + i * step, 1)

    def y_of(value: float) -> float:
        clamped = min(max(value, low), high)
        return round(SPARK_PAD + inner_h - (clamped - low) * inner_h / (high - low), 1)

    drawn, texts = [], []
    for index, s in enumerate(series):
        colour, dash = STYLES[index % len(STYLES)]
        segments = _segments(s["values"], lambda i, v: (x_of(i), y_of(v)))
        last = segments[-1][-1] if segments else None
        drawn.append(
            {
                "colour": colour,
                "dash": dash,
                # A lone point (a month between gaps) is drawn as a dot.
                "lines": [" ".join(f"{x},{y}" for x, y in seg) for seg in segments if len(seg) > 1],
                "dots": [seg[0] for seg in segments if len(seg) == 1],
                "last": last,
            }
        )
        points = [(i, v) for i, v in enumerate(s["values"]) if v.shown]
        if points:
            first, end = points[0], points[-1]
            lowest = min(points, key=lambda p: p[1].value)
            highest = max(points, key=lambda p: p[1].value)
            texts.append(
                _(
                    "%(name)s: %(first)s in %(first_month)s, %(last)s in %(last_month)s; "
                    "lowest %(low)s (%(low_month)s), highest %(high)s (%(high_month)s)"
                )
                % {
                    "name": s["name"],
                    "first": _figure_text(first[1]),
                    "first_month": labels[first[0]],
                    "last": _figure_text(end[1]),
                    "last_month": labels[end[0]],
                    "low": _figure_text(lowest[1]),
                    "low_month": labels[lowest[0]],
                    "high": _figure_text(highest[1]),
                    "high_month": labels[highest[0]],
                }
            )
    return {
        "width": SPARK_W,
        "height": SPARK_H,
        "series": drawn,
        "split_x": x_of(split) - round(step / 2, 1) if 0 < split < len(labels) else None,
        "top": SPARK_PAD,
        "bottom": SPARK_H - SPARK_PAD,
        "text": _("By month. %(lines)s.") % {"lines": ". ".join(texts)},
    }
