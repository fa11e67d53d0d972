"""Coordinates for the server-rendered SVG trend chart (no script: the CSP forbids inline)."""

from __future__ import annotations

WIDTH, HEIGHT, PAD = 600, 220, 30


def wellbeing_chart(checks) -> dict | None:
    """Points of the member's WHO-5 scores (0..100) over time, oldest first."""
    if not checks:
        return None
    step = (WIDTH - 2 * PAD) / max(1, len(checks) - 1)
    points = []
    for index, check in enumerate(checks):
        x = PAD + index * step
        y = HEIGHT - PAD - check.score * (HEIGHT - 2 * PAD) / 100
        points.append(
            {"x": round(x, 1), "y": round(y, 1), "score": check.score, "on": check.taken_on}
        )
    low_y = HEIGHT - PAD - 50 * (HEIGHT - 2 * PAD) / 100
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "points": points,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "low_y": round(low_y, 1),
        "top_y": PAD,
        "bottom_y": HEIGHT - PAD,
        "left_x": PAD,
        "right_x": WIDTH - PAD,
    }
