"""CSV export of a dashboard's aggregates: the same guarded figures as the page.

Never an individual answer: each row is one aggregate (section, group, when, measure);
a withheld figure has an empty value and the note says why.
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from feedback.dashboard.protection import Protected
from feedback.models import GoalReviewResponse

# The column names in the reader's language; the section codes below them stay the same
# in every language, so a spreadsheet's filters keep working whoever exported it.
HEADER = [
    pgettext_lazy("spreadsheet column", "section"),
    pgettext_lazy("spreadsheet column", "group"),
    pgettext_lazy("spreadsheet column", "when"),
    pgettext_lazy("spreadsheet column", "measure"),
    pgettext_lazy("spreadsheet column", "value"),
    pgettext_lazy("spreadsheet column", "note"),
]


def _cell(text) -> str:
    """Group names and question wording are typed by people: keep spreadsheets from
    reading them as formulas."""
    text = str(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _row(section, group, when, measure, figure: Protected) -> list[str]:
    note = "" if figure.shown else figure.withheld_reason
    return [section, _cell(group), str(when), _cell(measure), figure.csv, note]


def dashboard_rows(report: dict, *, scope: str) -> list[list[str]]:
    """`scope` names the groups the overall figures cover ("all selected groups", a name)."""
    rows = []
    add = rows.append
    for key, measure in (
        ("members", _("members")),
        ("active", _("members who came to a meeting")),
        ("new", _("new members")),
        ("on_break", _("members on a break")),
    ):
        add(_row("participation", scope, "period", measure, report["participation"][key]))
    left = report["left_out"]
    rows.append(
        [
            "meetings",
            _cell(scope),
            "period",
            _("meetings left out (fewer than %(n)d answers)") % {"n": left["threshold"]},
            str(left["meetings"]),
            "",
        ]
    )
    for r in report["per_meeting"]:
        add(_row("meetings", r["group"], r["label"], _("said going"), r["going"]))
        add(_row("meetings", r["group"], r["label"], _("came"), r["present"]))
    for r in report["attendance_by_month"]:
        add(
            _row(
                "attendance", scope, r["label"].isoformat()[:7], _("attendance rate (%)"), r["rate"]
            )
        )
    questions = report["questions"]
    for r in report["checkins_by_month"]:
        month = r["label"].isoformat()[:7]
        for q, figure in zip(questions, r["questions"], strict=True):
            add(_row("check-in", scope, month, q["text"], figure))
        add(_row("check-in", scope, month, _("mood before"), r["before"]))
        add(_row("check-in", scope, month, _("mood after"), r["after"]))
    for q in report["checkin_totals"]["questions"]:
        for band in q["bands"]:
            measure = f"{q['text']}: {band['label']} (%)"
            add(_row("check-in distribution", scope, "period", measure, band["share"]))
    for r in report["reviews"]:
        name, when = r["review"].group.name, r["review"].opened_on
        add(_row("review", name, when, _("answers"), r["answers"]))
        for objective in r["objectives"]:
            for label, figure in zip(_verdict_labels(), objective["verdicts"], strict=True):
                add(_row("review", name, when, f"{objective['text']}: {label} (%)", figure))
    suggestions = report["suggestions"]
    for kind in suggestions["kinds"]:
        for (_s, status), figure in zip(suggestions["statuses"], kind["cells"], strict=True):
            add(_row("suggestions", scope, "period", f"{kind['label']}: {status}", figure))
    goals = report["goals"]
    add(_row("goals", scope, "period", _("personal goals achieved (%)"), goals["achieved"]))
    for r in report["comparison"]:
        name = r["group"].name
        for key, measure in (
            ("members", _("members")),
            ("new", _("new members")),
            ("attendance", _("attendance rate (%)")),
            ("rating", _("check-in rating")),
            ("before", _("mood before")),
            ("after", _("mood after")),
        ):
            add(_row("comparison", name, "period", measure, r[key]))
    return rows


def _verdict_labels() -> list[str]:
    return [str(label) for _v, label in GoalReviewResponse.Verdict.choices]


def render(rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(name) for name in HEADER])
    writer.writerows(rows)
    return out.getvalue()
