"""Coordinates for the server-rendered SVG trend chart (no script: the CSP forbids inline)."""

from __future__ import annotations

# The score labels sit left of the plot and the dates below it, never over a point.
WIDTH, HEIGHT = 600, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 20, 16, 40
MAX_DATE_LABELS = 6


def wellbeing_chart(checks) -> dict | None:
    """Points of the member's WHO-5 scores (0..100) over time, oldest first, with the
    score axis (0, 50, 100) and a few dates along the time axis."""
    if not checks:
        return None
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(1, len(checks) - 1)
    points = []
    for index, check in enumerate(checks):
        x = LEFT + index * step if len(checks) > 1 else LEFT + plot_w / 2
        y = TOP + plot_h - check.score * plot_h / 100
        points.append(
            {"x": round(x, 1), "y": round(y, 1), "score": check.score, "on": check.taken_on}
        )
    # At most MAX_DATE_LABELS dates, evenly spread, always the first and the last.
    every = max(1, -(-(len(points) - 1) // (MAX_DATE_LABELS - 1)))
    dated = [p for i, p in enumerate(points) if i % every == 0 or i == len(points) - 1]
    if len(dated) > 1 and dated[-1]["x"] - dated[-2]["x"] < plot_w / MAX_DATE_LABELS:
        dated.pop(-2)  # too close to the last one: they would overlap
    bottom = TOP + plot_h

    def score_y(score: int) -> float:
        return round(TOP + plot_h - score * plot_h / 100, 1)

    return {
        "width": WIDTH,
        "height": HEIGHT,
        "points": points,
        "dates": [{"x": p["x"], "on": p["on"]} for p in dated],
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "ticks": [{"y": score_y(s), "label": s} for s in (0, 50, 100)],
        "low_y": score_y(50),
        "top_y": TOP,
        "bottom_y": bottom,
        "date_y": bottom + 22,
        "left_x": LEFT,
        "label_x": LEFT - 8,
        "right_x": WIDTH - RIGHT,
    }
