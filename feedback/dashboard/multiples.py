"""Groups side by side as small multiples: one compact chart per group, all on the same
scale (attendance rate by month, 0 to 100 %), with the group's figures beside it. Groups
whose months all fall under the small-number threshold are listed once, below.
"""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from feedback.dashboard import charts, selectors
from feedback.dashboard.filters import DashboardFilters
from feedback.dashboard.headline import attendance_rate


def small_multiples(f: DashboardFilters, comparison: list[dict]) -> dict:
    """From the side-by-side rows (`selectors.comparison`) and one more query: each
    group's attendance rate per month of the period."""
    ids = [r["group"].pk for r in comparison]
    s = selectors._sum_over
    rows = (
        selectors._months(f, ids)
        .values("group", "month")
        .annotate(
            marked=s("marked", "marked_people"),
            present=s("present", "marked_people"),
            people=s("marked_people"),
        )
        .order_by("month")
    )
    months = sorted({r["month"] for r in rows})
    rates = {(r["group"], r["month"]): attendance_rate(r) for r in rows}
    labels = [date_format(m, "M Y") for m in months]
    drawn, without = [], []
    for row in comparison:
        pk = row["group"].pk
        values = [
            rates.get((pk, m)) or attendance_rate({"marked": 0, "present": 0, "people": 0})
            for m in months
        ]
        chart = charts.sparkline(
            labels, [{"name": _("Attendance rate"), "values": values}], low=0, high=100
        )
        figures = [row[k] for k in ("members", "attendance", "rating", "after")]
        if chart is None and not any(fig.shown for fig in figures):
            without.append(row["group"])
            continue
        drawn.append({**row, "chart": chart})
    return {"groups": drawn, "without": without}
